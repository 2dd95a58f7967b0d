import Foundation
import ShegongDomain
import ShegongStore

// The incentive pages' views: each renders its model (IncentivePages+Models.swift) and nothing
// else — no service, no request.

/// `/incentives`: policies, batches and the ledger for officials, the applications for everyone.
enum IncentiveOverviewView {
    static func page(_ ctx: PageContext, _ model: IncentiveOverview, notices: Node) -> Node {
        .group(notices,
               .if(model.showsPolicies, .group(policies(ctx, model), batches(ctx, model), ledger(ctx, model))),
               .unwrap(model.ownPerson) { person in
                   .p(.link("/incentives/eligibility/\(person)", ctx.t("incentives.eligibility"), .class("button")))
               },
               applications(ctx, model.applications))
    }

    /// What an allowance run did, and the budget warning when the run takes the year over its cap.
    static func runNotices(_ ctx: PageContext, _ result: AllowanceRunResult) -> Node {
        .group(.notice(ctx.t("incentives.run_result", result.batch.number, String(result.considered),
                             String(result.added), String(result.arrearsAdded)), .ok),
               .unwrap(result.budgetWarning) { .notice($0.text(ctx.language), .warning) })
    }

    static func policies(_ ctx: PageContext, _ model: IncentiveOverview) -> Node {
        let t = ctx.t
        let table = DataTable(id: "policies", columns: [.init(t("incentives.policy_name")), .init(t("incentives.jurisdiction")),
                                                        .init(t("incentives.kind")), .init(t("incentives.active"))],
                              rows: model.policies.map { p in
                                  [.group(.link("/incentives/policies/\(p.id)", p.displayName.localized(ctx.language)),
                                          .if(p.placeholder, .group(" ", .small(.class("muted"), .text(t("incentives.placeholder")))))),
                                   .text(model.regionNames[p.jurisdiction] ?? p.jurisdiction), .text(IncentiveKind(rawValue: p.kind)?.text.localized(ctx.language) ?? p.kind),
                                   .text(t(p.active ? "common.yes" : "common.no"))]
                              },
                              empty: t("incentives.none"))
        return .group(.h2(.text(t("incentives.policies"))),
                      .if(model.mayManage, .p(.link("/incentives/policies/new", t("incentives.new_policy"), .class("button", "secondary")), " ",
                                                     .link("/incentives/policies/form", t("policyForm.link_new"), .class("button", "secondary")))),
                      table.node())
    }

    static func batches(_ ctx: PageContext, _ model: IncentiveOverview) -> Node {
        let t = ctx.t
        let table = DataTable(id: "batch-list",
                              columns: [.init(t("incentives.batch")), .init(t("incentives.policy_name")), .init(t("incentives.month")),
                                        .init(t("incentives.lines"), numeric: true), .init(t("incentives.amount"), numeric: true),
                                        .init(t("incentives.state")), .init(t("incentives.approved_by")), .init("")],
                              rows: model.batches.map { b in
                                  [.link("/incentives/batches/\(b.id)", b.number), .text(model.policyName(b.policyID, ctx.language)), .text(b.month),
                                   .text(String(b.lines)), .text(IncentiveParts.money(ctx, b.totalFen)), IncentiveParts.badge(ctx, b.status),
                                   .text(b.approvedBy ?? ""), batchActions(ctx, b, mayManage: model.mayManage)]
                              },
                              empty: t("incentives.none"))
        return .group(.h2(.id("batches"), .text(t("incentives.batches"))),
                      .if(model.mayManage, .p(.class("muted"), .text(t("incentives.four_eyes_note")))),
                      .if(model.mayManage && !model.monthlyPolicies.isEmpty, allowanceRunForm(ctx, model)),
                      table.node())
    }

    /// Starts a month's allowance run for one of the active monthly allowances.
    static func allowanceRunForm(_ ctx: PageContext, _ model: IncentiveOverview) -> Node {
        let t = ctx.t
        return .form(.method("post"), .action("/incentives/allowance-runs"), .class("search"), .id("allowance-run"), ctx.csrfInput,
                     Field.select(t("incentives.policy_name"), name: "policy", options: model.monthlyPolicies.map { ($0.id, $0.displayName.localized(ctx.language)) }, selected: nil),
                     Field.input(t("incentives.month"), name: "month", value: model.currentMonth.description, required: true,
                                 .pattern("[0-9]{4}-[0-9]{2}")),
                     .button(.type("submit"), .text(t("incentives.run"))))
    }

