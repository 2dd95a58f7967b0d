import ShegongDomain
import Vapor

/// Practice bases in full (one base, its change, its interns and trainees) and social-work posts
/// (an organisation's posts, filling and leaving them, totals). The list and the first
/// registration of a base stay `practiceBases` and `practiceBaseCreate` (indicators and plans).
extension Endpoint {
    private static let postReaders = RouteAccess.read(.official, .organizationManager)
    private static let postWriters = RouteAccess.write(.official, .organizationManager)
    private static let levels = PracticeBaseLevel.assignable.map(\.rawValue)

    static let practiceBase = Endpoint("practiceBase",
        .GET, ["practice-bases", ":id"], .read(.official), summary: "实践基地详情（服务地区、实习与培训人员）",
        parameters: [.path("id", "实践基地 id")],
        success: [.ok("实践基地", Schema.ref("PracticeBase"))])

    static let practiceBaseUpdate = Endpoint("practiceBaseUpdate",
        .PUT, ["practice-bases", ":id"], .write(.official), summary: "修改实践基地（全部字段，含服务地区）",
        parameters: [.path("id", "实践基地 id")],
        body: .json(Schema.ref("PracticeBaseInput")),
        success: [.ok("已修改", Schema.ref("PracticeBase"))],
        errors: [.unprocessable: "字段有误；服务地区不在基地所在省份内、期间结束早于开始、负数等，逐项说明"])

