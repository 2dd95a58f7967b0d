import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The home page (issue #3 §6): officials and department operators see their region's key figures
/// and charts; organisation managers their organisation's staff; social workers the way to their
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
                let code = figures.region.code
                let links = #"<p class="no-print"><a href="/statistics?region=\#(code)">\#(HTML.escape(t("statistics.title")))</a> · "#
                    + #"<a href="/dashboard?region=\#(code)">\#(HTML.escape(t("dashboard.title")))</a> · "#
                    + #"<a href="/regions/\#(code)">\#(HTML.escape(t("regions.title")))</a></p>"#
                return WebPage.render(ctx, title: t("home.title"), content: figures.keyFigures(ctx) + links + panels.map { $0.html(ctx) }.joined())
            case .organization(let id):
                let organization = try await OrganizationStore(db: req.db).get(id: id)
                let staff = organization.map { ctx.count($0.staff) } ?? "0"
                let content = #"<section id="key-figures"><h2>\#(HTML.escape(organization?.name ?? t("home.organization")))</h2><div class="figures">"#
                    + #"<div class="figure" id="figure-staff"><b data-value="\#(organization?.staff ?? 0)">\#(staff)</b><small>\#(HTML.escape(t("organizations.staff")))</small></div></div>"#
                    + #"<p><a href="/organizations/\#(HTML.escape(id))">\#(HTML.escape(t("home.open_organization")))</a></p></section>"#
                return WebPage.render(ctx, title: t("home.title"), content: content)
            case .person(let id):
                let content = #"<section id="key-figures"><p><a href="/people/\#(HTML.escape(id))">\#(HTML.escape(t("home.open_own_record")))</a></p></section>"#
                return WebPage.render(ctx, title: t("home.title"), content: content)
            case .noBusinessData:
                let admin = WebPage.navigation(for: ctx.principal).first.map { #"<p><a href="\#($0.path)">\#(HTML.escape(t($0.key)))</a></p>"# } ?? ""
                return WebPage.render(ctx, title: t("home.title"), content: #"<p>\#(HTML.escape(t("home.administrator")))</p>"# + admin)
            }
        }
    }
}
