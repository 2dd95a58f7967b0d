import Foundation
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #10 §8: the database, its WAL and shared memory, backups and the key file are the server
/// user's alone (0600); a key file others may read stops the start; `pg_dump` never sees the
/// password on its command line.
final class SecurityFilesModesTests: XCTestCase {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testAFreshDatabaseItsWALAndSharedMemoryAndTheKeyAreOwnerOnly() async throws {
        // setup: the test process's own umask (022) would give 0644
        try await withApp { app in
            // act: a write, so that the WAL and shared memory exist
            _ = try await app.shegong.accounts().create(username: "mode-check", grant: .securityAdministrator, actor: "test")
            // check
            let key = app.shegong.settings.secretKeyFile
            XCTAssertEqual(try mode(key), 0o600, "key file")
            guard case .sqliteFile(let path) = app.shegong.settings.database else { return }  // PostgreSQL: files of the server
            XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "WAL")
            for file in [path, path + "-wal", path + "-shm"] {
                XCTAssertEqual(try mode(file), 0o600, file)
            }
        }
    }

    func testAnExistingDatabaseIsSetToOwnerOnlyAtStart() async throws {
        // setup: a database file made 0644 by someone else's tool
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-mode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        // act
        let app = try await Application.make(.testing)
        do {
            try await configure(app, settings: try ShegongSettings(environment: [
                "SHEGONG_DATABASE": path, "SHEGONG_SECRET_KEY_FILE": dir.appendingPathComponent("key").path, "SHEGONG_LOG_LEVEL": "warning",
                TempFiles.environmentKey: dir.appendingPathComponent("tmp").path]))
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        // check
        XCTAssertEqual(try mode(path), 0o600)
        XCTAssertEqual(try mode(dir.appendingPathComponent("tmp").path), 0o700)
    }

    func testTheBackupCommandWritesAnOwnerOnlyFile() throws {
        guard FileManager.default.isExecutableFile(atPath: ShegongExecutable.url.path) else {
            return XCTFail("shegong executable not found at \(ShegongExecutable.url.path); build it with `swift build`")
        }
        // setup
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let migrated = try ShegongExecutable.run(["migrate", "--yes"], in: dir)
        XCTAssertEqual(migrated.status, 0, migrated.output)
        let backup = dir.appendingPathComponent("backup.sqlite").path
        // act
        let result = try ShegongExecutable.run(["backup", backup], in: dir)
        let again = try ShegongExecutable.run(["backup", backup], in: dir)
        // check
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(try mode(backup), 0o600, "backup")
        XCTAssertEqual(try mode(dir.appendingPathComponent("cli.sqlite").path), 0o600, "database")
        XCTAssertEqual(try mode(dir.appendingPathComponent("cli.key").path), 0o600, "key")
        XCTAssertNotEqual(again.status, 0, "an existing file is never overwritten")
        XCTAssertTrue(again.output.contains("文件已存在"), again.output)
    }

    func testTheServerRefusesToStartWithAKeyFileOthersCanRead() throws {
        guard FileManager.default.isExecutableFile(atPath: ShegongExecutable.url.path) else {
            return XCTFail("shegong executable not found at \(ShegongExecutable.url.path); build it with `swift build`")
        }
        // setup: a valid key, made readable by everyone
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try ShegongExecutable.run(["migrate", "--yes"], in: dir)
        XCTAssertEqual(first.status, 0, first.output)
        let key = dir.appendingPathComponent("cli.key").path
        XCTAssertEqual(chmod(key, 0o644), 0)
        // act
        let refused = try ShegongExecutable.run(["migrate", "--yes"], in: dir)
        XCTAssertEqual(chmod(key, 0o600), 0)
        let fixed = try ShegongExecutable.run(["migrate", "--yes"], in: dir)
        // check
        XCTAssertEqual(refused.status, 2, refused.output)
        XCTAssertTrue(refused.output.contains(key), refused.output)
        XCTAssertTrue(refused.output.contains("chmod 600 \(key)"), refused.output)
        XCTAssertEqual(fixed.status, 0, fixed.output)
    }

    func testSettingsRefuseAGroupReadableKeyAndAcceptAnOwnerOnlyOne() throws {
        // setup
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("key").path
        _ = try PersonalDataCipher.loadOrCreate(path: key)
        let environment = ["SHEGONG_SECRET_KEY_FILE": key, "SHEGONG_DATABASE": ":memory:"]
        // act, check
        XCTAssertEqual(try mode(key), 0o600)
        XCTAssertNoThrow(try ShegongSettings(environment: environment))
        for exposed: mode_t in [0o640, 0o620, 0o604, 0o602] {
            XCTAssertEqual(chmod(key, exposed), 0)
            XCTAssertThrowsError(try ShegongSettings(environment: environment), String(exposed, radix: 8)) { error in
                XCTAssertTrue("\(error)".contains("chmod 600 \(key)"), "\(error)")
            }
        }
    }

    func testPgDumpGetsTheURLWithoutThePasswordAndThePasswordThroughItsEnvironment() {
        // act
        let dump = PgDumpInvocation(url: "postgres://shegong:s%3Acr%40t@db.example:5433/shegong?sslmode=require", file: "/backups/b.dump")
        let viaQuery = PgDumpInvocation(url: "postgresql://shegong@127.0.0.1/shegong?password=hunter2&sslmode=disable", file: "b.dump")
        let none = PgDumpInvocation(url: "postgres://shegong@127.0.0.1/shegong", file: "b.dump")
        // check
        XCTAssertEqual(dump.arguments, ["pg_dump", "--format=custom", "--no-password", "--file=/backups/b.dump",
                                        "--dbname=postgres://shegong@db.example:5433/shegong?sslmode=require"])
        XCTAssertFalse(dump.arguments.joined(separator: " ").contains("s%3Acr%40t"))
        XCTAssertFalse(dump.arguments.joined(separator: " ").contains("s:cr@t"))
        XCTAssertEqual(dump.environment(inheriting: ["PATH": "/usr/bin"]), ["PATH": "/usr/bin", "PGPASSWORD": "s:cr@t"])
        XCTAssertEqual(viaQuery.arguments.last, "--dbname=postgresql://shegong@127.0.0.1/shegong?sslmode=disable")
        XCTAssertEqual(viaQuery.environment(inheriting: [:]), ["PGPASSWORD": "hunter2"])
        XCTAssertEqual(none.environment(inheriting: ["PATH": "/usr/bin"]), ["PATH": "/usr/bin"])
    }
}