    /// The batch's payment list as files, and its next step (approve a draft, mark an approved one
    /// paid), which first shows a confirmation with the lines and the total (`BatchView.confirmation`).
    static func batchActions(_ ctx: PageContext, _ batch: PaymentBatchInfo, mayManage: Bool) -> Node {
        let step: (path: String, key: String)? = switch batch.status {
        case .draft: ("approve", "incentives.approve_batch")
        case .approved: ("paid", "incentives.mark_paid")
        case .paid: nil
        }
        return .group(IncentiveParts.exportLinks(ctx, batchID: batch.id),
                      .unwrap(mayManage ? step : nil) { step in
                          .group(" ", .form(.method("post"), .action("/incentives/batches/\(batch.id)/\(step.path)"), .class("inline"), ctx.csrfInput,
                                            .button(.type("submit"), .class("secondary"), .text(ctx.t(step.key)))))
                      })
    }

    static func ledger(_ ctx: PageContext, _ model: IncentiveOverview) -> Node {
        let t = ctx.t
        let table = DataTable(id: "ledger",
                              columns: [.init(t("incentives.policy_name")), .init(t("incentives.month")), .init(t("incentives.state")),
                                        .init(t("incentives.lines"), numeric: true), .init(t("incentives.amount"), numeric: true)],
                              rows: model.ledger.map { total in
                                  [.text(model.policyName(total.policyID, ctx.language)), .text(total.month ?? ""), IncentiveParts.badge(ctx, total.state),
                                   .text(String(total.lines)), .text(IncentiveParts.money(ctx, total.totalFen))]
                              },
                              empty: t("incentives.none"))
        return .group(.h2(.text(t("incentives.ledger"))), table.node())
    }

    static func applications(_ ctx: PageContext, _ applications: [ApplicationInfo]) -> Node {
        let t = ctx.t
        let table = DataTable(id: "applications",
                              columns: [.init(t("field.name")), .init(t("incentives.policy_name")), .init(t("incentives.certificate")),
                                        .init(t("incentives.amount"), numeric: true), .init(t("incentives.submitted_on")), .init(t("incentives.status"))],
                              rows: applications.map { a in
                                  [.link("/incentives/applications/\(a.id)", a.personName ?? t("incentives.application")), .text(a.decision.policyName.localized(ctx.language)),
                                   .text(IncentiveParts.certificate(ctx, level: a.level, number: a.certificateNumber)),
                                   .text(IncentiveParts.money(ctx, a.amountFen)), .text(a.submittedOn), IncentiveParts.applicationStatus(ctx, a)]
                              },
                              empty: t("incentives.none"))
        return .group(.h2(.text(t("incentives.applications"))), table.node())
    }
}

/// `/incentives/batches/ID` and `/incentives/lines/ID`.
enum BatchView {
    static func page(_ ctx: PageContext, _ model: BatchPageModel) -> Node {
        let t = ctx.t, batch = model.batch
        let facts = Node.dl(.class("facts"),
                            .dt(.text(t("incentives.batch_number"))), .dd(.text(batch.number)),
                            .dt(.text(t("incentives.policy_name"))), .dd(.text(model.policyName.localized(ctx.language))),
                            .dt(.text(t("incentives.month"))), .dd(.text(batch.month)),
                            .dt(.text(t("incentives.state"))), .dd(IncentiveParts.badge(ctx, batch.status)),
                            .dt(.text(t("incentives.lines"))), .dd(.text(String(batch.lines))),
                            .dt(.text(t("incentives.amount"))), .dd(.text(IncentiveParts.money(ctx, batch.totalFen))),
                            // 大写 is the Chinese payment list's own form; an English page shows the figure only.
                            .if(ctx.language == .zhHans, .group(.dt(.text(t("incentives.amount_capital"))),
                                                                .dd(.class("capital"), .text(MoneyText.capital(fen: batch.totalFen))))),
                            .unwrap(batch.approvedBy) { .group(.dt(.text(t("incentives.approved_by"))), .dd(.text($0))) },
                            .unwrap(batch.paidBy) { .group(.dt(.text(t("incentives.paid_by"))), .dd(.text($0))) })
        return .group(facts, .p(.class("no-print"), IncentiveParts.exportLinks(ctx, batchID: batch.id), " · ",
                                .link("/incentives/batches/\(batch.id)/print", t("print.roster.link"), .id("print-roster"))),
                      .if(model.mayManage, .p(.class("no-print"), IncentiveOverviewView.batchActions(ctx, batch, mayManage: true))),
                      lines(ctx, model.lines, regionNames: model.regionNames),
                      Pager.keyset(ctx, page: model.page, perPage: BatchPageModel.perPage, total: model.total, exact: model.totalIsExact,
                                   nextCursor: model.nextCursor))
    }

