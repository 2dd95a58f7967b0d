import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Screens that make a plan (issue #18 §2) instead of a seed file: a read-write official creates a
/// plan of a region they may change (region by name, the region picker; the period's end after
/// its start), then on the plan's edit page adds key tasks, measures (lead and cooperating
/// departments chosen among the department records of the plan's region and those above it, a
/// deadline within the plan's period) and targets (the indicator chosen by name; the target
/// checks every target has). Through `PlanService` (owner only, audited); errors name the field.
struct PlanFormPages: RouteCollection {
    static let allowed: @Sendable (Principal) -> Bool = { $0.isReadWriteOfficial }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "plans", "new", allow: Self.allowed) { req, ctx in
            try await Self.renderNew(ctx, fields: ["region": ctx.principal.scope.regionSubtree?.code ?? ""], search: nil, errors: [:])
        }
        routes.page(.POST, "plans", allow: Self.allowed) { req, ctx in
            var fields = Self.fields(req)
            let pick = try await RegionPick.read("region", value: { fields[$0] }, regions: try req.regionService)
            fields["region"] = pick.code ?? ""
            if pick.moveOnly { return try await Self.renderNew(ctx, fields: fields, search: pick.search, errors: [:]) }
            guard let region = pick.code else {
                return try await Self.renderNew(ctx, fields: fields, search: pick.search, errors: ["region": ctx.t("planForm.region_required")],
                                                status: .unprocessableEntity)
            }
            do {
                let id = try await req.plans.create(name: fields["name"] ?? "", region: region, periodFrom: fields["periodFrom"] ?? "",
                                                    periodTo: fields["periodTo"] ?? "", issuedBy: fields["issuedBy"])
                return req.redirect(onSite: "/plans/\(PlanView.segment(id))/edit", redirectType: .normal)
            } catch let error as StoreError where error.kind == .invalid || error.kind == .notFound {
                return try await Self.renderNew(ctx, fields: fields, search: nil, errors: Self.errors(error, ctx), status: .unprocessableEntity)
            }
        }
        routes.page(.GET, "plans", ":id", "edit", allow: Self.allowed) { req, ctx in
            try await Self.renderEdit(ctx, planID: try req.parameter("id"), added: req.queryValue("added"))
        }
        routes.page(.POST, "plans", ":id", "header", allow: Self.allowed) { req, ctx in
            let planID = try req.parameter("id"), fields = Self.fields(req)
            do {
                try await req.plans.update(planID: planID, name: fields["name"] ?? "", periodFrom: fields["periodFrom"] ?? "",
                                           periodTo: fields["periodTo"] ?? "", issuedBy: fields["issuedBy"])
                return Self.added(req, planID, ctx.t("planForm.saved"))
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.renderEdit(ctx, planID: planID, form: EditErrors(form: "header", fields: fields, errors: Self.errors(error, ctx)))
            }
        }
        routes.page(.POST, "plans", ":id", "tasks", allow: Self.allowed) { req, ctx in
            let planID = try req.parameter("id"), fields = Self.fields(req)
            do {
                let id = try await req.plans.addKeyTask(planID: planID, title: fields["title"] ?? "")
                return Self.added(req, planID, ctx.t("planForm.task_added", id))
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.renderEdit(ctx, planID: planID, form: EditErrors(form: "task", fields: fields, errors: Self.errors(error, ctx)))
            }
        }
        routes.page(.POST, "plans", ":id", "measures", allow: Self.allowed) { req, ctx in
            struct Sent: Decodable { var task: String?; var text: String?; var deadline: String?; var lead: String?; var cooperating: [String]? }
            let planID = try req.parameter("id")
            let sent = (try? req.content.decode(Sent.self)) ?? Sent()
            let fields = ["task": sent.task ?? "", "text": (sent.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                          "deadline": (sent.deadline ?? "").trimmingCharacters(in: .whitespaces), "lead": sent.lead ?? ""]
            let cooperating = sent.cooperating ?? []
            let input = PlanStore.MeasureInput(taskID: fields["task"] ?? "", text: fields["text"] ?? "", deadline: fields["deadline"] ?? "",
                                               leadDepartmentID: fields["lead"] ?? "", cooperatingDepartmentIDs: cooperating.filter { !$0.isEmpty })
            do {
                let id = try await req.plans.addMeasure(planID: planID, input)
                return Self.added(req, planID, ctx.t("planForm.measure_added", id))
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.renderEdit(ctx, planID: planID, form: EditErrors(form: "measure", fields: fields, errors: Self.errors(error, ctx)))
            }
        }
        routes.page(.POST, "plans", ":id", "targets", allow: Self.allowed) { req, ctx in
            let planID = try req.parameter("id"), fields = Self.fields(req)
            var errors: [String: String] = [:]
            let target = Self.target(fields, planRegion: nil, errors: &errors, ctx)
            do {
                guard let target, errors.isEmpty else { throw StoreError(.invalid, code: "validation", text: .init("validation.target")) }
                try await req.plans.addTarget(planID: planID, target)
                return Self.added(req, planID, ctx.t("planForm.target_added"))
            } catch let error as StoreError where error.kind == .invalid || error.kind == .conflict {
                errors.merge(Self.errors(error, ctx)) { a, _ in a }
                return try await Self.renderEdit(ctx, planID: planID, form: EditErrors(form: "target", fields: fields, errors: errors))
            }
        }
    }

    /// The form's text fields, trimmed, without the CSRF token.
    static func fields(_ req: Request) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in (try? req.content.decode([String: String].self)) ?? [:] where key != CSRF.field {
            fields[key] = value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return fields
    }

    static func errors(_ error: StoreError, _ ctx: PageContext) -> [String: String] {
        let separator = ctx.t("plans.message_separator")
        let details = error.details.map { ($0.field.map { String($0.prefix { $0 != "." && $0 != "[" }) } ?? "form", $0.message(ctx.language)) }
        guard !details.isEmpty else { return ["form": error.message(ctx.language)] }
        return Dictionary(details) { $0 + separator + $1 }
    }

    static func added(_ req: Request, _ planID: String, _ notice: String) -> Response {
        let text = notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return req.redirect(onSite: "/plans/\(PlanView.segment(planID))/edit?added=\(text)", redirectType: .normal)
    }

    /// The target as typed: the indicator by id (a select of names), the comparator, the value and
    /// the optional baseline and period, the region the plan's own. Unreadable numbers and dates
    /// are named here; the rest is `Target.validate`'s.
    static func target(_ fields: [String: String], planRegion: RegionCode?, errors: inout [String: String], _ ctx: PageContext) -> Target? {
        func number(_ name: String, required: Bool) -> Double? {
            let text = fields[name] ?? ""
            if text.isEmpty { if required { errors[name] = ctx.t("planForm.number_invalid") }; return nil }
            guard let value = Double(text), value.isFinite else { errors[name] = ctx.t("planForm.number_invalid"); return nil }
            return value
        }
        func date(_ name: String, required: Bool) -> CivilDate? {
            let text = fields[name] ?? ""
            if text.isEmpty { if required { errors[name] = ctx.t("planForm.date_invalid") }; return nil }
            guard let value = CivilDate(censusText: text) else { errors[name] = ctx.t("planForm.date_invalid"); return nil }
            return value
        }
        let indicator = fields["indicator"] ?? ""
        if IndicatorCatalogue.definition(id: indicator) == nil { errors["indicator"] = ctx.t("planForm.indicator_required") }
        let comparator = TargetComparator.parse(fields["comparator"] ?? "")
        if comparator == nil { errors["comparator"] = ctx.t("planForm.comparator_required") }
        let value = number("value", required: true), deadline = date("deadline", required: true)
        let baselineValue = number("baselineValue", required: false), baselineDate = date("baselineDate", required: false)
        if (baselineValue == nil) != (baselineDate == nil), errors["baselineValue"] == nil, errors["baselineDate"] == nil {
            errors["baselineDate"] = ctx.t("planForm.baseline_pair")
        }
        let periodFrom = date("periodFrom", required: false), periodTo = date("periodTo", required: false)
        if (periodFrom == nil) != (periodTo == nil), errors["periodFrom"] == nil, errors["periodTo"] == nil {
            errors["periodTo"] = ctx.t("planForm.period_pair")
        }
        if let periodFrom, let periodTo, periodTo < periodFrom { errors["periodTo"] = ctx.t("planForm.period_order") }
        let region = (fields["region"]).flatMap { try? RegionCode.parse($0).get() } ?? planRegion
        guard let region, let comparator, let value, let deadline else { return nil }
        return Target(id: "target-" + UUID().uuidString.prefix(8).lowercased(), indicatorID: indicator, region: region, comparator: comparator,
                      value: value, baseline: baselineDate.flatMap { d in baselineValue.map { TargetObservation(date: d, value: $0) } },
                      deadline: deadline, period: periodFrom.flatMap { f in periodTo.flatMap { DatePeriod(from: f, to: $0) } })
    }

    // MARK: rendering

    static func renderNew(_ ctx: PageContext, fields: [String: String], search: String?, errors: [String: String],
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        let picker = try await ctx.request.regionPicker("region", label: t("planForm.region"), selected: fields["region"], search: search,
                                                        error: errors["region"], required: true)
        let form = Node.form(.method("post"), .action("/plans"), .id("plan-form"), .class("stack"), ctx.csrfInput,
                             Field.input(t("planForm.name"), name: "name", value: fields["name"], error: errors["name"], required: true),
                             picker.node(ctx),
                             Field.input(t("planForm.period_from"), name: "periodFrom", value: fields["periodFrom"], type: "date",
                                         error: errors["periodFrom"], required: true),
                             Field.input(t("planForm.period_to"), name: "periodTo", value: fields["periodTo"], type: "date",
                                         error: errors["periodTo"], required: true, hint: t("planForm.period_hint")),
                             Field.input(t("planForm.issued_by"), name: "issuedBy", value: fields["issuedBy"], error: errors["issuedBy"]),
                             .button(.type("submit"), .text(t("action.create"))))
        return WebPage.render(ctx, title: t("planForm.new"), active: "/dashboard",
                              content: .group(Field.summary(ctx, count: errors.count), form), status: status)
    }

    /// A form's problems after a post: which form, its fields as sent, the message by field.
    struct EditErrors {
        var form: String
        var fields: [String: String]
        var errors: [String: String]
    }

    static func renderEdit(_ ctx: PageContext, planID: String, form: EditErrors? = nil, added: String? = nil) async throws -> Response {
        let req = ctx.request
        let service = try req.plans
        let plan = try await service.plan(id: planID)
        guard try await service.isOwner(of: plan) else { throw Abort(.forbidden) }
        let model = PlanEditModel(plan: plan, departments: try await DepartmentChoices.options(ctx, availableTo: plan.jurisdiction),
                                  form: form, added: added)
        return WebPage.render(ctx, title: ctx.t("planForm.edit_title", plan.name), active: "/dashboard", content: PlanEditView.page(ctx, model),
                              status: form == nil ? .ok : .unprocessableEntity)
    }
}

