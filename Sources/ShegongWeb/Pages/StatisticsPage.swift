import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Census statistics of a region (issue #3 §6): every breakdown as a server-drawn SVG chart — bar,
/// stacked bar, donut, line — beside its table, each table downloadable as XLSX or CSV.
struct StatisticsPage: RouteCollection {
    /// Year-end points of the holders line: this many years back, and today.
    static let years = 5

    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "statistics", allow: RegionPages.allowed) { req, ctx in
            let asOf = CivilDate.today()
            let region = try await req.regionParameter()
            let figures = try await RegionFigures.load(req, region: region, asOf: asOf)
            let holders = try await Self.holdersByYear(req, region: region, asOf: asOf)
            let panels = Self.panels(ctx, figures: figures, holders: holders)
            if let file = try ReportDownload.response(req, panels: panels, asOf: asOf) { return file }
            let trail = try await RegionTrail.node(ctx, region: region) { "/statistics?region=\($0)" }.render()
            return WebPage.render(ctx, title: ctx.t("statistics.title") + " · " + region.name, active: "/statistics", content:
                trail + figures.keyFigures(ctx).render() + panels.map { $0.node(ctx).render() }.joined(), wide: true)
        }
    }

    // MARK: query

    /// Certificate holders at the end of each of the last years, and today.
    static func holdersByYear(_ req: Request, region: Region, asOf: CivilDate) async throws -> [LineChart.Point] {
        let store = IndicatorStore(req.db)
        var dates = ((asOf.year - years)..<asOf.year).compactMap { CivilDate(year: $0, month: 12, day: 31) }
        dates.append(asOf)
        var points: [LineChart.Point] = []
        for date in dates {
            if let value = try await store.evaluate(IndicatorCatalogue.certificateHolders, region: region, asOf: date).value.number {
                points.append(LineChart.Point(date, value))
            }
        }
        return points
    }

    // MARK: view

    static func panels(_ ctx: PageContext, figures: RegionFigures, holders: [LineChart.Point]) -> [ReportPanel] {
        let t = ctx.t
        let summary = figures.summary
        let notes = figures.notes(ctx)
        let line = LineChart(title: t("statistics.holders_by_year"), lines: [LineChart.Line(t("figure.certificate_holders"), holders)],
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

    /// One breakdown as bars; `key` is the catalogue prefix of the bucket names.
    static func bars(_ ctx: PageContext, id: String, title: String, header: String, _ buckets: [CensusSummary.Bucket], key: String,
                     orientation: ChartOrientation = .horizontal, notes: [String]) -> ReportPanel {
        let bars = buckets.map { ChartBar(ctx.t("\(key).\($0.value)"), Double($0.count)) }
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
