import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// What an import did, or would do: counts and every problem found, by row and column.
public struct CensusImportReport: Codable, Sendable {
    public var importID: String
    public var fileName: String
    public var format: String
    public var dryRun: Bool
    /// True when the rows were written. A report with issues never commits anything.
    public var committed: Bool
    public var rows: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var rejectedRows: Int
    public var issues: [CensusIssue]
    /// More issues were found than a report keeps (`CensusImporter.maximumIssues`); `rejectedRows` counts them all.
    public var issuesTruncated: Bool

    public var succeeded: Bool { issues.isEmpty }
}

/// Imports the census template (docs/conventions.md §5) from any spreadsheet reader: validates every row,
/// writes all of them in one transaction or none, and reports created / updated / unchanged.
/// Memory stays bounded: rows are validated and written in batches as they are read; what is kept
/// for the whole file is one 8-byte key per ID number and per certificate number (in-file duplicates).
public struct CensusImporter: Sendable {
    public static let maximumIssues = 10_000

    public var batchSize = 1_000
    /// First day in post for people this import adds (nil: the day of the import).
    public var postsSince: CivilDate?
    /// The importing principal's scope: rows outside it are rejected row by row (nil: no limit, the CLI).
    public var scope: Scope?
    /// Writes the audit entry of the attempt on the connection that records it: inside the import's
    /// transaction when it commits (no import without its entry), with the record of a dry run or
    /// a rejected file otherwise.
    public var audit: (@Sendable (CensusImportReport, any SQLDatabase) async throws -> Void)?
    /// Told the number of rows read so far after each batch (the import wizard's progress page).
    public var progress: (@Sendable (Int) -> Void)?
    /// The process's write queue: the import takes its turn like every other write (run once — the
    /// file is read as it goes — and the record of a refused import after it). Nil: the database's
    /// own transactions (an operator command alone with the database).
    public var writes: WriteQueue?
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    /// Rolls the transaction back while carrying the report out of it.
    private struct Rollback: Error { let report: CensusImportReport }

