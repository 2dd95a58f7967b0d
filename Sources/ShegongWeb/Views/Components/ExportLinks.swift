import Foundation
import ShegongDomain
import Vapor

/// The "导出 XLSX / 导出 CSV" links of a list page (issue #18 §1): the list's own address with its
/// filters as they are and `format` added, so the file holds exactly what the list shows.
enum ExportLinks {
    /// `path` with `filters` (empty values left out) and `format`.
    static func address(_ path: String, _ filters: [(String, String?)], format: String) -> String {
        var components = URLComponents()
        components.queryItems = filters.compactMap { name, value in
            value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
        } + [URLQueryItem(name: "format", value: format)]
        return path + (components.string ?? "")
    }

    /// The two links, with ids `<id>-export-xlsx` and `<id>-export-csv`.
    static func node(_ ctx: PageContext, path: String, filters: [(String, String?)], id: String) -> Node {
        .p(.class("actions"),
           .link(address(path, filters, format: "xlsx"), ctx.t("lists.export.xlsx"), .id("\(id)-export-xlsx")), " ",
           .link(address(path, filters, format: "csv"), ctx.t("lists.export.csv"), .id("\(id)-export-csv")))
    }
}

extension Request {
    /// A generated table as a download in `format` (through a temporary file that the response
    /// deletes), named after its title and today's date.
    func download(_ table: ReportTable, format: SpreadsheetFormat) async throws -> Response {
        let url = CensusController.tempFile(self, format)
        switch format {
        case .csv: try table.writeCSV(to: url)
        case .xlsx: try table.writeXLSX(to: url)
        }
        return try await CensusController.download(self, url: url, fileName: table.fileName(format, asOf: .today()), format: format)
    }
}
