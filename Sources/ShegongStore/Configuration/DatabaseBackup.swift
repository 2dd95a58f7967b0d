import Crypto
import Foundation
import SQLKit
#if canImport(Glibc)
import Glibc
#endif

/// What `shegong backup` records beside a backup (`FILE.manifest.json`) and `shegong restore`
/// checks: the file's SHA-256 and size, and the row counts of the main tables as the copy holds them.
public struct BackupManifest: Codable, Equatable, Sendable {
    /// `sqlite` (a `VACUUM INTO` copy) or `pg_dump-custom`.
    public var format: String
    /// The backup's file name when it was written (the manifest is found beside it).
    public var file: String
    public var bytes: Int64
    public var sha256: String
    /// ISO 8601, UTC.
    public var createdAt: String
    /// Rows per table, as the copy holds them.
    public var counts: [String: Int]

    public init(format: String, file: String, bytes: Int64, sha256: String, createdAt: String, counts: [String: Int]) {
        self.format = format
        self.file = file
        self.bytes = bytes
        self.sha256 = sha256
        self.createdAt = createdAt
        self.counts = counts
    }

    public static func path(for backup: String) -> String { backup + ".manifest.json" }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    public static func read(_ path: String) throws -> BackupManifest {
        try JSONDecoder().decode(BackupManifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// Files made durable and checksummed, for backups.
public enum BackupFiles {
    /// Flushes a file (or, opened read-only, a directory: the names in it) to stable storage.
    public static func fsync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw BackupFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw BackupFailure("fsync \(path): \(String(cString: strerror(errno)))") }
    }

    public static func directory(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().path
    }

    /// SHA-256 of a file, read in 1 MiB chunks; and its size.
    public static func sha256(_ path: String) throws -> (hex: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupFailure("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += Int64(chunk.count)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), total)
    }

    /// Writes `data` to `path` (which must not exist, 0600) and flushes it.
    public static func writeNew(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw BackupFailure("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                guard n > 0 else { throw BackupFailure("write \(path): \(String(cString: strerror(errno)))") }
                offset += n
            }
        }
        guard Glibc.fsync(fd) == 0 else { throw BackupFailure("fsync \(path): \(String(cString: strerror(errno)))") }
    }

    /// Gives `from` the name `to` without ever replacing a file of that name (`link` fails when it
    /// exists, where `rename` would overwrite it), then removes the old name.
    public static func publish(_ from: String, as to: String) throws {
        guard link(from, to) == 0 else { throw BackupFailure("cannot name \(to): \(String(cString: strerror(errno)))", exists: errno == EEXIST) }
        unlink(from)
    }
}

public struct BackupFailure: Error, CustomStringConvertible {
    public var description: String
    /// The name to be written exists already.
    public var exists = false
    public init(_ description: String, exists: Bool = false) {
        self.description = description
        self.exists = exists
    }
}

extension DatabaseMaintenance {
    /// The tables whose rows a backup's manifest counts and a restore compares: the registry, the
    /// census, incentives and payments, plans, accounts and the audit log.
    public static let countedTables = [
        "regions", "organizations", "people", "employments", "certificates", "registrations", "person_changes",
        "census_imports", "census_stats", "incentive_policies", "award_applications", "payment_batches", "payment_lines",
        "plans", "plan_measures", "measure_reports", "measure_evidence", "targets", "users", "audit_log",
    ]

    /// The tables of the database (SQLite's or PostgreSQL's current schema).
    public func tableNames() async throws -> Set<String> {
        struct Row: Decodable { var name: String }
        let query: SQLQueryString = sql.dialect.name == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        return Set(try await sql.raw(query).all(decoding: Row.self).map(\.name))
    }

    /// Rows of each of `countedTables` that exists.
    public func rowCounts() async throws -> [String: Int] {
        let present = try await tableNames()
        var counts: [String: Int] = [:]
        for table in Self.countedTables where present.contains(table) {
            let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()
            counts[table] = try row?.decode(column: "n", as: Int.self) ?? 0
        }
        return counts
    }

    /// Whether no counted table holds a row (missing tables count as empty).
    public func holdsNoRows() async throws -> Bool {
        try await rowCounts().values.allSatisfy { $0 == 0 }
    }

    /// SQLite's own check of every page and index of the file: `["ok"]` when sound.
    public func integrityCheck() async throws -> [String] {
        let rows = try await sql.raw("PRAGMA integrity_check").all()
        return try rows.map { try $0.decode(column: "integrity_check", as: String.self) }
    }

    /// On PostgreSQL: the counts and `body` (a `pg_dump --snapshot=ID`) see the same moment. One
    /// connection holds a repeatable-read transaction, exports its snapshot, counts, and stays open
    /// until `body` has finished.
    public func withExportedSnapshot(_ body: @escaping @Sendable (String) async throws -> Void) async throws -> [String: Int] {
        try await sql.withSession { session in
            try await session.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
            do {
                guard let snapshot = try await session.raw("SELECT pg_export_snapshot() AS id").first()?.decode(column: "id", as: String.self) else {
                    throw BackupFailure("pg_export_snapshot returned nothing")
                }
                let counts = try await DatabaseMaintenance(session).rowCounts()
                try await body(snapshot)
                try await session.raw("COMMIT").run()
                return counts
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
