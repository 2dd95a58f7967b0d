import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The training pages: courses, a course with its sessions, a session with its list, waiting
/// list, attendance grid and completion, the trainer pool and the resource library. Each loads
/// through `TrainingService` and hands a model to `TrainingView`, which only renders.
struct TrainingPages: RouteCollection {
    static func mayRead(_ principal: Principal) -> Bool {
        [.official, .organizationManager, .socialWorker].contains(principal.role)
    }
    static func mayLibrary(_ principal: Principal) -> Bool { principal.role == .official || principal.role == .organizationManager }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "training", allow: Self.mayRead) { req, ctx in
            try await Self.courses(req, ctx, errors: [:], status: .ok)
        }
        routes.page(.POST, "training", "courses", allow: Self.mayLibrary) { req, ctx in
            let input = CourseInput(title: req.trainingField("title"), tier: req.trainingField("tier"), audiences: req.trainingFields("audiences"),
                                    topics: req.trainingFields("topics"), creditHours: req.trainingField("creditHours"),
                                    feeFen: Int(req.trainingField("feeYuan")).map { $0 * 100 })
            do {
                let course = try await req.training.createCourse(input)
                return req.redirect(onSite: "/training/courses/\(course.id)", redirectType: .normal)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.courses(req, ctx, errors: error.fieldMessages(ctx.language, fallback: "title"), status: .unprocessableEntity)
            }
        }
        routes.page(.GET, "training", "courses", ":id", allow: Self.mayRead) { req, ctx in
            try await Self.course(req, ctx, errors: [:], status: .ok)
        }
        routes.page(.POST, "training", "courses", ":id", "sessions", allow: Self.mayLibrary) { req, ctx in
            let input = SessionInput(startsOn: req.trainingField("startsOn"), endsOn: req.trainingField("endsOn"), hoursPerDay: req.trainingField("hoursPerDay"),
                                     practiceBaseID: req.trainingField("practiceBaseID"), address: req.trainingField("address"), capacity: Int(req.trainingField("capacity")) ?? 0, trainerIDs: req.trainingFields("trainerIDs"))
            do {
                let session = try await req.training.createSession(course: try req.parameter("id"), input)
                return req.redirect(onSite: "/training/sessions/\(session.id)", redirectType: .normal)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.course(req, ctx, errors: error.fieldMessages(ctx.language, fallback: "startsOn"), status: .unprocessableEntity)
            }
        }
        routes.page(.GET, "training", "sessions", ":id", allow: Self.mayRead) { req, ctx in
            try await Self.session(req, ctx, message: req.queryValue("done").map { done in
                ctx.t(done == "complete" ? "training.page.saved_complete" : done == "rated" ? "training.page.rated" : "training.page.saved_ok")
            })
        }
        routes.page(.POST, "training", "sessions", ":id", "enrol", allow: Self.mayRead) { req, ctx in
            try await Self.change(req, ctx) { id in
                let training = try req.training
                if case .person(let own) = ctx.principal.scope {
                    _ = try await training.enrol(session: id, person: own, waitingList: req.trainingField("waitingList") == "on")
                } else {
                    _ = try await training.enrol(session: id, idNumber: req.trainingField("idNumber"), waitingList: req.trainingField("waitingList") == "on")
                }
            }
        }
        routes.page(.POST, "training", "sessions", ":id", "withdraw", allow: Self.mayRead) { req, ctx in
            try await Self.change(req, ctx) { id in _ = try await req.training.withdraw(session: id, person: req.trainingField("personID")) }
        }
        routes.page(.POST, "training", "sessions", ":id", "attendance", allow: Self.mayLibrary) { req, ctx in
            try await Self.change(req, ctx) { id in
                guard let minutes = TrainingHours.minutes(req.trainingField("hours")) else {
                    throw StoreError(.invalid, code: "validation", text: CatalogueMessage("training.attendance.invalid"),
                                     details: [.init(field: "hours", code: "training.attendance.minutes")])
                }
                _ = try await req.training.recordAttendance(session: id, [AttendanceEntry(personID: req.trainingField("personID"), day: req.trainingField("day"), minutes: minutes)])
            }
        }
        routes.page(.POST, "training", "sessions", ":id", "complete", allow: Self.mayLibrary) { req, ctx in
            try await Self.change(req, ctx, done: "complete") { id in _ = try await req.training.complete(session: id) }
        }
        // A participant rates a trainer of a completed session (the service checks they took part).
        routes.page(.POST, "training", "sessions", ":id", "rate", allow: { $0.role == .socialWorker }) { req, ctx in
            try await Self.change(req, ctx, done: "rated") { id in
                try await req.training.rate(session: id, trainer: req.trainingField("trainerID"), rating: Int(req.trainingField("rating")) ?? 0)
            }
        }
        routes.page(.GET, "training", "trainers", allow: Self.mayLibrary) { req, ctx in
            try await Self.trainers(req, ctx, errors: [:], status: .ok)
        }
        routes.page(.POST, "training", "trainers", allow: Self.mayLibrary) { req, ctx in
            do {
                _ = try await req.training.createTrainer(TrainerInput(name: req.trainingField("name"), fields: req.trainingFields("fields"), level: req.trainingField("level"),
                                                                      organizationName: req.trainingField("organizationName")))
                return req.redirect(onSite: "/training/trainers", redirectType: .normal)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.trainers(req, ctx, errors: error.fieldMessages(ctx.language, fallback: "name"), status: .unprocessableEntity)
            }
        }
        routes.page(.GET, "training", "resources", allow: Self.mayRead) { req, ctx in
            try await Self.resources(req, ctx, errors: [:], status: .ok)
        }
        routes.page(.POST, "training", "resources", allow: Self.mayLibrary) { req, ctx in
            do {
                _ = try await req.training.createMaterial(MaterialInput(title: req.trainingField("title"), topics: req.trainingFields("topics"),
                                                                        audiences: req.trainingFields("audiences"), url: req.trainingField("url")), file: nil)
                return req.redirect(onSite: "/training/resources", redirectType: .normal)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.resources(req, ctx, errors: error.fieldMessages(ctx.language, fallback: "title"), status: .unprocessableEntity)
            }
        }
        // A material uploaded as a file: multipart, read from the stream within the upload limit
        // (the CSRF token comes in the query, as on the other upload forms).
        routes.page(.POST, "training", "resources", "upload", body: .stream, allow: Self.mayLibrary) { req, ctx in
            do {
                let (fields, files) = try await ContinuingEducationController.multipart(req)
                guard let file = files.first else {
                    throw StoreError(.invalid, code: "validation", text: CatalogueMessage("training.material.file_missing"),
                                     details: [.init(field: "file", code: "training.material.file_missing")])
                }
                let input = MaterialInput(title: fields["title"] ?? "", topics: [fields["topic"] ?? ""].filter { !$0.isEmpty },
                                          audiences: [fields["audience"] ?? ""].filter { !$0.isEmpty })
                _ = try await req.training.createMaterial(input, file: file)
                return req.redirect(onSite: "/training/resources", redirectType: .normal)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.resources(req, ctx, errors: error.fieldMessages(ctx.language, fallback: "file"), status: .unprocessableEntity)
            }
        }
        routes.page(.GET, "training", "resources", ":id", "file", allow: Self.mayRead) { req, _ in
            let file = try await req.training.materialFile(try req.parameter("id"))
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: file.contentType)
            let ext = file.fileName.split(separator: ".").last.map { "." + $0.lowercased() } ?? ""
            headers.replaceOrAdd(name: .contentDisposition, value: Attachment.disposition(fileName: file.fileName, fallback: "material" + ext))
            return Response(status: .ok, headers: headers, body: .init(data: file.content))
        }
    }

    static func courses(_ req: Request, _ ctx: PageContext, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let training = try req.training
        let courses = try await training.courses()
        let names = try await req.regionService.names(of: courses.compactMap(\.regionCode))
        return WebPage.render(ctx, title: ctx.t("training.page.title"), active: "/training",
                              content: TrainingView.courses(ctx, courses, regionNames: names, mayCreate: training.mayOrganise && mayLibrary(ctx.principal),
                                                            errors: errors, form: errors.isEmpty ? [:] : req.trainingFormValues),
                              status: status)
    }

    static func course(_ req: Request, _ ctx: PageContext, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let training = try req.training
        let found = try await training.course(try req.parameter("id"))
        let trainers = found.managed ? try await training.trainers() : []
        let bases = found.managed ? try await training.practiceBasesForSessions() : []
        return WebPage.render(ctx, title: found.course.title, active: "/training",
                              content: TrainingView.course(ctx, found.course, found.sessions, managed: found.managed, trainers: trainers, bases: bases,
                                                           errors: errors,
                                                           form: errors.isEmpty ? [:] : req.trainingFormValues),
                              status: status)
    }

    static func session(_ req: Request, _ ctx: PageContext, message: String? = nil, errors: [String] = [],
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        let detail = try await req.training.session(try req.parameter("id"))
        return WebPage.render(ctx, title: detail.course.title, active: "/training",
                              content: TrainingView.session(ctx, detail, message: message, errors: errors), status: status)
    }

    /// A change from the session page: back to the page when it worked, the page with the
    /// messages (nothing saved) when it did not.
    static func change(_ req: Request, _ ctx: PageContext, done: String = "ok", _ body: (String) async throws -> Void) async throws -> Response {
        let id = try req.parameter("id")
        do {
            try await body(id)
            return req.redirect(onSite: "/training/sessions/\(id)?done=\(done)", redirectType: .normal)
        } catch let error as StoreError where error.kind != .notFound {
            let messages = error.details.isEmpty ? [error.message(ctx.language)] : error.details.map { $0.message(ctx.language) }
            return try await session(req, ctx, errors: messages, status: error.kind == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    static func trainers(_ req: Request, _ ctx: PageContext, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let trainers = try await req.training.trainers()
        return WebPage.render(ctx, title: ctx.t("training.page.trainers"), active: "/training",
                              content: TrainingView.trainers(ctx, trainers, mayCreate: ctx.principal.isReadWriteOfficial || ctx.principal.role == .organizationManager,
                                                             errors: errors), status: status)
    }

    static func resources(_ req: Request, _ ctx: PageContext, errors: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let search = req.queryValue("q")
        let materials = try await req.training.materials(search: search)
        return WebPage.render(ctx, title: ctx.t("training.page.resources"), active: "/training",
                              content: TrainingView.resources(ctx, materials, search: search,
                                                              mayCreate: ctx.principal.isReadWriteOfficial || ctx.principal.role == .organizationManager,
                                                              errors: errors), status: status)
    }
}

extension Request {
    /// A form field, trimmed ("" when absent).
    func trainingField(_ name: String) -> String {
        ((try? content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A repeated form field (checkboxes), in order.
    func trainingFields(_ name: String) -> [String] {
        if let list = try? content.get([String].self, at: name) { return list.filter { !$0.isEmpty } }
        let one = trainingField(name)
        return one.isEmpty ? [] : [one]
    }

    /// The text fields as sent, to fill a form again after an error.
    var trainingFormValues: [String: String] {
        (try? content.decode([String: String].self)) ?? [:]
    }
}