    static let practiceBasePlacementCreate = Endpoint("practiceBasePlacementCreate",
        .POST, ["practice-bases", ":id", "placements"], .write(.official), summary: "登记基地的实习或培训人员",
        parameters: [.path("id", "实践基地 id")],
        body: .json(["type": "object", "required": ["personID", "kind", "from"], "properties": [
            "personID": Schema.string("人员 id（管辖范围内）"), "kind": Schema.string("实习 或 培训（internship、training）"),
            "from": Schema.string("起始日期", format: "date"), "to": Schema.string("结束日期，可空", format: "date")]]),
        success: [.created("已登记", ["type": "object", "required": ["id", "personID", "personName", "kind", "from"], "properties": [
            "id": ["type": "string"], "personID": ["type": "string"], "personName": ["type": "string"], "kind": ["type": "string"],
            "from": Schema.date, "to": Schema.nullableString]])],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let organizationPosts = Endpoint("organizationPosts",
        .GET, ["organizations", ":id", "posts"], postReaders, summary: "单位的社工岗位及在岗人员",
        parameters: [.path("id", "单位 id")],
        success: [.ok("岗位", Schema.array(Schema.ref("Post")))])

    static let postCreate = Endpoint("postCreate",
        .POST, ["organizations", ":id", "posts"], postWriters, summary: "新增社工岗位",
        parameters: [.path("id", "单位 id")],
        body: .json(Schema.ref("PostInput")),
        success: [.created("已新增", Schema.ref("Post"))],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let postUpdate = Endpoint("postUpdate",
        .PUT, ["posts", ":id"], postWriters, summary: "修改社工岗位",
        parameters: [.path("id", "岗位 id")],
        body: .json(Schema.ref("PostInput")),
        success: [.ok("已修改", Schema.ref("Post"))],
        errors: [.unprocessable: "字段有误；设岗数少于在岗人数"])

    static let postFill = Endpoint("postFill",
        .POST, ["posts", ":id", "fills"], postWriters, summary: "安排本单位工作人员上岗",
        parameters: [.path("id", "岗位 id")],
        body: .json(["type": "object", "required": ["personID"], "properties": [
            "personID": Schema.string("本单位在职人员 id"), "from": Schema.string("上岗日期，默认今天", format: "date")]]),
        success: [.created("已上岗", Schema.ref("Post"))],
        errors: [.unprocessable: "岗位已满（在岗人数达到设岗数）、人员不在本单位任职或已在岗"])

    static let postVacate = Endpoint("postVacate",
        .POST, ["posts", ":id", "fills", ":fill", "end"], postWriters, summary: "人员离岗（今天起空缺）",
        parameters: [.path("id", "岗位 id"), .path("fill", "上岗记录 id")],
        success: [.ok("已离岗", Schema.ref("Post"))],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let postTotals = Endpoint("postTotals",
        .GET, ["posts", "totals"], postReaders, summary: "岗位合计：按下级地区、单位类型，及历年发展",
        parameters: [.region],
        success: [.ok("岗位合计（管辖范围内）", Schema.ref("PostTotals"))])

    static var practiceBaseSchemas: [String: JSONValue] {
        let total: JSONValue = ["type": "object", "required": ["organizations", "posts", "numberSet", "filled", "vacancies"], "properties": [
            "key": Schema.nullableString, "organizations": ["type": "integer"], "posts": ["type": "integer"],
            "numberSet": ["type": "integer"], "filled": ["type": "integer"], "vacancies": ["type": "integer"]]]
        return [
            "PracticeBaseInput": ["type": "object", "required": ["regionCode", "name", "level"], "properties": [
                "regionCode": Schema.string("所在地区代码"), "name": ["type": "string"],
                "level": ["type": "string", "description": "基地本身的级别：省级、市级、县级、院校，或 province、city、county、college"],
                "host": Schema.string("依托单位名称"), "hostOrganizationID": Schema.string("依托单位 id（已登记单位）"),
                "capacity": ["type": "integer", "minimum": 0], "facilities": ["type": "string"],
                "contactName": ["type": "string"], "contactPhone": Schema.string("办公电话（非个人信息）"),
                "contactMobile": Schema.string("联系人手机（个人信息：加密保存、脱敏显示）"),
                "periodFrom": Schema.string("运行起始", format: "date"), "periodTo": Schema.string("运行截止，不早于起始", format: "date"),
                "established": Schema.string("设立日期", format: "date"),
                "servedRegions": Schema.array(Schema.string("服务地区代码，须在基地所在省份内"))]],
            "PracticeBase": ["type": "object", "required": ["id", "regionCode", "name", "level", "servedRegions", "placements"], "properties": [
                "id": ["type": "string"], "regionCode": ["type": "string"], "name": ["type": "string"],
                "level": ["type": "string", "enum": .array((levels + ["unspecified"]).map(JSONValue.string))],
                "host": Schema.nullableString, "hostOrganizationID": Schema.nullableString, "hostOrganizationName": Schema.nullableString,
                "capacity": ["type": ["integer", "null"]], "facilities": Schema.nullableString, "contactName": Schema.nullableString,
                "contactPhone": Schema.nullableString, "contactMobile": Schema.string("脱敏：138****5678"),
                "periodFrom": Schema.nullableString, "periodTo": Schema.nullableString, "established": Schema.nullableString,
                "servedRegions": Schema.array(["type": "string"]),
                "placements": Schema.array(["type": "object", "properties": [
                    "id": ["type": "string"], "personID": ["type": "string"], "personName": ["type": "string"],
                    "kind": ["type": "string", "enum": ["internship", "training"]], "from": Schema.date, "to": Schema.nullableString]])]],
            "PostInput": ["type": "object", "required": ["category", "numberSet", "funding"], "properties": [
                "category": ["type": "string", "enum": .array(PostCategory.allCases.map { .string($0.rawValue) })],
                "name": Schema.string("岗位名称，默认为类别"), "numberSet": ["type": "integer", "minimum": 1],
                "funding": Schema.string("财政、单位自筹、购买服务、其他，或 fiscal、self_funded、purchased_service、other"),
                "setOn": Schema.string("设岗日期，默认今天", format: "date")]],
            "Post": ["type": "object", "required": ["id", "organizationID", "category", "name", "numberSet", "funding", "setOn", "filled", "vacancies", "holders"],
                     "properties": [
                "id": ["type": "string"], "organizationID": ["type": "string"], "organizationName": ["type": "string"],
                "category": ["type": "string"], "name": ["type": "string"], "numberSet": ["type": "integer"],
                "funding": ["type": "string", "enum": .array(PostFunding.allCases.map { .string($0.rawValue) })],
                "setOn": Schema.date, "filled": ["type": "integer"], "vacancies": ["type": "integer"],
                "holders": Schema.array(["type": "object", "properties": [
                    "fillID": ["type": "string"], "personID": ["type": "string"], "personName": ["type": "string"],
                    "from": Schema.date, "to": Schema.nullableString]])]],
            "PostTotals": ["type": "object", "required": ["regionCode", "asOf", "all", "byRegion", "byOrganizationKind", "byOrganization",
                                                  "organizationNames", "trend"], "properties": [
                "regionCode": ["type": "string"], "asOf": Schema.date, "all": total,
                "byRegion": Schema.array(total), "byOrganizationKind": Schema.array(total), "byOrganization": Schema.array(total),
                "organizationNames": ["type": "object", "additionalProperties": ["type": "string"]],
                "trend": Schema.array(["type": "object", "properties": [
                    "date": Schema.date, "numberSet": ["type": "integer"], "filled": ["type": "integer"]]])]],
        ]
    }
}
