import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The incentive pages (issue #4 §1, §3–§7): policies with their editor and simulation, a
/// person's eligibility with the explanation, applications and their review, allowance runs,
/// payment batches and the ledger. Each handler decodes the request, loads the page's model
/// through `IncentiveService` — the same scoped and audited actions as the JSON API — and hands it
/// to a view that only renders (IncentiveViews.swift, IncentivePolicyViews.swift).
struct IncentivePages: RouteCollection {
    static let users: Set<Role> = [.official, .organizationManager, .socialWorker]
    static func isUser(_ p: Principal) -> Bool { users.contains(p.role) }
    static func isOfficial(_ p: Principal) -> Bool { p.role == .official }
    static func isWriter(_ p: Principal) -> Bool { p.isReadWriteOfficial }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "incentives", allow: Self.isUser) { req, ctx in try await Self.overview(ctx) }
        routes.page(.POST, "incentives", "allowance-runs", allow: Self.isWriter) { req, ctx in try await Self.runAllowance(req, ctx) }
        routes.page(.POST, "incentives", "batches", ":id", ":action", allow: Self.isWriter) { req, ctx in try await Self.batchStep(req, ctx) }
        routes.page(.GET, "incentives", "batches", ":id", allow: Self.isOfficial) { req, ctx in
            let service = try req.incentives, id = try req.parameter("id")
            // A read-write official who may run the policy sees the whole batch and its next step.
            let manage = Self.isWriter(ctx.principal) ? ((try? await service.batch(id, manage: true)) != nil) : false
            // `after`: the next page by the keyset cursor the previous page linked (docs/lists.md).
            let after = try req.queryString("after").map { token in
                guard let cursor = ListCursor(token: token, list: IncentiveLedger.linesListName) else { throw Abort(.badRequest) }
                return cursor
            }
            var model = try await BatchPageModel.load(service, id: id, after: after, page: try req.queryInt("page", default: 1), manage: manage)
            model.regionNames = try await (try req.regionService).names(of: model.lines.map(\.regionCode))
            return WebPage.render(ctx, title: ctx.t("incentives.batch_title", model.batch.number), active: "/incentives",
                                  content: BatchView.page(ctx, model), wide: true)
        }
        routes.page(.GET, "incentives", "lines", ":id", allow: Self.isOfficial) { req, ctx in
            let line = try await req.incentives.line(id: try req.parameter("id"))
            let number = try await req.incentives.batch(line.batchID).number
            return WebPage.render(ctx, title: ctx.t("incentives.line_title", String(line.id.suffix(12))), active: "/incentives",
                                  content: BatchView.line(ctx, line, batchNumber: number))
        }
        routes.page(.GET, "incentives", "batches", ":id", "export", allow: Self.isOfficial) { req, ctx in
            let format = try CensusController.sheetFormat(req)
            let id = try req.parameter("id")
            let url = CensusController.tempFile(req, format)
            try await req.incentives.export(batchID: id, to: url, format: format)
            let number = try await req.incentives.batch(id).number
            return try await CensusController.download(req, url: url, fileName: "发放名单-\(number).\(format.rawValue)", format: format)
        }
        try bootPolicies(routes)
        try bootApplications(routes)
    }

    /// A policy's page, the editor of a new one, and the editor's three buttons.
    private func bootPolicies(_ routes: any RoutesBuilder) throws {
        routes.page(.GET, "incentives", "policies", "new", allow: Self.isWriter) { req, ctx in
            let model = PolicyEditorModel(yaml: PolicyTemplate.yaml, month: CivilMonth(.today()), mayActivate: true)
            return WebPage.render(ctx, title: ctx.t("incentives.new_policy"), active: "/incentives", content: PolicyEditorView.editor(ctx, model))
        }
        routes.page(.GET, "incentives", "policies", ":id", allow: Self.isOfficial) { req, ctx in
            Self.policyPage(ctx, try await req.incentives.policy(try req.parameter("id")))
        }
        routes.page(.POST, "incentives", "policies", allow: Self.isOfficial) { req, ctx in try await Self.editPolicy(req, ctx) }
    }

    /// Eligibility, applying, an application and its review.
    private func bootApplications(_ routes: any RoutesBuilder) throws {
        routes.page(.GET, "incentives", "eligibility", ":person", allow: Self.isUser) { req, ctx in
            let date = req.queryValue("date").flatMap(CivilDate.init(censusText:)) ?? CivilDate.today()
            return try await Self.eligibilityPage(ctx, personID: try req.parameter("person"), date: date)
        }
        routes.page(.POST, "incentives", "applications", allow: Self.isUser) { req, ctx in try await Self.apply(req, ctx) }
        routes.page(.GET, "incentives", "applications", ":id", allow: Self.isUser) { req, ctx in
            try await Self.applicationPage(ctx, try await req.incentives.application(try req.parameter("id")))
        }
        routes.page(.POST, "incentives", "applications", ":id", "review", allow: Self.isWriter) { req, ctx in try await Self.review(req, ctx) }
    }

    // MARK: handlers

    static func overview(_ ctx: PageContext, notices: Node = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        var model = try await IncentiveOverview.load(try ctx.request.incentives, principal: ctx.principal, today: .today())
        model.regionNames = try await (try ctx.request.regionService).names(of: model.policies.map(\.jurisdiction))
        return WebPage.render(ctx, title: ctx.t("incentives.title"), active: "/incentives",
                              content: IncentiveOverviewView.page(ctx, model, notices: notices), status: status)
    }

    /// Approve a batch or record it paid: without `confirm`, the confirmation page with the lines
    /// and the total as they are now; with it, the step, refused by the service when the batch no
    /// longer holds the confirmed lines and total, or when four eyes forbid it.
    static func batchStep(_ req: Request, _ ctx: PageContext) async throws -> Response {
        let id = try req.parameter("id")
        let paid: Bool
        switch try req.parameter("action") {
        case "approve": paid = false
        case "paid": paid = true
        default: throw Abort(.badRequest)
        }
        let service = try req.incentives
        guard (try? req.content.get(String.self, at: "confirm")) == "1" else {
            let model = try await BatchPageModel.load(service, id: id, page: 1, manage: true)
            return WebPage.render(ctx, title: ctx.t(paid ? "incentives.confirm_paid_title" : "incentives.confirm_approve_title", model.batch.number),
                                  active: "/incentives", content: BatchView.confirmation(ctx, model, paid: paid))
        }
        guard let lines = (try? req.content.get(String.self, at: "lines")).flatMap({ Int($0) }),
              let total = (try? req.content.get(String.self, at: "totalFen")).flatMap({ Int($0) }) else { throw Abort(.badRequest) }
        let expected = BatchConfirmation(lines: lines, totalFen: total)
        let refusal: (message: String, status: HTTPResponseStatus)
        do {
            _ = paid ? try await service.markPaid(batchID: id, expected: expected) : try await service.approve(batchID: id, expected: expected)
            return req.redirect(onSite: "/incentives/batches/\(id)", redirectType: .normal)
        } catch let denied as AccessDenied where denied.code.hasPrefix("four_eyes.") {
            refusal = (denied.text.text(ctx.language), .forbidden)
        } catch let stale as StoreError where stale.code == "batch.confirmation_stale" {
            refusal = (stale.message(ctx.language), .conflict)
        }
        // The batch page again, with the rule that refused the step named at its top.
        let model = try await BatchPageModel.load(service, id: id, page: 1, manage: true)
        return WebPage.render(ctx, title: ctx.t("incentives.batch_title", model.batch.number), active: "/incentives",
                              content: .group(.notice(refusal.message, .error), BatchView.page(ctx, model)), status: refusal.status, wide: true)
    }

    /// A month's allowance for one policy, then the overview with what the run did.
    static func runAllowance(_ req: Request, _ ctx: PageContext) async throws -> Response {
        let policyID = (try? req.content.get(String.self, at: "policy")) ?? ""
        let monthText = ((try? req.content.get(String.self, at: "month")) ?? "").trimmingCharacters(in: .whitespaces)
        guard let month = CivilMonth(iso: monthText) else {
            return try await overview(ctx, notices: .notice(ctx.t("incentives.month_invalid"), .error), status: .unprocessableEntity)
        }
        let metrics = req.application.shegong.metrics
        let result = try await ShegongMetrics.timed(metrics.allowanceRun) { try await req.incentives.runAllowance(policyID: policyID, month: month) }
        return try await overview(ctx, notices: IncentiveOverviewView.runNotices(ctx, result))
    }

    static func policyPage(_ ctx: PageContext, _ policy: IncentivePolicy, loaded: Bool = false) -> Response {
        let editor = PolicyEditorModel(yaml: policy.yamlText, month: CivilMonth(.today()), mayActivate: isWriter(ctx.principal))
        return WebPage.render(ctx, title: policy.displayName.localized(ctx.language), active: "/incentives",
                              content: PolicyEditorView.policy(ctx, policy, loaded: loaded, editor: editor))
    }

    /// One form, three buttons: check, simulate, activate. A file with errors comes back with
    /// every error listed (422), the file as typed.
    static func editPolicy(_ req: Request, _ ctx: PageContext) async throws -> Response {
        let yaml = (try? req.content.get(String.self, at: "yaml")) ?? ""
        let action = (try? req.content.get(String.self, at: "action")) ?? "check"
        let month = ((try? req.content.get(String.self, at: "month")).flatMap { CivilMonth(iso: $0) }) ?? CivilMonth(.today())
        var model = PolicyEditorModel(yaml: yaml, month: month, mayActivate: isWriter(ctx.principal))
        var status = HTTPResponseStatus.ok
        do {
            switch action {
            case "load":
                guard model.mayActivate else { throw Abort(.forbidden) }
                return policyPage(ctx, try await req.incentives.load(yaml: yaml), loaded: true)
            case "simulate":
                model.outcome = .simulated(try await req.incentives.simulate(yaml: yaml, month: month, by: .county), month: month)
            default:
                model.outcome = .checked(try await req.incentives.check(yaml: yaml))
            }
        } catch let errors as PolicyErrorList {
            model.outcome = .errors(errors)
            status = .unprocessableEntity
        }
        return WebPage.render(ctx, title: ctx.t("incentives.editor"), active: "/incentives", content: PolicyEditorView.editor(ctx, model),
                              status: status)
    }

    static func eligibilityPage(_ ctx: PageContext, personID: String, date: CivilDate, notice: Node = .empty,
                                status: HTTPResponseStatus = .ok) async throws -> Response {
        let req = ctx.request
        let model = try await EligibilityModel.load(people: try req.personService, incentives: try req.incentives, personID: personID, date: date)
        return WebPage.render(ctx, title: ctx.t("incentives.eligibility_for", model.personName, date.description), active: "/incentives",
                              content: EligibilityView.page(ctx, model, notice: notice), status: status)
    }

    /// An application for an award, by the worker, their employer or an office; a refusal shows
    /// the person's eligibility again with the reason.
    static func apply(_ req: Request, _ ctx: PageContext) async throws -> Response {
        let personID = (try? req.content.get(String.self, at: "person")) ?? ""
        let policyID = (try? req.content.get(String.self, at: "policy")) ?? ""
        let number = try? req.content.get(String.self, at: "certificate")
        let applicant = ctx.t(ctx.principal.role == .socialWorker ? "incentives.applicant_self"
                              : ctx.principal.role == .organizationManager ? "incentives.applicant_employer" : "incentives.applicant_official")
        do {
            let application = try await req.incentives.apply(personID: personID, policyID: policyID, certificateNumber: number,
                                                             applicant: "\(applicant)（\(ctx.principal.username)）")
            return req.redirect(onSite: "/incentives/applications/\(application.id)", redirectType: .normal)
        } catch let error as StoreError where error.kind != .notFound {
            return try await eligibilityPage(ctx, personID: personID, date: .today(),
                                             notice: .notice(ctx.t("incentives.refused", error.message(ctx.language)), .error),
                                             status: error.kind == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    static func applicationPage(_ ctx: PageContext, _ application: ApplicationInfo, reasonError: String? = nil, notice: Node = .empty,
                                status: HTTPResponseStatus = .ok) async throws -> Response {
        let model = try await ApplicationModel.load(people: try ctx.request.personService, application: application, principal: ctx.principal)
        return WebPage.render(ctx, title: [ctx.t("incentives.application"), application.personName].compactMap { $0 }.joined(separator: " · "), active: "/incentives",
                              content: .group(notice, ApplicationView.page(ctx, model, reasonError: reasonError)), status: status)
    }

    /// A review step: approve, or return or reject with a reason (required, at most 500 characters).
    static func review(_ req: Request, _ ctx: PageContext) async throws -> Response {
        let id = try req.parameter("id")
        let reason = ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let action = ((try? req.content.get(String.self, at: "action")).flatMap(IncentiveLedger.ReviewAction.init(rawValue:))) else {
            throw Abort(.badRequest)
        }
        if action != .approve, reason.isEmpty {
            return try await applicationPage(ctx, try await req.incentives.application(id), reasonError: ctx.t("incentives.reason_required"),
                                             status: .unprocessableEntity)
        }
        do {
            let application = try await req.incentives.review(applicationID: id, action: action, reason: reason.isEmpty ? nil : String(reason.prefix(500)))
            return try await applicationPage(ctx, application)
        } catch let denied as AccessDenied where denied.code.hasPrefix("four_eyes.") {
            return try await applicationPage(ctx, try await req.incentives.application(id), notice: .notice(denied.text.text(ctx.language), .error),
                                             status: .forbidden)
        }
    }

}

/// The starting point of a new policy in the editor: a complete, valid example to adapt.
enum PolicyTemplate {
    static var yaml: String {
        ((try? PolicyStore.seedFiles()) ?? []).first { $0.name == "jingzhou-one-time-support.yaml" }?.yaml ?? ""
    }
}
