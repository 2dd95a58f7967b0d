import Foundation
import SQLKit
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The hash-chained audit log on a real database: appends in the caller's transaction, and
/// `verify` names the first changed, deleted or inserted entry.
final class AuditLogTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    func appendFive(_ app: Application) async throws -> AuditLog {
        let log = app.shegong.auditLog
        for i in 1...5 {
            try await log.append(db: app.db, through: app.shegong.writeQueue, AuditEntry(at: Self.t0.addingTimeInterval(Double(i)), actor: i % 2 == 0 ? "lisi" : "zhangsan",
                                                        ip: "10.0.0.\(i)", action: i == 3 ? "person.update" : .login,
                                                        objectType: i == 3 ? "person" : "user", objectID: "obj-\(i)", details: "entry \(i)"))
        }
        return log
    }

    /// What someone with database rights but without the key file can do: drop the guard triggers.
    static func dropGuards(_ app: Application) async throws {
        if app.sql.dialect.name == "postgresql" {
            try await app.sql.raw("DROP TRIGGER audit_log_no_change ON audit_log").run()
        } else {
            try await app.sql.raw("DROP TRIGGER audit_log_no_update").run()
            try await app.sql.raw("DROP TRIGGER audit_log_no_delete").run()
        }
    }

    func testAnIntactChainVerifies() async throws {
        try await withApp { app in
            // setup
            let log = try await self.appendFive(app)
            // act
            let result = try await log.verify(sql: app.sql, pageSize: 2)   // pages of 2: the walk crosses page ends
            // check
            XCTAssertTrue(result.isIntact, "\(String(describing: result.problem))")
            XCTAssertEqual(result.checked, 5)
            XCTAssertEqual(result.lastID, 5)
            let rows = try await app.sql.raw("SELECT id, prev_hash, hash FROM audit_log ORDER BY id").all()
            XCTAssertEqual(try rows[1].decode(column: "prev_hash", as: String.self), try rows[0].decode(column: "hash", as: String.self))
        }
    }

    func testConcurrentAppendsNeverForkTheChain() async throws {
        try await withApp { app in
            // setup
            let log = app.shegong.auditLog
            let db = app.db
            // act: 20 transactions appending at once
            let successes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        do {
                            try await db.transaction { tx in
                                try await log.append(on: tx as! any SQLDatabase, AuditEntry(at: Self.t0, actor: "u\(i)", action: "test.concurrent"))
                            }
                            return true
                        } catch { return false }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            print("concurrent audit appends committed: \(successes)/20 on \(TestDatabase.engine)")
            // check: every committed append is in one unbroken chain
            let result = try await log.verify(sql: app.sql)
            XCTAssertTrue(result.isIntact, "\(String(describing: result.problem))")
            XCTAssertEqual(result.checked, successes)
            if app.sql.dialect.name == "postgresql" {
                XCTAssertEqual(successes, 20, "the advisory lock queues appenders instead of failing them")
            } else {
                XCTAssertGreaterThan(successes, 0, "SQLite: a conflicting appender fails, never forks")
            }
        }
    }

    func testTheLogRefusesUpdatesAndDeletes() async throws {
        try await withApp { app in
            // setup
            _ = try await self.appendFive(app)
            // act + check
            do {
                try await app.sql.raw("UPDATE audit_log SET details = 'nothing happened' WHERE id = 2").run()
                XCTFail("update allowed")
            } catch {}
            do {
                try await app.sql.raw("DELETE FROM audit_log WHERE id = 2").run()
                XCTFail("delete allowed")
            } catch {}
            let count = try await app.count("audit_log")
            XCTAssertEqual(count, 5)
        }
    }

    func testAChangedEntryIsNamed() async throws {
        try await withApp { app in
            // setup
            let log = try await self.appendFive(app)
            try await Self.dropGuards(app)
            // act
            try await app.sql.raw("UPDATE audit_log SET details = 'nothing happened' WHERE id = 3").run()
            let result = try await log.verify(sql: app.sql)
            // check
            XCTAssertEqual(result.problem, AuditProblem(kind: .changed, id: 3, missing: nil))
            XCTAssertEqual(result.checked, 2)
            XCTAssertTrue(result.problem!.description.contains("第 3 条"))
        }
    }

    func testADeletedEntryIsNamedAsAGap() async throws {
        try await withApp { app in
            // setup
            let log = try await self.appendFive(app)
            try await Self.dropGuards(app)
            // act
            try await app.sql.raw("DELETE FROM audit_log WHERE id = 2").run()
            let result = try await log.verify(sql: app.sql)
            // check
            XCTAssertEqual(result.problem, AuditProblem(kind: .deleted, id: 3, missing: 2...2))
            XCTAssertTrue(result.problem!.description.contains("第 2 条被删除"), result.problem!.description)
        }
    }

    func testADeletionHiddenByRenumberingIsNamed() async throws {
        try await withApp { app in
            // setup
            let log = try await self.appendFive(app)
            try await Self.dropGuards(app)
            // act: delete entry 2 and move 3…5 down one
            try await app.sql.raw("DELETE FROM audit_log WHERE id = 2").run()
            for id in 3...5 { try await app.sql.raw("UPDATE audit_log SET id = \(literal: id - 1) WHERE id = \(literal: id)").run() }
            let result = try await log.verify(sql: app.sql)
            // check
            XCTAssertEqual(result.problem?.kind, .inserted)
            XCTAssertEqual(result.problem?.id, 2, "entry 2 does not follow entry 1")
        }
    }

    func testAForgedEntryIsNamed() async throws {
        try await withApp { app in
            // setup
            let log = try await self.appendFive(app)
            let last = try await app.sql.raw("SELECT hash FROM audit_log WHERE id = 5").first()!.decode(column: "hash", as: String.self)
            // act: a forger appends an entry that follows the chain, hashing it with SHA-256 (without the key)
            try await app.sql.raw("""
                INSERT INTO audit_log (id, at, actor, ip, action, object_type, object_id, result, details, prev_hash, hash)
                VALUES (6, '2025-06-15T15:10:00Z', 'admin', NULL, 'user.grant', 'user', 'lisi', 'success', NULL, \(bind: last), \(bind: String(repeating: "ab", count: 32)))
                """).run()
            let forged = try await log.verify(sql: app.sql)
            // and an entry that claims another place in the chain
            try await app.sql.raw("""
                INSERT INTO audit_log (id, at, actor, ip, action, object_type, object_id, result, details, prev_hash, hash)
                VALUES (0, '2025-06-15T15:10:00Z', 'admin', NULL, 'user.grant', 'user', 'lisi', 'success', NULL, \(bind: String(repeating: "0", count: 64)), 'x')
                """).run()
            let inserted = try await log.verify(sql: app.sql)
            // check
            XCTAssertEqual(forged.problem, AuditProblem(kind: .changed, id: 6, missing: nil))
            XCTAssertEqual(forged.checked, 5)
            XCTAssertEqual(inserted.problem, AuditProblem(kind: .inserted, id: 0, missing: nil))
        }
    }

    func testAnAuditFailureFailsTheChangeItRecords() async throws {
        try await withApp { app in
            // setup
            let log = try await self.appendFive(app)
            // act: a change whose audit entry cannot be written (the table is gone inside the transaction)
            var failed = false
            do {
                try await app.db.transaction { tx in
                    let sql = tx as! any SQLDatabase
                    try await sql.insert(into: "users").columns("id", "username", "password_hash", "role", "must_change_password",
                        "password_changed_at", "failed_attempts", "disabled", "created_at", "created_by", "updated_at")
                        .values("u1", "ghost", "$2b$", "official", true, "t", 0, false, "t", "t", "t").run()
                    try await sql.raw("ALTER TABLE audit_log RENAME TO audit_log_elsewhere").run()
                    try await log.append(on: sql, AuditEntry(at: Self.t0, actor: "cli", action: .userCreate, objectType: "user", objectID: "ghost"))
                }
            } catch { failed = true }
            // check
            XCTAssertTrue(failed)
            let users = try await app.count("users")
            XCTAssertEqual(users, 0, "the change was rolled back with its audit entry")
            let verified = try await log.verify(sql: app.sql)
            XCTAssertEqual(verified.checked, 5)
        }
    }

    func testAccountActionsAreAuditedAndSearchable() async throws {
        try await withApp { app in
            // setup
            let store = try app.shegong.accounts()
            let admin = try await store.bootstrapAdministrator(now: Self.t0)!
            _ = try await store.login(username: "admin", password: "Wrong-Pass-1", ip: "10.2.2.2", now: Self.t0.addingTimeInterval(60))
            _ = try await store.login(username: "admin", password: admin.oneTimePassword, ip: "10.2.2.2", now: Self.t0.addingTimeInterval(120))
            _ = try await store.create(username: "shenji", grant: .auditAdministrator, actor: "admin", ip: "10.2.2.2", now: Self.t0.addingTimeInterval(180))
            let log = store.audit
            // act
            let all = try await log.search(sql: app.sql, AuditQuery())
            let sessions = try await log.search(sql: app.sql, AuditQuery(action: "session"))
            let byAdmin = try await log.search(sql: app.sql, AuditQuery(actor: "admin", action: "user.create"))
            let window = try await log.search(sql: app.sql, AuditQuery(since: Self.t0.addingTimeInterval(60), until: Self.t0.addingTimeInterval(121)))
            let object = try await log.search(sql: app.sql, AuditQuery(objectType: "user", objectID: "shenji"))
            let verified = try await log.verify(sql: app.sql)
            // check
            XCTAssertEqual(all.map(\.entry.action.rawValue), ["user.create", "session.login", "session.login_failure", "user.create"], "newest first")
            XCTAssertEqual(all.last?.entry.actor, "system", "the first administrator is created by the system")
            XCTAssertEqual(sessions.map(\.entry.result), [.success, .failure])
            XCTAssertEqual(byAdmin.map(\.entry.objectID), ["shenji"])
            XCTAssertEqual(byAdmin.first?.entry.ip, "10.2.2.2")
            XCTAssertEqual(window.count, 2)
            XCTAssertEqual(object.count, 1)
            XCTAssertTrue(verified.isIntact)
            XCTAssertFalse(all.contains { ($0.entry.details ?? "").contains(admin.oneTimePassword) }, "no secret in the log")
        }
    }
}

