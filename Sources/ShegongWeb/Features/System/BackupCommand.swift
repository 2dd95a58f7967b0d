import Foundation
import SQLKit
import ShegongStore
import Vapor

/// `shegong backup FILE`: a consistent copy of the database (SQLite `VACUUM INTO`; PostgreSQL `pg_dump`).
/// The personal-data key file is not in it: back that up separately, or the copy's ID numbers stay sealed.
///
/// The copy holds everything the database holds, so it is created 0600 (owner only) before anything
/// is written into it — `VACUUM INTO` accepts an empty file, `pg_dump` overwrites it — whatever the
/// umask of the shell that runs the command.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Where to write the backup (must not exist); created readable by its owner only (0600).")
        var file: String
    }

    var help: String { "Write a consistent backup of the database (SQLite file copy, or pg_dump custom format for PostgreSQL), mode 0600." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let settings = context.application.shegong.settings
        // O_EXCL: a file that exists (or appears meanwhile, or is a symlink) is never written through.
        let fd = open(signature.file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw CommandFailure("文件已存在：\(signature.file)") }
            throw CommandFailure("无法创建备份文件 \(signature.file)：\(String(cString: strerror(errno)))")
        }
        close(fd)
        do {
            switch settings.database {
            case .postgres(let url):
                let dump = PgDumpInvocation(url: url, file: signature.file)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = dump.arguments
                process.environment = dump.environment(inheriting: ProcessInfo.processInfo.environment)
                try process.run()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw CommandFailure("pg_dump 失败（退出码 \(process.terminationStatus)）") }
            case .sqliteFile, .sqliteMemory:
                try await DatabaseMaintenance(context.application.db as! any SQLDatabase).copySQLite(to: signature.file)
            }
            // Should a tool have replaced the file rather than written into it.
            _ = chmod(signature.file, 0o600)
        } catch {
            try? FileManager.default.removeItem(atPath: signature.file)
            throw error
        }
        context.console.print("已备份到 \(signature.file)（仅所有者可读写）。请另行备份密钥文件 \(settings.secretKeyFile)。")
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

    init(url: String, file: String) {
        var cleaned = url
        var password: String?
        if var parts = URLComponents(string: url) {
            password = parts.password
            parts.password = nil
            // libpq also takes `?password=` in the query.
            if let items = parts.queryItems {
                password = password ?? items.first { $0.name == "password" }?.value
                let kept = items.filter { $0.name != "password" }
                parts.queryItems = kept.isEmpty ? nil : kept
            }
            cleaned = parts.string ?? url
        }
        self.password = password
        arguments = ["pg_dump", "--format=custom", "--no-password", "--file=\(file)", "--dbname=\(cleaned)"]
    }

    /// The environment for `pg_dump`: the caller's, with `PGPASSWORD` set when the URL had a password.
    func environment(inheriting base: [String: String]) -> [String: String] {
        var environment = base
        if let password { environment["PGPASSWORD"] = password }
        return environment
    }
}
