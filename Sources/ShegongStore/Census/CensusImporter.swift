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
    /// A dry run's first page of what it would change, per person created or updated, in file order
    /// (`CensusImporter.changesPageSize`); the rest is paged from the stored list.
    public var changes: [CensusImportChange] = []
    /// How many people the stored list of a dry run's changes holds (at most `CensusImporter.maximumChanges`).
    public var changesListed: Int = 0
    /// More people would change than the list keeps; `created` and `updated` count them all.
    public var changesTruncated: Bool = false

    public var succeeded: Bool { issues.isEmpty }
}

/// Imports the census template (docs/conventions.md §5) from any spreadsheet reader: validates every row,
/// writes all of them in one transaction or none, and reports created / updated / unchanged.
/// Memory stays bounded: rows are validated and written in batches as they are read; the in-file
/// duplicate checks keep an 8-byte key per ID number and per certificate number up to a budget
/// (`duplicateKeysInMemory`) and the rest in a temporary table.
public struct CensusImporter: Sendable {
    public static let maximumIssues = 10_000
    /// People a dry run lists with their changes (the counts go on beyond).
    public static let maximumChanges = 10_000
    /// People per page of a dry run's change list (the report's first page, the API, the wizard).
    public static let changesPageSize = 50

    public var batchSize = 1_000
    /// In-file duplicate keys (ID numbers, certificate numbers) kept in memory per kind; the rest of a
    /// larger file's go to a temporary table on the import's connection, so memory stays flat.
    public var duplicateKeysInMemory = 500_000
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