/// The operator commands, run as the built executable.
final class AccountCommandLineTests: XCTestCase {
    var shegong: URL { ShegongExecutable.url }

    func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try ShegongExecutable.run(arguments, in: dir)
    }

    func testUserTokenAndAuditCommandsAndVerifyFailingOnATamperedLog() throws {
        guard FileManager.default.isExecutableFile(atPath: shegong.path) else {
            return XCTFail("shegong executable not found at \(shegong.path); build it with `swift build`")
        }
        // setup
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // act
        let added = try run(["user", "add", "zhangsan", "--role", "official", "--region", "620900", "--access", "readwrite"], in: dir)
        let twoAdmins = try run(["user", "add", "boss", "--role", "system_administrator,audit_administrator"], in: dir)
        let token = try run(["token", "create", "zhangsan", "--label", "sync"], in: dir)
        let disabled = try run(["user", "disable", "zhangsan"], in: dir)
        let intact = try run(["audit", "verify"], in: dir)
        let search = try run(["audit", "search", "--user", "cli", "--action", "user"], in: dir)

        // check
        XCTAssertEqual(added.status, 0, added.output)
        XCTAssertTrue(added.output.contains("一次性密码"), added.output)
        let password = added.output.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertEqual(password.count, 16, added.output)
        XCTAssertNotEqual(twoAdmins.status, 0)
        XCTAssertTrue(twoAdmins.output.contains("三员分立"), twoAdmins.output)
        XCTAssertEqual(token.status, 0, token.output)
        XCTAssertTrue(token.output.contains("sgt_"), token.output)
        XCTAssertEqual(disabled.status, 0, disabled.output)
        XCTAssertEqual(intact.status, 0, intact.output)
        XCTAssertTrue(intact.output.contains("完好"), intact.output)
        XCTAssertEqual(search.status, 0, search.output)
        XCTAssertTrue(search.output.contains("user.create") && search.output.contains("user.disable"), search.output)
        XCTAssertFalse(search.output.contains(password), "the one-time password is not in the log")

        // act: tamper with entry 2 (the guards dropped first, as an attacker with database rights would)
        try sqlite(dir, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone' WHERE id = 2;")
        let tampered = try run(["audit", "verify"], in: dir)

        // check
        XCTAssertNotEqual(tampered.status, 0, tampered.output)
        XCTAssertTrue(tampered.output.contains("第 2 条"), tampered.output)
    }

    /// Edits the CLI's database outside Shegong, with the sqlite3 tool if present, else through SQLKit.
    func sqlite(_ dir: URL, _ statements: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", dir.appendingPathComponent("cli.sqlite").path, statements]
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw XCTSkip("sqlite3 is not installed") }
    }
}

