import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The training pages' views: they only render their models.
enum TrainingView {
    static func tiers(_ t: LocalizedTexts) -> [(value: String, label: String)] { TrainingTier.allCases.map { ($0.rawValue, t.name($0)) } }

    static func topicName(_ topic: TrainingTopic, _ t: LocalizedTexts, _ language: Language) -> String {
        switch topic {
        case .subject(let subject): return t.name(subject)
        case .field(let field): return language == .en ? field.englishName : field.rawValue
        }
    }

    static func checkboxes(_ legend: String, name: StaticString, field: String, _ options: [(value: String, label: String)], checked: [String], error: String?) -> Node {
        Field.checkboxes(legend, field: field, options, checked: checked, error: error)
    }

    static func audiences(_ t: LocalizedTexts) -> [(value: String, label: String)] { TrainingAudience.allCases.map { ($0.rawValue, t.name($0)) } }
    static func topics(_ t: LocalizedTexts, _ language: Language) -> [(value: String, label: String)] {
        TrainingTopic.all.map { ($0.code, topicName($0, t, language)) }
    }

    static func courses(_ ctx: PageContext, _ courses: [TrainingCourse], regionNames: [String: String], mayCreate: Bool,
                        errors: [String: String], form: [String: String]) -> Node {
        let t = ctx.t
        let rows = courses.map { c -> [Node] in
            [.link("/training/courses/\(c.id)", c.title), .text(t.name(c.tier)), .text(c.audiences.map { t.name($0) }.joined(separator: t("message.list_separator"))),
             .text(TrainingHours.text(c.creditMinutes)),
             .text(c.organizerOrganizationName ?? c.regionCode.flatMap { regionNames[$0] } ?? ""),
             .text(c.feeFen == 0 ? t("training.page.free") : MoneyText.text(fen: c.feeFen, language: ctx.language)), .text(ctx.count(c.sessions))]
        }
        let columns = [DataTable.Column(t("training.page.course")), .init(t("training.page.tier")), .init(t("training.page.audiences")),
                       .init(t("training.page.credit_hours"), numeric: true), .init(t("training.page.organizer")), .init(t("training.page.fee")),
                       .init(t("training.page.sessions"), numeric: true)]
        return .group(
            .p(.class("actions"), .link("/training/trainers", t("training.page.trainers")), " ", .link("/training/resources", t("training.page.resources")),
               .if(TrainingCoveragePage.allowed(ctx.principal), .group(" ", .link("/training/coverage", t("training.coverage.link"))))),
            DataTable(id: "training-courses", columns: columns, rows: rows, empty: t("list.empty")).node(),
            .if(mayCreate, .group(
                .h2(.text(t("training.page.new_course"))), Field.summary(ctx, count: errors.count),
                .form(.id("course-form"), .method("post"), .action("/training/courses"), .class("stack"), ctx.csrfInput,
                      Field.input(t("training.page.course"), name: "title", value: form["title"], error: errors["title"], required: true),
                      Field.select(t("training.page.tier"), name: "tier", options: tiers(t), selected: form["tier"], error: errors["tier"]),
                      checkboxes(t("training.page.audiences"), name: "audiences", field: "audiences", audiences(t), checked: [], error: errors["audiences"]),
                      checkboxes(t("training.page.topics"), name: "topics", field: "topics", topics(t, ctx.language), checked: [], error: errors["topics"]),
                      Field.input(t("training.page.credit_hours"), name: "creditHours", value: form["creditHours"], error: errors["creditHours"], required: true),
                      Field.input(t("training.page.fee_yuan"), name: "feeYuan", value: form["feeYuan"] ?? "0", error: errors["feeFen"]),
                      .button(.type("submit"), .text(t("action.save")))))))
    }

    static func place(_ s: TrainingSession) -> String { s.practiceBaseName ?? s.address ?? "" }

