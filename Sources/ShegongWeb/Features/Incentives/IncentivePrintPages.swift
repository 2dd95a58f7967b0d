import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The printable incentive forms on A4 (issue #18 §3), beside the person's 人员信息表: the
/// 申请审批表 of an application (`/incentives/applications/ID/print`) and the 发放花名册 of a
/// payment batch (`/incentives/batches/ID/print`). Each is loaded through `IncentiveService`,
/// scoped like its page, and rendered without the navigation; identifiers stay masked.
struct IncentivePrintPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "incentives", "applications", ":id", "print", allow: IncentivePages.isUser) { req, ctx in
            let form = try await req.incentives.applicationForm(try req.parameter("id"))
            let model = try await ApplicationModel.load(people: try req.personService, application: form.application, principal: ctx.principal)
            let title = ctx.t("print.application.title")
            return WebPage.document(language: ctx.language, title: title,
                                    body: ApplicationPrintView.sheet(ctx, form, personName: model.personName, employer: model.employerName, title: title))
        }
        routes.page(.GET, "incentives", "batches", ":id", "print", allow: IncentivePages.isOfficial) { req, ctx in
            let roster = try await req.incentives.roster(batchID: try req.parameter("id"))
            let title = ctx.t("print.roster.title")
            return WebPage.document(language: ctx.language, title: title, body: RosterPrintView.sheet(ctx, roster, title: title))
        }
    }
}

/// The 申请审批表: who applies for what and how much (in figures and 大写), then one row per
/// review level the policy names — the level, the opinion, the reviewer and the day when the
/// level has acted, and a box for the signature and seal either way.
enum ApplicationPrintView {
    static func sheet(_ ctx: PageContext, _ form: ApplicationForm, personName: String, employer: String?, title: String) -> Node {
        let t = ctx.t, a = form.application
        return .main(.id("content"), .class("print-form"),
                     .p(.class("no-print"), .link("/incentives/applications/\(a.id)", t("print.back"))),
                     .h1(.text(title)),
                     .p(.class("form-meta"), .text(t("print.printed_on", BeijingTime.minute(Date())))),
                     facts(ctx, a, personName: personName, employer: employer),
                     .h2(.text(t("print.application.reviews"))),
                     reviews(ctx, form),
                     .table(.class("form-signatures"), .id("signatures"),
                            .tbody(.tr(.td(.p(.text(t("print.sign.applicant"))), .p(.class("sign-line"), .text(t("print.sign.date"))))))),
                     .p(.class("form-note"), .text(t("print.application.note"))))
    }

    static func facts(_ ctx: PageContext, _ a: ApplicationInfo, personName: String, employer: String?) -> Node {
        let t = ctx.t
        var pairs: [(String, String)] = [
            ("incentives.person", personName), ("incentives.employer", employer ?? ""),
            ("incentives.policy_name", a.decision.policyName.localized(ctx.language)),
            ("incentives.certificate", IncentiveParts.certificate(ctx, level: a.level, number: a.certificateNumber)),
            ("incentives.amount", IncentiveParts.money(ctx, a.amountFen)),
        ]
        // 大写 is the Chinese form's own; an English page shows the figure only (as the batch page does).
        if ctx.language == .zhHans { pairs.append(("incentives.amount_capital", MoneyText.capital(fen: a.amountFen))) }
        pairs += [("incentives.applicant", a.applicant), ("incentives.submitted_on", a.paperDate ?? a.submittedOn)]
        let rows = stride(from: 0, to: pairs.count, by: 2).map { i -> Node in
            let pair = Array(pairs[i..<min(i + 2, pairs.count)])
            return .tr(.forEach(pair) { key, value in .group(.th(.attribute("scope", "row"), .text(t(key))), .td(.text(value))) },
                       .if(pair.count == 1, .group(.th(), .td())))
        }
        let status = Node.tr(.th(.attribute("scope", "row"), .text(t("incentives.status"))), .td(.colspan(3), IncentiveParts.applicationStatus(ctx, a)))
        return .table(.class("form-grid"), .id("application-facts"), .tbody(.group(rows), status))
    }

    /// One row per level the policy names, the latest step taken at that level filled in.
    static func reviews(_ ctx: PageContext, _ form: ApplicationForm) -> Node {
        let t = ctx.t
        let rows = form.reviewLevels.enumerated().map { step, level -> Node in
            let review = form.reviews.last { $0.step == step }
            let opinion = review.map { r in
                [t("print.review.\(r.action.rawValue)"), r.reason ?? ""].filter { !$0.isEmpty }.joined(separator: "：")
            } ?? ""
            return .tr(.data("data-level", level.englishName),
                       .th(.attribute("scope", "row"), .text(t("print.review.level", level.localizedName(ctx.language)))),
                       .td(.class("opinion"), .text(opinion)),
                       .td(.text(review?.reviewer ?? "")),
                       .td(.text(review.map { String(BeijingTime.minute(iso: $0.at).prefix(10)) } ?? "")),
                       .td(.class("seal"), .p(.class("sign-line"), .text(t("print.sign.date")))))
        }
        return .table(.class("form-reviews"), .id("review-levels"),
                      .thead(.tr(.th(.scope("col"), .text(t("print.review.level_column"))), .th(.scope("col"), .text(t("print.review.opinion"))),
                                 .th(.scope("col"), .text(t("print.review.reviewer"))), .th(.scope("col"), .text(t("print.review.date"))),
                                 .th(.scope("col"), .text(t("print.review.seal"))))),
                      .tbody(.group(rows)))
    }
}

