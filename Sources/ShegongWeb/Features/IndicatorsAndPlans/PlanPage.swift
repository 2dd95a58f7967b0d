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
            let model = try await PlanPageModel.load(req, planID: try req.parameter("id"), asOf: try req.queryDate("asOf"),
                                                     reported: req.queryValue("reported"))
            return Self.render(ctx, model)
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
                let separator = ctx.t("plans.message_separator")
                let fields = Dictionary(error.details.map { (String($0.field?.prefix { $0 != "[" } ?? ""), $0.message(ctx.language)) }) { $0 + separator + $1 }
                let errors = FormErrors(measure: measureID, fields: fields, values: sent)
                return Self.render(ctx, try await PlanPageModel.load(req, planID: planID, errors: errors), status: .unprocessableEntity)
            } catch let error as APIError where error.status == .payloadTooLarge {
                let errors = FormErrors(measure: measureID, fields: ["evidence": ctx.t("evidence.too_large", String(ReportSubmission.limit(req) >> 20))],
                                        values: sent)
                return Self.render(ctx, try await PlanPageModel.load(req, planID: planID, errors: errors), status: .payloadTooLarge)
            }
            let anchor = measureID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return req.redirect(onSite: "/plans/\(planID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")?reported=\(anchor)#m-\(anchor)",
                                redirectType: .normal)
        }
        // The plan owner confirms a measure marked done, or returns it with a reason (issue #18 §2).
        routes.page(.POST, "plans", ":id", "measures", ":measure", "confirmation", allow: { $0.isReadWriteOfficial }) { req, ctx in
            let planID = try req.parameter("id"), measureID = try req.parameter("measure")
            let confirm = (try? req.content.get(String.self, at: "action")) != "return"
            let reason = try? req.content.get(String.self, at: "reason")
            do {
                try await req.plans.decideCompletion(planID: planID, measureID: measureID, confirm: confirm, reason: reason)
            } catch let error as StoreError where error.kind == .invalid || error.kind == .conflict {
                let message = error.details.first?.message(ctx.language) ?? error.message(ctx.language)
                let errors = FormErrors(measure: measureID, fields: ["reason": message], values: ["reason": reason ?? ""])
                return Self.render(ctx, try await PlanPageModel.load(req, planID: planID, errors: errors),
                                   status: error.kind == .invalid ? .unprocessableEntity : .conflict)
            }
            var model = try await PlanPageModel.load(req, planID: planID)
            model.decided = (measureID, confirm)
            return Self.render(ctx, model)
        }
        routes.page(.GET, "plans", "evidence", ":id", allow: RegionPages.allowed) { req, _ in
            try await req.evidenceDownload(id: try req.parameter("id"))
        }
    }

    static func render(_ ctx: PageContext, _ model: PlanPageModel, status: HTTPResponseStatus = .ok) -> Response {
        WebPage.render(ctx, title: model.plan.name, active: "/dashboard", content: PlanView.page(ctx, model), status: status, wide: true)
    }
}

/// What the plan page shows: the plan in sight as it stands on `asOf` (`?asOf=`, default today:
/// statuses and days overdue are computed for that day), and the report forms of the department
/// the signed-in operator reports for.
struct PlanPageModel {
    var plan: Plan
    var asOf: CivilDate
    /// The report forms' default date.
    var today: CivilDate
    /// The department whose measures get a report form; nil for accounts that are not department operators.
    var reportingDepartment: String?
    /// Its record: a measure it leads gets the report form (records, not names; migration 0066).
    var reportingDepartmentID: String?
    var errors: PlanPage.FormErrors?
    /// The measure whose report was just saved (`?reported=`).
    var reported: String?
    /// A read-write official reports on every measure of a plan of their region (issue #18 §2).
    var reportsOnAll = false
    /// The caller owns the plan: confirms or returns measures marked done.
    var isOwner = false
    /// The owner's answer just given: the measure and whether it was confirmed.
    var decided: (measure: String, confirmed: Bool)?

    var summary: PlanStatusSummary { PlanStatusSummary(plan: plan, asOf: asOf) }

    static func load(_ req: Request, planID: String, asOf: CivilDate? = nil, errors: PlanPage.FormErrors? = nil,
                     reported: String? = nil) async throws -> PlanPageModel {
        let service = try req.plans
        let plan = try await service.plan(id: planID)
        let today = CivilDate.today()
        return PlanPageModel(plan: plan, asOf: asOf ?? today, today: today, reportingDepartment: req.reportingDepartment,
                             reportingDepartmentID: req.principal?.departmentID,
                             errors: errors, reported: reported, reportsOnAll: req.principal?.isReadWriteOfficial ?? false,
                             isOwner: try await service.isOwner(of: plan))
    }
}

