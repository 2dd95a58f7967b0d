import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The dashboard of a region (issue #5 §7): targets with progress bars and trend lines, measures by
/// status and lead department (who is late), certification and exam figures, and the child regions
/// ranked by any indicator with drill-down. Every table downloads as XLSX/CSV; `/dashboard/print`
/// is the same content without the navigation, laid out for A4 landscape.
struct DashboardPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "dashboard", allow: RegionPages.allowed) { req, ctx in
            try await Self.respond(req, ctx, printView: false)
        }
        routes.page(.GET, "dashboard", "print", allow: RegionPages.allowed) { req, ctx in
            try await Self.respond(req, ctx, printView: true)
        }
    }

    static func respond(_ req: Request, _ ctx: PageContext, printView: Bool) async throws -> Response {
        let model = try await DashboardModel.load(req)
        let view = DashboardView(ctx: ctx, model: model)
        let panels = view.panels
        if let file = try ReportDownload.response(req, panels: panels.all, asOf: model.asOf) { return file }
        if printView {
            return WebPage.document(language: ctx.language, title: view.title, body: view.printPage(panels))
        }
        let trail = try await RegionTrail.node(ctx, region: model.region) { "/dashboard?region=\($0)&indicator=\(model.indicator.id)" }
        return WebPage.render(ctx, title: view.title, active: "/dashboard", content: view.page(panels, trail: trail), wide: true)
    }
}

/// What the dashboard shows, read once per request through the services.
struct DashboardModel {
    var region: Region
    var asOf: CivilDate
    var figures: RegionFigures
    var targets: [AssessedTarget]
    /// Plans whose jurisdiction contains the region or lies inside it, in the principal's sight.
    var plans: [Plan]
    var exams: [ExamFigure]
    var mobilisation: ExamMobilisation
    var indicator: IndicatorDefinition
    var ranking: IndicatorRanking
    /// The period asked for (`from`/`to`), shown back in the form.
    var period: DatePeriod?

    static func load(_ req: Request) async throws -> DashboardModel {
        let region = try await req.regionParameter()
        let asOf = try req.queryDate("asOf", default: .today())!
        let indicatorID = req.queryString("indicator") ?? IndicatorCatalogue.certificateHolders.id
        guard let indicator = IndicatorCatalogue.definition(id: indicatorID) else { throw Abort(.notFound) }
        let period = try req.evaluationPeriod(for: indicator, asOf: asOf)
        let plans = try await req.plans.plans(around: try RegionCode.parse(region.code).get())
        let exams = try await req.exams.figures(in: region)
        return DashboardModel(
            region: region, asOf: asOf, figures: try await RegionFigures.load(req, region: region, asOf: asOf, children: false),
            targets: try await req.targets.targets(in: region, asOf: asOf), plans: plans,
            exams: exams.figures, mobilisation: exams.mobilisation, indicator: indicator,
            ranking: try await req.indicators.ranking(indicator, in: region, asOf: asOf, period: period),
            period: req.queryString("from") == nil ? nil : period)
    }
}

/// The dashboard's view: its panels (the tables shown are the tables downloaded) and the page.
struct DashboardView {
    let ctx: PageContext
    let model: DashboardModel
    var t: LocalizedTexts { ctx.t }

    struct Panels {
        var targets: ReportPanel
        var measures: [(plan: Plan, panels: [ReportPanel])]
        var levels: ReportPanel
        var exams: ReportPanel
        var ranking: ReportPanel
        var all: [ReportPanel] { [targets] + measures.flatMap(\.panels) + [levels, exams, ranking] }
    }

    var panels: Panels {
        Panels(targets: targetsTable, measures: model.plans.map { ($0, measurePanels($0)) }, levels: model.figures.levelPanel(ctx),
               exams: examsPanel, ranking: rankingPanel)
    }

    var title: String { t("dashboard.print_title", ctx.name(model.region), model.asOf.description) }

    /// The page inside the frame: the region trail, the link to the print view, the sections.
    func page(_ panels: Panels, trail: Node) -> Node {
        let query = ctx.request.url.query.map { "?" + $0 } ?? ""
        return .group(trail, asOfForm, .p(.class("no-print"), .link("/dashboard/print" + query, t("action.print_view"))), body(panels))
    }

