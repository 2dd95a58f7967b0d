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
            let trail = try await RegionTrail.node(ctx, region: region) { "/regions/\($0)" }
            let model = RegionPageModel(region: region, figures: figures, children: panel, trail: trail)
            return WebPage.render(ctx, title: ctx.name(region), active: "/regions", content: RegionView.page(ctx, model))
        }
    }
}

/// One region as the browser shows it: its figures, the panel of its children, the way down to it.
struct RegionPageModel {
    var region: Region
    var figures: RegionFigures
    var children: ReportPanel
    /// The breadcrumb, built where the regions above are read (`RegionTrail`).
    var trail: Node
}

enum RegionView {
    static func page(_ ctx: PageContext, _ model: RegionPageModel) -> Node {
        let t = ctx.t, code = model.region.code
        let links = [Node.link("/statistics?region=\(code)", t("statistics.title")), .link("/figures/\(code)", t("figures.link")),
                     .link("/dashboard?region=\(code)", t("dashboard.title"))]
        return .group(model.trail,
                      .p(.class("muted"), .text(t("regions.code") + " "), .span(.class("code"), .text(code)), .text(" · " + t.name(model.region.level))),
                      model.figures.keyFigures(ctx),
                      .p(.class("no-print"), .joined(links, separator: " · ")),
                      model.children.node(ctx))
    }
}