/// The plan page's view: a header line, the status counts, who is late, then one table of
/// measures per key task.
enum PlanView {
    static func page(_ ctx: PageContext, _ model: PlanPageModel) -> Node {
        let t = ctx.t, plan = model.plan, summary = model.summary
        let period = [plan.period.from?.description, plan.period.to.description].compactMap { $0 }.joined(separator: " – ")
        let facts = [plan.jurisdictionName, t("plans.period") + " " + period] + (plan.issuedBy.map { [$0] } ?? [])
            + [t("plans.source") + " " + plan.source]
        return .group(
            .p(.class("muted"), .text(facts.joined(separator: " · "))),
            .unwrap(model.reported) { .notice(t("plans.reported", $0), .ok) },
            .unwrap(model.decided) { .notice(t($0.confirmed ? "plans.decided_confirm" : "plans.decided_return", $0.measure), .ok) },
            Field.summary(ctx, count: model.errors?.fields.count ?? 0),
            .p(.class("no-print"), .link("/dashboard?region=\(plan.jurisdiction.value)", t("dashboard.title")),
               .if(model.isOwner, .group(.text(" · "), .link("/plans/\(segment(plan.id))/edit", t("planForm.edit_link"), .id("edit-plan"))))),
            .p(.joined(MeasureStatus.allCases.map { status in
                .span(.class("status", status.rawValue), .text("\(t.name(status)) \(summary.count(status))"))
            }, separator: " ")),
            lateSection(ctx, summary: summary),
            .forEach(plan.keyTasks) { task in
                .section(.class("task"), .h2(.text("\(task.id) \(task.title)")),
                         .if(model.isOwner, ownerLinks(ctx, "/plans/\(segment(plan.id))/tasks/\(segment(task.id))", task.id)),
                         measuresTable(ctx, model, task: task))
            })
    }

    /// Lead departments with overdue measures, the most overdue first, each measure a link to its row.
    static func lateSection(_ ctx: PageContext, summary: PlanStatusSummary) -> Node {
        let t = ctx.t
        let late = summary.departments.filter { !$0.overdue.isEmpty }
        guard !late.isEmpty else { return .empty }
        let table = DataTable(columns: [.init(t("plans.lead_department")), .init(t("common.count"), numeric: true), .init(t("plans.measure"))],
                              rows: late.map { line in
                                  [.text(line.department), .text(String(line.overdue.count)),
                                   .joined(line.overdue.map { Node.link("#m-\($0)", $0) }, separator: .text(t("message.list_separator")))]
                              },
                              rowHeaders: true)
        return .section(.id("late"), .h2(.text(t("plans.who_is_late"))), table.node())
    }

    /// A key task's measures, one row each (`tr#m-ID`, the anchor of the "who is late" links).
    static func measuresTable(_ ctx: PageContext, _ model: PlanPageModel, task: KeyTask) -> Node {
        let t = ctx.t
        let columns = ["plans.measure", "plans.lead_department", "plans.deadline", "common.status", "plans.progress_report"]
        return DataTable(columns: columns.map { DataTable.Column(t($0)) },
                         rows: task.measures.map { measureRow(ctx, model, measure: $0) },
                         rowHeaders: true, classes: ["measures"], rowIDs: task.measures.map { "m-\($0.id)" }).node()
    }

    static func measureRow(_ ctx: PageContext, _ model: PlanPageModel, measure: Measure) -> [Node] {
        let t = ctx.t, asOf = model.asOf
        let status = measure.status(asOf: asOf)
        let statusCell = Node.group(
            .span(.class("status", status.rawValue), .text(t.name(status))),
            .unwrap(measure.daysOverdue(asOf: asOf)) { .text(" " + t("status.measure.days_overdue", String($0))) },
            .if(measure.completedLate(asOf: asOf), .text(" " + t("status.measure.completed_late"))),
            .if(status == .awaitingConfirmation, .group(.br(), .small(.class("muted"), .text(t("plans.awaiting_hint"))))),
            .if(status == .awaitingConfirmation && model.isOwner, confirmationForm(ctx, model, measure: measure)))
        let cooperating = Node.if(!measure.cooperating.isEmpty, .group(
            .br(), .small(.class("muted"), .text(t("plans.cooperating_departments") + t("plans.label_separator")
                                              + measure.cooperating.joined(separator: t("message.list_separator"))))))
        let reports = measure.reports(asOf: asOf)
        let reportsCell = Node.group(
            .if(reports.isEmpty, .span(.class("muted"), .text(t("plans.no_reports"))),
                else: .ul(.forEach(reports) { report in
                    .li(.text("\(report.date) \(report.text)"),
                        .if(report.awaitsConfirmation, .text(" " + t("plans.awaiting_report"))),
                        .unwrap(report.confirmation == .returned ? report.returnReason : nil) { .text(" " + t("plans.returned", $0)) },
                        evidence(ctx, report))
                })),
            .if(PlanService.leads(measure, departmentID: model.reportingDepartmentID) || model.reportsOnAll,
                reportForm(ctx, model, measure: measure),
                else: .unwrap(model.reportingDepartment) { own in
                    .p(.class("muted", "no-print", "not-offered"), .small(.text(t("plans.report_not_offered", measure.lead, own))))
                }))
        let measureCell = Node.group(.text("\(measure.id) \(measure.text)"),
                                     .if(model.isOwner, .group(.br(), ownerLinks(ctx, "/plans/\(segment(model.plan.id))/measures/\(segment(measure.id))",
                                                                                 measure.id))))
        return [measureCell, .group(.text(measure.lead), cooperating), .text(measure.deadline.description),
                statusCell, reportsCell]
    }

