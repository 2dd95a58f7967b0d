import ShegongDomain
import ShegongStore
import Vapor

/// The registry: regions, people, organisations, certificates and their registrations. Personal
/// data is narrowed to the caller's scope in the handlers (404 outside it).
extension Endpoint {
    private static let registryReaders = RouteAccess.read(.official, .organizationManager, .socialWorker)
    private static let registryWriters = RouteAccess.write(.official, .organizationManager)
    private static let aggregateReaders = RouteAccess.read(.official, .departmentOperator)
    private static let levels = CertificateLevel.allCases.map(\.rawValue)

    // MARK: Regions

    static let regions = Endpoint("regions",
        .GET, ["regions"], aggregateReaders, summary: "下级地区列表",
        parameters: [.query("parent", "上级地区代码；省略时为当前账号的地区。管辖范围外的地区答 404", mayBeNotFound: true)],
        success: [.ok("下级地区", Schema.array(Schema.ref("Region")))])

    /// The region picker's lists (docs/ui.md): the children of a region, or a search by name, in scope.
    static let regionChoices = Endpoint("regionChoices",
        .GET, ["region-choices"], .read(.official, .departmentOperator, .organizationManager, .systemAdministrator),
        summary: "地区选择：下级地区或按名称查找",
        parameters: [.query("parent", "上级地区代码；省略时为当前账号的地区（非按地区授权的账号为全国）。管辖范围外的地区答 404", mayBeNotFound: true),
                     .query("q", "地区名称中的文字；给出时按名称在管辖范围内查找（最多 20 个）")],
        success: [.ok("现行的地区（不含“市辖区”等汇总行）", Schema.array(Schema.ref("RegionChoice")))])

    static let region = Endpoint("region",
        .GET, ["regions", ":code"], aggregateReaders, summary: "地区详情",
        success: [.ok("地区、历史名称和下级", ["type": "object", "required": ["region", "names", "children"], "properties": [
            "region": Schema.ref("Region"), "names": Schema.objects, "children": Schema.array(Schema.ref("Region"))]])])

