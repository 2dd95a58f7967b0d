import ShegongDomain
import Vapor

/// The fusion pilots' API (docs/pilots.md): pilots, their social workers, volunteers, teams,
/// activities with hours, volunteer hours (JSON, CSV, XLSX), and practice cases with their workflow.
extension Endpoint {
    static let pilotReaders = RouteAccess.read(.official, .organizationManager)
    static let pilotEditors = RouteAccess.write(.official, .organizationManager)
    static let pilotID = Parameter.path("id", "融合试点 id")
    static let pilotCaseID = Parameter.path("id", "实践案例 id")
    static let pilotUnprocessable: [ErrorStatus: String] = [.notFound: "试点不存在或不在管辖范围内",
                                                             .unprocessable: ErrorStatus.unprocessable.standardDescription]

    static let pilots = Endpoint("pilots",
        .GET, ["pilots"], pilotReaders, summary: "融合试点列表（管辖范围内）",
        success: [.ok("融合试点", Schema.array(Schema.ref("Pilot")))])

    static let pilot = Endpoint("pilot",
        .GET, ["pilots", ":id"], pilotReaders, summary: "融合试点详情：社会工作者、志愿者及时长、服务队、活动、案例",
        parameters: [pilotID],
        success: [.ok("试点详情", ["type": "object", "required": ["pilot", "members", "volunteers", "teams", "activities", "cases"]])])

    static let pilotUpdate = Endpoint("pilotUpdate",
        .PUT, ["pilots", ":id"], pilotEditors, summary: "修改试点期间和牵头单位",
        parameters: [pilotID],
        body: .json(["type": "object", "properties": [
            "periodStart": Schema.string("开始日期", format: "date"), "periodEnd": Schema.string("结束日期", format: "date"),
            "leadOrganizationID": Schema.string("牵头单位 id")]]),
        success: [.ok("已保存")], errors: pilotUnprocessable)

    static let pilotMemberAdd = Endpoint("pilotMemberAdd",
        .POST, ["pilots", ":id", "members"], pilotEditors, summary: "试点添加社会工作者（在册人员）",
        parameters: [pilotID],
        body: .json(["type": "object", "required": ["personID"], "properties": ["personID": Schema.string("人员 id")]]),
        success: [.created("已添加；答复为试点的社会工作者名单", Schema.array(["type": "object", "properties": [
            "personID": ["type": "string"], "name": ["type": "string"]]]))],
        errors: pilotUnprocessable.merging([.conflict: "已在试点中"]) { a, _ in a })

    static let pilotVolunteerAdd = Endpoint("pilotVolunteerAdd",
        .POST, ["pilots", ":id", "volunteers"], pilotEditors, summary: "登记志愿者（身份证号可选，加密保存、脱敏显示）",
        parameters: [pilotID],
        body: .json(["type": "object", "required": ["name", "mobile"], "properties": [
            "name": ["type": "string"], "mobile": ["type": "string"], "skills": ["type": "string"], "idNumber": ["type": "string"]]]),
        success: [.created("已登记", Schema.ref("PilotVolunteer"))], errors: pilotUnprocessable.merging([.conflict: "同一身份证号已登记"]) { a, _ in a })

    static let pilotTeamCreate = Endpoint("pilotTeamCreate",
        .POST, ["pilots", ":id", "teams"], pilotEditors, summary: "组建服务队：一名社会工作者带领志愿者",
        parameters: [pilotID],
        body: .json(["type": "object", "required": ["name", "leaderPersonID", "volunteerIDs"], "properties": [
            "name": ["type": "string"], "leaderPersonID": Schema.string("带队社会工作者的人员 id"),
            "volunteerIDs": Schema.array(["type": "string"])]]),
        success: [.created("已组建", ["type": "object", "properties": ["id": ["type": "string"]]])], errors: pilotUnprocessable)

    static let pilotActivityCreate = Endpoint("pilotActivityCreate",
        .POST, ["pilots", ":id", "activities"], pilotEditors,
        summary: "记录活动：日期、时间、类型、参与志愿者及各自时长（不为负、不超过活动时长、同一志愿者不能参加时间重叠的两项活动）",
        parameters: [pilotID],
        body: .json(["type": "object", "required": ["title", "kind", "date", "startTime", "beneficiaries", "participants"], "properties": [
            "title": ["type": "string"], "kind": ["type": "string", "enum": ["elderly", "children", "disability", "governance", "counselling", "emergency", "other"]],
            "date": Schema.string("日期", format: "date"), "startTime": Schema.string("开始时间 HH:MM"),
            "endTime": Schema.string("结束时间 HH:MM（或给出 durationMinutes）"), "durationMinutes": ["type": "integer"],
            "teamID": ["type": "string"], "beneficiaries": ["type": "integer", "minimum": 0],
            "participants": Schema.array(["type": "object", "required": ["volunteerID", "hours"], "properties": [
                "volunteerID": ["type": "string"], "hours": ["type": "number"]]])]]),
        success: [.created("已记录", ["type": "object", "properties": ["id": ["type": "string"]]])], errors: pilotUnprocessable)

