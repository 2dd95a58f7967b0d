import ShegongDomain
import ShegongStore
import Vapor

/// Training (issue #13 §1, §2, §6): courses, sessions, enrolment, attendance, completion, the
/// trainer pool and the resource library.
extension Endpoint {
    private static let trainingReaders = RouteAccess.read(.official, .organizationManager, .socialWorker)
    private static let organisers = RouteAccess.write(.official, .organizationManager)

    static let trainingCourses = Endpoint("trainingCourses",
        .GET, ["training", "courses"], trainingReaders, summary: "培训课程列表",
        parameters: [.query("tier", "培训层级", .oneOf(TrainingTier.allCases.map(\.rawValue)))],
        success: [.ok("管辖范围内（或本人、本机构可参加）的课程", Schema.objects)])

    static let trainingCourseCreate = Endpoint("trainingCourseCreate",
        .POST, ["training", "courses"], organisers, summary: "新建培训课程",
        body: .json(["type": "object", "required": ["title", "tier", "audiences", "topics", "creditHours"], "properties": [
            "title": ["type": "string"], "tier": ["type": "string", "enum": .array(TrainingTier.allCases.map { .string($0.rawValue) })],
            "audiences": Schema.array(["type": "string"]), "topics": Schema.array(["type": "string"]), "creditHours": ["type": "string"],
            "feeFen": ["type": "integer"], "organizerRegionCode": ["type": "string"], "organizerOrganizationID": ["type": "string"]]]),
        success: [.created("新课程", Schema.object)],
        errors: [.unprocessable: "课程信息有误（error.details 逐项列出字段），未保存",
                 .notFound: "主办地区或单位不存在，或不在管辖范围内"])

    static let trainingCourse = Endpoint("trainingCourse",
        .GET, ["training", "courses", ":id"], trainingReaders, summary: "培训课程及其班次",
        parameters: [.path("id", "课程 id")],
        success: [.ok("课程及其班次", ["type": "object", "required": ["course", "sessions"], "properties": [
            "course": Schema.object, "sessions": Schema.objects]])])

