import FluentSQLiteDriver
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

/// `shegong restore FILE`: puts a backup written by `shegong backup` in place of the configured
/// database, and proves it arrived whole.
///
/// Before: the backup's SHA-256 and size must match its manifest (`FILE.manifest.json`); the target
/// must hold no rows in the main tables, unless `--replace` is given with `--confirm NAME`, NAME being
/// the database's name (the SQLite file's name, e.g. `shegong.sqlite`, or the PostgreSQL database's),
/// typed out so that a restore over live data is never an accident. SQLite: the backup is copied beside
/// the database, checked there (`integrity_check`, counts) and renamed into place; stop the server
/// first. PostgreSQL: `pg_restore --clean --if-exists --single-transaction`.
/// After: the restored database's row counts must equal the manifest's, and the audit chain must
/// verify (`audit verify`); otherwise the command exits non-zero saying what differs.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A backup written by `shegong backup`, with FILE.manifest.json beside it.")
        var file: String
        @Flag(name: "replace", help: "Replace a database that holds data (needs --confirm with its name).")
        var replace: Bool
        @Option(name: "confirm", help: "The database's name, typed out, to allow --replace (the SQLite file's name or the PostgreSQL database's).")
        var confirm: String?
    }

    var help: String {
        "Restore a backup from `shegong backup` into an empty database (or --replace --confirm NAME), checking its SHA-256 before and its row counts and audit chain after."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let settings = app.shegong.settings
        let file = signature.file, manifestPath = BackupManifest.path(for: file)
        let manifest: BackupManifest
        do { manifest = try BackupManifest.read(manifestPath) } catch {
            throw CommandFailure(CatalogueMessage("restore.no_manifest", manifestPath).chinese)
        }
        let (sha256, bytes) = try BackupFiles.sha256(file)
        guard sha256 == manifest.sha256, bytes == manifest.bytes else {
            throw CommandFailure(CatalogueMessage("restore.checksum", file, manifest.sha256, sha256).chinese)
        }
        let target = DatabaseMaintenance(app.db as! any SQLDatabase)
        let name = Self.databaseName(settings.database)
        if try await !target.holdsNoRows() {
            guard signature.replace, signature.confirm == name else {
                throw CommandFailure(CatalogueMessage("restore.not_empty", name).chinese)
            }
        }
        let started = Date()
        switch settings.database {
        case .sqliteFile(let path):
            guard manifest.format == "sqlite" else { throw CommandFailure(CatalogueMessage("restore.format", manifest.format, "sqlite").chinese) }
            let folder = BackupFiles.directory(of: path)
            let copy = folder + "/." + URL(fileURLWithPath: path).lastPathComponent + ".restoring-" + UUID().uuidString
            do {
                try FileManager.default.copyItem(atPath: file, toPath: copy)
                _ = chmod(copy, 0o600)
                try BackupFiles.fsync(copy)
                let (problems, counts) = try await app.withSQLiteFile(copy) { db in
                    (try await DatabaseMaintenance(db).integrityCheck(), try await DatabaseMaintenance(db).rowCounts())
                }
                guard problems == ["ok"] else { throw CommandFailure(CatalogueMessage("backup.integrity", problems.prefix(5).joined(separator: "; ")).chinese) }
                guard counts == manifest.counts else { throw CommandFailure(Self.countsDiffer(manifest.counts, counts)) }
                // Close the server's own connections to the old file (its WAL is checkpointed), then
                // put the copy in its place; the next use opens the restored file.
                app.databases.reinitialize(.sqlite)
                for suffix in ["-wal", "-shm", "-journal"] { unlink(path + suffix) }
                guard rename(copy, path) == 0 else { throw BackupFailure("rename \(copy) → \(path): \(String(cString: strerror(errno)))") }
                try BackupFiles.fsync(folder)
            } catch {
                unlink(copy)
                throw error
            }
        case .sqliteMemory:
            throw CommandFailure(CatalogueMessage("restore.format", manifest.format, "memory").chinese)
        case .postgres(let url):
            guard manifest.format == "pg_dump-custom" else { throw CommandFailure(CatalogueMessage("restore.format", manifest.format, "pg_dump-custom").chinese) }
            try PgTool.run(["pg_restore", "--list", file], url: nil, name: "pg_restore --list")
            let cleaned = PgDumpInvocation.split(url).url
            try PgTool.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                            "--no-password", "--dbname=\(cleaned)", file], url: url, name: "pg_restore")
        }

        // After: the restored database, as the server will read it.
        let restored = DatabaseMaintenance(app.db as! any SQLDatabase)
        let counts = try await restored.rowCounts()
        guard counts == manifest.counts else { throw CommandFailure(Self.countsDiffer(manifest.counts, counts)) }
        let audit = try await app.shegong.auditLog.verify(sql: app.db as! any SQLDatabase)
        if let problem = audit.problem {
            throw CommandFailure(CatalogueMessage("restore.audit", problem.description, String(audit.checked)).chinese)
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        context.console.print(CatalogueMessage("restore.done", file, name, String(counts["people"] ?? 0), String(audit.checked), seconds).chinese)
    }

    /// The name `--confirm` must repeat: the SQLite file's name, or the PostgreSQL database's.
    static func databaseName(_ database: DatabaseLocation) -> String {
        switch database {
        case .sqliteFile(let path): return URL(fileURLWithPath: path).lastPathComponent
        case .sqliteMemory: return ":memory:"
        case .postgres(let url):
            let path = URLComponents(string: url)?.path ?? ""
            return path.hasPrefix("/") ? String(path.dropFirst()) : path
        }
    }

    static func countsDiffer(_ expected: [String: Int], _ found: [String: Int]) -> String {
        let tables = Set(expected.keys).union(found.keys).sorted().filter { expected[$0] != found[$0] }
        let listed = tables.map { "\($0) \(expected[$0].map(String.init) ?? "-") → \(found[$0].map(String.init) ?? "-")" }
        return CatalogueMessage("restore.counts", listed.joined(separator: ", ")).chinese
    }
}