struct PlanEditModel {
    var plan: Plan
    var departments: [(value: String, label: String)]
    var form: PlanFormPages.EditErrors?
    var added: String?
}

enum PlanEditView {
    /// The plan's own fields, changed in place (the period must still hold every measure's deadline).
    static func headerForm(_ ctx: PageContext, _ model: PlanEditModel, errors: [String: String], value: (String) -> String?) -> Node {
        let t = ctx.t, plan = model.plan
        return .details(.id("edit-header"), .if(!errors.isEmpty, .attribute("open", nil)), .summary(.text(t("planForm.edit_header"))),
                        .form(.method("post"), .action("/plans/\(PlanView.segment(plan.id))/header"), .class("stack"), .id("header-form"), ctx.csrfInput,
                              Field.input(t("planForm.name"), name: "name", value: value("name") ?? plan.name, error: errors["name"], required: true),
                              Field.input(t("planForm.period_from"), name: "periodFrom", value: value("periodFrom") ?? plan.period.from?.description,
                                          type: "date", error: errors["periodFrom"], required: true),
                              Field.input(t("planForm.period_to"), name: "periodTo", value: value("periodTo") ?? plan.period.to.description,
                                          type: "date", error: errors["periodTo"], required: true, hint: t("planForm.period_hint")),
                              Field.input(t("planForm.issued_by"), name: "issuedBy", value: value("issuedBy") ?? plan.issuedBy, error: errors["issuedBy"]),
                              .button(.type("submit"), .text(t("action.save")))))
    }

