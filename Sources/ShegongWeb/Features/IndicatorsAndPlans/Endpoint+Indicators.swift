import ShegongDomain
import ShegongStore
import Vapor

/// Statistics, indicators and plans (issue 5): region statistics (the indicators' denominators),
/// indicator values and rankings, practice bases and pilots, plans with progress reports and
/// evidence, targets, and exam mobilisation.
extension Endpoint {
    private static let aggregateReaders = RouteAccess.read(.official, .departmentOperator)
    private static let figureWriters = RouteAccess.write(.official, .departmentOperator)
    /// Statistics are kept from 1949 to next year (`RegionStatisticStore.problem(year:)`).
    private static var year: Parameter {
        .query("year", "年份，默认今年", .integer(RegionStatisticStore.firstYear...(CivilDate.today().year + 1)))
    }
    private static let period = [Parameter.query("from", "统计期起 YYYY-MM-DD（按期计数的指标；默认评估日所在年 1 月 1 日）", .text(format: "date")),
                                 Parameter.query("to", "统计期止 YYYY-MM-DD", .text(format: "date"))]
    private static let fileBody = RequestBody.raw("CSV 或 XLSX 文件本身，按内容识别格式", [
        Endpoint.csv: ["type": "string"], Endpoint.xlsx: ["type": "string", "format": "binary"],
        "application/octet-stream": ["type": "string", "format": "binary"]])

    // MARK: Region statistics

    static var statistics: Endpoint { Endpoint("statistics",
        .GET, ["statistics"], aggregateReaders, summary: "地区统计数（分母）",
        parameters: [.region, year],
        success: [.ok("该地区该年的统计数、未填项和修改历史", Schema.ref("RegionStatistics"))]) }

    static var statisticsUpdate: Endpoint { Endpoint("statisticsUpdate",
        .PUT, ["statistics"], figureWriters, summary: "填报地区统计数",
        parameters: [.region, year],
        body: .json(["type": "object", "required": ["values"], "properties": [
            "values": ["type": "object", "description": "统计项（id 或中文名）→ 非负整数；null 删除该项",
                       "additionalProperties": ["type": ["integer", "null"]]],
            "department": Schema.string("填报单位，记入修改历史")]]),
        success: [.ok("已保存；返回写入计数和最新数据", ["type": "object", "required": ["write", "statistics"], "properties": [
            "write": Schema.object, "statistics": Schema.ref("RegionStatistics")]])],
        errors: [.forbidden: "无权使用，或统计项不是本部门填报的（error.details 列出）", .unprocessable: ErrorStatus.unprocessable.standardDescription]) }

    static let statisticsImport = Endpoint("statisticsImport",
        .POST, ["statistics", "import"], figureWriters, summary: "导入地区统计数",
        parameters: [.query("dryRun", "true 只校验，不写入", .boolean), .fileName],
        body: RequestBody.raw("CSV 或 XLSX：长表 地区代码、年份、指标、数值；或宽表 地区代码、年份 加各统计项一列", fileBody.content),
        success: [.ok("导入（或预演）成功")],
        errors: [.unprocessable: "有问题，未写入任何数据；error.details 逐行列出，report 为完整报告"])

    // MARK: Indicators

    /// One of the shipped indicators (GET /api/v1/indicators); another id answers 404.
    private static let indicatorID = Parameter.path("id", "指标 id（GET /api/v1/indicators）",
                                                    .oneOf(IndicatorCatalogue.shipped.map(\.id)))

    static let indicators = Endpoint("indicators",
        .GET, ["indicators"], aggregateReaders, summary: "指标定义",
        success: [.ok("指标定义（分子、分母、系数）", Schema.array(Schema.ref("IndicatorDefinition")))])

    static let indicator = Endpoint("indicator",
        .GET, ["indicators", ":id"], aggregateReaders, summary: "指标值",
        parameters: [indicatorID, .region, .asOf] + period,
        success: [.ok("指标值，或“无数据”及原因", Schema.ref("IndicatorValue"))])

    static let indicatorChildren = Endpoint("indicatorChildren",
        .GET, ["indicators", ":id", "children"], aggregateReaders, summary: "下级地区指标排名",
        parameters: [indicatorID, .region, .asOf] + period + [.query("order", "desc（默认）或 asc", .oneOf(["desc", "asc"]))],
        success: [.ok("下级地区按指标排名；无数据者排在最后并给出原因", ["type": "object", "required": ["indicator", "parent", "order", "children"],
            "properties": ["indicator": Schema.ref("IndicatorDefinition"), "parent": Schema.ref("IndicatorValue"),
                           "order": ["type": "string", "enum": ["desc", "asc"]],
                           "children": Schema.array(["type": "object", "properties": [
                               "rank": ["type": ["integer", "null"]], "value": Schema.ref("IndicatorValue")]])]])])