    static func lines(_ ctx: PageContext, _ lines: [PaymentLineRow], regionNames: [String: String] = [:]) -> Node {
        let t = ctx.t
        return DataTable(id: "batch-lines",
                         columns: [.init(t("field.name")), .init(t("field.residentID")), .init(t("field.region")), .init(t("incentives.line_kind")),
                                   .init(t("incentives.month")), .init(t("incentives.certificate")), .init(t("incentives.amount"), numeric: true),
                                   .init(t("incentives.state")), .init("")],
                         rows: lines.map { l in
                             [.text(l.personName), .text(l.idMasked), .text(regionNames[l.regionCode] ?? l.regionCode), .text(t("incentives.line_kind.\(l.kind)")),
                              .text(l.month ?? ""), .text(IncentiveParts.levelName(ctx, l.level ?? "")), .text(IncentiveParts.money(ctx, l.amountFen)),
                              IncentiveParts.badge(ctx, l.state), .link("/incentives/lines/\(l.id)", t("incentives.explanation"))]
                         },
                         empty: t("incentives.none")).node()
    }

    /// The step before an approval or a payment record: the batch's lines and total as they are
    /// now, sent back with the confirmation so that a batch changed meanwhile is refused.
    static func confirmation(_ ctx: PageContext, _ model: BatchPageModel, paid: Bool) -> Node {
        let t = ctx.t, batch = model.batch
        let total = IncentiveParts.money(ctx, batch.totalFen)
        return .group(
            .notice(t(paid ? "incentives.confirm_paid_text" : "incentives.confirm_approve_text", String(batch.lines), total), .warning),
            .dl(.class("facts"),
                .dt(.text(t("incentives.batch_number"))), .dd(.text(batch.number)),
                .dt(.text(t("incentives.policy_name"))), .dd(.text(model.policyName.localized(ctx.language))),
                .dt(.text(t("incentives.month"))), .dd(.text(batch.month)),
                .dt(.text(t("incentives.lines"))), .dd(.id("confirm-lines"), .text(String(batch.lines))),
                .dt(.text(t("incentives.amount"))), .dd(.id("confirm-total"), .text(total)),
                .if(ctx.language == .zhHans, .group(.dt(.text(t("incentives.amount_capital"))), .dd(.text(MoneyText.capital(fen: batch.totalFen)))))),
            .form(.method("post"), .action("/incentives/batches/\(batch.id)/\(paid ? "paid" : "approve")"), .class("inline"), .id("confirm-form"),
                  ctx.csrfInput,
                  .input(.type("hidden"), .name("lines"), .value(String(batch.lines))),
                  .input(.type("hidden"), .name("totalFen"), .value(String(batch.totalFen))),
                  .button(.type("submit"), .name("confirm"), .value("1"), .text(t(paid ? "incentives.confirm_paid" : "incentives.confirm_approve"))),
                  " ", .link("/incentives/batches/\(batch.id)", t("action.cancel"), .class("button", "secondary"))))
    }

