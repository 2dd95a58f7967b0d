import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Changing and deleting a plan's key tasks, measures and targets on screen (issue #18 §2), for
/// whoever may add them (the plan's owner, `PlanService`). Each object has an edit page
/// (`…/edit`: the form filled with what is stored; names, never codes — departments from the
/// records, indicators by name) and a delete page (`…/delete`: what would go, and a POST button to
/// confirm; where the delete would lose recorded work the page says why and offers no button).
/// After a change the plan's edit page says what was done.
struct PlanChangePages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        taskRoutes(routes)
        measureRoutes(routes)
        targetRoutes(routes)
    }

    /// A key task's edit and delete pages (a task with measures is not deleted).
    func taskRoutes(_ routes: any RoutesBuilder) {
        let allowed = PlanFormPages.allowed
        routes.page(.GET, "plans", ":id", "tasks", ":task", "edit", allow: allowed) { req, ctx in
            let (plan, task) = try await Self.task(req)
            return Self.taskEdit(ctx, plan: plan, task: task, fields: ["title": task.title], errors: [:])
        }
        routes.page(.POST, "plans", ":id", "tasks", ":task", "edit", allow: allowed) { req, ctx in
            let (plan, task) = try await Self.task(req)
            let fields = PlanFormPages.fields(req)
            do {
                try await req.plans.updateKeyTask(planID: plan.id, taskID: task.id, title: fields["title"] ?? "")
                return PlanFormPages.added(req, plan.id, ctx.t("planEdit.task_saved", task.id))
            } catch let error as StoreError where error.kind == .invalid {
                return Self.taskEdit(ctx, plan: plan, task: task, fields: fields, errors: PlanFormPages.errors(error, ctx))
            }
        }
        routes.page(.GET, "plans", ":id", "tasks", ":task", "delete", allow: allowed) { req, ctx in
            let (plan, task) = try await Self.task(req)
            return Self.taskDelete(ctx, plan: plan, task: task, refusal: nil)
        }
        routes.page(.POST, "plans", ":id", "tasks", ":task", "delete", allow: allowed) { req, ctx in
            let (plan, task) = try await Self.task(req)
            do {
                try await req.plans.deleteKeyTask(planID: plan.id, taskID: task.id)
                return PlanFormPages.added(req, plan.id, ctx.t("planEdit.task_deleted", task.id))
            } catch let error as StoreError where error.kind == .conflict {
                return Self.taskDelete(ctx, plan: plan, task: task, refusal: error.message(ctx.language))
            }
        }
    }

    /// A measure's edit and delete pages (a measure with progress reports is not deleted).
    func measureRoutes(_ routes: any RoutesBuilder) {
        let allowed = PlanFormPages.allowed
        routes.page(.GET, "plans", ":id", "measures", ":measure", "edit", allow: allowed) { req, ctx in
            let (plan, measure) = try await Self.measure(req)
            let fields = ["text": measure.text, "deadline": measure.deadline.description, "lead": measure.leadDepartmentID ?? ""]
            return try await Self.measureEdit(ctx, plan: plan, measure: measure, fields: fields, cooperating: measure.cooperatingDepartmentIDs, errors: [:])
        }
        routes.page(.POST, "plans", ":id", "measures", ":measure", "edit", allow: allowed) { req, ctx in
            struct Sent: Decodable { var text: String?; var deadline: String?; var lead: String?; var cooperating: [String]? }
            let (plan, measure) = try await Self.measure(req)
            let sent = (try? req.content.decode(Sent.self)) ?? Sent()
            let fields = ["text": (sent.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                          "deadline": (sent.deadline ?? "").trimmingCharacters(in: .whitespaces), "lead": sent.lead ?? ""]
            let cooperating = (sent.cooperating ?? []).filter { !$0.isEmpty }
            let task = plan.keyTasks.first { $0.measures.contains { $0.id == measure.id } }?.id ?? ""
            let input = PlanStore.MeasureInput(taskID: task, text: fields["text"] ?? "", deadline: fields["deadline"] ?? "",
                                               leadDepartmentID: fields["lead"] ?? "", cooperatingDepartmentIDs: cooperating)
            do {
                try await req.plans.updateMeasure(planID: plan.id, measureID: measure.id, input)
                return PlanFormPages.added(req, plan.id, ctx.t("planEdit.measure_saved", measure.id))
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.measureEdit(ctx, plan: plan, measure: measure, fields: fields, cooperating: cooperating,
                                                  errors: PlanFormPages.errors(error, ctx))
            }
        }
        routes.page(.GET, "plans", ":id", "measures", ":measure", "delete", allow: allowed) { req, ctx in
            let (plan, measure) = try await Self.measure(req)
            return Self.measureDelete(ctx, plan: plan, measure: measure, refusal: nil)
        }
        routes.page(.POST, "plans", ":id", "measures", ":measure", "delete", allow: allowed) { req, ctx in
            let (plan, measure) = try await Self.measure(req)
            do {
                try await req.plans.deleteMeasure(planID: plan.id, measureID: measure.id)
                return PlanFormPages.added(req, plan.id, ctx.t("planEdit.measure_deleted", measure.id))
            } catch let error as StoreError where error.kind == .conflict {
                return Self.measureDelete(ctx, plan: plan, measure: measure, refusal: error.message(ctx.language))
            }
        }
    }

    /// A target's edit and delete pages; a changed target keeps its region, tolerance and note.
    func targetRoutes(_ routes: any RoutesBuilder) {
        let allowed = PlanFormPages.allowed
        routes.page(.GET, "plans", ":id", "targets", ":target", "edit", allow: allowed) { req, ctx in
            let (plan, target) = try await Self.target(req)
            return Self.targetEdit(ctx, plan: plan, target: target, fields: Self.fields(of: target), errors: [:])
        }
        routes.page(.POST, "plans", ":id", "targets", ":target", "edit", allow: allowed) { req, ctx in
            let (plan, old) = try await Self.target(req)
            var fields = PlanFormPages.fields(req)
            fields["region"] = old.region.value
            var errors: [String: String] = [:]
            do {
                guard var target = PlanFormPages.target(fields, planRegion: old.region, errors: &errors, ctx), errors.isEmpty else {
                    throw StoreError(.invalid, code: "validation", text: .init("validation.target"))
                }
                target.id = old.id; target.tolerance = old.tolerance; target.note = old.note
                try await req.plans.updateTarget(planID: plan.id, target)
                return PlanFormPages.added(req, plan.id, ctx.t("planEdit.target_saved"))
            } catch let error as StoreError where error.kind == .invalid {
                errors.merge(PlanFormPages.errors(error, ctx)) { a, _ in a }
                return Self.targetEdit(ctx, plan: plan, target: old, fields: fields, errors: errors)
            }
        }
        routes.page(.GET, "plans", ":id", "targets", ":target", "delete", allow: allowed) { req, ctx in
            let (plan, target) = try await Self.target(req)
            return Self.targetDelete(ctx, plan: plan, target: target)
        }
        routes.page(.POST, "plans", ":id", "targets", ":target", "delete", allow: allowed) { req, ctx in
            let (plan, target) = try await Self.target(req)
            try await req.plans.deleteTarget(planID: plan.id, targetID: target.id)
            return PlanFormPages.added(req, plan.id, ctx.t("planEdit.target_deleted", Self.name(of: target, ctx)))
        }
    }

    // MARK: loading (the plan in sight and owned, else 404 / 403 as the service answers)

    static func owned(_ req: Request) async throws -> Plan {
        try await req.plans.ownedPlan(id: try req.parameter("id"))
    }

    static func task(_ req: Request) async throws -> (Plan, KeyTask) {
        let plan = try await owned(req), id: String = try req.parameter("task")
        guard let task = plan.keyTasks.first(where: { $0.id == id }) else { throw StoreError.notFound(.keyTask, id) }
        return (plan, task)
    }

    static func measure(_ req: Request) async throws -> (Plan, Measure) {
        let plan = try await owned(req), id: String = try req.parameter("measure")
        guard let measure = plan.measures.first(where: { $0.id == id }) else {
            throw StoreError.notFound(.measure, PlanStore.measureKey(plan: plan.id, measure: id))
        }
        return (plan, measure)
    }

    static func target(_ req: Request) async throws -> (Plan, Target) {
        let plan = try await owned(req), id: String = try req.parameter("target")
        guard let target = plan.targets.first(where: { $0.id == id }) else { throw StoreError.notFound(.target, id) }
        return (plan, target)
    }

    // MARK: rendering

    static func base(_ plan: Plan) -> String { "/plans/\(PlanView.segment(plan.id))" }

    /// A target as users know it: its indicator's name and what it asks (`持证社工人数 ≥ 300`).
    static func name(of target: Target, _ ctx: PageContext) -> String {
        let indicator = IndicatorCatalogue.definition(id: target.indicatorID).map { ctx.language == .en ? $0.englishName : $0.chineseName }
        return "\(indicator ?? target.indicatorID) \(target.statement)"
    }

    /// `300`, `0.85`: a stored number as typed.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func fields(of target: Target) -> [String: String] {
        var fields = ["indicator": target.indicatorID, "comparator": target.comparator.rawValue, "value": number(target.value),
                      "deadline": target.deadline.description]
        if let baseline = target.baseline { fields["baselineDate"] = baseline.date.description; fields["baselineValue"] = number(baseline.value) }
        if let period = target.period { fields["periodFrom"] = period.from.description; fields["periodTo"] = period.to.description }
        return fields
    }

    static func page(_ ctx: PageContext, _ plan: Plan, title: String, errors: Int, _ content: Node...) -> Response {
        WebPage.render(ctx, title: title, active: "/dashboard",
                       content: .group(.p(.class("muted"), .text(plan.name + " · " + plan.jurisdictionName)),
                                       Field.summary(ctx, count: errors), .group(content)),
                       status: errors == 0 ? .ok : .unprocessableEntity)
    }

    static func actions(_ ctx: PageContext, _ plan: Plan, submit: String, id: String) -> Node {
        .div(.class("actions"), .button(.type("submit"), .id(id), .text(submit)), " ",
             .link(base(plan) + "/edit", ctx.t("action.cancel")))
    }

    static func taskEdit(_ ctx: PageContext, plan: Plan, task: KeyTask, fields: [String: String], errors: [String: String]) -> Response {
        let t = ctx.t
        return page(ctx, plan, title: t("planEdit.task_title", task.id), errors: errors.count,
                    .form(.method("post"), .action("\(base(plan))/tasks/\(PlanView.segment(task.id))/edit"), .class("stack"), .id("task-edit-form"),
                          ctx.csrfInput,
                          Field.input(t("planForm.task_title"), name: "title", value: fields["title"], error: errors["title"] ?? errors["form"], required: true),
                          actions(ctx, plan, submit: t("action.save"), id: "task-save")))
    }

    /// What deleting would take away, and the confirming button; a refusal (the task still has
    /// measures) instead of the button.
    static func taskDelete(_ ctx: PageContext, plan: Plan, task: KeyTask, refusal: String?) -> Response {
        let t = ctx.t
        let blocked = refusal ?? (task.measures.isEmpty ? nil : t("plan.task.has_measures", task.id, String(task.measures.count)))
        let response = page(ctx, plan, title: t("planEdit.task_delete_title", task.id), errors: 0,
                            .p(.text("\(task.id) \(task.title)")),
                            confirmation(ctx, plan, action: "\(base(plan))/tasks/\(PlanView.segment(task.id))/delete",
                                         question: t("planEdit.task_delete_question"), blocked: blocked))
        if refusal != nil { response.status = .conflict }
        return response
    }

    static func confirmation(_ ctx: PageContext, _ plan: Plan, action: String, question: String, blocked: String?) -> Node {
        let t = ctx.t
        if let blocked {
            return .group(.notice(blocked, .error), .p(.link(base(plan) + "/edit", t("action.back"))))
        }
        return .form(.method("post"), .action(action), .class("stack"), .id("delete-form"), ctx.csrfInput,
                     .notice(question, .warning),
                     actions(ctx, plan, submit: t("planEdit.delete_confirm"), id: "delete-confirm"))
    }

    static func measureEdit(_ ctx: PageContext, plan: Plan, measure: Measure, fields: [String: String], cooperating: [String],
                            errors: [String: String]) async throws -> Response {
        let t = ctx.t
        let departments = try await DepartmentChoices.options(ctx, availableTo: plan.jurisdiction)
        let task = plan.keyTasks.first { $0.measures.contains { $0.id == measure.id } }
        return page(ctx, plan, title: t("planEdit.measure_title", measure.id), errors: errors.count,
                    .unwrap(task) { .p(.text(t("planForm.task") + t("plans.label_separator") + "\($0.id) \($0.title)")) },
                    .form(.method("post"), .action("\(base(plan))/measures/\(PlanView.segment(measure.id))/edit"), .class("stack"),
                          .id("measure-edit-form"), ctx.csrfInput,
                          Field.textArea(t("planForm.measure_text"), name: "text", value: fields["text"], rows: 3, error: errors["text"], required: true),
                          Field.select(t("plans.lead_department"), name: "lead", options: [(value: "", label: t("departments.choose"))] + departments,
                                       selected: fields["lead"] ?? "", error: errors["lead"], hint: t("planForm.departments_hint")),
                          Field.checkboxes(t("plans.cooperating_departments"), field: "cooperating", departments, checked: cooperating,
                                           error: errors["cooperating"]),
                          Field.input(t("plans.deadline"), name: "deadline", value: fields["deadline"], type: "date", error: errors["deadline"],
                                      required: true, hint: t("planEdit.deadline_hint", plan.period.from?.description ?? "", plan.period.to.description)),
                          .unwrap(errors["form"] ?? errors["task"]) { .notice($0, .error) },
                          actions(ctx, plan, submit: t("action.save"), id: "measure-save")))
    }

    static func measureDelete(_ ctx: PageContext, plan: Plan, measure: Measure, refusal: String?) -> Response {
        let t = ctx.t
        let blocked = refusal ?? (measure.reports.isEmpty ? nil : t("plan.measure.has_reports", measure.id, String(measure.reports.count)))
        let response = page(ctx, plan, title: t("planEdit.measure_delete_title", measure.id), errors: 0,
                            .p(.text("\(measure.id) \(measure.text)")),
                            .p(.class("muted"), .text(t("plans.lead_department") + t("plans.label_separator") + measure.lead + " · "
                                                      + t("plans.deadline") + t("plans.label_separator") + measure.deadline.description)),
                            confirmation(ctx, plan, action: "\(base(plan))/measures/\(PlanView.segment(measure.id))/delete",
                                         question: t("planEdit.measure_delete_question"), blocked: blocked))
        if refusal != nil { response.status = .conflict }
        return response
    }

    static func targetEdit(_ ctx: PageContext, plan: Plan, target: Target, fields: [String: String], errors: [String: String]) -> Response {
        let t = ctx.t
        let indicators = [(value: "", label: t("planForm.choose_indicator"))]
            + IndicatorCatalogue.shipped.map { (value: $0.id, label: ctx.language == .en ? $0.englishName : $0.chineseName) }
        let comparators = TargetComparator.allCases.map { (value: $0.rawValue, label: $0.rawValue) }
        return page(ctx, plan, title: t("planEdit.target_title", name(of: target, ctx)), errors: errors.count,
                    .form(.method("post"), .action("\(base(plan))/targets/\(PlanView.segment(target.id))/edit"), .class("stack"),
                          .id("target-edit-form"), ctx.csrfInput,
                          Field.select(t("planForm.indicator"), name: "indicator", options: indicators, selected: fields["indicator"] ?? "",
                                       error: errors["indicator"]),
                          Field.select(t("planForm.comparator"), name: "comparator", options: comparators, selected: fields["comparator"],
                                       error: errors["comparator"]),
                          Field.input(t("planForm.value"), name: "value", value: fields["value"], error: errors["value"], required: true,
                                      .inputmode("decimal")),
                          Field.input(t("plans.deadline"), name: "deadline", value: fields["deadline"], type: "date", error: errors["deadline"],
                                      required: true),
                          Field.input(t("planForm.baseline_date"), name: "baselineDate", value: fields["baselineDate"], type: "date",
                                      error: errors["baselineDate"] ?? errors["baseline"]),
                          Field.input(t("planForm.baseline_value"), name: "baselineValue", value: fields["baselineValue"],
                                      error: errors["baselineValue"], .inputmode("decimal")),
                          Field.input(t("planForm.period_from"), name: "periodFrom", value: fields["periodFrom"], type: "date",
                                      error: errors["periodFrom"] ?? errors["period"], hint: t("planForm.target_period_hint")),
                          Field.input(t("planForm.period_to"), name: "periodTo", value: fields["periodTo"], type: "date", error: errors["periodTo"]),
                          .unwrap(errors["form"] ?? errors["region"] ?? errors["tolerance"] ?? errors["target"]) { .notice($0, .error) },
                          actions(ctx, plan, submit: t("action.save"), id: "target-save")))
    }

    static func targetDelete(_ ctx: PageContext, plan: Plan, target: Target) -> Response {
        let t = ctx.t
        return page(ctx, plan, title: t("planEdit.target_delete_title"), errors: 0,
                    .p(.text(name(of: target, ctx) + " · " + t("plans.deadline") + t("plans.label_separator") + target.deadline.description)),
                    confirmation(ctx, plan, action: "\(base(plan))/targets/\(PlanView.segment(target.id))/delete",
                                 question: t("planEdit.target_delete_question"), blocked: nil))
    }
}

