import ShegongDomain
import ShegongStore
import Vapor

/// Incentive programmes (issue 4): policies as data, eligibility, one-time award applications,
/// monthly allowance runs, payment batches, their lines and the ledger.
extension Endpoint {
    private static let yamlBody = RequestBody.raw("政策文件（YAML，格式见 docs/policies.md），按原文读取", [
        "application/yaml": ["type": "string"], "text/plain": ["type": "string"]])
    private static let applicants = RouteAccess.read(.official, .organizationManager, .socialWorker)
    private static let policyQuery = Parameter.query("policy", "政策 id")
    private static let batchState = "批次（状态 draft → approved → paid）"

    static let policies = Endpoint("policies",
        .GET, ["policies"], .read(.official), summary: "激励政策列表",
        success: [.ok("已载入、适用于本地区（或其中一部分）的政策", Schema.objects)])

    static let policy = Endpoint("policy",
        .GET, ["policies", ":id"], .read(.official), summary: "激励政策详情",
        parameters: [.path("id", "政策 id")],
        success: [.ok("政策（解析后的模型和原文）", ["type": "object", "required": ["policy", "yaml"], "properties": [
            "policy": Schema.object, "yaml": ["type": "string"]]])])

    static let policyCheck = Endpoint("policyCheck",
        .POST, ["policies", "check"], .read(.official), summary: "校验政策文件",
        body: yamlBody,
        success: [.ok("文件有效", ["type": "object", "required": ["id", "name", "versions"], "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "versions": ["type": "string"]]])],
        errors: [.unprocessable: "文件无效；error.details 按行列出"])

    static let policyLoad = Endpoint("policyLoad",
        .POST, ["policies"], .write(.official), summary: "启用政策文件",
        body: yamlBody,
        success: [.created("已启用", ["type": "object", "required": ["policy", "yaml"], "properties": [
            "policy": Schema.object, "yaml": ["type": "string"]]])],
        errors: [.notFound: "政策的适用地区不在管辖范围内", .unprocessable: "文件无效；error.details 按行列出"])

    static let policySimulation = Endpoint("policySimulation",
        .POST, ["policies", "simulate"], .read(.official), summary: "模拟政策草案的成本",
        parameters: [.query("month", "模拟月份 YYYY-MM，默认本月", .pattern("^[0-9]{4}-[0-9]{2}$", hint: "YYYY-MM")),
                     .query("by", "按地区级别汇总：province、city、county（默认）、township", .oneOf(["province", "city", "county", "township"]))],
        body: yamlBody,
        success: [.ok("草案与现行政策的人数和月度、年度成本（分），按地区", Schema.objects)],
        errors: [.notFound: "政策的适用地区不在管辖范围内", .unprocessable: "文件无效；error.details 按行列出"])

    static let eligibility = Endpoint("eligibility",
        .GET, ["people", ":id", "eligibility"], applicants, summary: "人员可享受的激励及说明",
        parameters: [.path("id", "人员 id"), .query("date", "判断日期 YYYY-MM-DD，默认今天", .text(format: "date"))],
        success: [.ok("每项可能适用的政策：是否符合、金额（分）、逐条规则的说明（中英文）", Schema.objects)])

    static let applications = Endpoint("applications",
        .GET, ["applications"], applicants, summary: "一次性奖励申请列表",
        parameters: [.query("status", "submitted、returned、rejected、approved"), policyQuery,
                     .query("page", "页码，从 1 开始（每页 200 条，最新的在前）", .integer(1...100_000)),
                     .query("after", "上一页最后一条申请的 id：取其后（更早）的一页（按键翻页，不计偏移，翻页期间新提交的申请不会使条目重复或遗漏）；省略时按 page 取页")],
        success: [.ok("申请列表（管辖范围内的人员）", Schema.array(Schema.ref("Application")))],
        errors: [.notFound: "after 指定的申请不存在"])

    static let applicationCreate = Endpoint("applicationCreate",
        .POST, ["applications"], .write(.official, .organizationManager, .socialWorker), summary: "提交一次性奖励申请",
        body: .json(["type": "object", "required": ["personID", "policyID", "applicant"], "properties": [
            "personID": ["type": "string"], "policyID": ["type": "string"], "certificateNumber": ["type": "string"],
            "applicant": Schema.string("申请人：本人或单位"),
            "date": Schema.string("不接受：申请日期由系统按提交当天记录（给出即 422 application.date_server_set）", format: "date"),
            "paperDate": Schema.string("补录纸质申请：纸质申请上的日期（仅有读写权限的工作人员；申请期限按此日期判断）", format: "date"),
            "paperReason": Schema.string("补录纸质申请的原因（给出 paperDate 时必填）")]]),
        success: [.created("已提交；金额和说明", Schema.ref("Application"))],
        errors: [.notFound: "人员或政策不存在，或不在管辖范围内", .conflict: "已有同一证书的申请",
                 .unprocessable: "不符合条件（含申请期限），details 列出未通过的规则；或给出了 date",
                 .forbidden: "补录纸质申请须有读写权限的工作人员"])

    static let applicationReview = Endpoint("applicationReview",
        .POST, ["applications", ":id", "reviews"], .write(.official), summary: "审核申请（通过、驳回、退回）",
        parameters: [.path("id", "申请 id")],
        body: .json(["type": "object", "required": ["action"], "properties": [
            "action": ["type": "string", "enum": .array(IncentiveLedger.ReviewAction.allCases.map { .string($0.rawValue) })],
            "reason": Schema.string("驳回、退回时必填")]]),
        success: [.ok("审核后的申请", Schema.ref("Application"))],
        errors: [.conflict: "申请不在待审状态，或不该本级审核", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let allowanceRun = Endpoint("allowanceRun",
        .POST, ["allowance-runs"], .write(.official), summary: "计算月度津贴发放批次",
        body: .json(["type": "object", "required": ["policyID", "month"], "properties": [
            "policyID": ["type": "string"], "month": Schema.string("YYYY-MM")]]),
        success: [.ok("本月批次：新增当月和补发笔数、合计（分）、预算警告；重复运行不再新增", ["type": "object", "required": ["batch"], "properties": [
            "batch": Schema.ref("PaymentBatch"), "considered": ["type": "integer"], "added": ["type": "integer"],
            "arrearsAdded": ["type": "integer"], "budgetWarning": ["type": ["string", "null"]]]])],
        errors: [.notFound: "政策不存在或不在管辖范围内", .conflict: "该月批次已审批，不能重算",
                 .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let paymentBatches = Endpoint("paymentBatches",
        .GET, ["payment-batches"], .read(.official), summary: "发放批次列表",
        parameters: [policyQuery],
        success: [.ok("发放批次", Schema.array(Schema.ref("PaymentBatch")))])

    static let paymentBatchApprove = Endpoint("paymentBatchApprove",
        .POST, ["payment-batches", ":id", "approve"], .write(.official), summary: "审批发放批次",
        parameters: [.path("id", "批次 id")] + confirmation,
        success: [.ok(batchState, Schema.ref("PaymentBatch"))],
        errors: [.conflict: "批次不在可转换的状态（例如已审批），或已不是确认时的笔数和合计"])

    static let paymentBatchPaid = Endpoint("paymentBatchPaid",
        .POST, ["payment-batches", ":id", "paid"], .write(.official), summary: "登记批次已发放",
        parameters: [.path("id", "批次 id")] + confirmation,
        success: [.ok(batchState, Schema.ref("PaymentBatch"))],
        errors: [.conflict: "批次不在可转换的状态（例如尚未审批），或已不是确认时的笔数和合计"])

    /// The lines and total the caller confirmed (docs/policies.md "Four eyes"): given together, a
    /// batch that no longer holds them is refused (409). 四眼原则 refusals are 403.
    static let confirmation: [Parameter] = [
        .query("lines", "确认时的笔数（与 totalFen 一起给出时核对）", .integer(0...100_000_000)),
        .query("totalFen", "确认时的合计金额（分）", .integer(0...Int(Int32.max) * 1_000)),
    ]

    static let paymentBatchExport = Endpoint("paymentBatchExport",
        .GET, ["payment-batches", ":id", "export"], .read(.official), summary: "下载发放名单",
        parameters: [.path("id", "批次 id"), .sheetFormat],
        success: [.file("发放名单（证件号脱敏，含合计和校验码）", [Endpoint.xlsx, Endpoint.csv])])

    static let paymentLine = Endpoint("paymentLine",
        .GET, ["payment-lines", ":id"], .read(.official), summary: "发放明细及判定说明",
        parameters: [.path("id", "发放明细 id")],
        success: [.ok("一笔发放明细及其判定说明（逐条规则、所见数值与结论，中英文）", ["type": "object",
            "required": ["id", "batchID", "policyID", "personID", "regionCode", "kind", "amountFen", "state", "decision"], "properties": [
                "id": ["type": "string"], "batchID": ["type": "string"], "policyID": ["type": "string"], "personID": ["type": "string"],
                "regionCode": ["type": "string"], "kind": ["type": "string"], "month": ["type": ["string", "null"]],
                "level": ["type": ["string", "null"]], "amountFen": ["type": "integer", "description": "金额（分）"],
                "state": ["type": "string"], "decision": ["type": "object", "description": "判定：逐条规则、所见数值与结论（中英文）"]]])])

    static let ledger = Endpoint("ledger",
        .GET, ["ledger"], .read(.official), summary: "发放台账汇总",
        parameters: [policyQuery, .query("byRegion", "true 按地区汇总", .boolean)],
        success: [.ok("按政策、月份、状态（和地区）汇总的笔数与金额（分）", Schema.array(["type": "object",
            "required": ["policyID", "state", "lines", "totalFen"], "properties": [
                "policyID": ["type": "string"], "month": ["type": ["string", "null"]], "regionCode": ["type": ["string", "null"]],
                "state": ["type": "string"], "lines": ["type": "integer"], "totalFen": ["type": "integer"]]]))])

    static var incentiveSchemas: [String: JSONValue] { [
        "Application": ["type": "object", "required": ["id", "personID", "policyID", "status", "amountFen"], "properties": [
            "id": ["type": "string"], "personID": ["type": "string"], "policyID": ["type": "string"], "level": ["type": "string"],
            "certificateNumber": ["type": "string"], "amountFen": ["type": "integer", "description": "金额（分）"],
            "status": ["type": "string"], "awaiting": ["type": ["string", "null"]], "applicant": ["type": "string"],
            "submittedOn": ["type": "string", "description": "录入日期（系统日期）"],
            "paperDate": ["type": ["string", "null"], "description": "补录的纸质申请日期"], "paperReason": ["type": ["string", "null"]],
            "reason": ["type": ["string", "null"]], "decision": Schema.object]],
        "PaymentBatch": ["type": "object", "required": ["id", "policyID", "month", "status", "lines", "totalFen"], "properties": [
            "id": ["type": "string"], "policyID": ["type": "string"], "month": ["type": "string"], "kind": ["type": "string"],
            "status": ["type": "string"], "lines": ["type": "integer"], "totalFen": ["type": "integer", "description": "合计（分）"],
            "approvedBy": ["type": ["string", "null"]], "paidBy": ["type": ["string", "null"]],
            "number": ["type": "string", "description": "批次编号：管辖地区代码-年月-序号，如 422826-202611-01"]]],
    ] }
}
