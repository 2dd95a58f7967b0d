import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// One chart beside its table: the unit of the statistics page and the dashboard (docs/ui.md "How
/// pages use them"). The table shown is the table downloaded (`?format=csv|xlsx&table=ID` on the
/// page's own address), so a file can never disagree with the page.
struct ReportPanel {
    /// Stable id: the `?table=` of the download links and, as `panel-ID`, the section's id.
    var id: String
    /// The inline chart (it escapes its own text); nil for a table alone.
    var chart: (any DrawnChart)?
    var table: ReportTable
    var formats: [Int: ChartValueFormat] = [:]
    /// The `<table>` element's id (browser tests find the ranking as `table#ranking`).
    var tableID: String?
    /// Drill-down links of the rows' first cells.
    var links: [String?] = []

    func node(_ ctx: PageContext, heading: Int = 2) -> Node {
        let figure = Node.unwrap(chart) { chart in
            .figure(.class("chart"), .chart(chart, ctx.language), .figcaption(.class("muted"), .text(ctx.t("chart.table_alternative"))))
        }
        let table = DataTable(report: self.table, formats: formats, caption: false, id: tableID, links: links)
        return .section(.class("panel"), .id("panel-\(id)"), .heading(heading, .text(self.table.title)),
                        .div(.class("grid"), figure, .div(table.node(), ReportDownload.links(ctx, table: id))))
    }
}

/// The export links under each table and the download they answer.
enum ReportDownload {
    /// "导出 XLSX · 导出 CSV": the page's own address with `format` and `table` set.
    static func links(_ ctx: PageContext, table id: String) -> Node {
        let items = [(SpreadsheetFormat.xlsx, "action.export_xlsx"), (.csv, "action.export_csv")].map { format, key in
            Node.link(address(ctx.request, format: format, table: id), ctx.t(key), .download())
        }
        return .p(.class("exports", "no-print"), .joined(items, separator: " · "))
    }

    static func address(_ req: Request, format: SpreadsheetFormat, table id: String) -> String {
        var components = URLComponents()
        components.path = req.url.path
        var items = (URLComponents(string: req.url.string)?.queryItems ?? []).filter { !["format", "table"].contains($0.name) }
        items += [URLQueryItem(name: "format", value: format.rawValue), URLQueryItem(name: "table", value: id)]
        components.queryItems = items
        return components.string ?? req.url.path
    }

    /// The file of the table `?table=` names when `?format=` asks for one; nil for the page itself.
    static func response(_ req: Request, panels: [ReportPanel], asOf: CivilDate) throws -> Response? {
        guard let raw = req.queryValue("format") else { return nil }
        guard let format = SpreadsheetFormat(rawValue: raw) else { throw Abort(.badRequest) }
        guard let id = req.queryValue("table"), let panel = panels.first(where: { $0.id == id }) else { throw Abort(.notFound) }
        var headers = HTTPHeaders()
        headers.contentType = format == .csv
            ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition,
                             value: Attachment.disposition(fileName: panel.table.fileName(format, asOf: asOf), fallback: "report.\(format.rawValue)"))
        return Response(status: .ok, headers: headers, body: .init(data: try panel.table.data(format)))
    }
}

/// The way from the root of the principal's scope down to a region, each step a link.
enum RegionTrail {
    static func node(_ ctx: PageContext, region: Region, link: (String) -> String) async throws -> Node {
        let steps = try await ctx.request.regionService.trail(to: region).map { step -> Node in
            step.code == region.code ? .span(.current(), .text(ctx.name(step))) : .link(link(step.code), ctx.name(step))
        }
        return .nav(.class("breadcrumb"), .ariaLabel(ctx.t("nav.breadcrumb")), .joined(steps, separator: " › "))
    }
}

extension PageContext {
    /// The region's name, or the indicator's, in the page's language.
    func name(_ definition: IndicatorDefinition) -> String { language == .zhHans ? definition.chineseName : definition.englishName }

    /// A region's name as a page shows it: the stored name, which is data (酒泉市 on an English page
    /// too), except the nation's, which is the page's own word for it (全国, "Nation").
    func name(_ region: Region) -> String { region.code == RegionPath.nationCode ? t("regionLevel.nation") : region.name }

    /// A whole number as the charts write it (`1,268`).
    func count(_ value: Int) -> String { ChartValueFormat.count.text(Double(value)) }
}