    static let regionCreate = Endpoint("regionCreate",
        .POST, ["regions"], .write(.official), summary: "添加乡镇街道或村社区",
        body: .json(Schema.ref("NewRegion")),
        success: [.created("已添加", Schema.ref("Region"))],
        errors: [.notFound: "上级地区不在当前账号的管辖范围内", .conflict: "该代码已存在", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let regionUpdate = Endpoint("regionUpdate",
        .PUT, ["regions", ":code"], .write(.official), summary: "地区改名",
        body: .json(["type": "object", "required": ["name"], "properties": ["name": Schema.string("新名称；旧名称保留在历史中")]]),
        success: [.ok("已改名", Schema.ref("Region"))],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription])

    // MARK: People

    /// The people list's filters, shared by the list and its export.
    private static let peopleFilters: [Parameter] = [
        .region, .query("name", "姓名（前缀匹配）"), .query("idNumber", "身份证号（精确）"),
        .query("certificateNumber", "证书编号"), .query("organization", "单位 id"),
        .query("organizationName", "单位名称（包含）"),
        .query("postCategory", "人员类别", .oneOf(PostCategory.allCases.map(\.rawValue))),
        .query("serviceField", "服务领域", .oneOf(ServiceField.allCases.map(\.rawValue))),
        .query("level", "证书等级，或“无”（无证书）", .oneOf(levels + [CensusFacts.none])),
        .query("sort", "排序：name 姓名（默认）、region 地区、level 证书等级、updated 最近更新", .oneOf(PersonSort.allCases.map(\.rawValue))),
        .query("order", "asc 升序（默认）或 desc 降序", .oneOf(["asc", "desc"]))]

    static let people = Endpoint("people",
        .GET, ["people"], registryReaders, summary: "人员列表",
        parameters: peopleFilters + [.query("after", "上一页答复中的 nextCursor：取其后一页（按键翻页，不计偏移）；省略时按 page 取页")] + Parameter.paging,
        success: [.ok("分页的人员（证件号脱敏）；totalIsExact 为 false 时 total 为上限 1000，表示“超过 1000 人”", Schema.ref("PersonPage"))])

    /// Exactly the people the list finds with the same filters, every page, masked; audited.
    static let peopleExport = Endpoint("peopleExport",
        .GET, ["people", "export"], registryReaders, summary: "导出筛选的人员名单（XLSX 或 CSV，证件号、手机号脱敏）",
        parameters: peopleFilters + [Parameter.sheetFormat],
        success: [.file("人员名单文件；导出连同筛选条件和人数记入审计日志",
                        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"])])

    static let person = Endpoint("person",
        .GET, ["people", ":id"], registryReaders, summary: "人员详情",
        parameters: [.query("reveal", "true 请求完整证件号（需有权限的账号，否则 403；记入审计日志）", .boolean)],
        success: [.ok("人员详情、证书、任职和变更历史", Schema.ref("PersonDetail"))])

    static let personCreate = Endpoint("personCreate",
        .POST, ["people"], registryWriters, summary: "登记人员",
        body: .json(Schema.ref("PersonInput")),
        success: [.created("已登记", Schema.ref("SavedPerson"))],
        errors: [.conflict: "身份证号或证书编号已登记", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let personUpdate = Endpoint("personUpdate",
        .PUT, ["people", ":id"], registryWriters, summary: "修改人员",
        body: .json(Schema.ref("PersonInput")),
        success: [.ok("已保存（变更记入人员历史）", Schema.ref("SavedPerson"))],
        errors: [.conflict: "身份证号或证书编号属于另一人", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    // MARK: Organisations

    static let organizations = Endpoint("organizations",
        .GET, ["organizations"], .read(.official, .organizationManager), summary: "单位列表",
        parameters: [.region, .query("name", "单位名称（包含）"),
                     .query("after", "上一页答复中的 nextCursor：取其后一页（按键翻页，不计偏移）；省略时按 page 取页")] + Parameter.paging,
        success: [.ok("分页的单位（按名称）；totalIsExact 为 false 时 total 为上限 1000，表示“超过 1000 个”", Schema.ref("OrganizationPage"))])

    /// Exactly the organisations the list finds with the same filters, every page; audited.
    static let organizationsExport = Endpoint("organizationsExport",
        .GET, ["organizations", "export"], .read(.official, .organizationManager), summary: "导出筛选的单位列表（XLSX 或 CSV）",
        parameters: [.region, .query("name", "单位名称（包含）"), Parameter.sheetFormat],
        success: [.file("单位列表文件（地区名称和代码、单位类型、在岗人数）；导出连同筛选条件和行数记入审计日志",
                        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"])])

    static let organization = Endpoint("organization",
        .GET, ["organizations", ":id"], .read(.official, .organizationManager), summary: "单位详情",
        success: [.ok("单位", Schema.ref("Organization"))])

    static let organizationCreate = Endpoint("organizationCreate",
        .POST, ["organizations"], .write(.official), summary: "登记单位",
        body: .json(Schema.ref("OrganizationInput")),
        success: [.created("已登记", Schema.ref("Organization"))],
        errors: [.conflict: "统一社会信用代码已登记", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let organizationUpdate = Endpoint("organizationUpdate",
        .PUT, ["organizations", ":id"], registryWriters, summary: "修改单位",
        body: .json(Schema.ref("OrganizationInput")),
        success: [.ok("已保存", Schema.ref("Organization"))],
        errors: [.conflict: "统一社会信用代码属于另一单位", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    // MARK: Certificates

    static let certificates = Endpoint("certificates",
        .GET, ["certificates"], registryReaders, summary: "证书列表",
        parameters: [.region, .query("number", "证书编号"), .query("level", "证书等级", .oneOf(levels)),
                     .query("issuedFrom", "发证日期起 YYYY-MM-DD", .text(format: "date")),
                     .query("issuedTo", "发证日期止 YYYY-MM-DD", .text(format: "date"))] + Parameter.paging,
        success: [.ok("分页的证书", Schema.ref("CertificatePage"))])

    static let certificate = Endpoint("certificate",
        .GET, ["certificates", ":id"], registryReaders, summary: "证书详情",
        success: [.ok("证书", Schema.ref("Certificate"))])

    static let certificateCreate = Endpoint("certificateCreate",
        .POST, ["certificates"], registryWriters, summary: "登记证书",
        body: .json(Schema.ref("NewCertificate")),
        success: [.created("已添加", Schema.ref("Certificate"))],
        errors: [.notFound: "人员不存在或不在管辖范围内", .conflict: "证书编号已登记", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let certificateUpdate = Endpoint("certificateUpdate",
        .PUT, ["certificates", ":id"], registryWriters, summary: "更正证书",
        body: .json(["type": "object", "properties": [
            "level": ["type": "string", "enum": .array(levels.map(JSONValue.string))], "issueDate": Schema.date,
            "lowScoreArea": ["type": "boolean"]]]),
        success: [.ok("已更正（变更记入人员历史，统计随之更新）", Schema.ref("Certificate"))],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let registrationCreate = Endpoint("registrationCreate",
        .POST, ["certificates", ":id", "registrations"], registryWriters, summary: "登记证书注册期",
        body: .json(["type": "object", "required": ["periodStart"], "properties": ["periodStart": Schema.date]]),
        success: [.created("登记（有效期 3 年）")],
        errors: [.conflict: "与已有的注册期重叠", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static var registrySchemas: [String: JSONValue] { [
        "Region": ["type": "object", "required": ["code", "name", "level"], "properties": [
            "code": ["type": "string"], "name": ["type": "string"], "level": ["type": "string"],
            "parentCode": ["type": ["string", "null"]], "path": ["description": "到根的各级代码"], "validFrom": ["type": ["integer", "null"]],
            "validTo": ["type": ["integer", "null"]], "source": ["type": "string"]]],
        "RegionChoice": ["type": "object", "required": ["code", "name", "level"], "properties": [
            "code": ["type": "string"], "name": ["type": "string"], "level": Schema.string("province, city, county, township 或 community"),
            "parentName": ["type": ["string", "null"], "description": "上级地区名称"]]],
        "NewRegion": ["type": "object", "required": ["code", "name"], "properties": [
            "code": Schema.string("9 位乡镇街道或 12 位村社区代码，须以上级代码开头"), "name": ["type": "string"]]],
        "PersonInput": ["type": "object", "required": ["name", "idNumber", "regionCode"], "properties": [
            "name": Schema.string("姓名"), "idNumber": Schema.string("身份证号（GB 11643）"),
            "sex": oneOf(Sex.allCases.map(\.rawValue), "性别，须与身份证号一致"),
            "mobile": Schema.string("11 位手机号"), "regionCode": Schema.string("区县、乡镇街道或村社区代码"),
            "employerName": Schema.string("工作单位"), "employerCreditCode": Schema.string("统一社会信用代码（GB 32100）"),
            "postCategory": oneOf(PostCategory.allCases.map(\.rawValue), "人员类别"),
            "serviceFields": Schema.array(oneOf(ServiceField.allCases.map(\.rawValue), "服务领域")),
            "education": oneOf(EducationLevel.allCases.map(\.rawValue), "最高学历"), "socialWorkDegree": ["type": "boolean"],
            "certificate": ["type": "object", "properties": ["level": ["type": "string"], "number": ["type": "string"],
                                                           "issueDate": Schema.string("YYYY-MM-DD", format: "date")]]]],
        "Person": ["type": "object", "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "idNumber": Schema.string("脱敏，如 420***********1234"),
            "sex": ["type": "string"], "birthDate": Schema.date, "mobile": ["type": ["string", "null"]],
            "regionCode": ["type": "string"], "organizationID": ["type": ["string", "null"]], "organizationName": ["type": ["string", "null"]],
            "postCategory": ["type": ["string", "null"]], "serviceFields": Schema.array(["type": "string"]),
            "education": ["type": ["string", "null"]], "socialWorkDegree": ["type": ["boolean", "null"]],
            "certificateLevel": ["type": ["string", "null"]], "updatedAt": ["type": "string"], "version": ["type": "integer"]]],
        "PersonPage": ["type": "object", "required": ["items", "total", "totalIsExact", "page", "perPage", "sort", "descending"], "properties": [
            "items": Schema.array(Schema.ref("Person")), "total": ["type": "integer"],
            "totalIsExact": ["type": "boolean", "description": "false：人数超过 total（1000），未逐一计数"], "page": ["type": "integer"], "perPage": ["type": "integer"],
            "sort": ["type": "string", "enum": .array(PersonSort.allCases.map { JSONValue.string($0.rawValue) })],
            "descending": ["type": "boolean"], "nextCursor": ["type": ["string", "null"]]]],
        "PersonDetail": ["type": "object", "properties": [
            "person": Schema.ref("Person"), "certificates": Schema.objects, "employments": Schema.objects, "history": Schema.objects]],
        "SavedPerson": ["type": "object", "required": ["created", "person"], "properties": [
            "created": ["type": "boolean"], "person": Schema.ref("PersonDetail")]],
        "Organization": ["type": "object", "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "creditCode": ["type": ["string", "null"]],
            "kind": ["type": ["string", "null"]], "regionCode": ["type": ["string", "null"]], "staff": ["type": "integer"]]],
        "OrganizationPage": ["type": "object", "required": ["items", "total", "totalIsExact", "page", "perPage"], "properties": [
            "items": Schema.array(Schema.ref("Organization")), "total": ["type": "integer"],
            "totalIsExact": ["type": "boolean", "description": "false：单位超过 total（1000），未逐一计数"], "page": ["type": "integer"],
            "perPage": ["type": "integer"], "nextCursor": ["type": ["string", "null"]]]],
        "OrganizationInput": ["type": "object", "required": ["name"], "properties": [
            "name": ["type": "string"], "creditCode": ["type": ["string", "null"]], "kind": ["type": ["string", "null"]],
            "regionCode": ["type": ["string", "null"]]]],
        "Certificate": ["type": "object", "properties": [
            "id": ["type": "string"], "personID": ["type": "string"], "personName": ["type": "string"], "level": ["type": "string"],
            "number": ["type": "string"], "issueDate": Schema.date, "lowScoreArea": ["type": "boolean"]]],
        "CertificatePage": page(of: "Certificate"),
        "NewCertificate": ["type": "object", "required": ["personID", "level", "number", "issueDate"], "properties": [
            "personID": ["type": "string"], "level": ["type": "string", "enum": .array(levels.map(JSONValue.string))], "number": ["type": "string"],
            "issueDate": Schema.date, "lowScoreArea": ["type": "boolean"]]],
    ] }

    private static func oneOf(_ values: [String], _ description: String) -> JSONValue {
        ["type": "string", "enum": .array(values.map(JSONValue.string)), "description": .string(description)]
    }

    private static func page(of item: String) -> JSONValue {
        ["type": "object", "required": ["items", "total", "page", "perPage"], "properties": [
            "items": Schema.array(Schema.ref(item)), "total": ["type": "integer"], "page": ["type": "integer"], "perPage": ["type": "integer"]]]
    }
}
