import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The policy form (issue #18 §2): a policy written by filling labelled boxes instead of a YAML
/// file. The form is read into a policy (`PolicyForm`, domain), written as the canonical policy
/// file (`yamlText`), and that file goes through the same `IncentiveService.check` and `load` as an
/// uploaded or typed file — the same checks as `shegong policy check`, the same audit entry
/// (`policy.load`). The file is shown beside the form. Who may: a read-write official, as for the
/// YAML editor's new policy and activation; editing an existing policy needs a policy the
/// official may manage.
struct PolicyFormPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "incentives", "policies", "form", allow: IncentivePages.isWriter) { req, ctx in
            return try await Self.render(ctx, PolicyFormModel(form: Self.blank(ctx.principal, today: .today()), editing: nil))
        }
        routes.page(.GET, "incentives", "policies", ":id", "form", allow: IncentivePages.isWriter) { req, ctx in
            let policy = try await req.incentives.policy(try req.parameter("id"), manage: true)
            return try await Self.render(ctx, PolicyFormModel(form: PolicyForm(policy: policy), editing: policy.name))
        }
        routes.page(.POST, "incentives", "policies", "form", allow: IncentivePages.isWriter) { req, ctx in try await Self.submit(req, ctx) }
    }

    /// A new policy's form: blank but for the caller's region as the paying region and a first
    /// version from `today` (the YAML editor keeps its worked example to adapt; a form starts empty).
    static func blank(_ principal: Principal, today: CivilDate) -> PolicyForm {
        var form = PolicyForm(fields: ["v0_from": today.description])
        if case .region(let subtree, _) = principal.scope { form.fields["jurisdiction"] = subtree.code }
        return form
    }

    /// Check (the file beside the form, or every problem) or activate.
    static func submit(_ req: Request, _ ctx: PageContext) async throws -> Response {
        var fields = gatherWorkRegions((try? req.content.decode([String: String].self)) ?? [:])
        let action = fields.removeValue(forKey: "action") ?? "check"
        fields.removeValue(forKey: CSRF.field)
        let pick = try await RegionPick.read("jurisdiction", value: { fields[$0] }, regions: try req.regionService)
        for key in fields.keys where key.hasPrefix("jurisdiction_") { fields.removeValue(forKey: key) }
        fields["jurisdiction"] = pick.code
        let editing = fields.removeValue(forKey: "editing")
        var model = PolicyFormModel(form: PolicyForm(fields: fields), editing: editing, search: pick.search)
        if pick.moveOnly { return try await render(ctx, model) }
        switch model.form.policy() {
        case .failure(let errors):
            model.outcome = .errors(errors)
            return try await render(ctx, model, status: .unprocessableEntity)
        case .success(let policy):
            let yaml = policy.yamlText
            model.yaml = yaml
            do {
                if action == "load" {
                    return IncentivePages.policyPage(ctx, try await req.incentives.load(yaml: yaml), loaded: true)
                }
                model.outcome = .checked(try await req.incentives.check(yaml: yaml))
                return try await render(ctx, model)
            } catch let errors as PolicyErrorList {
                model.outcome = .errors(errors)
                return try await render(ctx, model, status: .unprocessableEntity)
            }
        }
    }

    static func render(_ ctx: PageContext, _ model: PolicyFormModel, status: HTTPResponseStatus = .ok) async throws -> Response {
        var model = model
        if model.yaml == nil, case .success(let policy) = model.form.policy() { model.yaml = policy.yamlText }
        let picker = try await ctx.request.regionPicker("jurisdiction", label: ctx.t("policyForm.jurisdiction"),
                                                        selected: model.form.fields["jurisdiction"], search: model.search, required: true)
        // The regions below the paying region the picker shows (one the caller may not see offers none).
        let shown = [picker.picker.root.code, picker.picker.selected?.code].compactMap { $0 }
        let jurisdiction = model.form.fields["jurisdiction"].flatMap { shown.contains($0) ? $0 : nil }
        let workRegions = try await workRegionChoices(ctx.request, jurisdiction: jurisdiction, chosen: chosenWorkRegions(model.form))
        let title = model.editing.map { ctx.t("policyForm.title_edit", $0) } ?? ctx.t("policyForm.title_new")
        return WebPage.render(ctx, title: title, active: "/incentives", content: PolicyFormView.page(ctx, model, picker: picker, workRegions: workRegions),
                              status: status, wide: true)
    }
}

