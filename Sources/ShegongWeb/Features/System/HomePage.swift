import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The home page (issue #3 §6): officials and department operators see what waits for them
/// (`HomeTodos`, issue #18 §4), then their region's key figures and charts; organisation managers their organisation's staff; social workers the way to their
/// own record; administrators the way to their admin page.
struct HomePage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET) { req, ctx in
            let t = ctx.t
            switch ctx.principal.scope {
            case .region, .department:
                let figures = try await RegionFigures.load(req, region: try await req.regionParameter(), asOf: .today())
                let panels = [figures.levelPanel(ctx), figures.childrenPanel(ctx) { "/regions/\($0.code)" }]
                if let file = try ReportDownload.response(req, panels: panels, asOf: figures.asOf) { return file }
                let todos = try await HomeTodos.load(req, ctx)
                return WebPage.render(ctx, title: t("home.title"),
                                      content: .group(TodoView.section(ctx, todos), HomeView.region(ctx, figures: figures, panels: panels)))
            case .organization(let id):
                let organization = try await req.organizationService.organization(id)
                return WebPage.render(ctx, title: t("home.title"),
                                      content: .group(HomeView.organization(ctx, id: id, organization: organization), RenewalReminder.employer(ctx)))
            case .person(let id):
                return WebPage.render(ctx, title: t("home.title"),
                                      content: .group(.section(.id("key-figures"), .p(.link("/people/\(id)", t("home.open_own_record")))),
                                                      try await RenewalReminder.worker(req, ctx)))
            case .noBusinessData:
                let admin = WebFeatures.navigation(for: ctx.principal).first
                return WebPage.render(ctx, title: t("home.title"),
                                      content: .group(.p(.text(t("home.administrator"))), .unwrap(admin) { .p(.link($0.path, t($0.key))) }))
            }
        }
    }
}

/// What the home page shows for each kind of account.
enum HomeView {
    static func region(_ ctx: PageContext, figures: RegionFigures, panels: [ReportPanel]) -> Node {
        let t = ctx.t, code = figures.region.code
        let links = Node.p(.class("no-print"),
                           .joined([.link("/statistics?region=\(code)", t("statistics.title")), .link("/dashboard?region=\(code)", t("dashboard.title")),
                                    .link("/regions/\(code)", t("regions.title"))], separator: " · "))
        return .group(figures.keyFigures(ctx), links, .forEach(panels) { $0.node(ctx) })
    }

    static func organization(_ ctx: PageContext, id: String, organization: OrganizationInfo) -> Node {
        let t = ctx.t
        return .section(.id("key-figures"), .h2(.text(organization.name)),
                        .div(.class("figures"),
                             .div(.class("figure"), .id("figure-staff"),
                                  .b(.data("data-value", String(organization.staff)), .text(ctx.count(organization.staff))),
                                  .small(.text(t("organizations.staff"))))),
                        .p(.link("/organizations/\(id)", t("home.open_organization"))))
    }
}