    static let trainingSessionCreate = Endpoint("trainingSessionCreate",
        .POST, ["training", "courses", ":id", "sessions"], organisers, summary: "新建培训班次",
        parameters: [.path("id", "课程 id")],
        body: .json(["type": "object", "required": ["startsOn", "endsOn", "hoursPerDay", "capacity"], "properties": [
            "startsOn": Schema.string("开始日期", format: "date"), "endsOn": Schema.string("结束日期", format: "date"),
            "hoursPerDay": ["type": "string"], "practiceBaseID": ["type": "string"], "address": ["type": "string"],
            "capacity": ["type": "integer"], "trainerIDs": Schema.array(["type": "string"])]]),
        success: [.created("新班次", Schema.object)],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let trainingSession = Endpoint("trainingSession",
        .GET, ["training", "sessions", ":id"], trainingReaders, summary: "培训班次：名单、候补和考勤",
        parameters: [.path("id", "班次 id")],
        success: [.ok("班次、课程、名单（主办方看全部，其他人看本人或本机构人员）和考勤", Schema.object)])

    static let trainingEnrolmentCreate = Endpoint("trainingEnrolmentCreate",
        .POST, ["training", "sessions", ":id", "enrolments"], .write(.official, .organizationManager, .socialWorker), summary: "报名培训班次",
        parameters: [.path("id", "班次 id")],
        body: .json(["type": "object", "required": ["personID"], "properties": [
            "personID": ["type": "string"], "waitingList": ["type": "boolean"]]]),
        success: [.created("enrolled（已报名）或 waiting（候补）", ["type": "object", "required": ["status"], "properties": ["status": ["type": "string"]]])],
        errors: [.conflict: "此人已在名单中", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let trainingAttendanceCreate = Endpoint("trainingAttendanceCreate",
        .POST, ["training", "sessions", ":id", "attendance"], organisers, summary: "登记考勤（按人按日的学时）",
        parameters: [.path("id", "班次 id")],
        body: .json(["type": "object", "required": ["entries"], "properties": [
            "entries": Schema.array(["type": "object", "required": ["personID", "day", "minutes"], "properties": [
                "personID": ["type": "string"], "day": Schema.string("日期", format: "date"), "minutes": ["type": "integer"]]])]]),
        success: [.ok("登记的条数", ["type": "object", "required": ["recorded"], "properties": ["recorded": ["type": "integer"]]])],
        errors: [.unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let trainingSessionComplete = Endpoint("trainingSessionComplete",
        .POST, ["training", "sessions", ":id", "complete"], organisers, summary: "班次结业：参训学时计入继续教育台账",
        parameters: [.path("id", "班次 id")],
        success: [.ok("计入学时的人数", ["type": "object", "required": ["credited"], "properties": ["credited": ["type": "integer"]]])],
        errors: [.conflict: "班次已经结业", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let trainers = Endpoint("trainers",
        .GET, ["training", "trainers"], .read(.official, .organizationManager), summary: "培训师资库",
        success: [.ok("管辖范围内的师资，含授课班次数和平均评分", Schema.objects)])

    static let trainerCreate = Endpoint("trainerCreate",
        .POST, ["training", "trainers"], organisers, summary: "登记师资（在册人员或外聘专家）",
        body: .json(["type": "object", "required": ["name", "fields", "level"], "properties": [
            "name": Schema.string("姓名，1–50 个字符"), "personID": Schema.string("在册人员 id（外聘专家不填），须在管辖范围内"),
            "fields": Schema.array(["type": "string", "description": "擅长领域（培训主题代码）"]),
            "level": ["type": "string", "enum": .array(TrainerLevel.allCases.map { .string($0.rawValue) })],
            "regionCode": Schema.string("所属地区代码（官员可选本辖区内地区，默认本级；机构管理者为本机构所在地区）"),
            "organizationName": Schema.string("所在单位名称")]]),
        success: [.created("新登记的师资", Schema.object)],
        errors: [.notFound: "地区不存在或不在管辖范围内", .unprocessable: ErrorStatus.unprocessable.standardDescription])

    static let trainingMaterialCreate = Endpoint("trainingMaterialCreate",
        .POST, ["training", "materials"], organisers, summary: "添加培训资源：上传文件或登记链接",
        body: RequestBody(description: "multipart/form-data；整个请求不超过 \(ReportSubmission.requestLimit >> 20) MiB（413）",
                          content: ["multipart/form-data": ["type": "object", "required": ["title", "topics", "audiences"], "properties": [
                              "title": Schema.string("标题，1–200 个字符"),
                              "topics": Schema.string("主题代码，多个以英文逗号分隔"),
                              "audiences": Schema.string("对象代码，多个以英文逗号分隔"),
                              "url": Schema.string("资源链接（http 或 https）；与 evidence 二选一"),
                              "regionCode": Schema.string("所属地区代码（官员可选本辖区内地区，默认本级）"),
                              "evidence": ["type": "string", "format": "binary",
                                       "description": .string("资源文件：PDF、JPG、PNG、DOC/DOCX、XLS/XLSX、TXT（按扩展名和内容识别），不超过 \(EvidenceRules.maxFileBytes >> 20) MiB（与页面的上传表单同名）；与 url 二选一")]]]],
                          decodedByContentType: false),
        success: [.created("新资源（不含文件内容）", Schema.object)],
        errors: [.notFound: "地区不存在或不在管辖范围内",
                 .unprocessable: "有误，未保存；error.details 逐项列出（title、topics、audiences、file、url）",
                 .unsupportedMediaType: "须以 multipart/form-data 提交"])

    static let trainingMaterials = Endpoint("trainingMaterials",
        .GET, ["training", "materials"], trainingReaders, summary: "培训资源库",
        parameters: [.query("q", "标题包含的文字")],
        success: [.ok("范围内的资源（不含文件内容）", Schema.objects)])
}
