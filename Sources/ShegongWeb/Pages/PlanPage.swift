import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// A plan (issue #5 §4): key tasks, measures with their computed status (overdue is never typed),
/// who is late, progress reports with their evidence files. A department operator reports on the
/// measures their department leads from this page, with files (multipart POST with the CSRF token;
/// audited with the report); whoever may read the plan downloads the files.
struct PlanPage: RouteCollection {
    /// A report form's errors, by field, for the measure it was about.
    struct FormErrors {
        var measure: String
        var fields: [String: String]
        var values: [String: String]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "plans", ":id", allow: RegionPages.allowed) { req, ctx in
            let plan = try await req.plans.plan(id: try req.parameter("id"))
            return Self.render(ctx, plan: plan, asOf: try req.queryDate("asOf", default: .today())!, errors: nil,
                               reported: req.query[String.self, at: "reported"])
        }
        // Multipart with evidence files: streamed and read within a limit (`ReportSubmission`), so the
        // CSRF token comes in the query, as with the import wizard.
        routes.page(.POST, "plans", ":id", "measures", ":measure", "reports", body: .stream, allow: RegionPages.allowed) { req, ctx in
            let planID = try req.parameter("id"), measureID = try req.parameter("measure")
            var sent: [String: String] = [:]
            do {
                let submission = try await ReportSubmission.receive(req)
                sent = submission.fields
                try await req.plans.addReport(planID: planID, measureID: measureID, submission.input, files: submission.files)
            } catch let error as StoreError where error.kind == .invalid {
                // Every problem with the files is shown under the file input, each naming its file.
                let fields = Dictionary(error.details.map { (String($0.field?.prefix { $0 != "[" } ?? ""), $0.message(ctx.language)) }) { $0 + "；" + $1 }
                let errors = FormErrors(measure: measureID, fields: fields, values: sent)
                return Self.render(ctx, plan: try await req.plans.plan(id: planID), asOf: .today(), errors: errors, status: .unprocessableEntity)
            } catch let error as APIError where error.status == .payloadTooLarge {
                let errors = FormErrors(measure: measureID, fields: ["evidence": ctx.t("evidence.too_large", String(ReportSubmission.limit(req) >> 20))],
                                        values: sent)
                return Self.render(ctx, plan: try await req.plans.plan(id: planID), asOf: .today(), errors: errors, status: .payloadTooLarge)
            }
            let anchor = measureID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return req.redirect(onSite: "/plans/\(planID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")?reported=\(anchor)#m-\(anchor)",
                                redirectType: .normal)
        }
        routes.page(.GET, "plans", "evidence", ":id", allow: RegionPages.allowed) { req, _ in
            try await req.evidenceDownload(id: try req.parameter("id"))
        }
    }

    // MARK: view

    /// The plan as it stands on `asOf` (`?asOf=`, default today): statuses and days overdue are computed for that day.
    static func render(_ ctx: PageContext, plan: Plan, asOf: CivilDate, errors: FormErrors?, reported: String? = nil,
                       status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t
        let summary = PlanStatusSummary(plan: plan, asOf: asOf)
        var html = #"<p class="muted">\#(HTML.escape(plan.jurisdictionName)) · \#(HTML.escape(t("plans.period"))) "#
            + HTML.escape([plan.period.from?.description, plan.period.to.description].compactMap { $0 }.joined(separator: " – "))
            + (plan.issuedBy.map { " · " + HTML.escape($0) } ?? "") + " · " + HTML.escape(t("plans.source")) + " " + HTML.escape(plan.source) + "</p>"
        if let reported { html += HTML.notice(t("plans.reported", reported), kind: "ok") }
        if errors != nil { html += Form.summary(ctx, count: errors?.fields.count ?? 0) }
        html += #"<p class="no-print"><a href="/dashboard?region=\#(HTML.escape(plan.jurisdiction.value))">\#(HTML.escape(t("dashboard.title")))</a></p>"#
        let counts = MeasureStatus.allCases.map { #"<span class="status \#($0.rawValue)">\#(HTML.escape(t.name($0))) \#(summary.count($0))</span>"# }
        html += "<p>" + counts.joined(separator: " ") + "</p>"
        html += lateTable(ctx, summary: summary)
        for task in plan.keyTasks {
            html += #"<section class="task"><h2>\#(HTML.escape(task.id)) \#(HTML.escape(task.title))</h2>"#
            html += #"<table class="measures"><thead><tr><th scope="col">\#(HTML.escape(t("plans.measure")))</th><th scope="col">\#(HTML.escape(t("plans.lead_department")))</th>"#
                + #"<th scope="col">\#(HTML.escape(t("plans.deadline")))</th><th scope="col">\#(HTML.escape(t("common.status")))</th><th scope="col">\#(HTML.escape(t("plans.progress_report")))</th></tr></thead><tbody>"#
            for measure in task.measures {
                html += measureRow(ctx, plan: plan, measure: measure, asOf: asOf, errors: errors?.measure == measure.id ? errors : nil)
            }
            html += "</tbody></table></section>"
        }
        return WebPage.render(ctx, title: plan.name, active: "/dashboard", content: html, status: status, wide: true)
    }

    /// Lead departments with overdue measures, the most overdue first.
    static func lateTable(_ ctx: PageContext, summary: PlanStatusSummary) -> String {
        let t = ctx.t
        let late = summary.departments.filter { !$0.overdue.isEmpty }
        guard !late.isEmpty else { return "" }
        let rows = late.map { line in
            let links = line.overdue.map { "<a href=\"#m-\(HTML.escape($0))\">\(HTML.escape($0))</a>" }.joined(separator: "、")
            return #"<tr><th scope="row">\#(HTML.escape(line.department))</th><td class="num">\#(line.overdue.count)</td><td>\#(links)</td></tr>"#
        }.joined()
        return #"<section id="late"><h2>\#(HTML.escape(t("plans.who_is_late")))</h2><table><thead><tr><th scope="col">\#(HTML.escape(t("plans.lead_department")))</th>"#
            + #"<th scope="col" class="num">\#(HTML.escape(t("common.count")))</th><th scope="col">\#(HTML.escape(t("plans.measure")))</th></tr></thead><tbody>\#(rows)</tbody></table></section>"#
    }

    static func measureRow(_ ctx: PageContext, plan: Plan, measure: Measure, asOf: CivilDate, errors: FormErrors?) -> String {
        let t = ctx.t
        let status = measure.status(asOf: asOf)
        var statusText = #"<span class="status \#(status.rawValue)">\#(HTML.escape(t.name(status)))</span>"#
        if let days = measure.daysOverdue(asOf: asOf) { statusText += " " + HTML.escape(t("status.measure.days_overdue", String(days))) }
        if measure.completedLate(asOf: asOf) { statusText += " " + HTML.escape(t("status.measure.completed_late")) }
        let reports = measure.reports(asOf: asOf).map { r in
            "<li>" + HTML.escape(r.date.description) + " " + HTML.escape(r.text) + evidenceList(ctx, r) + "</li>"
        }.joined()
        var cell = reports.isEmpty ? #"<span class="muted">\#(HTML.escape(t("plans.no_reports")))</span>"# : "<ul>\(reports)</ul>"
        if ctx.request.reportingDepartment == measure.lead { cell += reportForm(ctx, plan: plan, measure: measure, errors: errors) }
        let cooperating = measure.cooperating.isEmpty ? "" : #"<br><small class="muted">\#(HTML.escape(t("plans.cooperating_departments")))：\#(HTML.escape(measure.cooperating.joined(separator: "、")))</small>"#
        return #"<tr id="m-\#(HTML.escape(measure.id))"><th scope="row">\#(HTML.escape(measure.id)) \#(HTML.escape(measure.text))</th>"#
            + "<td>\(HTML.escape(measure.lead))\(cooperating)</td><td>\(HTML.escape(measure.deadline.description))</td><td>\(statusText)</td><td>\(cell)</td></tr>"
    }

    /// A report's evidence: each stored file a download link with its size; a name without a file as text.
    static func evidenceList(_ ctx: PageContext, _ report: ProgressReport) -> String {
        let t = ctx.t
        let links = report.files.map { file in
            #"<a href="/plans/evidence/\#(HTML.escape(file.id))" download title="\#(HTML.escape(t("evidence.download", file.fileName)))">"#
                + HTML.escape(file.fileName) + "</a> (" + HTML.escape(byteSize(file.size)) + ")"
        } + report.evidenceWithoutFile.map { HTML.escape($0) + " " + HTML.escape(t("evidence.no_file")) }
        guard !links.isEmpty else { return "" }
        return #" <small class="muted evidence">\#(HTML.escape(t("plans.evidence")))：\#(links.joined(separator: "、"))</small>"#
    }

    /// 812 B, 12.3 KB, 4.1 MB.
    static func byteSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / Double(1 << 20))
    }

    /// The report form of one measure. Several forms share the page (one department may lead
    /// several measures), so every field id carries the measure. Multipart, the CSRF token in the
    /// action's query (the body is streamed).
    static func reportForm(_ ctx: PageContext, plan: Plan, measure: Measure, errors: FormErrors?) -> String {
        let t = ctx.t
        let token = ctx.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let path = "/plans/\(plan.id)/measures/\(measure.id)/reports?\(CSRF.field)=\(token)"
        let value = { (name: String) in errors?.values[name] }
        let id = { (name: String) in "f-\(HTML.escape(measure.id))-\(name)" }
        let fields = Form.field(t("common.date"), name: "date", value: value("date") ?? CivilDate.today().description, type: "date",
                                error: errors?.fields["date"], required: true, id: id("date"))
            + Form.field(t("plans.report_text"), name: "text", value: value("text"), error: errors?.fields["text"], required: true, id: id("text"))
            + Form.field(t("evidence.files"), name: "evidence", type: "file", error: errors?.fields["evidence"],
                         hint: t("evidence.hint", String(EvidenceRules.maxFileBytes >> 20), String(EvidenceRules.maxFiles)),
                         attributes: #"multiple accept="\#(EvidenceRules.acceptList)""#, id: id("evidence"))
            + #"<div class="field"><label><input type="checkbox" name="completes"\#(value("completes") == "on" ? " checked" : "")> \#(HTML.escape(t("plans.completes")))</label></div>"#
        return #"<details class="no-print"\#(errors == nil ? "" : " open")><summary>\#(HTML.escape(t("plans.report_submit")))</summary>"#
            + #"<form method="post" action="\#(HTML.escape(path))" enctype="multipart/form-data" class="stack">\#(fields)<button type="submit">\#(HTML.escape(t("action.submit")))</button></form></details>"#
    }
}