    static func course(_ ctx: PageContext, _ course: TrainingCourse, _ sessions: [TrainingSession], managed: Bool, trainers: [Trainer],
                       bases: [(id: String, name: String)] = [],
                       errors: [String: String], form: [String: String]) -> Node {
        let t = ctx.t
        let facts: [(String, String)] = [
            ("training.page.tier", t.name(course.tier)),
            ("training.page.audiences", course.audiences.map { t.name($0) }.joined(separator: t("message.list_separator"))),
            ("training.page.topics", course.topics.map { topicName($0, t, ctx.language) }.joined(separator: t("message.list_separator"))),
            ("training.page.credit_hours", TrainingHours.text(course.creditMinutes)),
            ("training.page.fee", course.feeFen == 0 ? t("training.page.free") : MoneyText.text(fen: course.feeFen, language: ctx.language)),
        ]
        let rows = sessions.map { s -> [Node] in
            [.link("/training/sessions/\(s.id)", "\(s.startsOn) – \(s.endsOn)"), .text(place(s)), .text(s.trainers.map(\.name).joined(separator: t("message.list_separator"))),
             .text("\(s.seatsTaken) / \(s.capacity)"), .text(ctx.count(s.waiting)), .text(t.name(s.status))]
        }
        let columns = [DataTable.Column(t("training.page.dates")), .init(t("training.page.place")), .init(t("training.page.trainers")),
                       .init(t("training.page.seats"), numeric: true), .init(t("training.page.waiting"), numeric: true), .init(t("training.page.status"))]
        return .group(
            .dl(.class("facts"), .forEach(facts) { key, value in .group(.dt(.text(t(key))), .dd(.text(value))) }),
            .h2(.text(t("training.page.sessions"))),
            DataTable(id: "training-sessions", columns: columns, rows: rows, empty: t("list.empty")).node(),
            .if(managed, .group(
                .h2(.text(t("training.page.new_session"))), Field.summary(ctx, count: errors.count),
                .form(.id("session-form"), .method("post"), .action("/training/courses/\(course.id)/sessions"), .class("stack"), ctx.csrfInput,
                      Field.input(t("training.page.starts_on"), name: "startsOn", value: form["startsOn"], type: "date", error: errors["startsOn"], required: true),
                      Field.input(t("training.page.ends_on"), name: "endsOn", value: form["endsOn"], type: "date", error: errors["endsOn"], required: true),
                      Field.input(t("training.page.hours_per_day"), name: "hoursPerDay", value: form["hoursPerDay"], error: errors["hoursPerDay"], required: true),
                      Field.input(t("training.page.capacity"), name: "capacity", value: form["capacity"], type: "number", error: errors["capacity"], required: true),
                      .if(!bases.isEmpty, Field.select(t("training.page.base"), name: "practiceBaseID",
                                                       options: [(value: "", label: t("training.page.no_base"))] + bases.map { (value: $0.id, label: $0.name) },
                                                       selected: form["practiceBaseID"] ?? "", error: errors["practiceBaseID"])),
                      Field.input(t("training.page.place"), name: "address", value: form["address"], error: errors["address"]),
                      .if(!trainers.isEmpty, checkboxes(t("training.page.trainers"), name: "trainerIDs", field: "trainerIDs",
                                                        trainers.map { ($0.id, $0.name) }, checked: [], error: errors["trainerIDs"])),
                      .button(.type("submit"), .text(t("action.save")))))))
    }