    static let pilotVolunteerHours = Endpoint("pilotVolunteerHours",
        .GET, ["pilots", ":id", "volunteer-hours"], pilotReaders, summary: "志愿者服务时长（按人汇总），可导出 CSV 或 XLSX",
        parameters: [pilotID, .query("format", "json（默认）、csv 或 xlsx", .oneOf(["json", "csv", "xlsx"]))],
        success: [Success(status: 200, description: "按人汇总的服务时长（JSON），或导出的 CSV、XLSX 文件", content: [
            "application/json": Schema.array(Schema.ref("PilotVolunteer")),
            "text/csv": ["type": "string", "format": "binary"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["type": "string", "format": "binary"]])])

    static let pilotCaseCreate = Endpoint("pilotCaseCreate",
        .POST, ["pilots", ":id", "cases"], pilotEditors, summary: "新建实践案例（草稿；佐证材料在页面上传）",
        parameters: [pilotID],
        body: .json(["type": "object", "required": ["title", "narrative"], "properties": [
            "title": ["type": "string"], "narrative": ["type": "string"]]]),
        success: [.created("已新建", ["type": "object", "properties": ["id": ["type": "string"]]])], errors: pilotUnprocessable)

    static let pilotCase = Endpoint("pilotCase",
        .GET, ["pilot-cases", ":id"], pilotReaders, summary: "实践案例及其流转记录",
        parameters: [pilotCaseID],
        success: [.ok("案例", Schema.ref("PilotCase"))])

    static let pilotCaseUpdate = Endpoint("pilotCaseUpdate",
        .PUT, ["pilot-cases", ":id"], pilotEditors, summary: "修改草稿或退回的案例",
        parameters: [pilotCaseID],
        body: .json(["type": "object", "required": ["title", "narrative"], "properties": [
            "title": ["type": "string"], "narrative": ["type": "string"]]]),
        success: [.ok("已保存")], errors: [.notFound: "案例不存在或不在管辖范围内", .conflict: "案例已提交，不能修改",
                                          .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let pilotCaseStep = Endpoint("pilotCaseStep",
        .POST, ["pilot-cases", ":id", "steps"], pilotEditors,
        summary: "案例流转：submit（提交）、recommend（推荐）、select（评为优秀实践案例）、return（退回，须理由）、reject（不予推荐，须理由）",
        parameters: [pilotCaseID],
        body: .json(["type": "object", "required": ["action"], "properties": [
            "action": ["type": "string", "enum": ["submit", "recommend", "select", "return", "reject"]], "reason": ["type": "string"]]]),
        success: [.ok("流转后的案例", Schema.ref("PilotCase"))],
        errors: [.notFound: "案例不存在或不在管辖范围内", .conflict: "案例当前状态不能做此操作",
                 .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let pilotCaseEvidenceAdd = Endpoint("pilotCaseEvidenceAdd",
        .POST, ["pilot-cases", ":id", "evidence"], pilotEditors, summary: "上传案例佐证材料（草稿或退回的案例）",
        parameters: [pilotCaseID],
        body: RequestBody(description: "multipart/form-data；整个请求不超过 \(ReportSubmission.requestLimit >> 20) MiB（413）",
                          content: ["multipart/form-data": ["type": "object", "required": ["evidence"], "properties": [
                              "evidence": ["type": "array", "items": ["type": "string", "format": "binary"],
                                           "description": .string("佐证材料文件，至少一个，每案例合计不超过 \(EvidenceRules.maxFiles) 个：PDF、JPG、PNG、DOC/DOCX、XLS/XLSX、TXT（按扩展名和内容识别），每个不超过 \(EvidenceRules.maxFileBytes >> 20) MiB")]]]],
                          decodedByContentType: false),
        success: [.created("已保存；答复为案例及其全部佐证材料", Schema.ref("PilotCase"))],
        errors: [.notFound: "案例不存在或不在管辖范围内", .conflict: "案例已提交，只有草稿或退回的案例可以补充材料",
                 .unprocessable: "文件有误，未保存任何文件；error.details 逐项列出（evidence、evidence[序号]）",
                 .unsupportedMediaType: "须以 multipart/form-data 提交"])

    static let pilotEvidence = Endpoint("pilotEvidence",
        .GET, ["pilot-evidence", ":id"], pilotReaders, summary: "下载案例佐证材料",
        parameters: [.path("id", "佐证材料 id")],
        success: [.file("文件本身", ["application/octet-stream"])])

    static var pilotSchemas: [String: JSONValue] { [
        "Pilot": ["type": "object", "required": ["id", "name", "regionCode", "tier", "goodPracticeCases"], "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "regionCode": ["type": "string"], "tier": ["type": "string"],
            "periodStart": ["type": ["string", "null"]], "periodEnd": ["type": ["string", "null"]],
            "leadOrganizationID": ["type": ["string", "null"]], "leadOrganizationName": ["type": ["string", "null"]],
            "goodPracticeCases": ["type": "integer"], "legacyGoodPracticeCases": ["type": ["integer", "null"]],
            "volunteers": ["type": "integer"], "cases": ["type": "integer"]]],
        "PilotVolunteer": ["type": "object", "required": ["id", "name", "activities", "minutes"], "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "mobile": Schema.string("脱敏手机号"),
            "idNumber": Schema.string("脱敏身份证号"), "skills": ["type": "string"],
            "activities": ["type": "integer"], "minutes": ["type": "integer", "description": "服务分钟数"]]],
        "PilotCase": ["type": "object", "required": ["id", "pilotID", "title", "narrative", "state", "steps", "files"], "properties": [
            "id": ["type": "string"], "pilotID": ["type": "string"], "title": ["type": "string"], "narrative": ["type": "string"],
            "state": ["type": "string", "enum": ["draft", "submitted", "recommended", "selected", "returned", "rejected"]],
            "createdBy": ["type": "string"], "updatedAt": ["type": "string"],
            "steps": Schema.array(["type": "object", "properties": [
                "action": ["type": "string"], "from": ["type": "string"], "to": ["type": "string"], "reviewer": ["type": "string"],
                "reason": ["type": ["string", "null"]], "at": ["type": "string"]]]),
            "files": Schema.array(["type": "object"])]],
    ] }
}
