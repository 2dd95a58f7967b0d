import FluentSQLiteDriver
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

/// `shegong backup FILE`: a consistent copy of the database (SQLite `VACUUM INTO`; PostgreSQL
/// `pg_dump --format=custom`), checked and made durable before it takes its name, with a manifest
/// (`FILE.manifest.json`: SHA-256, size, row counts of the main tables) that `shegong restore` checks.
/// The personal-data key file is not in it: back that up separately, or the copy's ID numbers stay sealed.
///
/// The steps (README, "Backups"): the copy is written to a temporary name
/// beside FILE, created 0600 with `O_EXCL` before anything is written into it; it is fsynced; SQLite's
/// `PRAGMA integrity_check` runs on the copy (PostgreSQL: `pg_restore --list` reads the archive back);
/// its counts are taken from the copy (PostgreSQL: in the very snapshot `pg_dump` dumps); the
/// manifest is written and fsynced; both take their names (never replacing an existing file) and the
/// folder is fsynced. Any failure removes what was written and exits non-zero: no broken file is left
/// under the backup's name.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Where to write the backup (must not exist); created readable by its owner only (0600), with FILE.manifest.json beside it.")
        var file: String
    }

    var help: String {
        "Write a verified backup of the database (SQLite copy checked by integrity_check, or pg_dump custom format checked by pg_restore --list), fsynced, mode 0600, with FILE.manifest.json (SHA-256, row counts)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let settings = context.application.shegong.settings
        let file = signature.file, manifestPath = BackupManifest.path(for: file)
        for path in [file, manifestPath] where FileManager.default.fileExists(atPath: path) {
            throw CommandFailure(CatalogueMessage("backup.exists", path).chinese)
        }
        let folder = BackupFiles.directory(of: file)
        let partial = folder + "/." + URL(fileURLWithPath: file).lastPathComponent + ".partial-" + UUID().uuidString
        let partialManifest = partial + ".manifest.json"
        // O_EXCL: a file that exists (or appears meanwhile, or is a symlink) is never written through.
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw CommandFailure(CatalogueMessage("backup.cannot_create", file, String(cString: strerror(errno))).chinese)
        }
        close(fd)
        let started = Date()
        do {
            let format: String, counts: [String: Int]
            let maintenance = DatabaseMaintenance(context.application.db as! any SQLDatabase)
            switch settings.database {
            case .postgres(let url):
                format = "pg_dump-custom"
                counts = try await maintenance.withExportedSnapshot { snapshot in
                    try PgTool.run(PgDumpInvocation(url: url, file: partial, snapshot: snapshot).arguments, url: url, name: "pg_dump")
                }
                try PgTool.run(["pg_restore", "--list", partial], url: nil, name: "pg_restore --list")
            case .sqliteFile, .sqliteMemory:
                format = "sqlite"
                try await maintenance.copySQLite(to: partial)
                let (problems, copied) = try await context.application.withSQLiteFile(partial) { copy in
                    (try await DatabaseMaintenance(copy).integrityCheck(), try await DatabaseMaintenance(copy).rowCounts())
                }
                guard problems == ["ok"] else {
                    throw CommandFailure(CatalogueMessage("backup.integrity", problems.prefix(5).joined(separator: "; ")).chinese)
                }
                counts = copied
            }
            // Should a tool have replaced the file rather than written into it.
            _ = chmod(partial, 0o600)
            try BackupFiles.fsync(partial)
            let (sha256, bytes) = try BackupFiles.sha256(partial)
            let manifest = BackupManifest(format: format, file: URL(fileURLWithPath: file).lastPathComponent, bytes: bytes, sha256: sha256,
                                          createdAt: ISO8601DateFormatter().string(from: started), counts: counts)
            try BackupFiles.writeNew(try manifest.encoded(), to: partialManifest)
            try BackupFiles.publish(partial, as: file)
            do {
                try BackupFiles.publish(partialManifest, as: manifestPath)
            } catch {
                unlink(file)
                throw error
            }
            try BackupFiles.fsync(folder)
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            context.console.print(CatalogueMessage("backup.done", file, String(bytes), sha256, String(counts["people"] ?? 0),
                                                   String(counts["audit_log"] ?? 0), seconds).chinese)
            context.console.print(CatalogueMessage("backup.key_reminder", settings.secretKeyFile).chinese)
        } catch {
            unlink(partial)
            unlink(partialManifest)
            if let failure = error as? BackupFailure, failure.exists { throw CommandFailure(CatalogueMessage("backup.exists", file).chinese) }
            if error is CommandFailure { throw error }
            throw CommandFailure(CatalogueMessage("backup.failed", "\(error)").chinese)
        }
    }
}

/// How `shegong backup` runs `pg_dump`: the connection URL on the command line *without* its
/// password (any local user can read another process's arguments with `ps`), and the password in
/// `PGPASSWORD`, which only the process's own user (and root) can read from `/proc/PID/environ`.
struct PgDumpInvocation: Equatable {
    /// `pg_dump` and its arguments, run through `/usr/bin/env`.
    var arguments: [String]
    /// The password, percent-decoded, or nil when the URL has none (then libpq's own
    /// `~/.pgpass` or `PGPASSWORD` of the caller's environment applies).
    var password: String?

    /// `snapshot`: dump what that exported snapshot sees (the manifest's counts were taken in it).
    init(url: String, file: String, snapshot: String? = nil) {
        let (cleaned, password) = Self.split(url)
        self.password = password
        arguments = ["pg_dump", "--format=custom", "--no-password", "--file=\(file)", "--dbname=\(cleaned)"]
            + (snapshot.map { ["--snapshot=\($0)"] } ?? [])
    }

    /// The URL without its password, and the password.
    static func split(_ url: String) -> (url: String, password: String?) {
        guard var parts = URLComponents(string: url) else { return (url, nil) }
        var password = parts.password
        parts.password = nil
        // libpq also takes `?password=` in the query.
        if let items = parts.queryItems {
            password = password ?? items.first { $0.name == "password" }?.value
            let kept = items.filter { $0.name != "password" }
            parts.queryItems = kept.isEmpty ? nil : kept
        }
        return (parts.string ?? url, password)
    }

    /// The environment for `pg_dump`: the caller's, with `PGPASSWORD` set when the URL had a password.
    func environment(inheriting base: [String: String]) -> [String: String] {
        var environment = base
        if let password { environment["PGPASSWORD"] = password }
        return environment
    }
}

/// Runs a PostgreSQL client tool (`pg_dump`, `pg_restore`) through `/usr/bin/env`, the password of
/// `url` (if any) in its environment only.
enum PgTool {
    static func run(_ arguments: [String], url: String?, name: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let url, let password = PgDumpInvocation.split(url).password { environment["PGPASSWORD"] = password }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(CatalogueMessage("backup.tool_failed", name, String(process.terminationStatus)).chinese)
        }
    }
}

extension Application {
    /// Runs `body` on an SQLite file other than the server's (a backup, a restore's copy) through a
    /// database of its own, closed again afterwards.
    func withSQLiteFile<R: Sendable>(_ path: String, _ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let id = DatabaseID(string: "file-\(UUID().uuidString)")
        databases.use(.sqlite(.file(path)), as: id, isDefault: false)
        defer { databases.reinitialize(id) }
        return try await body(db(id) as! any SQLDatabase)
    }
}
