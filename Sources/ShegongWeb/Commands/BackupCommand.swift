import Foundation
import SQLKit
import ShegongStore
import Vapor

/// `shegong backup FILE`: a consistent copy of the database (SQLite `VACUUM INTO`; PostgreSQL `pg_dump`).
/// The personal-data key file is not in it: back that up separately, or the copy's ID numbers stay sealed.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Where to write the backup (must not exist).")
        var file: String
    }

    var help: String { "Write a consistent backup of the database (SQLite file copy, or pg_dump custom format for PostgreSQL)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard !FileManager.default.fileExists(atPath: signature.file) else { throw CommandFailure("文件已存在：\(signature.file)") }
        let settings = context.application.shegong.settings
        switch settings.database {
        case .postgres(let url):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["pg_dump", "--format=custom", "--file=\(signature.file)", url]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CommandFailure("pg_dump 失败（退出码 \(process.terminationStatus)）") }
        case .sqliteFile, .sqliteMemory:
            let sql = context.application.db as! any SQLDatabase
            try await sql.raw("VACUUM INTO \(bind: signature.file)").run()
        }
        context.console.print("已备份到 \(signature.file)。请另行备份密钥文件 \(settings.secretKeyFile)。")
    }
}
