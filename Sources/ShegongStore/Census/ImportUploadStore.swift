import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// One waiting upload of the import wizard as the database holds it (`import_uploads`, migration
/// 0070): its state as plain columns, the report as JSON.
public struct StoredImportUpload: Sendable {
    public var token: String
    public var owner: String
    public var fileName: String
    /// `running`, `finished` or `failed`.
    public var state: String
    public var committing: Bool
    public var report: CensusImportReport?
    public var message: CatalogueMessage?
    public var touched: Date
}

/// The SQL of the import wizard's uploads (docs/deployment.md "State in the database"): the rows
/// any server reads and changes, and the file kept as sealed parts of `partSize` bytes, written
/// and read one part at a time so that memory stays flat with the file's size.
public struct ImportUploadStore: Sendable {
    public static let partSize = 1 << 20
    /// A report keeps this many issues in the row; the downloadable report reads them all from
    /// `census_import_issues`.
    public static let keptIssues = 200

    let db: any Database
    let writes: WriteQueue
    let cipher: PersonalDataCipher

    public init(db: any Database, writes: WriteQueue, cipher: PersonalDataCipher) {
        self.db = db
        self.writes = writes
        self.cipher = cipher
    }

    /// Stores a new upload, running its dry run, with the file at `url`, in one transaction.
    public func insert(token: String, owner: String, fileName: String, file url: URL, now: Date) async throws {
        let cipher = self.cipher
        try await writes.transactionOnce(on: db) { tx in
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var seq = 0
            while let part = try handle.read(upToCount: Self.partSize), !part.isEmpty {
                let sealed = try cipher.seal(data: part)
                try await tx.sql.raw("""
                    INSERT INTO import_upload_parts (upload_token, seq, content) VALUES (\(bind: token), \(bind: seq), \(bind: sealed))
                    """).run()
                seq += 1
            }
            try await tx.sql.raw("""
                INSERT INTO import_uploads (token, owner, file_name, state, committing, touched_at)
                VALUES (\(bind: token), \(bind: owner), \(bind: fileName), 'running', \(bind: false), \(bind: now.timeIntervalSince1970))
                """).run()
        }
    }

    public func find(_ token: String) async throws -> StoredImportUpload? {
        guard let row = try await db.sql.raw("""
            SELECT token, owner, file_name, state, committing, report, message_key, message_arguments, touched_at
            FROM import_uploads WHERE token = \(bind: token)
            """).first() else { return nil }
        let report = try row.decode(column: "report", as: String?.self).map {
            try JSONDecoder().decode(KeptReport.self, from: Data($0.utf8)).report
        }
        let message = try row.decode(column: "message_key", as: String?.self).map { key in
            let arguments = try row.decode(column: "message_arguments", as: String?.self)
                .map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            return CatalogueMessage(key, arguments: arguments)
        }
        return StoredImportUpload(token: token, owner: try row.decode(column: "owner"), fileName: try row.decode(column: "file_name"),
                                  state: try row.decode(column: "state"), committing: try row.decode(column: "committing"),
                                  report: report, message: message,
                                  touched: Date(timeIntervalSince1970: try row.decode(column: "touched_at", as: Double.self)))
    }

    /// Writes the upload's new state; `dropFile` deletes its parts in the same transaction.
    public func update(_ token: String, state: String, committing: Bool, report: CensusImportReport?, message: CatalogueMessage?,
                       dropFile: Bool, now: Date) async throws {
        let reportJSON = try report.map { String(decoding: try JSONEncoder().encode(KeptReport($0)), as: UTF8.self) }
        let arguments = try message.map { String(decoding: try JSONEncoder().encode($0.arguments), as: UTF8.self) }
        try await writes.transaction(on: db) { tx in
            try await tx.sql.raw("""
                UPDATE import_uploads SET state = \(bind: state), committing = \(bind: committing), report = \(bind: reportJSON),
                message_key = \(bind: message?.key), message_arguments = \(bind: arguments), touched_at = \(bind: now.timeIntervalSince1970)
                WHERE token = \(bind: token)
                """).run()
            if dropFile { try await tx.sql.raw("DELETE FROM import_upload_parts WHERE upload_token = \(bind: token)").run() }
        }
    }

