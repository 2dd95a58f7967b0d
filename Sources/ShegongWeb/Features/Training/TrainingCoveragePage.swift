import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// `/training/coverage?region=CODE&asOf=YYYY-MM-DD`: a region's community-worker training coverage
/// and hours per worker this year, by course tier and by audience, and the same for each child
/// region by name with drill-down (issue #13 §7). The figures are the shipped indicators'
/// (`IndicatorService.trainingCoverage`), read for officials and department operators like the dashboard's.
struct TrainingCoveragePage: RouteCollection {
    static func allowed(_ principal: Principal) -> Bool { IndicatorService.readers.admits(principal) }

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "training", "coverage", allow: Self.allowed) { req, ctx in
            let region = try await req.regionParameter()
            let asOf = try req.queryDate("asOf", default: .today())!
            let report = try await req.indicators.trainingCoverage(in: region, asOf: asOf)
            let view = TrainingCoverageView(ctx: ctx, report: report)
            let trail = try await RegionTrail.node(ctx, region: region) { "/training/coverage?region=\($0)&asOf=\(asOf)" }
            return WebPage.render(ctx, title: view.title, active: "/training", content: .group(trail, view.body), wide: true)
        }
    }
}

/// The coverage page's view: it only renders the report.
struct TrainingCoverageView {
    typealias Dimension = IndicatorCatalogue.TrainingBreakdown.Dimension
    let ctx: PageContext
    let report: TrainingCoverageReport
    var t: LocalizedTexts { ctx.t }

    var title: String { t("training.coverage.heading", ctx.name(report.region)) }

    static let tiers: [Dimension] = TrainingTier.allCases.map { .tier($0) }
    static let audiences: [Dimension] = TrainingAudience.allCases.map { .audience($0) }

    func label(_ dimension: Dimension) -> String {
        switch dimension {
        case .tier(let tier): return t.name(tier)
        case .audience(let audience): return t.name(audience)
        }
    }

    /// A figure with its unit in the page's language, or why there is none.
    func figure(_ result: IndicatorResult?) -> String {
        guard let result, let number = result.value.number else { return t("chart.no_data") }
        return result.definition.valueText(number, ctx.language)
    }

    func numerator(_ result: IndicatorResult?) -> String {
        guard let value = result?.terms.first(where: { $0.side == "numerator" })?.value else { return t("chart.no_data") }
        return ctx.count(value)
    }

    var body: Node {
        let total = report.total
        return .group(
            .form(.method("get"), .action("/training/coverage"), .class("search"), .id("coverage-form"),
                  .input(.type("hidden"), .name("region"), .value(report.region.code)),
                  Field.input(t("training.coverage.as_of"), name: "asOf", value: report.asOf.description, type: "date"),
                  .button(.type("submit"), .text(t("action.view")))),
            .p(.id("coverage-period"), .text(t("training.coverage.period", report.period.from.description, report.period.to.description,
                                                total.communityWorkers.map { ctx.count($0) } ?? t("chart.no_data")))),
            .p(.class("muted"), .text(t("training.coverage.rules"))),
            .section(.id("coverage-tiers"), .h2(.text(t("training.coverage.by_tier"))),
                     breakdown(id: "coverage-by-tier", heading: "training.coverage.tier", Self.tiers, totalKey: "training.coverage.total")),
            .section(.id("coverage-audiences"), .h2(.text(t("training.coverage.by_audience"))),
                     breakdown(id: "coverage-by-audience", heading: "training.coverage.audience", Self.audiences,
                               totalKey: "training.coverage.total_audience")),
            .section(.id("coverage-regions"), .h2(.text(t("training.coverage.by_region"))),
                     regions(id: "coverage-regions-by-tier", caption: "training.coverage.regions_by_tier", Self.tiers),
                     regions(id: "coverage-regions-by-audience", caption: "training.coverage.regions_by_audience", Self.audiences)))
    }

    /// One row per tier (or audience) of the region, then the overall figures.
    func breakdown(id: String, heading: String, _ dimensions: [Dimension], totalKey: String) -> Node {
        let line = report.total
        let rows: [[Node]] = dimensions.map { d in
            [.text(label(d)), .text(numerator(line.coverage(d))), .text(figure(line.coverage(d))), .text(figure(line.hours(d)))]
        } + [[.strong(.text(t(totalKey))), .text(numerator(line.coverage())), .text(figure(line.coverage())), .text(figure(line.hours()))]]
        let columns = [DataTable.Column(t(heading)), .init(t("training.coverage.trained"), numeric: true),
                       .init(t("training.coverage.share"), numeric: true), .init(t("training.coverage.hours"), numeric: true)]
        return DataTable(id: id, columns: columns, rows: rows, rowHeaders: true, classes: ["report"],
                         rowIDs: dimensions.map { "\(id)-\($0.code)" } + ["\(id)-total"]).node()
    }

    /// The region and each child by name (a link drills down), with the overall figures and each
    /// tier's (or audience's) coverage and hours per worker.
    func regions(id: String, caption: String, _ dimensions: [Dimension]) -> Node {
        let lines = [report.total] + report.children
        let rows: [[Node]] = lines.map { line in
            let name: Node = line.region.code == report.region.code
                ? .strong(.text(ctx.name(line.region)))
                : .link("/training/coverage?region=\(line.region.code)&asOf=\(report.asOf)", ctx.name(line.region))
            return [name, .text(figure(line.coverage())), .text(figure(line.hours()))]
                + dimensions.flatMap { d in [Node.text(figure(line.coverage(d))), .text(figure(line.hours(d)))] }
        }
        let columns = [DataTable.Column(t("training.coverage.region")), .init(t("training.coverage.overall"), numeric: true),
                       .init(t("training.coverage.overall_hours"), numeric: true)]
            + dimensions.flatMap { d in
                [DataTable.Column(t("training.coverage.tier_share", label(d)), numeric: true),
                 .init(t("training.coverage.tier_hours", label(d)), numeric: true)]
            }
        return DataTable(id: id, columns: columns, rows: rows, caption: t(caption), rowHeaders: true, classes: ["report"],
                         rowIDs: lines.map { "\(id)-\($0.region.code)" }).node()
    }
}