    /// Whether this import is a first load: nobody in the registry, so its batches need not read
    /// `people` or `certificates` (`CensusWriter.registryWasEmpty`). On PostgreSQL other servers
    /// and requests write beside the import: a person added meanwhile would meet the file's rows
    /// at the unique ID index and fail the whole import with no row to name. So a first load there
    /// holds other writers of `people` until it commits (SHARE ROW EXCLUSIVE: readers go on; two
    /// first loads take turns) and looks again once it has the lock. On SQLite the import's
    /// transaction is the only writer already.
    static func isFirstLoad(_ sql: any SQLDatabase) async throws -> Bool {
        func empty() async throws -> Bool { try await sql.raw("SELECT 1 AS present FROM people LIMIT 1").first() == nil }
        guard try await empty() else { return false }
        guard sql.dialect.name == "postgresql" else { return true }
        try await sql.raw("LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE").run()
        return try await empty()
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
        let duplicateBudget = self.duplicateKeysInMemory
        let postsSince = self.postsSince
        let scope = self.scope
        let audit = self.audit
        let progress = self.progress
        let cipher = self.cipher
        let sourceName = source ?? "import:\(fileName)"
        let initial = report
        // The list of changes, kept beside the report (which carries only its first page).
        let listed = ChangeList()
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
                let registryWasEmpty = try await Self.isFirstLoad(tx.sql)
                let indexesSetAside = registryWasEmpty ? try await FirstLoadIndexes.setAside(on: tx.sql) : false
                let writer = CensusWriter(sql: tx.sql, cipher: cipher, regions: regions, now: now, actor: actor, source: sourceName)
                writer.registryWasEmpty = registryWasEmpty
                if let postsSince { writer.postsSince = min(postsSince, today) }
                writer.scope = scope
                writer.collectChanges = dryRun
                // In-file duplicates: memory up to a budget, then a temporary table (InFileDuplicates).
                let duplicates = InFileDuplicates(budget: duplicateBudget)
                var batch: [CensusRecord] = []
                // One batch is sent to the database on another task while this one reads, validates
                // and prepares the next (two cores, two jobs). Batches are sent one after another, in
                // file order; a prepare that reads the registry (anything but a first load) waits for
                // the batch in flight first, so it reads what every earlier batch wrote.
                var inFlight: Task<Void, any Error>?
                func settle() async throws {
                    guard let task = inFlight else { return }
                    inFlight = nil
                    try await task.value
                }
                var changes: [CensusImportChange] = []
                // Valid rows are written even after a bad one (the transaction is rolled back at the
                // end all the same): only the write finds clashes with the registry and rows outside
                // the caller's scope, and one upload reports every kind of problem (issue #18).
                func write() async throws {
                    defer { batch.removeAll(keepingCapacity: true) }
                    if !batch.isEmpty { progress?(report.rows) }   // the closing call has nothing new to tell
                    guard !batch.isEmpty else { return }
                    let prepared = try await writer.prepare(batch, beforeReading: settle)
                    for outcome in prepared.outcomes {
                        switch outcome {
                        case .created: report.created += 1
                        case .updated: report.updated += 1
                        case .unchanged: report.unchanged += 1
                        case .rejected(let issues): reject(issues)
                        }
                    }
                    if writer.collectChanges {
                        for change in writer.changes {
                            if changes.count < CensusImporter.maximumChanges { changes.append(change) } else { report.changesTruncated = true }
                        }
                        writer.changes.removeAll()
                    }
                    try await settle()
                    inFlight = Task { try await writer.write(prepared) }
                }
                // Rows are validated as they are read and then walked a window at a time, in file order:
                // the window's duplicate keys that memory does not hold are looked up in one query first.
                var window: [ValidatedRow] = []
                window.reserveCapacity(batchSize)
                func walk() async throws {
                    guard !window.isEmpty else { return }
                    if duplicates.spilled {
                        var keys: [InFileDuplicates.Kind: [UInt64]] = [.residentID: [], .certificate: []]
                        for row in window {
                            if let key = row.idKey { keys[.residentID]!.append(key) }
                            if let key = row.certificateKey { keys[.certificate]!.append(key) }
                        }
                        try await duplicates.prepare(keys, on: tx.sql)
                    }
                    for row in window {
                        report.rows += 1
                        switch row.result {
                        case .failure(var issues):
                            // A row with a bad cell still counts for in-file duplicates when its ID
                            // number itself is readable, so the repeat is named in the same pass.
                            if let key = row.idKey, let first = duplicates.firstRow(.residentID, key, row: row.number) {
                                issues.append(CensusIssue(row: row.number, column: .residentID, value: row.idValue,
                                                          code: "census.id.duplicate", "\(first)"))
                            }
                            reject(issues)
                        case .success(let record):
                            var issues: [CensusIssue] = []
                            if let problem = regions.problemForPersonRegion(record.regionCode, year: today.year) {
                                issues.append(CensusIssue(row: row.number, column: .regionCode, value: record.regionCode,
                                                          code: "census.region.unknown", text: problem))
                            }
                            if let key = row.idKey, let first = duplicates.firstRow(.residentID, key, row: row.number) {
                                issues.append(CensusIssue(row: row.number, column: .residentID, value: record.residentID.value,
                                                          code: "census.id.duplicate", "\(first)"))
                            }
                            if let number = record.certificate?.number, let key = row.certificateKey,
                               let first = duplicates.firstRow(.certificate, key, row: row.number) {
                                issues.append(CensusIssue(row: row.number, column: .certificateNumber, value: number,
                                                          code: "census.certificate.duplicate", "\(first)"))
                            }
                            if issues.isEmpty { batch.append(record) } else { reject(issues) }
                        }
                        if batch.count >= batchSize { try await write() }
                    }
                    window.removeAll(keepingCapacity: true)
                    try await duplicates.finishWindow(on: tx.sql)
                }
                // Never leave a write running on the transaction's connection while it rolls back.
                // When the write failed first, its error is the one to tell: what ran after it on
                // the connection failed only because the transaction had.
                func abandon(_ error: any Error) async -> any Error {
                    guard let task = inFlight else { return error }
                    inFlight = nil
                    if case .failure(let writeError) = await task.result { return writeError }
                    return error
                }
                do {
                    var unreadable: SpreadsheetError?
                    do {
                        while let row = try reader.next() {
                            if header.isBlank(row) { continue }
                            window.append(ValidatedRow(row, header: header, today: today))
                            if window.count >= batchSize { try await walk() }
                        }
                    } catch let error as SpreadsheetError {
                        // The rows before the unreadable one are still checked and written (and
                        // rolled back), so that one report names every problem.
                        unreadable = error
                    }
                    try await walk()
                    try await write()
                    try await settle()
                    if let error = unreadable {
                        add([CensusIssue(row: error.row ?? report.rows + 1, column: nil, value: nil, code: error.code, text: error.text)])
                    }
                } catch {
                    throw await abandon(error)
                }
                try await duplicates.drop(on: tx.sql)
                report.rejectedRows = rejectedRows.count
                listed.items = changes
                report.changesListed = changes.count
                report.changes = Array(changes.prefix(CensusImporter.changesPageSize))
                if issuesFound > 0 || dryRun { throw Rollback(report: report) }
                if indexesSetAside { try await FirstLoadIndexes.rebuild(on: tx.sql) }
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
                try await Self.record(changes: listed.items, of: finished.importID, on: tx.sql)
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

    /// A dry run's list of changes, kept beside its report.
    static func record(changes: [CensusImportChange], of importID: String, on sql: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        try await sql.insertChunked(into: "census_import_changes", columns: ["import_id", "row", "kind", "name", "id_masked", "fields"],
                                    rows: try changes.map { [importID, $0.row, $0.kind.rawValue, $0.name, $0.idNumber,
                                                             String(decoding: try encoder.encode($0.fields), as: UTF8.self)] })
    }

    /// One page (from 1) of an earlier dry run's changes in file order, and how many people the list holds.
    public static func changes(importID: String, page: Int, pageSize: Int = changesPageSize, on db: any Database) async throws -> (items: [CensusImportChange], total: Int) {
        let total = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("census_import_changes")
            .where("import_id", .equal, importID).first()?.decode(column: "n", as: Int.self) ?? 0
        let decoder = JSONDecoder()
        let items = try await db.sql.select().columns("row", "kind", "name", "id_masked", "fields").from("census_import_changes")
            .where("import_id", .equal, importID).orderBy("row").limit(pageSize).offset(max(0, page - 1) * pageSize).all().map {
                CensusImportChange(row: try $0.decode(column: "row"),
                                   kind: CensusImportChange.Kind(rawValue: try $0.decode(column: "kind")) ?? .updated,
                                   name: try $0.decode(column: "name"), idNumber: try $0.decode(column: "id_masked"),
                                   fields: try decoder.decode([CensusImportChange.Field].self, from: Data(try $0.decode(column: "fields", as: String.self).utf8)))
            }
        return (items, total)
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

/// One row as read and validated, with its in-file duplicate keys (the ID number's first 17 digits,
/// the certificate number's fingerprint); a bad row keeps its ID key when its ID number is readable.
private struct ValidatedRow {
    let number: Int
    let result: Result<CensusRecord, [CensusIssue]>
    let idKey: UInt64?
    /// The ID number of a bad row whose ID number is readable (for its duplicate issue).
    let idValue: String?
    let certificateKey: UInt64?

    init(_ row: SpreadsheetRow, header: CensusHeader, today: CivilDate) {
        number = row.number
        result = header.record(from: row, today: today)
        switch result {
        case .failure:
            if let text = header.indexes[.residentID].map({ row[$0].text.trimmingCharacters(in: .whitespaces) }),
               case .success(let id) = ResidentID.parse(text, today: today) {
                idKey = UInt64(id.value.prefix(17))!
                idValue = id.value
            } else {
                idKey = nil
                idValue = nil
            }
            certificateKey = nil
        case .success(let record):
            idKey = UInt64(record.residentID.value.prefix(17))!
            idValue = nil
            certificateKey = record.certificate.map { CensusImporter.fingerprint($0.number) }
        }
    }
}

/// Carries the change list out of the rolled-back transaction to the one that records it.
private final class ChangeList: @unchecked Sendable {
    var items: [CensusImportChange] = []
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