/// The 发放花名册: the batch, then its lines a fixed number to a printed page — each page its
/// own table, so the column headers stand on every page and each page carries its subtotal — and
/// after the last one the total in figures and 大写 and the preparer's, reviewer's and approver's
/// signature lines.
enum RosterPrintView {
    /// Lines to a printed A4 page: with the header, the subtotal and, on the last page, the totals
    /// and signatures, 20 rows fit one sheet with room for a name or region that wraps.
    static let linesPerPage = 20

    static func sheet(_ ctx: PageContext, _ roster: BatchRoster, title: String) -> Node {
        let t = ctx.t, batch = roster.batch
        let chunks = stride(from: 0, to: max(roster.lines.count, 1), by: linesPerPage).map { start in
            (start, Array(roster.lines[min(start, roster.lines.count)..<min(start + linesPerPage, roster.lines.count)]))
        }
        return .main(.id("content"), .class("print-form", "roster"), .data("data-lines-per-page", String(linesPerPage)),
                     .p(.class("no-print"), .link("/incentives/batches/\(batch.id)", t("print.back"))),
                     .h1(.text(title)),
                     .table(.class("form-grid"), .id("roster-facts"),
                            .tbody(.tr(.th(.attribute("scope", "row"), .text(t("incentives.batch_number"))), .td(.text(batch.number)),
                                       .th(.attribute("scope", "row"), .text(t("incentives.policy_name"))), .td(.text(roster.policyName.localized(ctx.language)))),
                                   .tr(.th(.attribute("scope", "row"), .text(t("incentives.month"))), .td(.text(batch.month)),
                                       .th(.attribute("scope", "row"), .text(t("incentives.state"))), .td(IncentiveParts.badge(ctx, batch.status))))),
                     .p(.class("form-meta"), .text(t("print.printed_on", BeijingTime.minute(Date())))),
                     .forEach(chunks.enumerated()) { index, chunk in
                         page(ctx, chunk.1, first: chunk.0, number: index + 1, of: chunks.count)
                     },
                     totals(ctx, roster),
                     .table(.class("roster-signatures"), .id("signatures"),
                            .tbody(.tr(.forEach(["print.sign.preparer", "print.sign.reviewer", "print.sign.approver"]) { key in
                                .td(.text(t(key)), .span(.class("blank")))
                            }),
                                   .tr(.forEach(0..<3) { _ in .td(.text(t("print.sign.date"))) }))),
                     .p(.class("form-note"), .text(t("print.personal_data_note"))))
    }

    /// One printed page of lines, numbered on from `first`, with the page's subtotal.
    static func page(_ ctx: PageContext, _ lines: [RosterLine], first: Int, number: Int, of pages: Int) -> Node {
        let t = ctx.t
        let subtotal = lines.reduce(0) { $0 + $1.amountFen }
        return .section(.class("roster-page"), .data("data-page", String(number)),
                        .table(.class("roster-lines"),
                               .caption(.text(t("print.roster.page", String(number), String(pages)))),
                               .thead(.tr(.th(.scope("col"), .class("num"), .text(t("print.roster.number"))), .th(.scope("col"), .text(t("field.name"))),
                                          .th(.scope("col"), .text(t("field.residentID"))), .th(.scope("col"), .text(t("field.region"))),
                                          .th(.scope("col"), .text(t("incentives.line_kind"))), .th(.scope("col"), .text(t("incentives.certificate"))),
                                          .th(.scope("col"), .class("num"), .text(t("incentives.amount"))))),
                               .tbody(.forEach(lines.enumerated()) { offset, line in
                                   .tr(.td(.class("num"), .text(String(first + offset + 1))), .td(.text(line.personName)), .td(.text(line.idMasked)),
                                       .td(.text(line.regionName.isEmpty ? line.regionCode : line.regionName)),
                                       .td(.text([t("incentives.line_kind.\(line.kind)"), line.month ?? ""].filter { !$0.isEmpty }.joined(separator: " "))),
                                       .td(.text(IncentiveParts.levelName(ctx, line.level ?? ""))),
                                       .td(.class("num"), .text(IncentiveParts.money(ctx, line.amountFen))))
                               }),
                               .tfoot(.tr(.th(.scope("row"), .colspan(6), .text(t("print.roster.subtotal", String(lines.count)))),
                                          .td(.class("num"), .text(IncentiveParts.money(ctx, subtotal)))))))
    }

    static func totals(_ ctx: PageContext, _ roster: BatchRoster) -> Node {
        let t = ctx.t
        return .table(.class("form-grid"), .id("roster-totals"),
                      .tbody(.tr(.th(.attribute("scope", "row"), .text(t("print.roster.total_lines"))), .td(.text(String(roster.lines.count))),
                                 .th(.attribute("scope", "row"), .text(t("print.roster.total"))), .td(.id("roster-total"), .text(IncentiveParts.money(ctx, roster.totalFen)))),
                             .if(ctx.language == .zhHans,
                                 .tr(.th(.attribute("scope", "row"), .text(t("incentives.amount_capital"))),
                                     .td(.colspan(3), .id("roster-capital"), .text(MoneyText.capital(fen: roster.totalFen)))))))
    }
}