    // MARK: Practice bases and pilots

    static let practiceBases = Endpoint("practiceBases",
        .GET, ["practice-bases"], aggregateReaders, summary: "实践基地列表",
        parameters: [.region],
        success: [.ok("实践基地", Schema.objects)])

    static let practiceBaseCreate = Endpoint("practiceBaseCreate",
        .POST, ["practice-bases"], .write(.official), summary: "登记实践基地",
        body: .json(["type": "object", "required": ["regionCode", "name", "level"], "properties": [
            "regionCode": Schema.string("所在地区代码"), "name": ["type": "string"], "level": Schema.string("基地本身的级别：省级、市级、县级、院校，或 province、city、county、college"),
            "host": Schema.string("依托单位"), "established": Schema.string("设立日期", format: "date"),
            "hostOrganizationID": Schema.string("依托单位（在册机构）id，可选"), "capacity": ["type": "integer", "minimum": 0],
            "facilities": ["type": "string"], "contactName": ["type": "string"], "contactPhone": Schema.string("办公电话"),
            "contactMobile": Schema.string("联系人手机号（加密保存，脱敏显示）"),
            "periodFrom": Schema.string("期间开始", format: "date"), "periodTo": Schema.string("期间结束", format: "date"),
            "servedRegions": Schema.array(Schema.string("服务地区代码，须在基地所在省内"))]]),
        success: [.created("已添加；答复为基地登记的全部信息（与实践基地页相同的校验）")],
        errors: [.notFound: "地区不存在或不在管辖范围内", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let pilotCommunities = Endpoint("pilotCommunities",
        .GET, ["pilot-communities"], aggregateReaders, summary: "融合试点社区列表",
        parameters: [.region],
        success: [.ok("融合试点社区", Schema.objects)])

    static let pilotCommunityCreate = Endpoint("pilotCommunityCreate",
        .POST, ["pilot-communities"], .write(.official), summary: "登记融合试点社区",
        body: .json(["type": "object", "required": ["regionCode", "name", "tier"], "properties": [
            "regionCode": Schema.string("社区（或乡镇、区县）代码"), "name": ["type": "string"],
            "tier": Schema.string("试点层级：全省试点、全市试点、全县试点，或 province、city、county"),
            "goodPracticeCases": ["type": "integer"], "established": Schema.string("设立日期", format: "date")]]),
        success: [.created("已添加")],
        errors: [.notFound: "地区不存在或不在管辖范围内", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    // MARK: Plans

    static let plans = Endpoint("plans",
        .GET, ["plans"], aggregateReaders, summary: "方案列表",
        parameters: [.asOf],
        success: [.ok("方案列表及举措状态计数", Schema.array(["type": "object", "required": ["plan", "counts"], "properties": [
            "plan": Schema.object, "counts": ["type": "object", "additionalProperties": ["type": "integer"]]]]))])

    static let plan = Endpoint("plan",
        .GET, ["plans", ":id"], aggregateReaders, summary: "方案详情",
        parameters: [.asOf],
        success: [.ok("方案、重点工作、举措（状态按日期计算）、逾期单位", Schema.ref("Plan"))])

    static var measureReportCreate: Endpoint {
        let fields: [String: JSONValue] = [
            "date": Schema.string("报告日期", format: "date"), "text": ["type": "string", "description": "进展内容，1–2000 个字符"],
            "department": Schema.string("报告单位（部门操作员固定为本部门）")]
        var multipart = fields
        multipart["completes"] = Schema.string("true（或 on、1）表示该举措已完成")
        multipart["evidence"] = ["type": "array", "items": ["type": "string", "format": "binary"],
                                 "description": .string("佐证材料文件，可多个：PDF、JPG、PNG、DOC/DOCX、XLS/XLSX、TXT（按扩展名和文件内容识别），"
                                     + "每个不超过 \(EvidenceRules.maxFileBytes >> 20) MiB，最多 \(EvidenceRules.maxFiles) 个；文件名不含路径")]
        var plain = fields
        plain["completes"] = ["type": "boolean", "description": "true 表示该举措已完成"]
        plain["evidence"] = ["type": "array", "items": ["type": "string"],
                             "description": "不能只列文件名：非空时答 422（report.evidence.file_required），佐证材料须以 multipart/form-data 上传"]
        return Endpoint("measureReportCreate",
            .POST, ["measures", ":id", "reports"], figureWriters, summary: "提交举措进展报告（可附佐证材料文件）",
            parameters: [.path("id", "举措键：方案 id:举措 id")],
            body: RequestBody(description: "带佐证材料时用 multipart/form-data；整个请求不超过 \(ReportSubmission.requestLimit >> 20) MiB（413）",
                              content: ["multipart/form-data": ["type": "object", "required": ["date", "text"], "properties": .object(multipart)],
                                        "application/json": ["type": "object", "required": ["date", "text"], "properties": .object(plain)]],
                              decodedByContentType: true),
            success: [.created("已记录；返回举措及其新状态（报告的 evidence 为文件对象：id、fileName、contentType、size、sha256、url）")],
            errors: [.unprocessable: "有误，未写入任何内容；error.details 逐项列出（佐证材料按 evidence[序号] 并写明文件名）"])
    }

    /// The plan owner's answer to a measure marked done (issue #18 §2; `PlanService.decideCompletion`).
    static let measureConfirm = Endpoint("measureConfirm",
        .POST, ["measures", ":id", "confirm"], .write(.official), summary: "确认举措完成（方案所属地区的可写账号）",
        parameters: [.path("id", "举措键：方案 id:举措 id")],
        success: [.ok("已确认；返回举措及其新状态（已完成，完成日期为报告日期）")],
        errors: [.forbidden: "无权使用，或不是方案所属地区（或其上级）的可写账号（plan.measure.not_owner）",
                 .conflict: "该举措没有待确认的完成报告（measure.not_awaiting）"])

    static let measureReturn = Endpoint("measureReturn",
        .POST, ["measures", ":id", "return"], .write(.official), summary: "退回举措完成报告（须填原因）",
        parameters: [.path("id", "举措键：方案 id:举措 id")],
        body: .json(["type": "object", "required": ["reason"], "properties": [
            "reason": ["type": "string", "description": "退回原因，1–500 个字符；牵头部门在方案页看到"]]]),
        success: [.ok("已退回；返回举措及其新状态（未完成）")],
        errors: [.forbidden: "无权使用，或不是方案所属地区（或其上级）的可写账号（plan.measure.not_owner）",
                 .conflict: "该举措没有待确认的完成报告（measure.not_awaiting）",
                 .unprocessable: "未填退回原因或超过 500 字（error.details：reason）"])

    static let evidence = Endpoint("evidence",
        .GET, ["evidence", ":id"], aggregateReaders, summary: "下载佐证材料",
        parameters: [.path("id", "佐证材料 id（报告 evidence 的 id）")],
        success: [.file("佐证材料文件本身（Content-Disposition: attachment，类型为上传时识别的类型）；下载记入审计日志",
                        ["application/octet-stream"])])

    // MARK: Targets

    static let targets = Endpoint("targets",
        .GET, ["targets"], aggregateReaders, summary: "目标及进度评估",
        parameters: [.region, .asOf],
        success: [.ok("目标及评估：进度、应达路径与实际路径、趋势预测、风险及原因", Schema.array(Schema.ref("Target")))])

    static let targetCreate = Endpoint("targetCreate",
        .POST, ["targets"], .write(.official), summary: "设定目标（不属于方案的单独目标）",
        body: .json(["type": "object", "required": ["indicator", "region", "comparator", "value", "deadline"], "properties": [
            "id": Schema.string("目标编号；省略时自动生成"), "indicator": Schema.string("指标 id（GET /api/v1/indicators）"),
            "region": Schema.string("地区代码（须在本人有读写权限的范围内）"), "comparator": ["type": "string", "enum": ["≥", "≤", "=", ">", "<", ">=", "<="]],
            "value": ["type": "number"], "tolerance": ["type": "number", "description": "仅用于“=”"],
            "baseline": ["type": "object", "required": ["date", "value"], "properties": ["date": Schema.string("基线日期", format: "date"), "value": ["type": "number"]]],
            "deadline": Schema.string("期限", format: "date"),
            "period": ["type": "object", "required": ["from", "to"], "properties": [
                "from": Schema.string("统计期起", format: "date"), "to": Schema.string("统计期止", format: "date")]],
            "note": Schema.string("说明")]]),
        success: [.created("已设定的目标及其评估", Schema.ref("Target"))],
        errors: [.notFound: "地区不在管辖范围内", .conflict: "目标编号已存在", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    // MARK: Exams

    static let exams = Endpoint("exams",
        .GET, ["exams"], aggregateReaders, summary: "考试报名与通过",
        parameters: [.region, .query("year", "考试年份；省略为全部年份", .integer())],
        success: [.ok("报名与通过人数、通过率、同比增长", ["type": "object", "required": ["region", "figures"], "properties": [
            "region": Schema.object, "figures": Schema.objects]])])

    static let examCreate = Endpoint("examCreate",
        .POST, ["exams"], .write(.official), summary: "填报考试数据",
        body: .json(["type": "object", "required": ["year", "region"], "properties": [
            "year": ["type": "integer"], "level": Schema.string("证书等级；省略为全部等级"), "region": Schema.string("地区代码"),
            "registrants": ["type": ["integer", "null"]], "registrantsAtLeast": ["type": "boolean"],
            "passes": ["type": ["integer", "null"]], "provenance": ["type": "string", "enum": ["reported", "derived", "estimated"]],
            "note": ["type": "string"]]]),
        success: [.created("已新增", ["type": "object", "properties": ["saved": ["type": "string", "enum": ["created"]]]]),
                  .ok("已更新（同年同级同地区）", ["type": "object", "properties": ["saved": ["type": "string", "enum": ["updated"]]]])],
        errors: [.notFound: "地区不在管辖范围内", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let examPassImport = Endpoint("examPassImport",
        .POST, ["exams", "passes"], .write(.official), summary: "导入考试合格人员名单：为人才库中的人员登记证书",
        parameters: [.query("year", "考试年份（必填）", .integer(2008...2100), required: true),
                     .query("dryRun", "true 只校验不写入", .boolean), .fileName],
        body: RequestBody.raw("合格人员名单 CSV/XLSX：身份证号、证书等级、证书编号、发证日期（姓名可选）", fileBody.content),
        success: [.ok("导入结果：新增证书、已登记、按等级和区县的通过人数")],
        errors: [.unprocessable: "有问题，整个名单未导入；error.details 逐行列出"])

    static var indicatorSchemas: [String: JSONValue] { [
        "RegionStatistics": ["type": "object", "properties": [
            "region": Schema.object, "year": ["type": "integer"],
            "entries": Schema.objects, "missing": Schema.array(["type": "string"]),
            "history": Schema.array(["type": "object", "properties": [
                "statistic": ["type": "string"], "before": ["type": ["integer", "null"]], "after": ["type": ["integer", "null"]],
                "actor": ["type": "string"], "changedAt": ["type": "string"]]])]],
        "IndicatorDefinition": ["type": "object", "properties": [
            "id": ["type": "string"], "chineseName": ["type": "string"], "englishName": ["type": "string"], "formula": ["type": "string"],
            "numerator": Schema.object, "denominator": ["type": ["object", "null"]], "factor": ["type": "integer"],
            "unit": ["type": "string"], "needsPeriod": ["type": "boolean"],
            "breakdown": ["type": ["object", "null"], "description": "培训覆盖按层级、培训对象的分项指标：of 为总指标 id，dimension 为 tier 或 audience，code 为层级或对象代码",
                          "properties": ["of": ["type": "string"], "dimension": ["type": "string", "enum": ["tier", "audience"]], "code": ["type": "string"]]]]],
        "IndicatorValue": ["type": "object", "required": ["indicator", "hasValue"], "properties": [
            "indicator": ["type": "string"], "region": Schema.object, "asOf": Schema.date,
            "hasValue": ["type": "boolean"], "value": ["type": ["number", "null"]], "formatted": ["type": "string"],
            "numerator": ["type": ["integer", "null"]], "denominator": ["type": ["integer", "null"]],
            "noData": ["type": ["object", "null"], "description": "无数据的原因（code、message、english）"],
            "terms": Schema.objects]],
        "Plan": ["type": "object", "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "summary": Schema.object,
            "keyTasks": ["type": "array", "items": Schema.object,
                         "description": "重点工作 → measures → reports；每份报告的 evidence 为 Evidence 对象的数组"],
            "targets": Schema.array(["type": "string"])]],
        "Evidence": ["type": "object", "required": ["fileName"], "properties": [
            "id": ["type": ["string", "null"]], "fileName": ["type": "string"], "contentType": ["type": ["string", "null"]],
            "size": ["type": ["integer", "null"], "description": "字节数"], "sha256": ["type": ["string", "null"], "description": "十六进制 SHA-256"],
            "url": ["type": ["string", "null"], "description": "下载地址 /api/v1/evidence/{id}；旧报告只有文件名时为 null"]]],
        "Target": ["type": "object", "properties": [
            "id": ["type": "string"], "indicator": ["type": "string"], "region": ["type": "string"], "statement": ["type": "string"],
            "deadline": Schema.date, "assessment": Schema.object, "observations": Schema.objects]],
    ] }
}
