import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The region browser (issue #3 §6): `/regions` opens the principal's own region; `/regions/CODE`
/// shows a region's figures and its children, each a drill-down link, under a breadcrumb from the
/// root of the scope. A region outside the scope is the audited 404 of an unknown one.
struct RegionPages: RouteCollection {
    static func allowed(_ principal: Principal) -> Bool { principal.scope.regionSubtree != nil }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "regions", allow: Self.allowed) { req, _ in
            req.redirect(onSite: "/regions/\(req.homeRegionCode)")
        }
        routes.page(.GET, "regions", ":code", allow: Self.allowed) { req, ctx in
            let region = try await req.regionService.inScope(try req.parameter("code"))
            let figures = try await RegionFigures.load(req, region: region, asOf: .today())
            let panel = figures.childrenPanel(ctx) { "/regions/\($0.code)" }
            if let file = try ReportDownload.response(req, panels: [panel], asOf: figures.asOf) { return file }
            let t = ctx.t
            let trail = try await RegionTrail.node(ctx, region: region) { "/regions/\($0)" }.render()
            let facts = #"<p class="muted">\#(HTML.escape(t("regions.code"))) \#(HTML.escape(region.code)) · \#(HTML.escape(t.name(region.level)))</p>"#
            let links = #"<p class="no-print"><a href="/statistics?region=\#(HTML.escape(region.code))">\#(HTML.escape(t("statistics.title")))</a> · "#
                + #"<a href="/figures/\#(HTML.escape(region.code))">\#(HTML.escape(t("figures.link")))</a> · "#
                + #"<a href="/dashboard?region=\#(HTML.escape(region.code))">\#(HTML.escape(t("dashboard.title")))</a></p>"#
            return WebPage.render(ctx, title: region.name, active: "/regions",
                                  content: trail + facts + figures.keyFigures(ctx).render() + links + panel.node(ctx).render())
        }
    }
}
