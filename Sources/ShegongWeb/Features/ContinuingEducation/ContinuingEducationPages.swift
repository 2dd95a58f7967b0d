import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The continuing-education pages: a person's ledger with each registration period explained
/// (and, for read-write officials, recognised learning, first registration and renewal), the
/// registration lists with their exports, and degree study. Each handler loads its model through
/// `ContinuingEducationService` and hands it to a view that only renders (ContinuingEducationViews.swift).
struct ContinuingEducationPages: RouteCollection {
    static func isReader(_ p: Principal) -> Bool { [.official, .organizationManager, .socialWorker].contains(p.role) }
    static func isListReader(_ p: Principal) -> Bool { [.official, .organizationManager].contains(p.role) }
    static func isOffice(_ p: Principal) -> Bool { p.isReadWriteOfficial }
    static func isDegreeWriter(_ p: Principal) -> Bool { PeoplePages.mayWrite(p) }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "people", ":id", "ledger", allow: Self.isReader) { req, ctx in
            try await Self.ledger(req, ctx, personID: try req.parameter("id"))
        }
        // Multipart with evidence files, read from the stream within the upload limit: the CSRF token
        // comes in the query, as with the plan page's reports.
        routes.page(.POST, "people", ":id", "ledger", "recognitions", body: .stream, allow: Self.isOffice) { req, ctx in
            let personID = try req.parameter("id")
            var sent: [String: String] = [:]
            do {
                let (fields, files) = try await ContinuingEducationController.multipart(req)
                sent = fields
                let input = ContinuingEducationService.RecognitionInput(title: fields["title"] ?? "", hours: fields["hours"] ?? "",
                                                                       learnedOn: fields["learnedOn"] ?? "")
                _ = try await req.continuingEducation.recognise(personID: personID, input, files: files)
            } catch let error as StoreError where error.kind == .invalid {
                let separator = ctx.t("plans.message_separator")
                let fields = Dictionary(error.details.map { (String($0.field?.prefix { $0 != "[" } ?? "evidence"), $0.message(ctx.language)) }) { $0 + separator + $1 }
                return try await Self.ledger(req, ctx, personID: personID, form: LedgerForm(errors: fields, values: sent), status: .unprocessableEntity)
            } catch let error as APIError where error.status == .payloadTooLarge {
                let form = LedgerForm(errors: ["evidence": ctx.t("evidence.too_large", String(ReportSubmission.limit(req) >> 20))], values: sent)
                return try await Self.ledger(req, ctx, personID: personID, form: form, status: .payloadTooLarge)
            }
            return req.redirect(onSite: "/people/\(Self.escaped(personID))/ledger?done=recognised", redirectType: .normal)
        }
        routes.page(.POST, "people", ":id", "ledger", "registrations", allow: Self.isOffice) { req, ctx in
            let personID = try req.parameter("id")
            let date = try? req.content.get(String.self, at: "registeredOn")
            do {
                _ = try await req.continuingEducation.registerFirst(personID: personID, on: date)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.ledger(req, ctx, personID: personID, form: LedgerForm(registration: Self.messages(error, ctx)), status: .unprocessableEntity)
            }
            return req.redirect(onSite: "/people/\(Self.escaped(personID))/ledger?done=registered", redirectType: .normal)
        }
        routes.page(.POST, "people", ":id", "ledger", "renewals", allow: Self.isOffice) { req, ctx in
            let personID = try req.parameter("id")
            do {
                _ = try await req.continuingEducation.renew(personID: personID)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.ledger(req, ctx, personID: personID, form: LedgerForm(registration: Self.messages(error, ctx)), status: .unprocessableEntity)
            }
            return req.redirect(onSite: "/people/\(Self.escaped(personID))/ledger?done=renewed", redirectType: .normal)
        }
        routes.page(.GET, "education-evidence", ":id", allow: Self.isReader) { req, _ in
            try await ContinuingEducationController.evidenceDownload(req, id: try req.parameter("id"))
        }
        routes.page(.GET, "registrations", allow: Self.isListReader) { req, ctx in
            let kind = try ContinuingEducationController.listKind(req)
            if req.queryString("format") != nil { return try await ContinuingEducationController.export(req) }
            let model = try await RegistrationListModel.load(req, ctx, kind: kind)
            return WebPage.render(ctx, title: ctx.t("registration.title"), active: "/registrations",
                                  content: RegistrationListView.page(ctx, model), wide: true)
        }
        routes.page(.GET, "degree-studies", allow: Self.isReader) { req, ctx in
            try await Self.degrees(req, ctx, form: DegreeForm())
        }
        routes.page(.POST, "people", ":id", "ledger", "degrees", allow: Self.isDegreeWriter) { req, ctx in
            let personID = try req.parameter("id")
            let values = (try? req.content.decode([String: String].self)) ?? [:]
            let input = ContinuingEducationService.NewDegreeStudy(
                personID: personID, institution: values["institution"] ?? "", level: values["level"] ?? "",
                mode: values["mode"] ?? "", startDate: values["startDate"] ?? "", expectedCompletion: values["expectedCompletion"] ?? "")
            do {
                _ = try await req.continuingEducation.enrol(input)
            } catch let error as StoreError where error.kind == .invalid {
                let form = LedgerForm(degreeErrors: error.fieldMessages(ctx.language, fallback: "institution"), degreeValues: values)
                return try await Self.ledger(req, ctx, personID: personID, form: form, status: .unprocessableEntity)
            }
            return req.redirect(onSite: "/people/\(Self.escaped(personID))/ledger?done=enrolled", redirectType: .normal)
        }
        routes.page(.POST, "degree-studies", ":id", "completion", allow: Self.isDegreeWriter) { req, ctx in
            let id = try req.parameter("id")
            let date = (try? req.content.get(String.self, at: "completedOn")) ?? ""
            do {
                _ = try await req.continuingEducation.complete(id: id, on: date, source: "web")
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.degrees(req, ctx, form: DegreeForm(completion: (id, error.fieldMessages(ctx.language, fallback: "completedOn")["completedOn"]
                                                                                          ?? error.message(ctx.language))),
                                              status: .unprocessableEntity)
            }
            return req.redirect(onSite: "/degree-studies?done=completed", redirectType: .normal)
        }
    }

    /// An id as one path segment (record ids are letters, digits and hyphens; anything else is escaped).
    static func escaped(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? ""
    }

    static func messages(_ error: StoreError, _ ctx: PageContext) -> [String] {
        error.details.isEmpty ? [error.message(ctx.language)] : [error.message(ctx.language)] + error.details.map { $0.message(ctx.language) }
    }

    static func ledger(_ req: Request, _ ctx: PageContext, personID: String, form: LedgerForm = LedgerForm(),
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let ledger = try await req.continuingEducation.ledger(personID: personID)
        let model = LedgerModel(ledger: ledger, mayRecord: isOffice(ctx.principal), mayEnrol: isDegreeWriter(ctx.principal), form: form,
                                done: req.queryString("done"), regionName: try await req.regionService.names(of: [ledger.person.regionCode])[ledger.person.regionCode])
        return WebPage.render(ctx, title: ctx.t("ledger.title", ledger.person.name), active: ctx.principal.role == .socialWorker ? "/" : "/people",
                              content: LedgerView.page(ctx, model), status: status, wide: true)
    }

    static func degrees(_ req: Request, _ ctx: PageContext, form: DegreeForm, status: HTTPResponseStatus = .ok) async throws -> Response {
        let completed: Bool? = req.queryString("completed").map { $0 == "true" }
        let page = try await req.continuingEducation.degrees(regionCode: req.queryString("region"), completed: completed,
                                                            page: try req.queryInt("page", default: 1), perPage: 50)
        let names = try await req.regionService.names(of: page.items.map(\.regionCode))
        let model = DegreeListModel(studies: page, regionNames: names, mayWrite: isDegreeWriter(ctx.principal), form: form,
                                    done: req.queryString("done"), today: .today())
        return WebPage.render(ctx, title: ctx.t("degree.title"), active: "/degree-studies", content: DegreeView.page(ctx, model),
                              status: status, wide: true)
    }
}