    static func page(_ ctx: PageContext, _ model: PlanEditModel) -> Node {
        let t = ctx.t, plan = model.plan
        let segment = PlanView.segment(plan.id)
        func errors(_ name: String) -> [String: String] { model.form?.form == name ? model.form?.errors ?? [:] : [:] }
        func value(_ name: String, _ field: String) -> String? { model.form?.form == name ? model.form?.fields[field] : nil }
        let period = [plan.period.from?.description, plan.period.to.description].compactMap { $0 }.joined(separator: " – ")
        let tasks = plan.keyTasks.map { (value: $0.id, label: "\($0.id) \($0.title)") }
        let indicators = [(value: "", label: t("planForm.choose_indicator"))]
            + IndicatorCatalogue.shipped.map { (value: $0.id, label: ctx.language == .en ? $0.englishName : $0.chineseName) }
        let comparators = TargetComparator.allCases.map { (value: $0.rawValue, label: $0.rawValue) }
        let taskErrors = errors("task"), measureErrors = errors("measure"), targetErrors = errors("target")
        return .group(
            .unwrap(model.added) { .notice($0, .ok) },
            .p(.class("muted"), .text([plan.jurisdictionName, t("plans.period") + " " + period].joined(separator: " · "))),
            .p(.link("/plans/\(segment)", t("planForm.view_plan"))),
            Field.summary(ctx, count: (model.form?.errors.count) ?? 0),
            headerForm(ctx, model, errors: errors("header"), value: { value("header", $0) }),
            PlanContentsView.section(ctx, plan),
            .section(.id("add-task"), .h2(.text(t("planForm.add_task"))),
                     .form(.method("post"), .action("/plans/\(segment)/tasks"), .class("stack"), .id("task-form"), ctx.csrfInput,
                           Field.input(t("planForm.task_title"), name: "title", value: value("task", "title"), error: taskErrors["title"], required: true),
                           .button(.type("submit"), .text(t("planForm.add_task"))))),
            .section(.id("add-measure"), .h2(.text(t("planForm.add_measure"))),
                     .if(tasks.isEmpty, .p(.class("muted"), .text(t("planForm.task_first"))),
                         else: .form(.method("post"), .action("/plans/\(segment)/measures"), .class("stack"), .id("measure-form"), ctx.csrfInput,
                               Field.select(t("planForm.task"), name: "task", options: tasks, selected: value("measure", "task") ?? tasks.last?.value,
                                            error: measureErrors["task"]),
                               Field.textArea(t("planForm.measure_text"), name: "text", value: value("measure", "text"), rows: 2,
                                              error: measureErrors["text"], required: true),
                               Field.select(t("plans.lead_department"), name: "lead",
                                            options: [(value: "", label: t("departments.choose"))] + model.departments,
                                            selected: value("measure", "lead") ?? "", error: measureErrors["lead"],
                                            hint: t("planForm.departments_hint")),
                               Field.select(t("plans.cooperating_departments"), name: "cooperating[]", options: model.departments, selected: nil,
                                            error: measureErrors["cooperating"], hint: t("planForm.cooperating_hint"), id: "f-cooperating", .multiple()),
                               Field.input(t("plans.deadline"), name: "deadline", value: value("measure", "deadline"), type: "date",
                                           error: measureErrors["deadline"], required: true),
                               .button(.type("submit"), .text(t("planForm.add_measure")))))),
            .section(.id("add-target"), .h2(.text(t("planForm.add_target"))),
                     .form(.method("post"), .action("/plans/\(segment)/targets"), .class("stack"), .id("target-form"), ctx.csrfInput,
                           .input(.type("hidden"), .name("region"), .value(plan.jurisdiction.value)),
                           Field.select(t("planForm.indicator"), name: "indicator", options: indicators, selected: value("target", "indicator") ?? "",
                                        error: targetErrors["indicator"]),
                           Field.select(t("planForm.comparator"), name: "comparator", options: comparators,
                                        selected: value("target", "comparator") ?? TargetComparator.allCases.first?.rawValue, error: targetErrors["comparator"]),
                           Field.input(t("planForm.value"), name: "value", value: value("target", "value"), error: targetErrors["value"], required: true,
                                       .inputmode("decimal")),
                           Field.input(t("plans.deadline"), name: "deadline", value: value("target", "deadline"), type: "date",
                                       error: targetErrors["deadline"], required: true),
                           Field.input(t("planForm.baseline_date"), name: "baselineDate", value: value("target", "baselineDate"), type: "date",
                                       error: targetErrors["baselineDate"] ?? targetErrors["baseline"]),
                           Field.input(t("planForm.baseline_value"), name: "baselineValue", value: value("target", "baselineValue"),
                                       error: targetErrors["baselineValue"], .inputmode("decimal")),
                           Field.input(t("planForm.period_from"), name: "periodFrom", value: value("target", "periodFrom"), type: "date",
                                       error: targetErrors["periodFrom"] ?? targetErrors["period"], hint: t("planForm.target_period_hint")),
                           Field.input(t("planForm.period_to"), name: "periodTo", value: value("target", "periodTo"), type: "date",
                                       error: targetErrors["periodTo"]),
                           .unwrap(targetErrors["form"] ?? targetErrors["region"] ?? targetErrors["tolerance"] ?? targetErrors["target"]) { .notice($0, .error) },
                           .button(.type("submit"), .text(t("planForm.add_target"))))))
    }
}