    /// One payment line and the decision that justified it, rule by rule.
    static func line(_ ctx: PageContext, _ line: PaymentLineInfo, batchNumber: String) -> Node {
        let t = ctx.t
        let facts = Node.dl(.class("facts"),
                            .dt(.text(t("incentives.batch"))), .dd(.link("/incentives/batches/\(line.batchID)", batchNumber)),
                            .dt(.text(t("incentives.policy_name"))), .dd(.text(line.decision.policyName.localized(ctx.language))),
                            .dt(.text(t("incentives.line_kind"))), .dd(.text(t("incentives.line_kind.\(line.kind)"))),
                            .dt(.text(t("incentives.month"))), .dd(.text(line.month ?? "")),
                            .dt(.text(t("incentives.amount"))), .dd(.text(IncentiveParts.money(ctx, line.amountFen))),
                            .dt(.text(t("incentives.state"))), .dd(IncentiveParts.badge(ctx, line.state)))
        return .group(facts, .h2(.text(t("incentives.explanation"))), IncentiveParts.checks(ctx, line.decision, id: "line-checks"),
                      .p(.link("/people/\(line.personID)", t("incentives.line_person"))))
    }
}

/// `/incentives/eligibility/PERSON`: a date to ask about, then each policy's decision with every
/// rule checked, and an apply button for an award the person may claim.
enum EligibilityView {
    static func page(_ ctx: PageContext, _ model: EligibilityModel, notice: Node) -> Node {
        let t = ctx.t
        let dateForm = Node.form(.method("get"), .class("search", "no-print"),
                                 Field.input(t("incentives.submitted_on"), name: "date", value: model.date.description, type: "date"),
                                 .button(.type("submit"), .text(t("action.view"))))
        return .group(notice, dateForm,
                      .if(model.decisions.isEmpty, .p(.text(t("incentives.no_policies")))),
                      .forEach(model.decisions) { decision(ctx, $0, personID: model.personID) })
    }

    static func decision(_ ctx: PageContext, _ decision: EligibilityDecision, personID: String) -> Node {
        let t = ctx.t
        let verdict = Node.p(.span(.class("status", decision.eligible ? "approved" : "rejected"),
                                   .text(t(decision.eligible ? "incentives.eligible" : "incentives.not_eligible"))),
                             .if(decision.eligible, .group(" · \(t("incentives.amount")) ", .strong(.text(IncentiveParts.money(ctx, decision.amountFen))))),
                             .if(decision.placeholderAmounts, .group(" ", .small(.class("muted"), .text(t("incentives.placeholder"))))))
        return .section(.class("decision"), .id("decision-\(decision.policyID)"),
                        .h2(.text(decision.policyName.localized(ctx.language))), verdict,
                        IncentiveParts.checks(ctx, decision, id: "checks-\(decision.policyID)"),
                        applyForm(ctx, decision, personID: personID))
    }

    /// The apply button of an eligible one-time award: the person, policy and certificate it is for.
    static func applyForm(_ ctx: PageContext, _ decision: EligibilityDecision, personID: String) -> Node {
        guard decision.eligible, decision.kind == .oneTimeAward, let certificate = decision.certificate else { return .empty }
        return .form(.method("post"), .action("/incentives/applications"), .class("inline", "apply"), ctx.csrfInput,
                     .input(.type("hidden"), .name("person"), .value(personID)),
                     .input(.type("hidden"), .name("policy"), .value(decision.policyID)),
                     .input(.type("hidden"), .name("certificate"), .value(certificate.number)),
                     .button(.type("submit"), .text(ctx.t("incentives.apply"))))
    }
}

/// `/incentives/applications/ID`: the application, the decision it rests on, and the review form
/// for the official whose level it awaits.
enum ApplicationView {
    static func page(_ ctx: PageContext, _ model: ApplicationModel, reasonError: String?) -> Node {
        let t = ctx.t, a = model.application
        let facts = Node.dl(.class("facts"),
                            .dt(.text(t("incentives.person"))), .dd(.link("/people/\(a.personID)", model.personName)),
                            .unwrap(model.employerName) { .group(.dt(.text(t("incentives.employer"))), .dd(.text($0))) },
                            .dt(.text(t("incentives.policy_name"))), .dd(.text(a.decision.policyName.localized(ctx.language))),
                            .dt(.text(t("incentives.certificate"))), .dd(.text(IncentiveParts.certificate(ctx, level: a.level, number: a.certificateNumber))),
                            .dt(.text(t("incentives.amount"))), .dd(.text(IncentiveParts.money(ctx, a.amountFen))),
                            .dt(.text(t("incentives.applicant"))), .dd(.text(a.applicant)),
                            .dt(.text(t("incentives.submitted_on"))), .dd(.text(a.submittedOn)),
                            .dt(.text(t("incentives.status"))), .dd(IncentiveParts.applicationStatus(ctx, a)),
                            .unwrap(a.reason) { .group(.dt(.text(t("incentives.reason"))), .dd(.text($0))) })
        return .group(facts,
                      .p(.class("no-print"), .link("/incentives/applications/\(a.id)/print", t("print.application.link"), .id("print-application"),
                                                   .class("button", "secondary"))),
                      .h2(.text(t("incentives.eligibility"))),
                      .pre(.class("explanation"), .text(a.decision.explanation(ctx.language.policyLanguage))),
                      .if(model.mayReview, reviewForm(ctx, a, reasonError: reasonError)))
    }

