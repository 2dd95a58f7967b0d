import ShegongDomain
import ShegongStore
import Vapor

/// Continuing education and registration (issue #13 §3–§5): a worker's ledger explained per
/// registration period, recognised learning with evidence files, degree study and its completion,
/// first registrations and renewals, and the lists of workers due, in the window, overdue or short.
extension Endpoint {
    private static let ledgerReaders = RouteAccess.read(.official, .organizationManager, .socialWorker)
    private static let lists: [String] = RegistrationListKind.allCases.map(\.rawValue)
    private static let listParameters: [Parameter] = [
        .query("list", "名单：due（待注册或已进入续期窗口）、window（续期窗口内）、overdue（逾期未注册或未续期）、short（窗口内或逾期且学时不足）",
               .oneOf(lists)),
        .region, .query("organization", "工作单位 id")]

    static let personLedger = Endpoint("personLedger",
        .GET, ["people", ":id", "ledger"], ledgerReaders, summary: "继续教育学时台账及注册期说明",
        parameters: [.path("id", "人员 id")],
        success: [.ok("学时记录、学历教育、认定的学习，以及每个注册期的应修、已修学时和逐条规则说明（decision）", Schema.ref("EducationLedger"))])

    static let recognitionCreate = Endpoint("recognitionCreate",
        .POST, ["people", ":id", "recognitions"], .write(.official), summary: "认定其他学习的学时（附佐证材料）",
        parameters: [.path("id", "人员 id")],
        body: RequestBody(description: "multipart/form-data；整个请求不超过 \(ReportSubmission.requestLimit >> 20) MiB（413）",
                          content: ["multipart/form-data": ["type": "object", "required": ["title", "hours", "learnedOn", "evidence"], "properties": [
                              "title": Schema.string("学习内容，1–200 个字符"),
                              "hours": Schema.string("认定学时，大于 0、不超过 200，可带一位小数"),
                              "learnedOn": Schema.string("学时计入日期", format: "date"),
                              "evidence": ["type": "array", "items": ["type": "string", "format": "binary"],
                                           "description": .string("佐证材料文件，至少一个：PDF、JPG、PNG、DOC/DOCX、XLS/XLSX、TXT（按扩展名和内容识别），每个不超过 \(EvidenceRules.maxFileBytes >> 20) MiB")]]]],
                          decodedByContentType: false),
        success: [.created("已认定；返回认定记录（含文件）", Schema.object)],
        errors: [.unprocessable: "有误，未写入任何内容；error.details 逐项列出（title、hours、learnedOn、evidence[序号]）",
                 .unsupportedMediaType: "须以 multipart/form-data 提交"])

    static let educationEvidence = Endpoint("educationEvidence",
        .GET, ["education-evidence", ":id"], ledgerReaders, summary: "下载学时认定的佐证材料",
        parameters: [.path("id", "佐证材料 id")],
        success: [.file("文件本身（Content-Disposition: attachment）；下载记入审计日志", ["application/octet-stream"])])

    static let degreeStudies = Endpoint("degreeStudies",
        .GET, ["degree-studies"], ledgerReaders, summary: "社会工作学历教育列表",
        parameters: [.region, .query("completed", "true 只列已毕业，false 只列在读", .boolean)] + Parameter.paging,
        success: [.ok("分页的学历教育记录（管辖范围内的人员）", Schema.object)])

    static let degreeStudyCreate = Endpoint("degreeStudyCreate",
        .POST, ["degree-studies"], .write(.official, .organizationManager), summary: "登记社会工作学历教育",
        body: .json(["type": "object", "required": ["personID", "institution", "level", "mode", "startDate", "expectedCompletion"], "properties": [
            "personID": ["type": "string"], "institution": Schema.string("院校，1–100 个字符"),
            "level": ["type": "string", "enum": .array(DegreeLevel.allCases.map { .string($0.rawValue) })],
            "mode": ["type": "string", "enum": .array(StudyMode.allCases.map { .string($0.rawValue) })],
            "startDate": Schema.date, "expectedCompletion": Schema.date]]),
        success: [.created("已登记", Schema.object)],
        errors: [.notFound: "人员不存在，或不在管辖范围内", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let degreeStudyComplete = Endpoint("degreeStudyComplete",
        .POST, ["degree-studies", ":id", "completion"], .write(.official, .organizationManager), summary: "学历教育毕业：更新学历并计入 90 学时",
        parameters: [.path("id", "学历教育 id")],
        body: .json(["type": "object", "required": ["completedOn"], "properties": ["completedOn": Schema.date]]),
        success: [.ok("已毕业：人员的最高学历、社会工作专业随之更新（有变更历史），并计入一次 90 学时；同一日期再次提交不重复计入", Schema.object)],
        errors: [.unprocessable: "毕业日期早于入学日期、晚于今天或格式有误（error.details 指出 completedOn），未写入任何内容"])

    static let registrationFirst = Endpoint("registrationFirst",
        .POST, ["people", ":id", "registrations"], .write(.official), summary: "首次注册",
        parameters: [.path("id", "人员 id")],
        body: .json(["type": "object", "properties": ["registeredOn": Schema.string("注册日期，省略为今天；注册期自该日起三年", format: "date")]]),
        success: [.created("注册期", Schema.object)],
        errors: [.unprocessable: "已有注册、无证书或日期有误，未写入任何内容"])

    static let registrationRenew = Endpoint("registrationRenew",
        .POST, ["people", ":id", "renewals"], .write(.official), summary: "续期注册（学时须达标）",
        parameters: [.path("id", "人员 id")],
        success: [.created("新的注册期，紧接上一注册期", Schema.object)],
        errors: [.unprocessable: "不能续期：学时不足或未到续期窗口，error.details 列出未通过的规则及说明，未写入任何内容"])

    static let registrationList = Endpoint("registrationList",
        .GET, ["registrations"], .read(.official, .organizationManager), summary: "注册、续期名单",
        parameters: listParameters + Parameter.paging,
        success: [.ok("分页的名单：人员、地区、单位、注册期、已修和应修学时（分钟）、状态", Schema.object)])

    static let registrationExport = Endpoint("registrationExport",
        .GET, ["registrations", "export"], .read(.official, .organizationManager), summary: "导出注册、续期名单（XLSX 或 CSV）",
        parameters: listParameters + [.query("format", "xlsx（默认）或 csv", .oneOf(["xlsx", "csv"]))],
        success: [.file("名单文件；导出记入审计日志",
                        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"])])

    static var continuingEducationSchemas: [String: JSONValue] {
        ["EducationLedger": ["type": "object", "required": ["person", "decision", "credits"], "properties": [
            "person": Schema.object, "decision": Schema.object, "certificates": Schema.objects, "registrations": Schema.objects,
            "credits": Schema.objects, "degrees": Schema.objects, "recognitions": Schema.objects]]]
    }
}
