import Foundation
import ShegongDomain
import Vapor

/// The issue 5 operations of the OpenAPI document: statistics, indicators, practice sites, plans,
/// targets, exams.
extension OpenAPIDocument {
    static var asOfQuery: JSON { query("asOf", "评估日期 YYYY-MM-DD，默认今天") }

    static func indicatorOperation(_ route: APIRoute, _ op: inout JSON, _ parameters: inout [JSON], _ responses: inout JSON) {
        func body(_ schema: JSON) { op["requestBody"] = ["required": true, "content": json(schema)] }
        func ok(_ description: String, _ schema: JSON = ["type": "object"], status: String = "200") {
            responses[status] = ["description": description, "content": json(schema)]
        }
        switch route {
        case .statistics:
            parameters += [query("region", "地区代码；省略时为当前账号的地区"), query("year", "年份，默认今年", type: "integer")]
            ok("该地区该年的统计数、未填项和修改历史", ref("RegionStatistics"))
        case .statisticsUpdate:
            parameters += [query("region", "地区代码；省略时为当前账号的地区"), query("year", "年份，默认今年", type: "integer")]
            body(["type": "object", "required": ["values"], "properties": [
                "values": ["type": "object", "description": "统计项（id 或中文名）→ 非负整数；null 删除该项",
                           "additionalProperties": ["type": ["integer", "null"]]],
                "department": string("填报单位，记入修改历史")]])
            ok("已保存；返回写入计数和最新数据")
            responses["422"] = errorResponse
        case .statisticsImport:
            parameters += [query("dryRun", "true 只校验，不写入", type: "boolean"), query("fileName", "原文件名")]
            op["requestBody"] = ["required": true,
                                 "description": "CSV 或 XLSX：长表 地区代码、年份、指标、数值；或宽表 地区代码、年份 加各统计项一列",
                                 "content": ["text/csv": ["schema": ["type": "string"]],
                                             "application/octet-stream": ["schema": ["type": "string"]]]]
            ok("导入（或预演）成功")
            responses["413"] = errorResponse
            responses["422"] = ["description": "有问题，未写入任何数据；error.details 逐行列出", "content": json(["type": "object"])]
        case .indicators:
            ok("指标定义（分子、分母、系数）", ["type": "array", "items": ref("IndicatorDefinition")])
        case .indicator:
            parameters += [regionQuery, asOfQuery, query("from", "统计期起（按期计数的指标；默认评估日所在年 1 月 1 日）"), query("to", "统计期止")]
            ok("指标值，或“无数据”及原因", ref("IndicatorValue"))
        case .indicatorChildren:
            parameters += [regionQuery, asOfQuery, query("from", "统计期起"), query("to", "统计期止"), query("order", "desc（默认）或 asc")]
            ok("下级地区按指标排名；无数据者排在最后并给出原因")
        case .practiceBases, .pilotCommunities:
            parameters.append(regionQuery)
            ok(route == .practiceBases ? "实践基地" : "融合试点社区", ["type": "array", "items": ["type": "object"]])
        case .practiceBaseCreate:
            body(["type": "object", "required": ["regionCode", "name", "level"], "properties": [
                "regionCode": string("所在地区代码"), "name": ["type": "string"], "level": string("基地本身的级别：省级、市级、县级、院校，或 province、city、county、college"),
                "host": string("依托单位"), "established": string("设立日期", format: "date")]])
            ok("已添加", status: "201")
            responses["422"] = errorResponse
        case .pilotCommunityCreate:
            body(["type": "object", "required": ["regionCode", "name", "tier"], "properties": [
                "regionCode": string("社区（或乡镇、区县）代码"), "name": ["type": "string"],
                "tier": string("试点层级：全省试点、全市试点、全县试点，或 province、city、county"),
                "goodPracticeCases": ["type": "integer"], "established": string("设立日期", format: "date")]])
            ok("已添加", status: "201")
            responses["422"] = errorResponse
        case .plans:
            parameters.append(asOfQuery)
            ok("方案列表及举措状态计数", ["type": "array", "items": ["type": "object"]])
        case .plan:
            parameters.append(asOfQuery)
            ok("方案、重点工作、举措（状态按日期计算）、逾期单位", ref("Plan"))
        case .measureReportCreate:
            let fields: JSON = ["date": string("报告日期", format: "date"), "text": ["type": "string", "description": "进展内容，1–2000 个字符"],
                                "department": string("报告单位（部门操作员固定为本部门）")]
            var multipart = fields
            multipart["completes"] = string("true（或 on、1）表示该举措已完成")
            multipart["evidence"] = ["type": "array", "items": ["type": "string", "contentMediaType": "application/octet-stream"],
                                     "description": "佐证材料文件，可多个：PDF、JPG、PNG、DOC/DOCX、XLS/XLSX、TXT（按扩展名和文件内容识别），"
                                         + "每个不超过 \(EvidenceRules.maxFileBytes >> 20) MiB，最多 \(EvidenceRules.maxFiles) 个；文件名不含路径"]
            var plain = fields
            plain["completes"] = ["type": "boolean", "description": "true 表示该举措已完成"]
            plain["evidence"] = ["type": "array", "items": ["type": "string"],
                                 "description": "不能只列文件名：非空时答 422（report.evidence.file_required），佐证材料须以 multipart/form-data 上传"]
            op["requestBody"] = ["required": true, "description": "带佐证材料时用 multipart/form-data；整个请求不超过 \(ReportSubmission.requestLimit >> 20) MiB（413）",
                                 "content": ["multipart/form-data": ["schema": ["type": "object", "required": ["date", "text"], "properties": multipart]],
                                             "application/json": ["schema": ["type": "object", "required": ["date", "text"], "properties": plain]]]]
            ok("已记录；返回举措及其新状态（报告的 evidence 为文件对象：id、fileName、contentType、size、sha256、url）", status: "201")
            responses["413"] = errorResponse
            responses["415"] = errorResponse
            responses["422"] = ["description": "有误，未写入任何内容；error.details 逐项列出（佐证材料按 evidence[序号] 并写明文件名）",
                                "content": json(ref("Error"))]
        case .evidence:
            responses["200"] = ["description": "佐证材料文件本身（Content-Disposition: attachment，类型为上传时识别的类型）；下载记入审计日志",
                                "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]]
        case .targets:
            parameters += [regionQuery, asOfQuery]
            ok("目标及评估：进度、应达路径与实际路径、趋势预测、风险及原因", ["type": "array", "items": ref("Target")])
        case .examPassImport:
            parameters += [query("year", "考试年份（必填）", type: "integer"), query("dryRun", "true 只校验不写入", type: "boolean"), query("fileName", "文件名")]
            op["requestBody"] = ["required": true, "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary",
                "description": "合格人员名单 CSV/XLSX：身份证号、证书等级、证书编号、发证日期（姓名可选）"]]]]
            ok("导入结果：新增证书、已登记、按等级和区县的通过人数")
            responses["422"] = errorResponse
        case .targetCreate:
            body(["type": "object", "required": ["indicator", "region", "comparator", "value", "deadline"], "properties": [
                "id": string("目标编号；省略时自动生成"), "indicator": string("指标 id（GET /api/v1/indicators）"),
                "region": string("地区代码（须在本人有读写权限的范围内）"), "comparator": ["type": "string", "enum": ["≥", "≤", "=", ">", "<", ">=", "<="]],
                "value": ["type": "number"], "tolerance": ["type": "number", "description": "仅用于“=”"],
                "baseline": ["type": "object", "properties": ["date": string("基线日期", format: "date"), "value": ["type": "number"]]],
                "deadline": string("期限", format: "date"),
                "period": ["type": "object", "properties": ["from": string("统计期起", format: "date"), "to": string("统计期止", format: "date")]],
                "note": string("说明")]])
            responses["201"] = ["description": "已设定的目标及其评估", "content": json(ref("Target"))]
            responses["409"] = errorResponse
            responses["422"] = errorResponse
        case .exams:
            parameters += [regionQuery, query("year", "考试年份", type: "integer")]
            ok("报名与通过人数、通过率、同比增长")
        case .examCreate:
            body(["type": "object", "required": ["year", "region"], "properties": [
                "year": ["type": "integer"], "level": string("证书等级；省略为全部等级"), "region": string("地区代码"),
                "registrants": ["type": ["integer", "null"]], "registrantsAtLeast": ["type": "boolean"],
                "passes": ["type": ["integer", "null"]], "provenance": string("reported、derived 或 estimated"), "note": ["type": "string"]]])
            ok("已新增", status: "201")
            ok("已更新（同年同级同地区）")
            responses["422"] = errorResponse
        default:
            break
        }
    }

    static func indicatorSummary(_ route: APIRoute) -> String {
        switch route {
        case .statistics: return "地区统计数（分母）"
        case .statisticsUpdate: return "填报地区统计数"
        case .statisticsImport: return "导入地区统计数"
        case .indicators: return "指标定义"
        case .indicator: return "指标值"
        case .indicatorChildren: return "下级地区指标排名"
        case .practiceBases: return "实践基地列表"
        case .practiceBaseCreate: return "登记实践基地"
        case .pilotCommunities: return "融合试点社区列表"
        case .pilotCommunityCreate: return "登记融合试点社区"
        case .plans: return "方案列表"
        case .plan: return "方案详情"
        case .measureReportCreate: return "提交举措进展报告（可附佐证材料文件）"
        case .evidence: return "下载佐证材料"
        case .targets: return "目标及进度评估"
        case .targetCreate: return "设定目标（不属于方案的单独目标）"
        case .examPassImport: return "导入考试合格人员名单：为人才库中的人员登记证书"
        case .exams: return "考试报名与通过"
        case .examCreate: return "填报考试数据"
        default: return route.rawValue
        }
    }

    static var indicatorSchemas: JSON { [
        "RegionStatistics": ["type": "object", "properties": [
            "region": ["type": "object"], "year": ["type": "integer"],
            "entries": ["type": "array", "items": ["type": "object"]], "missing": ["type": "array", "items": ["type": "string"]],
            "history": ["type": "array", "items": ["type": "object", "properties": [
                "statistic": ["type": "string"], "before": ["type": ["integer", "null"]], "after": ["type": ["integer", "null"]],
                "actor": ["type": "string"], "changedAt": ["type": "string"]]]]]],
        "IndicatorDefinition": ["type": "object", "properties": [
            "id": ["type": "string"], "chineseName": ["type": "string"], "englishName": ["type": "string"], "formula": ["type": "string"],
            "numerator": ["type": "object"], "denominator": ["type": ["object", "null"]], "factor": ["type": "integer"],
            "unit": ["type": "string"], "needsPeriod": ["type": "boolean"]]],
        "IndicatorValue": ["type": "object", "required": ["indicator", "hasValue"], "properties": [
            "indicator": ["type": "string"], "region": ["type": "object"], "asOf": ["type": "string", "format": "date"],
            "hasValue": ["type": "boolean"], "value": ["type": ["number", "null"]], "formatted": ["type": "string"],
            "numerator": ["type": ["integer", "null"]], "denominator": ["type": ["integer", "null"]],
            "noData": ["type": ["object", "null"], "description": "无数据的原因（code、message、english）"],
            "terms": ["type": "array", "items": ["type": "object"]]]],
        "Plan": ["type": "object", "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "summary": ["type": "object"],
            "keyTasks": ["type": "array", "items": ["type": "object"],
                         "description": "重点工作 → measures → reports；每份报告的 evidence 为 Evidence 对象的数组"], "targets": ["type": "array", "items": ["type": "string"]]]],
        "Evidence": ["type": "object", "required": ["fileName"], "properties": [
            "id": ["type": ["string", "null"]], "fileName": ["type": "string"], "contentType": ["type": ["string", "null"]],
            "size": ["type": ["integer", "null"], "description": "字节数"], "sha256": ["type": ["string", "null"], "description": "十六进制 SHA-256"],
            "url": ["type": ["string", "null"], "description": "下载地址 /api/v1/evidence/{id}；旧报告只有文件名时为 null"]]],
        "Target": ["type": "object", "properties": [
            "id": ["type": "string"], "indicator": ["type": "string"], "region": ["type": "string"], "statement": ["type": "string"],
            "deadline": ["type": "string", "format": "date"], "assessment": ["type": "object"],
            "observations": ["type": "array", "items": ["type": "object"]]]],
    ] }
}
