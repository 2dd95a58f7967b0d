import Foundation
import ShegongDomain
import ShegongStore

/// A policy's page and the policy editor: the file, its check, its simulation beside the live
/// policy, and every error of a file that does not parse, in the page's language.
enum PolicyEditorView {
    /// A policy: kind and jurisdiction, its versions, its sources, then its file in the editor.
    static func policy(_ ctx: PageContext, _ policy: IncentivePolicy, loaded: Bool, editor model: PolicyEditorModel) -> Node {
        let t = ctx.t
        return .group(.if(loaded, .notice(t("incentives.loaded", policy.name), .ok)),
                      .p(.text("\(policy.kind.text.localized(ctx.language)) · \(t("incentives.jurisdiction")) \(policy.jurisdiction.value)")),
                      .if(policy.placeholderAmounts, .notice(t("incentives.placeholder"), .warning)),
                      .if(model.mayActivate, .p(.link("/incentives/policies/\(policy.id)/form", t("policyForm.link_edit"), .class("button", "secondary")))),
                      .h2(.text(t("incentives.versions"))), versions(ctx, policy),
                      .h2(.text(t("incentives.sources"))), .ul(.forEach(policy.sources) { .li(.text($0.citationText)) }),
                      editor(ctx, model))
    }

    static func versions(_ ctx: PageContext, _ policy: IncentivePolicy) -> Node {
        let t = ctx.t, lang = ctx.language
        return DataTable(id: "versions",
                         columns: [.init(t("incentives.period")), .init(t("incentives.amounts")), .init(t("incentives.window")),
                                   .init(t("incentives.upgrade")), .init(t("incentives.pro_rata")), .init(t("incentives.budget"))],
                         rows: policy.versions.map { v in
                             let amounts = CertificateLevel.allCases.compactMap { level in
                                 v.amounts[level].map { "\(level.localizedName(lang)) \(IncentiveParts.money(ctx, $0))" }
                             }
                             let budget = v.budgetCap.map { t("incentives.budget_per.\($0.period.rawValue)", MoneyText.plain(fen: $0.amountFen)) }
                             return [.text(v.periodText.localized(lang)), .text(amounts.joined(separator: " / ")),
                                     .text(v.applicationWindow?.text.localized(lang) ?? "—"), .text(v.upgrade?.text.localized(lang) ?? "—"),
                                     .text(v.proRata?.text.localized(lang) ?? "—"), .text(budget ?? "—")]
                         }).node()
    }

    /// The file in a text area with its three buttons (activate only for a read-write official),
    /// after what the last button found.
    static func editor(_ ctx: PageContext, _ model: PolicyEditorModel) -> Node {
        let t = ctx.t
        func button(_ action: String, _ key: String, secondary: Bool) -> Node {
            .button(.type("submit"), .name("action"), .value(action), .if(secondary, .class("secondary")), .text(t(key)))
        }
        return .group(outcome(ctx, model.outcome),
                      .h2(.text(t("incentives.editor"))), .p(.class("muted"), .text(t("incentives.editor_hint"))),
                      .form(.method("post"), .action("/incentives/policies"), .id("policy-editor"), ctx.csrfInput,
                            Field.textArea(t("incentives.editor"), name: "yaml", value: model.yaml, rows: 24, .attribute("spellcheck", "false")),
                            Field.input(t("incentives.simulation_month"), name: "month", value: model.month.description, .pattern("[0-9]{4}-[0-9]{2}")),
                            button("check", "incentives.check", secondary: true), " ",
                            button("simulate", "incentives.simulate", secondary: true),
                            .if(model.mayActivate, .group(" ", button("load", "incentives.activate", secondary: false)))))
    }

    static func outcome(_ ctx: PageContext, _ outcome: PolicyEditorModel.Outcome) -> Node {
        switch outcome {
        case .none: return .empty
        case .checked(let policy): return .notice(ctx.t("incentives.check_ok", policy.name, String(policy.versions.count)), .ok)
        case .simulated(let rows, let month): return simulation(ctx, rows, month: month)
        case .errors(let list): return errors(ctx, list)
        }
    }

    /// Every error of the file, each with its line and key.
    static func errors(_ ctx: PageContext, _ list: PolicyErrorList) -> Node {
        .div(.class("alert", "error"), .role("alert"), .id("policy-errors"),
             .p(.text(ctx.t("incentives.errors", String(list.errors.count)))),
             .ul(.forEach(list.errors) { error in
                 let place = [error.line.map { ctx.t("incentives.line", String($0)) }, error.path].compactMap { $0 }.joined(separator: " · ")
                 return .li(.text(ctx.t("incentives.error_at", place, error.text.text(ctx.language))))
             }))
    }

    /// The draft beside the live policy by county, people and cost for the month and the year,
    /// with the total and the yearly difference.
    static func simulation(_ ctx: PageContext, _ rows: [PolicyComparisonRow], month: CivilMonth) -> Node {
        let t = ctx.t
        var total = (draft: PolicySimulationFigures(), live: PolicySimulationFigures())
        for row in rows { total.draft.add(row.draft); total.live.add(row.live) }
        func cells(_ region: String, _ draft: PolicySimulationFigures, _ live: PolicySimulationFigures) -> [Node] {
            [region, String(draft.peopleInMonth), MoneyText.plain(fen: draft.monthFen), String(draft.peopleInYear), MoneyText.plain(fen: draft.yearFen),
             String(live.peopleInMonth), MoneyText.plain(fen: live.monthFen), String(live.peopleInYear), MoneyText.plain(fen: live.yearFen),
             MoneyText.plain(fen: draft.yearFen - live.yearFen)].map { Node.text($0) }
        }
        let figures = ["incentives.people_month", "incentives.cost_month", "incentives.people_year", "incentives.cost_year"]
        let columns = [DataTable.Column(t("incentives.jurisdiction"))]
            + ["incentives.draft", "incentives.live"].flatMap { side in figures.map { DataTable.Column("\(t(side)) · \(t($0))", numeric: true) } }
            + [DataTable.Column(t("incentives.difference_year"), numeric: true)]
        let table = DataTable(id: "simulation", columns: columns,
                              rows: rows.map { cells($0.region?.value ?? "—", $0.draft, $0.live) } + [cells(t("incentives.total"), total.draft, total.live)])
        return .group(.h2(.text(t("incentives.simulation", month.description))), table.node())
    }
}