    public func run(reader: any SpreadsheetRowReader, fileName: String, format: String, dryRun: Bool,
                    actor: String, source: String? = nil, now: Date = Date()) async throws -> CensusImportReport {
        let importID = UUID().uuidString.lowercased()
        var report = CensusImportReport(importID: importID, fileName: fileName, format: format, dryRun: dryRun, committed: false,
                                        rows: 0, created: 0, updated: 0, unchanged: 0, rejectedRows: 0, issues: [], issuesTruncated: false)
        let regions = try await RegionStore(db).directory()
        let today = CivilDate.today(now: now)
        let batchSize = self.batchSize
        let postsSince = self.postsSince
        let scope = self.scope
        let audit = self.audit
        let progress = self.progress
        let cipher = self.cipher
        let sourceName = source ?? "import:\(fileName)"
        let initial = report
        // The reader is used by this one task only, inside the transaction.
        let box = UncheckedReader(reader: reader)
        do {
            let writes = self.writes
            let once: @Sendable (@Sendable @escaping (any Database) async throws -> CensusImportReport) async throws -> CensusImportReport = { body in
                if let writes { return try await writes.transactionOnce(on: db, body) }
                return try await db.transaction { tx in try await body(tx) }
            }
            report = try await once { tx in
                let reader = box.reader
                var report = initial
                var issuesFound = 0
                func add(_ issues: [CensusIssue]) {
                    issuesFound += issues.count
                    for issue in issues where report.issues.count < CensusImporter.maximumIssues {
                        report.issues.append(Self.masked(issue))
                    }
                    if issuesFound > report.issues.count { report.issuesTruncated = true }
                }
                var rejectedRows = Set<Int>()
                func reject(_ issues: [CensusIssue]) {
                    add(issues)
                    for issue in issues { rejectedRows.insert(issue.row) }
                }
                let header: CensusHeader
                do {
                    guard let headerRow = try reader.next() else {
                        add([CensusIssue(row: 1, column: nil, value: nil, code: "census.file.empty")])
                        throw Rollback(report: report)
                    }
                    switch CensusHeader.parse(headerRow) {
                    case .success(let parsed): header = parsed
                    case .failure(let issues):
                        add(issues)
                        throw Rollback(report: report)
                    }
                } catch let error as SpreadsheetError {
                    add([CensusIssue(row: error.row ?? 1, column: nil, value: nil, code: error.code, text: error.text)])
                    throw Rollback(report: report)
                }

                // A large import touches many index pages: SQLite's default 2 MB page cache would
                // spill to the WAL over and over inside the one transaction. 64 MiB keeps the import
                // well under its 300 MB memory goal.
                if tx.sql.dialect.name == "sqlite" { try await tx.sql.raw("PRAGMA cache_size = -65536").run() }
                let writer = CensusWriter(sql: tx.sql, cipher: cipher, regions: regions, now: now, actor: actor, source: sourceName)
                if let postsSince { writer.postsSince = min(postsSince, today) }
                writer.scope = scope
                var seenIDs: [UInt64: Int32] = [:]
                var seenCertificates: [UInt64: Int32] = [:]
                var batch: [CensusRecord] = []
                // One batch is written while the next is read and validated (two cores, two jobs);
                // batches are still written one after another, in file order.
                var inFlight: Task<[CensusWriter.Outcome], any Error>?
                func settle() async throws {
                    guard let task = inFlight else { return }
                    inFlight = nil
                    for outcome in try await task.value {
                        switch outcome {
                        case .created: report.created += 1
                        case .updated: report.updated += 1
                        case .unchanged: report.unchanged += 1
                        case .rejected(let issues): reject(issues)
                        }
                    }
                }
                func write() async throws {
                    defer { batch.removeAll(keepingCapacity: true) }
                    if !batch.isEmpty { progress?(report.rows) }   // the closing call has nothing new to tell
                    guard issuesFound == 0, !batch.isEmpty else { return }
                    try await settle()
                    let records = batch
                    inFlight = Task { try await writer.apply(records) }
                }
                do {
                    while let row = try reader.next() {
                        if header.isBlank(row) { continue }
                        report.rows += 1
                        switch header.record(from: row, today: today) {
                        case .failure(let issues):
                            reject(issues)
                        case .success(let record):
                            var issues: [CensusIssue] = []
                            if let problem = regions.problemForPersonRegion(record.regionCode, year: today.year) {
                                issues.append(CensusIssue(row: row.number, column: .regionCode, value: record.regionCode,
                                                          code: "census.region.unknown", text: problem))
                            }
                            let idKey = UInt64(record.residentID.value.prefix(17))!
                            if let first = seenIDs[idKey] {
                                issues.append(CensusIssue(row: row.number, column: .residentID, value: record.residentID.value,
                                                          code: "census.id.duplicate", "\(first)"))
                            } else {
                                seenIDs[idKey] = Int32(row.number)
                            }
                            if let number = record.certificate?.number {
                                let key = Self.fingerprint(number)
                                if let first = seenCertificates[key] {
                                    issues.append(CensusIssue(row: row.number, column: .certificateNumber, value: number,
                                                              code: "census.certificate.duplicate", "\(first)"))
                                } else {
                                    seenCertificates[key] = Int32(row.number)
                                }
                            }
                            if issues.isEmpty { batch.append(record) } else { reject(issues) }
                        }
                        if batch.count >= batchSize { try await write() }
                    }
                    try await write()
                    try await settle()
                } catch let error as SpreadsheetError {
                    try await settle()
                    add([CensusIssue(row: error.row ?? report.rows + 1, column: nil, value: nil, code: error.code, text: error.text)])
                } catch {
                    // Never leave a write running on the transaction's connection while it rolls back.
                    _ = try? await inFlight?.value
                    throw error
                }
                report.rejectedRows = rejectedRows.count
                if issuesFound > 0 || dryRun { throw Rollback(report: report) }
                try await writer.flushStats()
                report.committed = true
                try await Self.record(report, actor: actor, now: now, on: tx.sql)
                try await audit?(report, tx.sql)
                return report
            }
        } catch let rollback as Rollback {
            report = rollback.report
            let finished = report
            let keep: @Sendable (any Database) async throws -> Void = { tx in
                try await Self.record(finished, actor: actor, now: now, on: tx.sql)
                try await audit?(finished, tx.sql)
            }
            if let writes { try await writes.transaction(on: db, keep) } else { try await db.transaction { tx in try await keep(tx) } }
        }
        return report
    }

