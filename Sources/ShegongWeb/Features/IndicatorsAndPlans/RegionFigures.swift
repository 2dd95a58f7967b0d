import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The census figures of one region and its children, from the maintained aggregates: what the
/// home page, the region browser and the statistics page show.
struct RegionFigures: Sendable {
    struct Child: Sendable {
        var region: Region
        var summary: CensusSummary
    }
    var region: Region
    var asOf: CivilDate
    var summary: CensusSummary
    /// New certificate holders from 1 January to `asOf`.
    var newHolders: IndicatorValue
    var children: [Child]

    /// `children: false` skips the children's figures for a page that shows only the region's own.
    /// The figures come from `StatisticsService.figures` (scope checked there; the children's
    /// counts in one read).
    static func load(_ req: Request, region: Region, asOf: CivilDate, children withChildren: Bool = true) async throws -> RegionFigures {
        let figures = try await req.statisticsService.figures(of: region, asOf: asOf, children: withChildren)
        return RegionFigures(region: figures.region, asOf: figures.asOf, summary: figures.summary, newHolders: figures.newHolders,
                             children: figures.children.map { Child(region: $0.region, summary: $0.summary) })
    }

    // MARK: view

    /// `section#key-figures`: talent, holders, community-worker certification rate, new holders
    /// this year. Each figure carries its exact value in `data-value` (nothing for "no data").
    func keyFigures(_ ctx: PageContext) -> Node {
        let t = ctx.t
        let rate = summary.communityWorkerCertificationRate
        let figures: [(String, String, String, String?)] = [
            ("talent", t("figure.talent_total"), ctx.count(summary.total), String(summary.total)),
            ("holders", t("figure.certificate_holders"), ctx.count(summary.certificateHolders), String(summary.certificateHolders)),
            ("community-rate", t("figure.community_worker_rate"), rate.map(ChartValueFormat.percent.text) ?? t("chart.no_data"), rate.map { "\($0)" }),
            ("new-holders", t("home.new_holders_this_year", String(asOf.year)),
             newHolders.number.map { ctx.count(Int($0)) } ?? t("chart.no_data"), newHolders.number.map { String(Int($0)) }),
        ]
        let boxes = figures.map { id, label, text, value in
            Node.div(.class("figure"), .id("figure-\(id)"), .b(.unwrap(value) { .data("data-value", $0) }, .text(text)), .small(.text(label)))
        }
        return .section(.id("key-figures"), .h2(.text(t("home.key_figures"))),
                        .p(.class("muted"), .text(t("home.region_as_of", ctx.name(region), asOf.description))), .div(.class("figures"), .group(boxes)))
    }


    /// Holders by level (donut), beside its table.
    func levelPanel(_ ctx: PageContext) -> ReportPanel {
        let t = ctx.t
        let slices = summary.byLevel.filter { $0.value != CensusFacts.none }.enumerated().map { i, bucket in
            DonutChart.Slice(levelName(bucket.value, t), Double(bucket.count), fill: .palette(i))
        }
        let chart = DonutChart(title: t("statistics.holders_by_level"), slices: slices, centreText: ctx.count(summary.certificateHolders),
                               centreCaption: t("figure.certificate_holders"), noDataReason: t("chart.no_data_reason"))
        return ReportPanel(id: "level", chart: chart,
                           table: ReportTable(chart, labelHeader: t("field.certificateLevel"), valueHeader: t("common.count"),
                                              shareHeader: t("statistics.share_percent"), notes: notes(ctx)),
                           formats: [1: .count])
    }

    /// Talent and holders per child region (bar of holders), each name a drill-down `link`.
    func childrenPanel(_ ctx: PageContext, link: (Region) -> String) -> ReportPanel {
        let t = ctx.t
        let bars = children.map { ChartBar($0.region.name, Double($0.summary.certificateHolders), link: link($0.region)) }
        let chart = BarChart(title: t("statistics.holders_by_region"), bars: bars, height: max(160, Double(bars.count) * 26 + 60),
                             noDataReason: t("regions.no_children"))
        let rows: [[SpreadsheetCell]] = children.map { child in
            [.text(child.region.name), .text(child.region.code), .value(child.summary.total), .value(child.summary.certificateHolders),
             child.summary.communityWorkerCertificationRate.map { SpreadsheetCell.value(($0 * 1000).rounded() / 10) } ?? .empty]
        }
        let table = ReportTable(title: chart.title, columns: [t("field.region"), t("regions.code"), t("figure.talent_total"),
                                                              t("figure.certificate_holders"), t("statistics.community_rate_percent")],
                                rows: rows, notes: notes(ctx))
        return ReportPanel(id: "regions", chart: chart, table: table, formats: [2: .count, 3: .count],
                           links: children.map { link($0.region) })
    }

    func notes(_ ctx: PageContext) -> [String] { [ctx.t("common.as_of", asOf.description), ctx.t("statistics.source_note")] }

    func levelName(_ raw: String, _ t: LocalizedTexts) -> String {
        raw == CensusFacts.none ? t("certificateLevel.none") : t("certificateLevel.\(raw)")
    }
}