/// What the policy form page shows: the form's fields, the file written from them (when they make
/// a policy), and what the last check found.
struct PolicyFormModel {
    var form: PolicyForm
    /// The name of the policy being edited (nil for a new one).
    var editing: String?
    var search: String?
    var yaml: String?
    var outcome: PolicyEditorModel.Outcome = .none
}

enum PolicyFormView {
    static func page(_ ctx: PageContext, _ model: PolicyFormModel, picker: RegionPicker, workRegions: [WorkRegionChoice]) -> Node {
        let t = ctx.t
        let lastVersion = (try? model.form.policy().get())?.versions.last
        let (form, versions, sources) = model.form.withBlankBlocks(lastVersion: lastVersion)
        let document: Node = .section(.id("policy-document"),
                                      .h2(.text(t("policyForm.document_title"))),
                                      .unwrap(model.yaml, else: .p(.class("muted"), .text(t("policyForm.document_none")))) {
                                          .pre(.class("policy-file"), .code(.text($0)))
                                      })
        let body = Node.form(.method("post"), .action("/incentives/policies/form"), .id("policy-form"), ctx.csrfInput,
                             .unwrap(model.editing) { .input(.type("hidden"), .name("editing"), .value($0)) },
                             basics(ctx, form, picker: picker),
                             .fieldset(.legend(.text(t("policyForm.sources"))),
                                       .forEach(Array(sources.enumerated())) { n, i in source(ctx, form, i, title: n < sources.count - 1 ? t("policyForm.source_n", String(n + 1)) : t("policyForm.source_new")) }),
                             .forEach(Array(versions.enumerated())) { n, i in
                                 version(ctx, form, i, title: n < versions.count - 1 ? t("policyForm.version_n", String(n + 1)) : t("policyForm.version_new"),
                                         sourceIDs: sources.map { form.value("s\($0)_id") }.filter { !$0.isEmpty }, workRegions: workRegions)
                             },
                             .p(.button(.type("submit"), .name("action"), .value("check"), .class("secondary"), .text(t("policyForm.check"))), " ",
                                .button(.type("submit"), .name("action"), .value("load"), .text(t("policyForm.activate")))))
        return .group(PolicyEditorView.outcome(ctx, model.outcome),
                      .p(.class("muted"), .text(t("policyForm.hint"))),
                      .div(.class("grid"), .section(body), document))
    }

    static func basics(_ ctx: PageContext, _ form: PolicyForm, picker: RegionPicker) -> Node {
        let t = ctx.t, lang = ctx.language
        return .fieldset(.legend(.text(t("policyForm.basics"))),
                         Field.input(t("policyForm.id"), name: "id", value: form.value("id"), required: true, hint: t("policyForm.id_hint")),
                         Field.input(t("policyForm.name"), name: "name", value: form.value("name"), required: true),
                         Field.input(t("policyForm.name_en"), name: "name_en", value: form.value("name_en")),
                         picker.node(ctx),
                         Field.select(t("policyForm.kind"), name: "kind",
                                      options: IncentiveKind.allCases.map { ($0.rawValue, $0.text.localized(lang)) }, selected: form.value("kind")),
                         .fieldset(.class("field", "checks"), .legend(.text(t("policyForm.review_levels"))),
                                   .forEach(PolicyForm.reviewLevels) { level in
                                       Field.checkbox(t(level.catalogueKey), name: "review_\(level.englishName)", checked: form.isChecked("review_\(level.englishName)"))
                                   }),
                         Field.checkbox(t("policyForm.placeholder_amounts"), name: "placeholder_amounts", checked: form.isChecked("placeholder_amounts")),
                         Field.textArea(t("policyForm.notes"), name: "notes", value: form.value("notes"), rows: 2))
    }

    static func source(_ ctx: PageContext, _ form: PolicyForm, _ i: Int, title: String) -> Node {
        let t = ctx.t, s = "s\(i)_"
        return .fieldset(.legend(.text(title)),
                         Field.input(t("policyForm.source_id"), name: s + "id", value: form.value(s + "id"), hint: t("policyForm.source_id_hint")),
                         Field.input(t("policyForm.document"), name: s + "document", value: form.value(s + "document")),
                         Field.input(t("policyForm.article"), name: s + "article", value: form.value(s + "article")),
                         Field.textArea(t("policyForm.quote"), name: s + "quote", value: form.value(s + "quote"), rows: 2),
                         Field.input(t("policyForm.url"), name: s + "url", value: form.value(s + "url")))
    }

