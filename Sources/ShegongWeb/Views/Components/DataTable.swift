import Foundation
import ShegongDomain

/// The one table component of the pages: a header row, rows of cells, numbers right-aligned, the
/// first cell of a row optionally its row header, and a notice instead of an empty table.
struct DataTable {
    struct Column {
        var title: String
        var numeric = false
        /// What the header cell holds instead of the title (a sorting link); nil: the title.
        var header: Node? = nil

        init(_ title: String, numeric: Bool = false, header: Node? = nil) {
            self.title = title
            self.numeric = numeric
            self.header = header
        }
    }

    var id: String?
    var columns: [Column]
    var rows: [[Node]]
    var caption: String?
    /// Notes under the rows (a report's sources and assumptions).
    var notes: [String] = []
    /// The first cell of each row is its header (`<th scope="row">`), as in a report.
    var rowHeaders = false
    /// Shown instead of the table when there are no rows; nil shows the empty table.
    var empty: String?
    var classes: [String] = ["list"]
    /// `id`s of the body rows, by row (nil or missing: none), for rows that links point at (`#m-4.3`).
    var rowIDs: [String?] = []

    func node() -> Node {
        if rows.isEmpty, let empty { return .notice(empty) }
        return .table(.attribute("class", classes.joined(separator: " ")), .unwrap(id) { .id($0) },
                      .unwrap(caption) { .caption(.text($0)) },
                      .thead(.tr(.forEach(columns) { column in .th(.scope("col"), .if(column.numeric, .class("num")), column.header ?? .text(column.title)) })),
                      .tbody(.forEach(rows.enumerated()) { index, row in
                          .tr(.unwrap(index < rowIDs.count ? rowIDs[index] : nil) { .id($0) }, .forEach(row.enumerated()) { cell($0.offset, $0.element) })
                      }),
                      .if(!notes.isEmpty, .tfoot(.forEach(notes) { .tr(.td(.colspan(Swift.max(1, columns.count)), .text($0))) })))
    }

    private func cell(_ index: Int, _ content: Node) -> Node {
        let numeric = index < columns.count && columns[index].numeric
        if index == 0 && rowHeaders { return .th(.scope("row"), .if(numeric, .class("num")), content) }
        return .td(.if(numeric, .class("num")), content)
    }
}

extension DataTable {
    /// A report table of the domain (statistics, dashboard panels): numbers written with
    /// `formats[column]` (grouped, at most two decimals otherwise), `links[row]` making that row's
    /// first cell a drill-down link.
    init(report: ReportTable, formats: [Int: ChartValueFormat] = [:], caption: Bool = true, id: String? = nil, links: [String?] = []) {
        let numericColumns = Set(report.rows.flatMap { row in
            row.enumerated().compactMap { index, cell in if case .number = cell { index } else { nil } }
        })
        self.init(id: id, columns: report.columns.enumerated().map { Column($0.element, numeric: numericColumns.contains($0.offset)) },
                  rows: report.rows.enumerated().map { rowIndex, row in
                      row.enumerated().map { index, cell in
                          let link = index == 0 && rowIndex < links.count ? links[rowIndex] : nil
                          return Self.reportCell(cell, format: formats[index], link: link)
                      }
                  },
                  caption: caption ? report.title : nil, notes: report.notes, rowHeaders: true, classes: ["report"])
    }

    private static func reportCell(_ cell: SpreadsheetCell, format: ChartValueFormat?, link: String?) -> Node {
        if case .number(let value, _) = cell { return .text(format?.text(value) ?? ReportTable.plainNumber(value)) }
        // A drill-down that would leave the site is no link at all.
        let sameSite = link.flatMap { Node.siteAddress($0) == $0 ? $0 : nil }
        return .unwrap(sameSite, else: .text(cell.text)) { Node.link($0, cell.text) }
    }
}