    static func reviewForm(_ ctx: PageContext, _ a: ApplicationInfo, reasonError: String?) -> Node {
        let t = ctx.t
        func button(_ action: String, _ key: String, secondary: Bool) -> Node {
            .button(.type("submit"), .name("action"), .value(action), .if(secondary, .class("secondary")), .text(t(key)))
        }
        return .group(.h2(.text(t("incentives.review"))),
                      .form(.method("post"), .action("/incentives/applications/\(a.id)/review"), .class("stack"), .id("review-form"), ctx.csrfInput,
                            Field.input(t("incentives.reason"), name: "reason", error: reasonError, .attribute("maxlength", "500")),
                            button("approve", "action.approve", secondary: false), " ",
                            button("return", "action.return", secondary: true), " ",
                            button("reject", "action.reject", secondary: true)))
    }
}

/// Pieces several incentive views share.
enum IncentiveParts {
    /// An amount as every incentive page writes it (`66,100.00 元`, `CNY 66,100.00`).
    static func money(_ ctx: PageContext, _ fen: Int) -> String { MoneyText.text(fen: fen, language: ctx.language) }

    /// A status as a badge: its name in the page's language, its stored value as the class.
    static func badge<Status: CatalogueNamed & RawRepresentable>(_ ctx: PageContext, _ status: Status) -> Node where Status.RawValue == String {
        .span(.class("status", status.rawValue), .text(status.localizedName(ctx.language)))
    }

    /// An application's status, and the review level it awaits.
    static func applicationStatus(_ ctx: PageContext, _ a: ApplicationInfo) -> Node {
        .group(badge(ctx, a.status),
               .unwrap(a.awaiting) { awaiting in
                   let level = RegionLevel.allCases.first { $0.englishName.lowercased() == awaiting.lowercased() }
                   return .text(" " + ctx.t("status.application.awaiting", level?.localizedName(ctx.language) ?? awaiting))
               })
    }

    /// A certificate level stored as its Chinese title, in the page's language.
    static func levelName(_ ctx: PageContext, _ level: String) -> String {
        CertificateLevel(rawValue: level)?.localizedName(ctx.language) ?? level
    }

    static func certificate(_ ctx: PageContext, level: String, number: String) -> String {
        "\(levelName(ctx, level)) \(number)"
    }

    /// The batch's payment list (lines in the caller's scope, masked IDs) as XLSX or CSV.
    static func exportLinks(_ ctx: PageContext, batchID: String) -> Node {
        .joined([.link("/incentives/batches/\(batchID)/export?format=xlsx", ctx.t("action.export_xlsx"), .download()),
                 .link("/incentives/batches/\(batchID)/export?format=csv", ctx.t("action.export_csv"), .download())],
                separator: " · ")
    }

    /// Every rule the engine checked, with the value it saw, the outcome and the source.
    static func checks(_ ctx: PageContext, _ decision: EligibilityDecision, id: String) -> Node {
        let t = ctx.t, lang = ctx.language
        return DataTable(id: id,
                         columns: [.init(t("incentives.rule")), .init(t("incentives.requirement")), .init(t("incentives.observed")),
                                   .init(t("incentives.outcome")), .init(t("incentives.sources"))],
                         rows: decision.checks.map { c in
                             [.text(c.rule.title.localized(lang)), .text(c.requirement.localized(lang)), .text(c.observed.localized(lang)),
                              .group(badge(ctx, c.outcome), .br(), .small(.text(c.message.localized(lang)))),
                              .text(c.source?.citationText ?? "")]
                         }).node()
    }
}