    /// The as-of date and the period of the figures, chosen on the page (a GET back to the dashboard).
    var asOfForm: Node {
        .form(.method("get"), .action("/dashboard"), .class("search", "no-print"), .id("as-of-form"),
              .input(.type("hidden"), .name("region"), .value(model.region.code)),
              .input(.type("hidden"), .name("indicator"), .value(model.indicator.id)),
              Field.input(t("dashboard.as_of_form"), name: "asOf", value: model.asOf.description, type: "date"),
              Field.input(t("dashboard.period_from"), name: "from", value: model.period?.from.description ?? "", type: "date"),
              Field.input(t("dashboard.period_to"), name: "to", value: model.period?.to.description ?? "", type: "date"),
              .button(.type("submit"), .text(t("action.view"))))
    }

    /// The print view: the same sections, without the navigation.
    func printPage(_ panels: Panels) -> Node {
        .main(.id("content"), .class("wide", "print-view"), .h1(.text(title)), body(panels))
    }

    func body(_ panels: Panels) -> Node {
        .group(targetsSection(panels.targets), measuresSection(panels.measures),
               .section(.id("certification"), .h2(.text(t("dashboard.certification"))),
                        .p(.class("muted", "as-of"), .text(t("dashboard.figures_as_of", model.asOf.description))),
                        model.figures.keyFigures(ctx), panels.levels.node(ctx, heading: 3), panels.exams.node(ctx, heading: 3),
                        .if(ctx.principal.isReadWriteOfficial, .p(.class("no-print"), .link("/exams/new", t("examForm.link"), .class("button", "secondary"))))),
               rankingSection(panels.ranking))
    }

    // MARK: targets

    /// A value of the indicator with its unit in the page's language (`800人`, `800 people`).
    func figure(_ value: Double?, _ definition: IndicatorDefinition) -> String {
        guard let value else { return t("chart.no_data") }
        let number = IndicatorNumber.format(value, decimals: definition.decimals)
        let key = "indicator.value.\(definition.id)"
        return Catalogue.standard.defines(key, in: ctx.language) ? t(key, number) : number + definition.unit
    }

    func chartFormat(_ definition: IndicatorDefinition) -> ChartValueFormat {
        ChartValueFormat(decimals: definition.decimals, suffix: definition.unit == "%" ? "%" : "")
    }

    /// One row per target (`tr#target-ID`): what it asks, its status and reason, the progress bar
    /// and the figures (each labelled in its cell), and the trend line: actual vs required path and
    /// the projection.
    func targetsSection(_ panel: ReportPanel) -> Node {
        let columns = ["dashboard.target", "common.status", "targets.progress", "dashboard.trend"].map { DataTable.Column(t($0)) }
        let table = DataTable(columns: columns, rows: model.targets.map(targetRow), caption: t("common.as_of", model.asOf.description),
                              rowHeaders: true, empty: t("dashboard.no_targets"), classes: ["targets"],
                              rowIDs: model.targets.map { "target-\($0.target.id)" })
        return .section(.id("targets"), .h2(.text(t("dashboard.targets"))), table.node(), ReportDownload.links(ctx, table: panel.id))
    }

    func targetRow(_ line: AssessedTarget) -> [Node] {
        let a = line.assessment, d = line.definition
        // Each figure with the day it counts: the current value is the last observation on or
        // before the as-of date, which can differ from the key figures' day (issue #17 §4).
        let current = a.current.map { t("targets.value_on", figure($0.value, d), $0.date.description) } ?? figure(nil, d)
        let numbers = [("targets.current", current), ("targets.required_now", figure(a.requiredAtCurrent, d)),
                       ("targets.projection", figure(a.projection, d)), ("plans.deadline", line.target.deadline.description)]
            + (line.countySum.map { [("targets.counties_sum", figure($0.sum, d))] } ?? [])
        let trend = LineChart.target(a, title: line.target.statement, format: chartFormat(d), language: ctx.language, width: 360, height: 170)
        return [.group(.text(line.target.statement), .br(), .small(.class("muted"), .text(ctx.name(d)))),
                .group(.span(.class("status", a.status.rawValue), .text(t.name(a.status))), .text(" " + a.reason.localized(ctx.language))),
                .group(.chart(ProgressBarChart(a, label: line.target.statement), ctx.language),
                       .if(a.baselineMeetsTarget, .div(.class("note", "baseline-met"), .small(.text(
                           t("targets.baseline_meets_target", figure(a.baseline?.value, d), a.baseline?.date.description ?? ""))))),
                       .forEach(numbers) { key, value in .div(.small(.class("muted"), .text(t(key))), .text(" " + value)) }),
                .group(.class("chart"), .chart(trend, ctx.language))]
    }