    static func session(_ ctx: PageContext, _ detail: SessionDetail, message: String?, errors: [String]) -> Node {
        let t = ctx.t, s = detail.session, open = s.status == .open
        let days: [String] = s.schedule.map { schedule in (0..<schedule.days).map { schedule.startsOn.adding(days: $0).description } } ?? []
        var grid: [String: [String: Int]] = [:]
        for entry in detail.attendance { grid[entry.personID, default: [:]][entry.day] = entry.minutes }
        let facts: [(String, String)] = [
            ("training.page.dates", "\(s.startsOn) – \(s.endsOn)"), ("training.page.hours_per_day", TrainingHours.text(s.minutesPerDay)),
            ("training.page.place", place(s)), ("training.page.trainers", s.trainers.map(\.name).joined(separator: t("message.list_separator"))),
            ("training.page.seats", "\(s.seatsTaken) / \(s.capacity)"), ("training.page.status", t.name(s.status)),
        ]
        let listed = detail.enrolments.filter { $0.status != .withdrawn }
        let rows = listed.map { e -> [Node] in
            [.text(e.personName), .text(e.idNumber), .text(t.name(e.status)), .text(TrainingHours.text(e.attendedMinutes)),
             .if(open && e.attendedMinutes == 0, .form(.method("post"), .action("/training/sessions/\(s.id)/withdraw"), .class("inline"), ctx.csrfInput,
                                                        .input(.type("hidden"), .name("personID"), .value(e.personID)),
                                                        .button(.type("submit"), .class("secondary"), .text(t("training.page.withdraw")))))]
        }
        let enrolled = listed.filter { $0.status == .enrolled }
        let gridRows = enrolled.map { e -> [Node] in
            [.text(e.personName)] + days.map { day in .text(grid[e.personID]?[day].map(TrainingHours.text) ?? "") }
        }
        let mayEnrol = ctx.principal.role != .official || detail.managed
        return .group(
            .unwrap(message) { .notice($0, .ok) },
            .if(!errors.isEmpty, .div(.id("training-errors"), .forEach(errors) { .notice($0, .error) })),
            .p(.link("/training/courses/\(s.courseID)", detail.course.title)),
            .dl(.class("facts"), .forEach(facts) { key, value in .group(.dt(.text(t(key))), .dd(.text(value))) }),
            .h2(.text(t("training.page.list"))),
            DataTable(id: "training-enrolments", columns: [.init(t("field.name")), .init(t("field.residentID")), .init(t("training.page.status")),
                                                          .init(t("training.page.attended_hours"), numeric: true), .init("")],
                      rows: rows, empty: t("list.empty")).node(),
            .if(open && mayEnrol, .form(.id("enrol-form"), .method("post"), .action("/training/sessions/\(s.id)/enrol"), .class("stack"), ctx.csrfInput,
                                        .if(ctx.principal.role != .socialWorker, Field.input(t("field.residentID"), name: "idNumber", required: true)),
                                        Field.checkbox(t("training.page.join_waiting"), name: "waitingList", checked: false),
                                        .button(.type("submit"), .text(t("training.page.enrol"))))),
            .h2(.text(t("training.page.attendance"))),
            DataTable(id: "training-attendance", columns: [.init(t("field.name"))] + days.map { .init($0, numeric: true) }, rows: gridRows,
                      empty: t("list.empty")).node(),
            .if(open && detail.managed && !enrolled.isEmpty, .group(
                .form(.id("attendance-form"), .method("post"), .action("/training/sessions/\(s.id)/attendance"), .class("stack"), ctx.csrfInput,
                      Field.select(t("field.name"), name: "personID", options: enrolled.map { ($0.personID, $0.personName) }, selected: nil),
                      Field.select(t("training.page.day"), name: "day", options: days.map { ($0, $0) }, selected: nil),
                      Field.input(t("training.page.hours"), name: "hours", value: TrainingHours.text(s.minutesPerDay), required: true),
                      .button(.type("submit"), .text(t("training.page.record")))),
                .form(.id("complete-form"), .method("post"), .action("/training/sessions/\(s.id)/complete"), .class("stack"), ctx.csrfInput,
                      .p(.text(t("training.page.complete_hint"))),
                      .button(.type("submit"), .text(t("training.page.complete")))))),
            .if(!open && ctx.principal.role == .socialWorker && !s.trainers.isEmpty, rating(ctx, s)))
    }

    /// A participant's rating of a trainer of a completed session, 1 (poor) to 5 (excellent), once.
    static func rating(_ ctx: PageContext, _ s: TrainingSession) -> Node {
        let t = ctx.t
        let scores = (1...5).reversed().map { (value: String($0), label: t("training.page.rating_\($0)")) }
        return .group(.h2(.text(t("training.page.rate"))),
                      .form(.id("rating-form"), .method("post"), .action("/training/sessions/\(s.id)/rate"), .class("stack"), ctx.csrfInput,
                            Field.select(t("training.page.trainers"), name: "trainerID", options: s.trainers.map { ($0.id, $0.name) }, selected: nil),
                            Field.select(t("training.page.score"), name: "rating", options: scores, selected: "5"),
                            .button(.type("submit"), .text(t("training.page.rate")))))
    }