    static func version(_ ctx: PageContext, _ form: PolicyForm, _ i: Int, title: String, sourceIDs: [String], workRegions: [WorkRegionChoice]) -> Node {
        let t = ctx.t, lang = ctx.language, v = "v\(i)_"
        let none = (value: "", label: t("policyForm.none"))
        let groups = (0..<PolicyForm.groupsPerVersion).map { j -> Node in
            .fieldset(.class("field", "checks"), .legend(.text(t("policyForm.group_n", String(j + 1)))),
                      .p(.class("muted"), .text(t("policyForm.categories"))),
                      .forEach(Array(PostCategory.allCases.enumerated())) { k, category in
                          Field.checkbox(t(category.catalogueKey), name: v + "g\(j)_c\(k)", checked: form.isChecked(v + "g\(j)_c\(k)"))
                      },
                      .p(.class("muted"), .text(t("policyForm.employers"))),
                      .forEach(Array(EmployerKind.allCases.enumerated())) { k, kind in
                          Field.checkbox(lang == .en ? kind.englishName : kind.rawValue, name: v + "g\(j)_e\(k)", checked: form.isChecked(v + "g\(j)_e\(k)"))
                      })
        }
        let sourceOptions = [(value: "", label: t("policyForm.version_source_default"))] + sourceIDs.map { ($0, $0) }
        let ruleOptions = [(value: "", label: t("policyForm.rule_source_default"))] + sourceIDs.map { ($0, $0) }
        return .fieldset(.class("policy-version"), .legend(.text(title)),
                         Field.input(t("policyForm.from"), name: v + "from", value: form.value(v + "from"), .pattern("[0-9]{4}-[0-9]{2}-[0-9]{2}")),
                         Field.input(t("policyForm.to"), name: v + "to", value: form.value(v + "to"), .pattern("[0-9]{4}-[0-9]{2}-[0-9]{2}")),
                         .forEach(Array(CertificateLevel.allCases.enumerated())) { index, level in
                             Field.input(t("policyForm.amount", t(level.catalogueKey)), name: v + "amount_\(index)", value: form.value(v + "amount_\(index)"),
                                         hint: index == 0 ? t("policyForm.amount_hint") : nil, .inputmode("decimal"))
                         },
                         Self.workRegions(ctx, form, v, choices: workRegions),
                         Field.checkbox(t("policyForm.low_score"), name: v + "low_score", checked: form.isChecked(v + "low_score")),
                         .fieldset(.legend(.text(t("policyForm.posts"))), .p(.class("muted"), .text(t("policyForm.posts_hint"))), .group(groups)),
                         Field.input(t("policyForm.months"), name: v + "months", value: form.value(v + "months"), .inputmode("numeric")),
                         Field.input(t("policyForm.window"), name: v + "window", value: form.value(v + "window"), .inputmode("numeric")),
                         Field.select(t("policyForm.window_unit"), name: v + "window_unit",
                                      options: ApplicationWindow.WindowUnit.allCases.map { ($0.rawValue, t("policyForm.window_unit.\($0.rawValue)")) },
                                      selected: form.value(v + "window_unit").isEmpty ? "years" : form.value(v + "window_unit")),
                         Field.checkbox(t("policyForm.window_inclusive"), name: v + "window_inclusive", checked: form.isChecked(v + "window_inclusive")),
                         Field.select(t("policyForm.upgrade"), name: v + "upgrade",
                                      options: [none] + UpgradeRule.allCases.map { ($0.rawValue, $0.text.localized(lang)) }, selected: form.value(v + "upgrade")),
                         Field.select(t("policyForm.pro_rata"), name: v + "pro_rata",
                                      options: [none] + ProRataRule.allCases.map { ($0.rawValue, $0.text.localized(lang)) }, selected: form.value(v + "pro_rata")),
                         Field.input(t("policyForm.budget"), name: v + "budget", value: form.value(v + "budget"), .inputmode("decimal")),
                         Field.select(t("policyForm.budget_per"), name: v + "budget_per",
                                      options: BudgetCap.Period.allCases.map { ($0.rawValue, t("policyForm.budget_per.\($0.rawValue)")) },
                                      selected: form.value(v + "budget_per")),
                         Field.select(t("policyForm.version_source"), name: v + "source", options: sourceOptions, selected: form.value(v + "source")),
                         .details(.summary(.text(t("policyForm.rule_sources"))),
                                  .forEach(PolicyRule.citable) { rule in
                                      Field.select(rule.title.localized(lang), name: v + "rs_\(rule.rawValue)", options: ruleOptions, selected: form.value(v + "rs_\(rule.rawValue)"))
                                  }),
                         Field.textArea(t("policyForm.notes"), name: v + "notes", value: form.value(v + "notes"), rows: 2))
    }
}