    var targetsTable: ReportPanel {
        let rows: [[SpreadsheetCell]] = model.targets.map { line in
            let a = line.assessment
            func number(_ v: Double?) -> SpreadsheetCell { v.map { SpreadsheetCell.value($0) } ?? .empty }
            return [.text(line.target.statement), .text(ctx.name(line.definition)), number(line.target.value), number(a.current?.value),
                    number(a.requiredAtCurrent), number(a.projection), number(a.progress.map { ($0 * 1000).rounded() / 10 }),
                    .text(line.target.deadline.description), .text(t.name(a.status)), .text(a.reason.localized(ctx.language))]
        }
        let columns = ["dashboard.target", "targets.indicator", "targets.target_value", "targets.current", "targets.required_now",
                       "targets.projection", "targets.progress_percent", "plans.deadline", "common.status", "common.reason"].map { t($0) }
        return ReportPanel(id: "targets", table: ReportTable(title: t("dashboard.targets"), columns: columns, rows: rows,
                                                             notes: model.figures.notes(ctx)))
    }

    // MARK: measures

    func measurePanels(_ plan: Plan) -> [ReportPanel] {
        let summary = PlanStatusSummary(plan: plan, asOf: model.asOf)
        let notes = [t("common.as_of", model.asOf.description), plan.name]
        let statuses = MeasureStatus.allCases
        let donut = DonutChart(title: t("dashboard.measures_by_status", plan.name),
                               slices: statuses.map { DonutChart.Slice(t.name($0), Double(summary.count($0)), fill: .tone(ChartTone($0))) },
                               centreText: ctx.count(plan.measures.count), centreCaption: t("plans.measure"))
        let departments = StackedBarChart(
            title: t("dashboard.measures_by_department_of", plan.name), categories: summary.departments.map(\.department),
            series: statuses.map { status in
                ChartSeries(t.name(status), summary.departments.map { Double($0.counts[status] ?? 0) }, fill: .tone(ChartTone(status)))
            },
            height: max(160, Double(summary.departments.count) * 26 + 80))
        let overdue = plan.measures.filter { $0.status(asOf: model.asOf) == .overdue }
        let lateTable = ReportTable(
            title: t("dashboard.overdue_of", plan.name),
            columns: [t("plans.measure"), t("common.details"), t("plans.lead_department"), t("plans.deadline"), t("dashboard.days_overdue")],
            rows: overdue.map { m in
                [.text(m.id), .text(m.text), .text(m.lead), .text(m.deadline.description), m.daysOverdue(asOf: model.asOf).map { SpreadsheetCell.value($0) } ?? .empty]
            }, notes: notes)
        return [
            ReportPanel(id: "status-\(plan.id)", chart: donut,
                        table: ReportTable(donut, labelHeader: t("common.status"), valueHeader: t("common.count"),
                                           shareHeader: t("statistics.share_percent"), notes: notes)),
            ReportPanel(id: "departments-\(plan.id)", chart: departments,
                        table: ReportTable(departments, labelHeader: t("plans.lead_department"), totalHeader: t("common.total"), notes: notes)),
            ReportPanel(id: "overdue-\(plan.id)", table: lateTable, links: overdue.map { "/plans/\(plan.id)?asOf=\(model.asOf)#m-\($0.id)" }),
        ]
    }

    func measuresSection(_ plans: [(plan: Plan, panels: [ReportPanel])]) -> Node {
        .section(.id("measures"), .h2(.text(t("dashboard.measures"))),
                 .if(plans.isEmpty, .p(.class("muted"), .text(t("dashboard.no_plans")))),
                 .if(ctx.principal.isReadWriteOfficial, .p(.class("no-print"), .link("/plans/new", t("planForm.new"), .class("button", "secondary")))),
                 .forEach(plans) { plan, panels in
                     .group(.h3(.link("/plans/\(plan.id)?asOf=\(model.asOf)", plan.name)), .forEach(panels) { $0.node(ctx, heading: 4) })
                 })
    }

    // MARK: exams and ranking

    /// Region names the model already holds (the region and its children), for the exam table's
    /// region column; a region it does not hold shows its code.
    var regionNames: [String: String] {
        var names = [model.region.code: ctx.name(model.region)]
        for line in model.ranking.children { names[line.result.region.code] = line.result.region.name }
        return names
    }