    static func trainers(_ ctx: PageContext, _ trainers: [Trainer], mayCreate: Bool, errors: [String: String]) -> Node {
        let t = ctx.t
        let rows = trainers.map { tr -> [Node] in
            [.text(tr.name), .text(t.name(tr.level)), .text(tr.fields.map { topicName($0, t, ctx.language) }.joined(separator: t("message.list_separator"))),
             .text(tr.organizationName ?? ""), .text(ctx.count(tr.sessionsTaught)),
             .text(tr.averageRating.map { String(format: "%.1f", $0) } ?? "—"), .text(ctx.count(tr.ratings))]
        }
        let columns = [DataTable.Column(t("field.name")), .init(t("training.page.level")), .init(t("training.page.topics")),
                       .init(t("training.page.organization")), .init(t("training.page.taught"), numeric: true),
                       .init(t("training.page.rating"), numeric: true), .init(t("training.page.ratings"), numeric: true)]
        return .group(
            DataTable(id: "trainers", columns: columns, rows: rows, empty: t("list.empty")).node(),
            .if(mayCreate, .group(
                .h2(.text(t("training.page.new_trainer"))), Field.summary(ctx, count: errors.count),
                .form(.id("trainer-form"), .method("post"), .action("/training/trainers"), .class("stack"), ctx.csrfInput,
                      Field.input(t("field.name"), name: "name", error: errors["name"], required: true),
                      Field.select(t("training.page.level"), name: "level", options: TrainerLevel.allCases.map { ($0.rawValue, t.name($0)) }, selected: nil,
                                   error: errors["level"]),
                      checkboxes(t("training.page.topics"), name: "fields", field: "fields", topics(t, ctx.language), checked: [], error: errors["fields"]),
                      Field.input(t("training.page.organization"), name: "organizationName", error: errors["organizationName"]),
                      .button(.type("submit"), .text(t("action.save")))))))
    }

    static func resources(_ ctx: PageContext, _ materials: [TrainingMaterial], search: String?, mayCreate: Bool, errors: [String: String]) -> Node {
        let t = ctx.t
        let rows = materials.map { m -> [Node] in
            let open: Node = m.fileName != nil ? .link("/training/resources/\(m.id)/file", m.title) : .text(m.title)
            return [open, .text(m.topics.map { topicName($0, t, ctx.language) }.joined(separator: t("message.list_separator"))),
                    .text(m.audiences.map { t.name($0) }.joined(separator: t("message.list_separator"))),
                    .text(m.url ?? m.fileName ?? "")]
        }
        let columns = [DataTable.Column(t("training.page.material")), .init(t("training.page.topics")), .init(t("training.page.audiences")),
                       .init(t("training.page.link"))]
        return .group(
            .form(.id("resources-search"), .method("get"), .action("/training/resources"), .class("filters"),
                  Field.input(t("training.page.material"), name: "q", value: search),
                  .div(.class("actions"), .button(.type("submit"), .text(t("action.search"))))),
            DataTable(id: "training-materials", columns: columns, rows: rows, empty: t("list.empty")).node(),
            .if(mayCreate, .group(
                .h2(.text(t("training.page.new_material"))), Field.summary(ctx, count: errors.count),
                .form(.id("material-form"), .method("post"), .action("/training/resources"), .class("stack"), ctx.csrfInput,
                      Field.input(t("training.page.material"), name: "title", error: errors["title"], required: true),
                      checkboxes(t("training.page.topics"), name: "topics", field: "topics", topics(t, ctx.language), checked: [], error: errors["topics"]),
                      checkboxes(t("training.page.audiences"), name: "audiences", field: "audiences", audiences(t), checked: [], error: errors["audiences"]),
                      Field.input(t("training.page.link"), name: "url", error: errors["url"]),
                      .button(.type("submit"), .text(t("action.save")))),
                .h2(.text(t("training.page.upload_material"))),
                .form(.id("material-upload-form"), .method("post"), .enctype("multipart/form-data"), .class("stack"),
                      .action("/training/resources/upload?\(CSRF.field)=" + (ctx.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
                      Field.input(t("training.page.material"), name: "title", required: true),
                      Field.select(t("training.page.topics"), name: "topic", options: topics(t, ctx.language), selected: nil),
                      Field.select(t("training.page.audiences"), name: "audience", options: audiences(t), selected: nil),
                      Field.input(t("training.page.file"), name: "evidence", type: "file", error: errors["file"], required: true,
                                  hint: t("training.page.file_hint")),
                      .button(.type("submit"), .text(t("training.page.upload")))))))
    }
}

/// The small "继续教育学时" section of the person page: the sum of the person's ledger.
enum TrainingPersonSection {
    static func load(_ req: Vapor.Request, person id: String) async throws -> Int? {
        guard TrainingPages.mayRead(try req.caller.principal) else { return nil }
        return try await req.training.creditedMinutes(person: id)
    }

    static func node(_ ctx: PageContext, minutes: Int?) -> Node {
        .unwrap(minutes) { minutes in
            .section(.id("person-training-hours"), .h2(.text(ctx.t("training.person.hours"))),
                     .p(.text(ctx.t("training.person.hours_value", TrainingHours.text(minutes)))))
        }
    }
}