    /// Moves a checked upload to its commit, once: of two servers asked at the same moment, only
    /// the one whose claim is written starts it (true).
    public func claimCommit(_ token: String, now: Date) async throws -> Bool {
        let claim = UUID().uuidString.lowercased()
        try await writes.transaction(on: db) { tx in
            try await tx.sql.raw("""
                UPDATE import_uploads SET state = 'running', committing = \(bind: true), claim = \(bind: claim),
                touched_at = \(bind: now.timeIntervalSince1970), report = NULL
                WHERE token = \(bind: token) AND state = 'finished'
                """).run()
        }
        let row = try await db.sql.raw("SELECT claim FROM import_uploads WHERE token = \(bind: token)").first()
        return try row?.decode(column: "claim", as: String?.self) == claim
    }

    /// Deletes the upload and its parts.
    public func delete(_ token: String) async throws {
        try await writes.transaction(on: db) { tx in
            try await tx.sql.raw("DELETE FROM import_upload_parts WHERE upload_token = \(bind: token)").run()
            try await tx.sql.raw("DELETE FROM import_uploads WHERE token = \(bind: token)").run()
        }
    }

    /// Writes the upload's file, part by part, to `url` (a new 0600 file of the caller's).
    /// False when the database holds no part of it.
    public func writeFile(_ token: String, to url: URL) async throws -> Bool {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var seq = 0
        while let row = try await db.sql.raw("""
            SELECT content FROM import_upload_parts WHERE upload_token = \(bind: token) AND seq = \(bind: seq)
            """).first() {
            try handle.write(contentsOf: try cipher.open(data: try row.decode(column: "content", as: Data.self)))
            seq += 1
        }
        return seq > 0
    }

    /// The owner's finished uploads touched since `since`, oldest first (the home page lists those
    /// whose dry run passed as waiting for their commit).
    public func finished(owner: String, since: Date) async throws -> [StoredImportUpload] {
        let tokens = try await db.sql.raw("""
            SELECT token FROM import_uploads
            WHERE owner = \(bind: owner) AND state = 'finished' AND touched_at >= \(bind: since.timeIntervalSince1970)
            ORDER BY touched_at
            """).all().map { try $0.decode(column: "token", as: String.self) }
        var found: [StoredImportUpload] = []
        for token in tokens { if let upload = try await find(token) { found.append(upload) } }
        return found
    }

    /// The tokens of uploads unchanged since `before` — and of running ones unchanged since
    /// `runningBefore` (their server stopped half-way) — which the sweep deletes.
    public func expired(before: Date, runningBefore: Date) async throws -> [String] {
        try await db.sql.raw("""
            SELECT token FROM import_uploads
            WHERE (state <> 'running' AND touched_at < \(bind: before.timeIntervalSince1970)) OR touched_at < \(bind: runningBefore.timeIntervalSince1970)
            """).all().map { try $0.decode(column: "token", as: String.self) }
    }
}

/// A report as the upload's row keeps it: its first `ImportUploadStore.keptIssues` issues with
/// their catalogue keys and arguments (a report's own JSON words them in Chinese only), so the
/// status page shows them in the reader's language.
struct KeptReport: Codable {
    struct Issue: Codable {
        var row: Int
        var column: String?
        var value: String?
        var code: String
        var key: String
        var arguments: [String]
    }

    var report: CensusImportReport
    var issues: [Issue]

    init(_ report: CensusImportReport) {
        var bare = report
        bare.issues = []
        self.report = bare
        issues = report.issues.prefix(ImportUploadStore.keptIssues).map {
            Issue(row: $0.row, column: $0.column, value: $0.value, code: $0.code, key: $0.text.key, arguments: $0.text.arguments)
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issues = try container.decode([Issue].self, forKey: .issues)
        report = try container.decode(CensusImportReport.self, forKey: .report)
        report.issues = issues.map {
            CensusIssue(row: $0.row, column: $0.column, value: $0.value, code: $0.code, text: CatalogueMessage($0.key, arguments: $0.arguments))
        }
    }
}