/// The server's first start, as an operator sees it.
final class FirstStartTests: XCTestCase {
    func testServeCreatesTheAdministratorOnceAndPrintsItsPasswordOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-first-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        func serveBriefly() throws -> String {
            let process = Process()
            process.executableURL = ShegongExecutable.url
            process.arguments = ["serve", "--hostname", "127.0.0.1", "--port", String(Int.random(in: 20_000...40_000))]
            var environment = ProcessInfo.processInfo.environment
            environment["SHEGONG_DATABASE"] = dir.appendingPathComponent("cli.sqlite").path
            environment["SHEGONG_SECRET_KEY_FILE"] = dir.appendingPathComponent("cli.key").path
            environment["SHEGONG_LOG_LEVEL"] = "notice"   // Vapor says "Server started" at notice
            process.environment = environment
            let output = dir.appendingPathComponent("out-\(UUID().uuidString).txt")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            // Wait for the server to be up (the password, if any, is printed before it listens).
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if text.contains("Server started") { break }
                Thread.sleep(forTimeInterval: 0.2)
            }
            Thread.sleep(forTimeInterval: 0.5)
            process.terminate()
            process.waitUntilExit()
            try handle.close()
            return try String(contentsOf: output, encoding: .utf8)
        }

        let first = try serveBriefly()
        let second = try serveBriefly()

        XCTAssertTrue(first.contains("已创建系统管理员 admin"), first)
        let lines = first.split(separator: "\n").map(String.init)
        let password = lines.firstIndex { $0.contains("一次性密码") }.map { lines[$0 + 1] } ?? ""
        XCTAssertGreaterThanOrEqual(password.count, 12, "a random one-time password follows: \(first)")
        XCTAssertFalse(second.contains("一次性密码"), "printed once only: \(second)")
        XCTAssertFalse(second.contains(password), "the password never appears again")
    }
}
