import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The incentive pages (issue #4 §1, §3–§7): policies with their editor and simulation, a
/// person's eligibility with the explanation, applications and their review, allowance runs,
/// payment batches and the ledger. Everything goes through `IncentiveService`, the same scoped
/// and audited actions as the JSON API.
struct IncentivePages: RouteCollection {
    static let users: Set<Role> = [.official, .organizationManager, .socialWorker]
    static func isUser(_ p: Principal) -> Bool { users.contains(p.role) }
    static func isOfficial(_ p: Principal) -> Bool { p.role == .official }
    static func isWriter(_ p: Principal) -> Bool { p.isReadWriteOfficial }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "incentives", allow: Self.isUser) { req, ctx in try await Self.overview(ctx) }
        routes.page(.POST, "incentives", "allowance-runs", allow: Self.isWriter) { req, ctx in
            let policyID = (try? req.content.get(String.self, at: "policy")) ?? ""
            let monthText = ((try? req.content.get(String.self, at: "month")) ?? "").trimmingCharacters(in: .whitespaces)
            guard let month = CivilMonth(iso: monthText) else {
                return try await Self.overview(ctx, notice: HTML.notice(ctx.t("incentives.month_invalid"), kind: "error"), status: .unprocessableEntity)
            }
            let result = try await req.incentives.runAllowance(policyID: policyID, month: month)
            var notice = HTML.notice(ctx.t("incentives.run_result", String(result.batch.id.prefix(8)), String(result.considered),
                                           String(result.added), String(result.arrearsAdded)), kind: "ok")
            if let warning = result.budgetWarning { notice += HTML.notice(warning.text(ctx.language), kind: "warn") }
            return try await Self.overview(ctx, notice: notice)
        }
        routes.page(.POST, "incentives", "batches", ":id", ":action", allow: Self.isWriter) { req, ctx in
            let id = try req.parameter("id")
            switch try req.parameter("action") {
            case "approve": _ = try await req.incentives.approve(batchID: id)
            case "paid": _ = try await req.incentives.markPaid(batchID: id)
            default: throw Abort(.badRequest)
            }
            return req.redirect(onSite: "/incentives#batches", redirectType: .normal)
        }
        routes.page(.GET, "incentives", "batches", ":id", allow: Self.isOfficial) { req, ctx in
            try await Self.batchPage(ctx, id: try req.parameter("id"))
        }
        routes.page(.GET, "incentives", "lines", ":id", allow: Self.isOfficial) { req, ctx in
            try await Self.linePage(ctx, id: try req.parameter("id"))
        }
        routes.page(.GET, "incentives", "batches", ":id", "export", allow: Self.isOfficial) { req, ctx in
            let format = try CensusController.sheetFormat(req)
            let id = try req.parameter("id")
            let url = CensusController.tempFile(req, format)
            try await req.incentives.export(batchID: id, to: url, format: format)
            return try await CensusController.download(req, url: url, fileName: "发放名单-\(id.prefix(8)).\(format.rawValue)", format: format)
        }
        routes.page(.GET, "incentives", "policies", "new", allow: Self.isWriter) { req, ctx in
            Self.editor(ctx, yaml: PolicyTemplate.yaml, title: ctx.t("incentives.new_policy"))
        }
        routes.page(.GET, "incentives", "policies", ":id", allow: Self.isOfficial) { req, ctx in
            let policy = try await req.incentives.policy(try req.parameter("id"))
            return Self.policyPage(ctx, policy)
        }
        // One form, three buttons: check, simulate, activate.
        routes.page(.POST, "incentives", "policies", allow: Self.isOfficial) { req, ctx in
            let yaml = (try? req.content.get(String.self, at: "yaml")) ?? ""
            let action = (try? req.content.get(String.self, at: "action")) ?? "check"
            let title = ctx.t("incentives.editor")
            do {
                switch action {
                case "load":
                    guard Self.isWriter(ctx.principal) else { throw Abort(.forbidden) }
                    let policy = try await req.incentives.load(yaml: yaml)
                    return Self.policyPage(ctx, policy, notice: HTML.notice(ctx.t("incentives.loaded", policy.name), kind: "ok"))
                case "simulate":
                    let monthText = (try? req.content.get(String.self, at: "month")) ?? ""
                    let month = CivilMonth(iso: monthText) ?? CivilMonth(CivilDate.today())
                    let rows = try await req.incentives.simulate(yaml: yaml, month: month, by: .county)
                    return Self.editor(ctx, yaml: yaml, title: title, result: Self.simulation(ctx, rows, month: month))
                default:
                    let policy = try await req.incentives.check(yaml: yaml)
                    return Self.editor(ctx, yaml: yaml, title: title,
                                       result: HTML.notice(ctx.t("incentives.check_ok", policy.name, String(policy.versions.count)), kind: "ok"))
                }
            } catch let error as PolicyErrorList {
                let list = error.errors.map { e in
                    let place = [e.line.map { ctx.t("incentives.line", String($0)) }, e.path].compactMap { $0 }.joined(separator: " · ")
                    return "<li>" + HTML.escape(ctx.t("incentives.error_at", place, e.text.text(ctx.language))) + "</li>"
                }.joined()
                let result = #"<div class="alert error" role="alert" id="policy-errors"><p>\#(HTML.escape(ctx.t("incentives.errors", String(error.errors.count))))</p><ul>\#(list)</ul></div>"#
                return Self.editor(ctx, yaml: yaml, title: title, result: result, status: .unprocessableEntity)
            }
        }
        routes.page(.GET, "incentives", "eligibility", ":person", allow: Self.isUser) { req, ctx in
            let date = req.query[String.self, at: "date"].flatMap(CivilDate.init(censusText:)) ?? CivilDate.today()
            return try await Self.eligibilityPage(ctx, personID: try req.parameter("person"), date: date)
        }
        routes.page(.POST, "incentives", "applications", allow: Self.isUser) { req, ctx in
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
                return try await Self.eligibilityPage(ctx, personID: personID, date: .today(),
                                                      notice: HTML.notice(ctx.t("incentives.refused", error.message(ctx.language)), kind: "error"),
                                                      status: error.kind == .conflict ? .conflict : .unprocessableEntity)
            }
        }
        routes.page(.GET, "incentives", "applications", ":id", allow: Self.isUser) { req, ctx in
            try await Self.applicationPage(ctx, try await req.incentives.application(try req.parameter("id")))
        }
        routes.page(.POST, "incentives", "applications", ":id", "review", allow: Self.isWriter) { req, ctx in
            let id = try req.parameter("id")
            let reason = ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard let action = ((try? req.content.get(String.self, at: "action")).flatMap(IncentiveLedger.ReviewAction.init(rawValue:))) else {
                throw Abort(.badRequest)
            }
            if action != .approve, reason.isEmpty {
                return try await Self.applicationPage(ctx, try await req.incentives.application(id), reasonError: ctx.t("incentives.reason_required"),
                                                      status: .unprocessableEntity)
            }
            let application = try await req.incentives.review(applicationID: id, action: action, reason: reason.isEmpty ? nil : String(reason.prefix(500)))
            return try await Self.applicationPage(ctx, application)
        }
    }

    // MARK: pages

    static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let value = abs(fen)
        return value % 100 == 0 ? "\(sign)\(value / 100)" : String(format: "%@%d.%02d", sign, value / 100, value % 100)
    }

    /// A status as a badge: its name in the page's language, its stored value as the class.
    static func badge<Status: CatalogueNamed & RawRepresentable>(_ ctx: PageContext, _ status: Status) -> String where Status.RawValue == String {
        #"<span class="status \#(HTML.escape(status.rawValue))">\#(HTML.escape(status.localizedName(ctx.language)))</span>"#
    }

    /// Every rule the engine checked, with the value it saw, the outcome and the source.
    static func checks(_ ctx: PageContext, _ decision: EligibilityDecision, id: String) -> String {
        let t = ctx.t, lang = ctx.language
        return table(id: id, [t("incentives.rule"), t("incentives.requirement"), t("incentives.observed"), t("incentives.outcome"), t("incentives.sources")],
                     decision.checks.map { c in
                         [HTML.escape(c.rule.title.localized(lang)), HTML.escape(c.requirement.localized(lang)), HTML.escape(c.observed.localized(lang)),
                          badge(ctx, c.outcome) + "<br><small>\(HTML.escape(c.message.localized(lang)))</small>",
                          HTML.escape(c.source?.citationText ?? "")]
                     })
    }

    static func table(id: String, _ headers: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        let head = headers.enumerated().map { "<th\(numeric.contains($0.offset) ? #" class="num""# : "")>\(HTML.escape($0.element))</th>" }.joined()
        let body = rows.map { row in
            "<tr>" + row.enumerated().map { "<td\(numeric.contains($0.offset) ? #" class="num""# : "")>\($0.element)</td>" }.joined() + "</tr>"
        }.joined()
        return #"<table id="\#(id)"><thead><tr>\#(head)</tr></thead><tbody>\#(body)</tbody></table>"#
    }

    /// A payment batch and its lines (people in the principal's scope), each linked to its explanation.
    static func batchPage(_ ctx: PageContext, id: String) async throws -> Response {
        let t = ctx.t, req = ctx.request
        let batch = try await req.incentives.batch(id)
        let page = try req.queryInt("page", default: 1)
        let lines = try await req.incentives.lines(batchID: batch.id, page: page)
        var html = #"<dl class="facts"><dt>\#(HTML.escape(t("incentives.policy_name")))</dt><dd>\#(HTML.escape(batch.policyID))</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.month")))</dt><dd>\#(HTML.escape(batch.month))</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.state")))</dt><dd>\#(badge(ctx, batch.status))</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.lines")))</dt><dd>\#(batch.lines)</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.amount")))</dt><dd>\#(yuan(batch.totalFen))</dd></dl>"#
        html += #"<p class="no-print"><a href="/incentives/batches/\#(HTML.escape(batch.id))/export?format=xlsx">XLSX</a> · "#
            + #"<a href="/incentives/batches/\#(HTML.escape(batch.id))/export?format=csv">CSV</a></p>"#
        html += lines.rows.isEmpty ? "<p>\(HTML.escape(t("incentives.none")))</p>" : table(
            id: "batch-lines", [t("field.name"), t("field.residentID"), t("field.regionCode"), t("incentives.line_kind"), t("incentives.month"),
                                t("incentives.certificate"), t("incentives.amount"), t("incentives.state"), ""],
            lines.rows.map { l in
                [HTML.escape(l.personName), HTML.escape(l.idMasked), HTML.escape(l.regionCode), HTML.escape(t("incentives.line_kind.\(l.kind)")),
                 HTML.escape(l.month ?? ""), HTML.escape(l.level ?? ""), yuan(l.amountFen), badge(ctx, l.state),
                 #"<a href="/incentives/lines/\#(HTML.escape(l.id))">\#(HTML.escape(t("incentives.explanation")))</a>"#]
            }, numeric: [6])
        html += Pager.node(ctx, page: page, perPage: 100, total: lines.total).render()
        return WebPage.render(ctx, title: t("incentives.batch_title", String(batch.id.prefix(8))), active: "/incentives", content: html, wide: true)
    }

    /// One payment line and the decision that justified it, rule by rule.
    static func linePage(_ ctx: PageContext, id: String) async throws -> Response {
        let t = ctx.t
        let line = try await ctx.request.incentives.line(id: id)
        let decision = line.decision
        var html = #"<dl class="facts"><dt>\#(HTML.escape(t("incentives.batch")))</dt><dd><a href="/incentives/batches/\#(HTML.escape(line.batchID))">\#(HTML.escape(String(line.batchID.prefix(8))))</a></dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.policy_name")))</dt><dd>\#(HTML.escape(decision.policyName.localized(ctx.language)))</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.line_kind")))</dt><dd>\#(HTML.escape(t("incentives.line_kind.\(line.kind)")))</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.month")))</dt><dd>\#(HTML.escape(line.month ?? ""))</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.amount")))</dt><dd>\#(yuan(line.amountFen))</dd>"#
            + #"<dt>\#(HTML.escape(t("incentives.state")))</dt><dd>\#(badge(ctx, line.state))</dd></dl>"#
        html += "<h2>\(HTML.escape(t("incentives.explanation")))</h2>" + checks(ctx, decision, id: "line-checks")
        html += #"<p><a href="/people/\#(HTML.escape(line.personID))">\#(HTML.escape(t("incentives.line_person")))</a></p>"#
        return WebPage.render(ctx, title: t("incentives.line_title", String(line.id.suffix(12))), active: "/incentives", content: html)
    }

    static func overview(_ ctx: PageContext, notice: String = "", status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        let service = try ctx.request.incentives
        var html = notice
        if isOfficial(ctx.principal) {
            let policies = try await service.visiblePolicies()
            html += "<h2>\(HTML.escape(t("incentives.policies")))</h2>"
            if isWriter(ctx.principal) { html += #"<p><a class="button secondary" href="/incentives/policies/new">\#(HTML.escape(t("incentives.new_policy")))</a></p>"# }
            html += table(id: "policies", [t("incentives.policy_name"), t("incentives.jurisdiction"), t("incentives.kind"), t("incentives.active")],
                          policies.map { p in
                              [#"<a href="/incentives/policies/\#(HTML.escape(p.id))">\#(HTML.escape(p.name))</a>"# + (p.placeholder ? " <small class=\"muted\">\(HTML.escape(t("incentives.placeholder")))</small>" : ""),
                               HTML.escape(p.jurisdiction), HTML.escape(IncentiveKind(rawValue: p.kind)?.text.localized(ctx.language) ?? p.kind),
                               p.active ? "✓" : "—"]
                          })
            let visible = Set(policies.map(\.id))
            let batches = try await service.batches(policyID: nil, visible: visible)
            html += #"<h2 id="batches">\#(HTML.escape(t("incentives.batches")))</h2>"#
            if isWriter(ctx.principal) {
                let monthly = policies.filter { $0.kind == IncentiveKind.monthlyAllowance.rawValue && $0.active }
                if !monthly.isEmpty {
                    html += #"<form method="post" action="/incentives/allowance-runs" class="search" id="allowance-run">\#(ctx.csrfField)"#
                        + Form.select(t("incentives.policy_name"), name: "policy", options: monthly.map { ($0.id, $0.name) }, selected: nil)
                        + Form.field(t("incentives.month"), name: "month", value: CivilMonth(CivilDate.today()).description, required: true,
                                     attributes: #"pattern="[0-9]{4}-[0-9]{2}""#)
                        + #"<button type="submit">\#(HTML.escape(t("incentives.run")))</button></form>"#
                }
            }
            html += batches.isEmpty ? "<p>\(HTML.escape(t("incentives.none")))</p>" : table(
                id: "batch-list", [t("incentives.batch"), t("incentives.policy_name"), t("incentives.month"), t("incentives.lines"),
                                   t("incentives.amount"), t("incentives.state"), t("incentives.approved_by"), ""],
                batches.map { b in
                    var actions = #"<a href="/incentives/batches/\#(HTML.escape(b.id))/export?format=xlsx">XLSX</a> <a href="/incentives/batches/\#(HTML.escape(b.id))/export?format=csv">CSV</a>"#
                    if isWriter(ctx.principal), b.status == .draft || b.status == .approved {
                        let action = b.status == .draft ? ("approve", "incentives.approve_batch") : ("paid", "incentives.mark_paid")
                        actions += #" <form method="post" action="/incentives/batches/\#(HTML.escape(b.id))/\#(action.0)" class="inline">\#(ctx.csrfField)<button type="submit" class="secondary">\#(HTML.escape(t(action.1)))</button></form>"#
                    }
                    return [#"<a href="/incentives/batches/\#(HTML.escape(b.id))">\#(HTML.escape(String(b.id.prefix(8))))</a>"#, HTML.escape(b.policyID), HTML.escape(b.month), String(b.lines), yuan(b.totalFen),
                            badge(ctx, b.status), HTML.escape(b.approvedBy ?? ""), actions]
                }, numeric: [3, 4])
            let totals = try await service.ledger(policyID: nil, byRegion: false, visible: visible)
            html += "<h2>\(HTML.escape(t("incentives.ledger")))</h2>"
            html += totals.isEmpty ? "<p>\(HTML.escape(t("incentives.none")))</p>" : table(
                id: "ledger", [t("incentives.policy_name"), t("incentives.month"), t("incentives.state"), t("incentives.lines"), t("incentives.amount")],
                totals.map { [HTML.escape($0.policyID), HTML.escape($0.month ?? ""), badge(ctx, $0.state), String($0.lines), yuan($0.totalFen)] },
                numeric: [3, 4])
        }
        if case .socialWorker(let person) = ctx.principal.grant {
            html += #"<p><a class="button" href="/incentives/eligibility/\#(HTML.escape(person))">\#(HTML.escape(t("incentives.eligibility")))</a></p>"#
        }
        let applications = try await service.applications(status: nil, policyID: nil)
        html += "<h2>\(HTML.escape(t("incentives.applications")))</h2>"
        html += applications.isEmpty ? "<p>\(HTML.escape(t("incentives.none")))</p>" : table(
            id: "applications", [t("incentives.application"), t("incentives.policy_name"), t("incentives.certificate"), t("incentives.amount"),
                                 t("incentives.submitted_on"), t("incentives.status")],
            applications.map { a in
                [#"<a href="/incentives/applications/\#(HTML.escape(a.id))">\#(HTML.escape(String(a.id.prefix(8))))</a>"#, HTML.escape(a.policyID),
                 HTML.escape("\(a.level) \(a.certificateNumber)"), yuan(a.amountFen), HTML.escape(a.submittedOn), applicationStatus(ctx, a)]
            }, numeric: [3])
        return WebPage.render(ctx, title: t("incentives.title"), active: "/incentives", content: html, status: status)
    }

    static func applicationStatus(_ ctx: PageContext, _ a: ApplicationInfo) -> String {
        var text = badge(ctx, a.status)
        if let awaiting = a.awaiting {
            let level = RegionLevel.allCases.first { $0.englishName.lowercased() == awaiting.lowercased() }
            text += " " + HTML.escape(ctx.t("status.application.awaiting", level?.localizedName(ctx.language) ?? awaiting))
        }
        return text
    }

    static func policyPage(_ ctx: PageContext, _ policy: IncentivePolicy, notice: String = "") -> Response {
        let t = ctx.t
        let lang = ctx.language
        var html = notice
        html += "<p>\(HTML.escape(policy.kind.text.localized(lang))) · \(HTML.escape(t("incentives.jurisdiction"))) \(HTML.escape(policy.jurisdiction.value))</p>"
        if policy.placeholderAmounts { html += HTML.notice(t("incentives.placeholder"), kind: "warn") }
        html += "<h2>\(HTML.escape(t("incentives.versions")))</h2>"
        html += table(id: "versions", [t("incentives.period"), t("incentives.amounts"), t("incentives.window"), t("incentives.upgrade"),
                                       t("incentives.pro_rata"), t("incentives.budget")],
                      policy.versions.map { v in
                          let amounts = CertificateLevel.allCases.compactMap { level in v.amounts[level].map { "\(level.localizedName(lang)) \(yuan($0))" } }
                          return [HTML.escape(v.periodText.localized(lang)), HTML.escape(amounts.joined(separator: " / ")),
                                  HTML.escape(v.applicationWindow?.text.localized(lang) ?? "—"), HTML.escape(v.upgrade?.text.localized(lang) ?? "—"),
                                  HTML.escape(v.proRata?.text.localized(lang) ?? "—"),
                                  HTML.escape(v.budgetCap.map { "\(yuan($0.amountFen)) / \($0.period.rawValue)" } ?? "—")]
                      })
        html += "<h2>\(HTML.escape(t("incentives.sources")))</h2><ul>"
            + policy.sources.map { "<li>\(HTML.escape($0.citationText))</li>" }.joined() + "</ul>"
        return editor(ctx, yaml: policy.yamlText, title: policy.displayName.localized(lang), before: html)
    }

    static func editor(_ ctx: PageContext, yaml: String, title: String, before: String = "", result: String = "",
                       status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t
        var html = before + result
        html += "<h2>\(HTML.escape(t("incentives.editor")))</h2><p class=\"muted\">\(HTML.escape(t("incentives.editor_hint")))</p>"
        html += #"<form method="post" action="/incentives/policies" id="policy-editor">\#(ctx.csrfField)"#
            + #"<div class="field"><textarea name="yaml" rows="24" spellcheck="false" aria-label="YAML">\#(HTML.escape(yaml))</textarea></div>"#
            + Form.field(t("incentives.simulation_month"), name: "month", value: CivilMonth(CivilDate.today()).description)
            + #"<button type="submit" name="action" value="check" class="secondary">\#(HTML.escape(t("incentives.check")))</button> "#
            + #"<button type="submit" name="action" value="simulate" class="secondary">\#(HTML.escape(t("incentives.simulate")))</button> "#
        if isWriter(ctx.principal) { html += #"<button type="submit" name="action" value="load">\#(HTML.escape(t("incentives.activate")))</button>"# }
        html += "</form>"
        return WebPage.render(ctx, title: title, active: "/incentives", content: html, status: status)
    }

    static func simulation(_ ctx: PageContext, _ rows: [PolicyComparisonRow], month: CivilMonth) -> String {
        let t = ctx.t
        var total = (PolicySimulationFigures(), PolicySimulationFigures())
        for row in rows { total.0.add(row.draft); total.1.add(row.live) }
        func cells(_ region: String, _ draft: PolicySimulationFigures, _ live: PolicySimulationFigures) -> [String] {
            [HTML.escape(region), String(draft.peopleInMonth), yuan(draft.monthFen), String(draft.peopleInYear), yuan(draft.yearFen),
             String(live.peopleInMonth), yuan(live.monthFen), String(live.peopleInYear), yuan(live.yearFen), yuan(draft.yearFen - live.yearFen)]
        }
        let d = t("incentives.draft"), l = t("incentives.live")
        return "<h2>\(HTML.escape(t("incentives.simulation", month.description)))</h2>" + table(
            id: "simulation",
            [t("incentives.jurisdiction"), "\(d) · \(t("incentives.people_month"))", "\(d) · \(t("incentives.cost_month"))",
             "\(d) · \(t("incentives.people_year"))", "\(d) · \(t("incentives.cost_year"))", "\(l) · \(t("incentives.people_month"))",
             "\(l) · \(t("incentives.cost_month"))", "\(l) · \(t("incentives.people_year"))", "\(l) · \(t("incentives.cost_year"))",
             t("incentives.difference_year")],
            rows.map { cells($0.region?.value ?? "—", $0.draft, $0.live) } + [cells(t("incentives.total"), total.0, total.1)],
            numeric: Set(1...9))
    }

    static func eligibilityPage(_ ctx: PageContext, personID: String, date: CivilDate, notice: String = "",
                                status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        let lang = ctx.language
        let person = try await ctx.request.scopedPerson(personID)
        let decisions = try await ctx.request.incentives.eligibility(personID: person.id, on: date)
        var html = notice
        html += #"<form method="get" class="search no-print">\#(Form.field(t("incentives.submitted_on"), name: "date", value: date.description, type: "date"))<button type="submit">\#(HTML.escape(t("action.view")))</button></form>"#
        if decisions.isEmpty { html += "<p>\(HTML.escape(t("incentives.no_policies")))</p>" }
        for decision in decisions {
            let verdict = decision.eligible ? t("incentives.eligible") : t("incentives.not_eligible")
            html += #"<section class="decision" id="decision-\#(HTML.escape(decision.policyID))"><h2>\#(HTML.escape(decision.policyName.localized(lang)))</h2>"#
            html += "<p><span class=\"status \(decision.eligible ? "approved" : "rejected")\">\(HTML.escape(verdict))</span>"
            if decision.eligible { html += " · \(HTML.escape(t("incentives.amount"))) <strong>\(yuan(decision.amountFen))</strong>" }
            if decision.placeholderAmounts { html += " <small class=\"muted\">\(HTML.escape(t("incentives.placeholder")))</small>" }
            html += "</p>"
            html += checks(ctx, decision, id: "checks-\(HTML.escape(decision.policyID))")
            if decision.eligible, decision.kind == .oneTimeAward, let certificate = decision.certificate {
                html += #"<form method="post" action="/incentives/applications" class="inline apply">\#(ctx.csrfField)"#
                    + #"<input type="hidden" name="person" value="\#(HTML.escape(person.id))"><input type="hidden" name="policy" value="\#(HTML.escape(decision.policyID))">"#
                    + #"<input type="hidden" name="certificate" value="\#(HTML.escape(certificate.number))">"#
                    + #"<button type="submit">\#(HTML.escape(t("incentives.apply")))</button></form>"#
            }
            html += "</section>"
        }
        return WebPage.render(ctx, title: t("incentives.eligibility_for", person.name, date.description), active: "/incentives",
                              content: html, status: status)
    }

    static func applicationPage(_ ctx: PageContext, _ a: ApplicationInfo, reasonError: String? = nil,
                                status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        var html = "<table class=\"facts\"><tbody>"
        func row(_ label: String, _ value: String) -> String { "<tr><th scope=\"row\">\(HTML.escape(label))</th><td>\(value)</td></tr>" }
        html += row(t("incentives.person"), #"<a href="/people/\#(HTML.escape(a.personID))">\#(HTML.escape(a.personID))</a>"#)
        html += row(t("incentives.policy_name"), HTML.escape(a.policyID))
        html += row(t("incentives.certificate"), HTML.escape("\(a.level) \(a.certificateNumber)"))
        html += row(t("incentives.amount"), yuan(a.amountFen))
        html += row(t("incentives.applicant"), HTML.escape(a.applicant))
        html += row(t("incentives.submitted_on"), HTML.escape(a.submittedOn))
        html += row(t("incentives.status"), applicationStatus(ctx, a))
        if let reason = a.reason { html += row(t("incentives.reason"), HTML.escape(reason)) }
        html += "</tbody></table>"
        html += "<h2>\(HTML.escape(t("incentives.eligibility")))</h2><pre class=\"explanation\">\(HTML.escape(a.decision.explanation(ctx.language.policyLanguage)))</pre>"
        if isWriter(ctx.principal), a.awaiting != nil {
            html += #"<h2>\#(HTML.escape(t("incentives.review")))</h2><form method="post" action="/incentives/applications/\#(HTML.escape(a.id))/review" class="stack" id="review-form">\#(ctx.csrfField)"#
                + Form.field(t("incentives.reason"), name: "reason", error: reasonError, attributes: #"maxlength="500""#)
                + #"<button type="submit" name="action" value="approve">\#(HTML.escape(t("action.approve")))</button> "#
                + #"<button type="submit" name="action" value="return" class="secondary">\#(HTML.escape(t("action.return")))</button> "#
                + #"<button type="submit" name="action" value="reject" class="secondary">\#(HTML.escape(t("action.reject")))</button></form>"#
        }
        return WebPage.render(ctx, title: "\(t("incentives.application")) \(a.id.prefix(8))", active: "/incentives", content: html, status: status)
    }
}

/// The starting point of a new policy in the editor: a complete, valid example to adapt.
enum PolicyTemplate {
    static var yaml: String {
        ((try? PolicyStore.seedFiles()) ?? []).first { $0.name == "jingzhou-one-time-support.yaml" }?.yaml ?? ""
    }
}