    /// The owner's links to change or delete a key task or measure (`PlanChangePages`).
    static func ownerLinks(_ ctx: PageContext, _ path: String, _ what: String) -> Node {
        let t = ctx.t
        return .small(.class("no-print", "row-actions"),
                      .link("\(path)/edit", t("action.edit"), .title(t("planEdit.edit_named", what))), " · ",
                      .link("\(path)/delete", t("action.delete"), .title(t("planEdit.delete_named", what))))
    }

    /// A report's evidence: each stored file a download link with its size; a name without a file as text.
    static func evidence(_ ctx: PageContext, _ report: ProgressReport) -> Node {
        let t = ctx.t
        let items = report.files.map { file in
            Node.group(.link("/plans/evidence/\(file.id)", file.fileName, .download(), .title(t("evidence.download", file.fileName))),
                       .text(" (\(byteSize(file.size)))"))
        } + report.evidenceWithoutFile.map { Node.text($0 + " " + t("evidence.no_file")) }
        guard !items.isEmpty else { return .empty }
        return .group(" ", .small(.class("muted", "evidence"), .text(t("plans.evidence") + t("plans.label_separator")),
                                  .joined(items, separator: .text(t("message.list_separator")))))
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
    static func reportForm(_ ctx: PageContext, _ model: PlanPageModel, measure: Measure) -> Node {
        let t = ctx.t
        let errors = model.errors?.measure == measure.id ? model.errors : nil
        let value = { (name: String) in errors?.values[name] }
        let id = { (name: String) in "f-\(measure.id)-\(name)" }
        let token = ctx.csrf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let path = "/plans/\(segment(model.plan.id))/measures/\(segment(measure.id))/reports?\(CSRF.field)=\(token)"
        return .details(.class("no-print"), .if(errors != nil, .attribute("open", nil)),
                        .summary(.text(t("plans.report_submit"))),
                        .form(.method("post"), .action(path), .enctype("multipart/form-data"), .class("stack"),
                              Field.input(t("common.date"), name: "date", value: value("date") ?? model.today.description, type: "date",
                                          error: errors?.fields["date"], required: true, id: id("date")),
                              Field.input(t("plans.report_text"), name: "text", value: value("text"), error: errors?.fields["text"],
                                          required: true, id: id("text")),
                              Field.input(t("evidence.files"), name: "evidence", type: "file", error: errors?.fields["evidence"],
                                          hint: t("evidence.hint", String(EvidenceRules.maxFileBytes >> 20), String(EvidenceRules.maxFiles)),
                                          id: id("evidence"), .multiple(), .accept(EvidenceRules.acceptList)),
                              Field.checkbox(t("plans.completes"), name: "completes", checked: value("completes") == "on", id: id("completes")),
                              .button(.type("submit"), .text(t("action.submit")))))
    }

    /// The owner's answer to a measure marked done: confirm, or return with a reason.
    static func confirmationForm(_ ctx: PageContext, _ model: PlanPageModel, measure: Measure) -> Node {
        let t = ctx.t
        let errors = model.errors?.measure == measure.id ? model.errors : nil
        return .form(.method("post"), .action("/plans/\(segment(model.plan.id))/measures/\(segment(measure.id))/confirmation"),
                     .class("stack", "no-print", "confirmation"), ctx.csrfInput,
                     .button(.type("submit"), .name("action"), .value("confirm"), .text(t("plans.confirm"))),
                     Field.input(t("plans.return_reason"), name: "reason", value: errors?.values["reason"], error: errors?.fields["reason"],
                                 id: "f-\(measure.id)-reason"),
                     .button(.type("submit"), .name("action"), .value("return"), .class("secondary"), .text(t("plans.return"))))
    }

    /// A plan or measure id as one path segment of the form's address.
    static func segment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
    }
}