/// The plan's objects as its edit page lists them, each with its change and delete links.
enum PlanContentsView {
    static func section(_ ctx: PageContext, _ plan: Plan) -> Node {
        let t = ctx.t, base = PlanChangePages.base(plan)
        func links(_ path: String, _ what: String) -> Node { PlanView.ownerLinks(ctx, path, what) }
        let tasks = Node.forEach(plan.keyTasks) { task in
            .li(.class("task"), .text("\(task.id) \(task.title) "), links("\(base)/tasks/\(PlanView.segment(task.id))", task.id),
                .if(!task.measures.isEmpty, .ul(.forEach(task.measures) { measure in
                    .li(.text("\(measure.id) \(measure.text) "), .small(.class("muted"), .text("\(measure.lead) · \(measure.deadline) ")),
                        links("\(base)/measures/\(PlanView.segment(measure.id))", measure.id))
                })))
        }
        let targets = Node.forEach(plan.targets) { target in
            .li(.text(PlanChangePages.name(of: target, ctx) + " · " + target.deadline.description + " "),
                links("\(base)/targets/\(PlanView.segment(target.id))", PlanChangePages.name(of: target, ctx)))
        }
        return .section(.id("contents"), .h2(.text(t("planEdit.contents"))),
                        .if(plan.keyTasks.isEmpty, .p(.class("muted"), .text(t("planEdit.no_tasks"))), else: .ul(.id("contents-tasks"), tasks)),
                        .h3(.text(t("planEdit.targets"))),
                        .if(plan.targets.isEmpty, .p(.class("muted"), .text(t("planEdit.no_targets"))), else: .ul(.id("contents-targets"), targets)))
    }
}