    /// Keeps the attempt and its issues, so the report can be downloaded later.
    static func record(_ report: CensusImportReport, actor: String, now: Date, on sql: any SQLDatabase) async throws {
        let stamp = Timestamp.string(now)
        let status = report.committed ? "committed" : (report.issues.isEmpty ? "dry_run" : "rejected")
        try await sql.insert(into: "census_imports")
            .columns("id", "file_name", "format", "actor", "dry_run", "status", "started_at", "finished_at",
                     "rows", "created", "updated", "unchanged", "rejected")
            .values(report.importID, report.fileName, report.format, actor, report.dryRun, status, stamp, Timestamp.string(Date()),
                    report.rows, report.created, report.updated, report.unchanged, report.rejectedRows)
            .run()
        try await sql.insertChunked(into: "census_import_issues",
                                    columns: ["import_id", "row", "column_name", "value", "code", "message", "message_key", "message_arguments"],
                                    rows: report.issues.map { [report.importID, $0.row, $0.column, $0.value, $0.code, $0.message,
                                                               $0.text.key, JSONList.text($0.text.arguments)] })
    }

    /// Who ran an import (nil: no such import).
    public static func owner(importID: String, on db: any Database) async throws -> String? {
        try await db.sql.select().column("actor").from("census_imports").where("id", .equal, importID).first()?.decode(column: "actor", as: String.self)
    }

    /// The issues of an earlier import, for downloading the report again.
    public static func issues(importID: String, on db: any Database) async throws -> [CensusIssue]? {
        guard try await db.sql.select().column("id").from("census_imports").where("id", .equal, importID).first() != nil else { return nil }
        return try await db.sql.select().columns("row", "column_name", "value", "code", "message", "message_key", "message_arguments")
            .from("census_import_issues").where("import_id", .equal, importID).orderBy("id").all().map {
                let key = try $0.decode(column: "message_key", as: String?.self)
                let arguments = try $0.decode(column: "message_arguments", as: String?.self).flatMap(JSONList.strings)
                let stored = try $0.decode(column: "message", as: String.self)
                let text = key.flatMap { key in arguments.map { CatalogueMessage(key, arguments: $0) } } ?? .verbatim(stored)
                return CensusIssue(row: try $0.decode(column: "row"), column: try $0.decode(column: "column_name"),
                                   value: try $0.decode(column: "value"), code: try $0.decode(column: "code"), text: text)
            }
    }

    /// Reports name the row, not the person: ID and mobile values are masked in them.
    static func masked(_ issue: CensusIssue) -> CensusIssue {
        guard let value = issue.value, value.count > 7,
              issue.column == CensusColumn.residentID.rawValue || issue.column == CensusColumn.mobile.rawValue else { return issue }
        var copy = issue
        // As docs/conventions.md §6 masks them: the first 3 and last 4 characters kept.
        copy.value = String(value.prefix(3)) + String(repeating: "*", count: value.count - 7) + String(value.suffix(4))
        return copy
    }

    /// FNV-1a 64: a compact key for in-file duplicate detection of certificate numbers.
    static func fingerprint(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

private struct UncheckedReader: @unchecked Sendable {
    let reader: any SpreadsheetRowReader
}

/// Rows already in memory (the demo data set, API payloads) presented as a spreadsheet.
public final class InMemoryRowReader: SpreadsheetRowReader {
    private var rows: [SpreadsheetRow]
    private var position = 0

    public init(header: [String], rows: [[SpreadsheetCell]]) {
        self.rows = [SpreadsheetRow(number: 1, cells: header.map { .text($0) })]
            + rows.enumerated().map { SpreadsheetRow(number: $0.offset + 2, cells: $0.element) }
    }

    public func next() throws -> SpreadsheetRow? {
        guard position < rows.count else { return nil }
        defer { position += 1 }
        return rows[position]
    }
}