/// The recognition and registration forms' messages and values after a refusal.
struct LedgerForm {
    var errors: [String: String] = [:]
    var values: [String: String] = [:]
    var registration: [String] = []
    var degreeErrors: [String: String] = [:]
    var degreeValues: [String: String] = [:]
}

struct LedgerModel {
    var ledger: ContinuingEducationService.Ledger
    var mayRecord: Bool
    var mayEnrol: Bool
    var form: LedgerForm
    var done: String?
    var regionName: String?
}

struct RegistrationListModel {
    var kind: RegistrationListKind
    var items: ShegongStore.Page<RegistrationListItem>
    var regionNames: [String: String]
    var regionCode: String?
    var organizationID: String?
    var organizations: [OrganizationInfo]
    /// The region filter: the region picker (`region_1`…, or a plain `region=CODE` from a link).
    var region: RegionPicker

    static func load(_ req: Request, _ ctx: PageContext, kind: RegistrationListKind) async throws -> RegistrationListModel {
        let pick = try await req.regionPick("region")
        let region = pick.code, organization = req.queryString("organization")
        let items = try await req.continuingEducation.list(kind, regionCode: region, organizationID: organization,
                                                          page: try req.queryInt("page", default: 1), perPage: 50)
        let names = try await req.regionService.names(of: items.items.map(\.regionCode))
        let organizations = try await req.organizationService.choices().items
        let picker = try await req.regionPicker("region", label: ctx.t("field.region"), selected: region, search: pick.search)
        return RegistrationListModel(kind: kind, items: items, regionNames: names, regionCode: region, organizationID: organization,
                                     organizations: organizations, region: picker)
    }
}

struct DegreeForm {
    /// The study whose completion was refused, and why.
    var completion: (id: String, message: String)?
}

struct DegreeListModel {
    var studies: ShegongStore.Page<DegreeStudy>
    var regionNames: [String: String]
    var mayWrite: Bool
    var form: DegreeForm
    var done: String?
    var today: CivilDate
}

/// The home page's reminders: a worker's own registration status with a link to their ledger, an
/// employer's link to their staff who are due.
enum RenewalReminder {
    static func worker(_ req: Request, _ ctx: PageContext) async throws -> Node {
        guard let ledger = try await req.continuingEducation.ownLedger() else { return .empty }
        let decision = ledger.decision
        let kind: Node.NoticeKind = [.firstOverdue, .overdue].contains(decision.status) ? .error
            : [.firstDue, .window].contains(decision.status) ? .warning : .info
        return .section(.id("renewal-reminder"), .data("data-status", decision.status.rawValue),
                        .notice(LedgerView.reminder(ctx, decision), kind),
                        .p(.link("/people/\(ContinuingEducationPages.escaped(ledger.person.id))/ledger", ctx.t("renewal.home.ledger"))))
    }

    static func employer(_ ctx: PageContext) -> Node {
        .p(.id("renewal-staff-due"), .link("/registrations?list=due", ctx.t("renewal.home.staff_due")))
    }
}
