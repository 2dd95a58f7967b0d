import FluentKit
import Foundation
import ShegongDomain

/// Imports townships (9-digit codes) and communities (12-digit codes) from a spreadsheet with the
/// columns 地区代码 and 地区名称. Parents may be earlier rows of the same file. All rows or none.
public struct RegionImporter: Sendable {
    let db: any Database
    /// When set, each new region's parent must lie inside this scope's read-write region (a row
    /// issue otherwise): an official adds townships and communities in their own subtree only.
    public var scope: Scope?
    /// Runs the import's one transaction (default: the database's own); a service passes its
    /// write queue's.
    public var transaction: @Sendable (@Sendable @escaping (any Database) async throws -> Report) async throws -> Report
    /// Called inside the transaction when every row passed, with the report and the transaction's
    /// database: the audit entry commits with the regions or not at all.
    public var audit: (@Sendable (Report, any Database) async throws -> Void)?

    public init(db: any Database) {
        self.db = db
        self.transaction = { body in try await db.transaction { tx in try await body(tx) } }
    }

    public static let headers = ["地区代码", "地区名称"]

    public struct Report: Codable, Sendable {
        public var added: Int
        public var unchanged: Int
        public var issues: [CensusIssue]
    }

    public func run(reader: any SpreadsheetRowReader, now: Date = Date()) async throws -> Report {
        guard let header = try reader.next() else {
            return Report(added: 0, unchanged: 0, issues: [CensusIssue(row: 1, column: nil, value: nil, code: "regions.file.empty")])
        }
        let names = header.cells.map { $0.text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") }
        guard let codeColumn = names.firstIndex(of: "地区代码"), let nameColumn = names.firstIndex(of: "地区名称") else {
            return Report(added: 0, unchanged: 0, issues: [CensusIssue(row: header.number, column: nil, value: names.joined(separator: ","),
                                                                       code: "regions.header")])
        }
        var rows: [(row: Int, code: String, name: String)] = []
        while let row = try reader.next() {
            let code = row[codeColumn].text.trimmingCharacters(in: .whitespaces)
            let name = row[nameColumn].text.trimmingCharacters(in: .whitespaces)
            if code.isEmpty && name.isEmpty { continue }
            rows.append((row.number, code, name))
        }
        // Parents first, whatever the order in the file.
        rows.sort { ($0.code.count, $0.row) < ($1.code.count, $1.row) }
        let reader = UncheckedRows(rows: rows)
        let (scope, audit) = (self.scope, self.audit)
        do {
            return try await transaction { tx in
                let store = RegionStore(tx)
                var report = Report(added: 0, unchanged: 0, issues: [])
                for entry in reader.rows {
                    if let existing = try await store.region(code: entry.code) {
                        if existing.name == entry.name { report.unchanged += 1; continue }
                        report.issues.append(CensusIssue(row: entry.row, column: "地区代码", value: entry.code, code: "region.exists", "\(entry.code)", "\(existing.name)"))
                        continue
                    }
                    if let scope, let parent = try await store.region(code: Self.parentCode(of: entry.code)), !scope.mayWrite(region: parent.path) {
                        report.issues.append(CensusIssue(row: entry.row, column: "地区代码", value: entry.code, code: "regions.outside_scope", entry.code))
                        continue
                    }
                    do {
                        _ = try await store.addLocal(code: entry.code, name: entry.name, now: now)
                        report.added += 1
                    } catch let error as StoreError {
                        let column = error.details.first?.field == "name" ? "地区名称" : "地区代码"
                        report.issues.append(CensusIssue(row: entry.row, column: column, value: column == "地区名称" ? entry.name : entry.code,
                                                         code: error.code, text: error.text))
                    }
                }
                if !report.issues.isEmpty {
                    report.issues.sort { $0.row < $1.row }
                    throw RegionRollback(report: Report(added: 0, unchanged: report.unchanged, issues: report.issues))
                }
                try await audit?(report, tx)
                return report
            }
        } catch let rollback as RegionRollback {
            return rollback.report
        }
    }

    /// The parent a code extends: a township's county (6 digits), a community's township (9).
    static func parentCode(of code: String) -> String {
        code.count > 9 ? String(code.prefix(9)) : String(code.prefix(6))
    }

    private struct RegionRollback: Error { let report: Report }
    private struct UncheckedRows: Sendable { let rows: [(row: Int, code: String, name: String)] }
}