    var examsPanel: ReportPanel {
        let mobilisation = model.mobilisation, names = regionNames
        let own = model.exams.filter { $0.region.value == model.region.code && $0.level == nil }.sorted { $0.year < $1.year }
        let chart = BarChart(title: t("dashboard.registrants_by_year"),
                             bars: own.compactMap { f in f.registrants.map { ChartBar(t("chart.year", String(f.year)), Double($0)) } },
                             orientation: .vertical, height: 260, noDataReason: t("dashboard.no_exams"))
        func rate(_ r: ExamRate) -> SpreadsheetCell { r.value.number.map { SpreadsheetCell.value(($0 * 10).rounded() / 10) } ?? .empty }
        let rows: [[SpreadsheetCell]] = model.exams.sorted { ($0.year, $0.region.value) < ($1.year, $1.region.value) }.map { f in
            [.text(String(f.year)), .text(f.level.map { t.name($0) } ?? t("common.all")), .text(names[f.region.value] ?? f.region.value),
             f.registrants.map { SpreadsheetCell.value($0) } ?? .empty, f.passes.map { SpreadsheetCell.value($0) } ?? .empty,
             rate(mobilisation.passRate(year: f.year, level: f.level, region: f.region)),
             rate(mobilisation.growth(of: .registrants, year: f.year, level: f.level, region: f.region)),
             // Its actual source (not "live registry totals"), with the citation as entered — in
             // Chinese, so on Chinese pages only.
             .text([t("dashboard.exam_source.\(f.provenance.rawValue)"), ctx.language == .zhHans ? f.note ?? "" : ""]
                .filter { !$0.isEmpty }.joined(separator: "："))]
        }
        let table = ReportTable(title: t("dashboard.exams"),
                                columns: [t("dashboard.exam_year"), t("field.certificateLevel"), t("field.region"), t("figure.exam_registrants"),
                                          t("figure.exam_passes"), t("dashboard.pass_rate_percent"), t("dashboard.growth_percent"),
                                          t("dashboard.exam_source")],
                                rows: rows, notes: [t("common.as_of", model.asOf.description), t("dashboard.exam_source_note")])
        return ReportPanel(id: "exams", chart: chart, table: table, formats: [3: .count, 4: .count])
    }

    var rankingPanel: ReportPanel {
        let d = model.indicator
        let lines = model.ranking.children
        let links = lines.map { "/dashboard?region=\($0.result.region.code)&indicator=\(d.id)" }
        let chart = BarChart(title: t("dashboard.ranking_by", ctx.name(d)),
                             bars: lines.compactMap { line in line.result.value.number.map { ChartBar(line.result.region.name, $0, link: "/dashboard?region=\(line.result.region.code)&indicator=\(d.id)") } },
                             format: chartFormat(d), height: max(160, Double(lines.count) * 26 + 60), noDataReason: t("regions.no_children"))
        let rows: [[SpreadsheetCell]] = lines.map { line in
            [.text(line.result.region.name), line.rank.map { SpreadsheetCell.value($0) } ?? .empty,
             line.result.value.number.map { SpreadsheetCell.value($0) } ?? .empty, .text(figure(line.result.value.number, d)),
             .text(line.result.value.noDataReason?.localized(ctx.language) ?? "")]
        }
        let table = ReportTable(title: chart.title,
                                columns: [t("field.region"), t("dashboard.rank"), t("common.count"), ctx.name(d), t("common.reason")],
                                rows: rows, notes: model.figures.notes(ctx))
        return ReportPanel(id: "ranking", chart: chart, table: table, tableID: "ranking", links: links)
    }

    /// The children ranked, with the form that picks the indicator (a GET back to the dashboard).
    func rankingSection(_ panel: ReportPanel) -> Node {
        let groups = IndicatorCatalogue.groups.map { group in
            (label: t("indicator.group.\(group.key)"), options: group.indicators.map { (value: $0.id, label: ctx.name($0)) })
        }
        return .section(.id("subregions"), .h2(.text(t("dashboard.ranking"))),
                        .form(.method("get"), .action("/dashboard"), .class("search", "no-print"),
                              .input(.type("hidden"), .name("region"), .value(model.region.code)),
                              Field.groupedSelect(t("dashboard.rank_by"), name: "indicator", groups: groups, selected: model.indicator.id),
                              .button(.type("submit"), .text(t("action.filter")))),
                        panel.node(ctx, heading: 3))
    }
}
