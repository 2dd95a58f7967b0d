import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Census statistics of a region (issue #3 §6): every breakdown as a server-drawn SVG chart — bar,
/// stacked bar, donut, line — beside its table, each table downloadable as XLSX or CSV.
struct StatisticsPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "statistics", allow: RegionPages.allowed) { req, ctx in
            let model = try await StatisticsModel.load(req, asOf: CivilDate.today())
            let panels = StatisticsView.panels(ctx, model)
            // The table shown is the table downloaded: both come from the same panels.
            if let file = try ReportDownload.response(req, panels: panels, asOf: model.figures.asOf) { return file }
            let trail = try await RegionTrail.node(ctx, region: model.figures.region) { "/statistics?region=\($0)" }
            return StatisticsView.page(ctx, model, trail: trail, panels: panels)
        }
    }
}

/// What the statistics page shows of one region, read once per request.
struct StatisticsModel {
    /// Year-end points of the holders line: this many years back, and today.
    static let years = 5

    var figures: RegionFigures
    /// Certificate holders at each year end and today (`CensusService.holdersByYear`).
    var holders: [LineChart.Point]

    /// `?region=` inside the caller's scope (their own region when absent).
    static func load(_ req: Request, asOf: CivilDate) async throws -> StatisticsModel {
        let region = try await req.regionParameter()
        return StatisticsModel(figures: try await RegionFigures.load(req, region: region, asOf: asOf),
                               holders: try await req.census.holdersByYear(in: region, asOf: asOf, years: years))
    }
}

/// The statistics page's panels and frame; renders only.
enum StatisticsView {
    static func page(_ ctx: PageContext, _ model: StatisticsModel, trail: Node, panels: [ReportPanel]) -> Response {
        WebPage.render(ctx, title: ctx.t("statistics.title") + " · " + ctx.name(model.figures.region), active: "/statistics",
                       content: .group(trail, model.figures.keyFigures(ctx), .forEach(panels) { $0.node(ctx) }), wide: true)
    }

    static func panels(_ ctx: PageContext, _ model: StatisticsModel) -> [ReportPanel] {
        let t = ctx.t
        let figures = model.figures
        let summary = figures.summary
        let notes = figures.notes(ctx)
        let line = LineChart(title: t("statistics.holders_by_year"), lines: [LineChart.Line(t("figure.certificate_holders"), model.holders)],
                             noDataReason: t("chart.no_data_reason"))
        return [
            figures.levelPanel(ctx),
            ReportPanel(id: "year", chart: line, table: ReportTable(line, dateHeader: t("common.date"), notes: notes),
                        formats: [1: .count]),
            childLevels(ctx, figures: figures),
            bars(ctx, id: "category", title: t("statistics.by_category"), header: t("field.postCategory"), summary.byPostCategory,
                 key: "postCategory", notes: notes),
            bars(ctx, id: "field", title: t("statistics.by_field"), header: t("field.serviceFields"), summary.byServiceField,
                 key: "serviceField", notes: notes),
            bars(ctx, id: "education", title: t("statistics.by_education"), header: t("field.education"), summary.byEducation,
                 key: "education", notes: notes),
            bars(ctx, id: "age", title: t("statistics.by_age"), header: t("statistics.age_band"),
                 summary.byAgeBand, key: "statistics.age", orientation: .vertical, notes: notes),
        ]
    }

    /// A bucket's name in the page's language: the census counts file people whose field was left
    /// blank under `CensusFacts.unknown` (未填), which is "not given", never a key like `education.未填`.
    static func bucketName(_ ctx: PageContext, key: String, _ value: String) -> String {
        value == CensusFacts.unknown ? ctx.t("common.unknown") : ctx.t("\(key).\(value)")
    }

    /// One breakdown as bars; `key` is the catalogue prefix of the bucket names.
    static func bars(_ ctx: PageContext, id: String, title: String, header: String, _ buckets: [CensusSummary.Bucket], key: String,
                     orientation: ChartOrientation = .horizontal, notes: [String]) -> ReportPanel {
        let bars = buckets.map { ChartBar(bucketName(ctx, key: key, $0.value), Double($0.count)) }
        let height = orientation == .horizontal ? max(160, Double(bars.count) * 26 + 60) : 320
        let chart = BarChart(title: title, bars: bars, orientation: orientation, height: height, noDataReason: ctx.t("chart.no_data_reason"))
        return ReportPanel(id: id, chart: chart,
                           table: ReportTable(chart, labelHeader: header, valueHeader: ctx.t("common.count"), notes: notes),
                           formats: [1: .count])
    }

    /// Holders by level in each child region, stacked; each region drills down to its own statistics.
    static func childLevels(_ ctx: PageContext, figures: RegionFigures) -> ReportPanel {
        let t = ctx.t
        let levels = CertificateLevel.allCases
        let series = levels.enumerated().map { i, level in
            ChartSeries(t.name(level), figures.children.map { child in
                Double(child.summary.byLevel.first { $0.value == level.rawValue }?.count ?? 0)
            }, fill: .palette(i))
        }
        let links = figures.children.map { "/statistics?region=\($0.region.code)" }
        let chart = StackedBarChart(title: t("statistics.levels_by_region"), categories: figures.children.map(\.region.name), series: series,
                                    height: max(160, Double(figures.children.count) * 26 + 80), noDataReason: t("regions.no_children"),
                                    links: links)
        return ReportPanel(id: "region-levels", chart: chart,
                           table: ReportTable(chart, labelHeader: t("field.region"), totalHeader: t("common.total"), notes: figures.notes(ctx)),
                           links: links)
    }
}
