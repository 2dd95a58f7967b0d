import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Starts a second Shegong on the database, key file and settings of `app` (as a second server
/// behind a balancer would be), with its own temporary folder; shuts it down after `body`.
func withSecondServer(of app: Application, environment extra: [String: String] = [:],
                      _ body: (Application, URL) async throws -> Void) async throws {
    let settings = app.shegong.settings
    let temp = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-second-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: temp) }
    var environment = ["SHEGONG_SECRET_KEY_FILE": settings.secretKeyFile, "SHEGONG_LOG_LEVEL": "warning", TempFiles.environmentKey: temp.path,
                       ShegongSettings.loginRateLimitKey: String(settings.loginRateLimit)]
    switch settings.database {
    case .sqliteFile(let path): environment[DatabaseLocation.environmentKey] = path
    case .postgres(let url): environment[DatabaseLocation.environmentKey] = url
    case .sqliteMemory: throw XCTSkip("an in-memory database has one server")
    }
    environment.merge(extra) { _, new in new }
    let second = try await Application.make(.testing)
    do {
        try await configure(second, settings: try ShegongSettings(environment: environment))
        try await body(second, temp)
    } catch {
        try await second.asyncShutdown()
        throw error
    }
    try await second.asyncShutdown()
}

/// Issue #15 §3: several servers on one database share what used to live in one process — the
/// per-address login limit and the import wizard's waiting uploads (docs/deployment.md).
final class SeveralServersTests: XCTestCase {
    func failedLogin(_ app: Application, from peer: String) async throws -> Response {
        let csrf = String(repeating: "c", count: 43)
        return try await app.send(.POST, "/login", peer: peer, headers: ["Cookie": "shegong_csrf=\(csrf)"],
                                  form: ["username": "nobody", "password": "Wrong-Pass-1", "_csrf": csrf])
    }

    func testTheLoginLimitCountsAttemptsMadeOnEveryServer() async throws {
        try await withApp(environment: [ShegongSettings.loginRateLimitKey: "3"]) { first in
            try await withSecondServer(of: first) { second, _ in
                // setup: three failed logins from one address on the first server
                for _ in 1...3 {
                    let refused = try await failedLogin(first, from: "192.0.2.40")
                    XCTAssertEqual(refused.status, .unauthorized)
                }
                // act: the fourth goes to the other server
                let fourth = try await failedLogin(second, from: "192.0.2.40")
                let otherAddress = try await failedLogin(second, from: "192.0.2.41")
                // check
                XCTAssertEqual(fourth.status, .tooManyRequests, "the second server knows the first one's attempts")
                XCTAssertNotNil(fourth.headers.first(name: .retryAfter).flatMap(Int.init))
                XCTAssertEqual(otherAddress.status, .unauthorized)
                let stored = try await first.sql.raw("SELECT address_key FROM login_attempts").all().map { try $0.decode(column: "address_key", as: String.self) }
                XCTAssertEqual(stored.count, 4)
                XCTAssertFalse(stored.contains { $0.contains("192.0.2") }, "addresses are kept as keyed hashes")
            }
        }
    }

    func testTheLoginLimitSlidesItsWindow() async throws {
        try await withApp { app in
            // setup
            let limiter = LoginRateLimiter(limit: 3, window: 60, addressKey: { "key-" + $0 })
            let t0 = Date(timeIntervalSince1970: 1_750_000_000)
            // act
            func record(_ ip: String, after seconds: Double) async throws -> LoginRateLimiter.Decision {
                let attempt = limiter.attempt(from: ip, at: t0.addingTimeInterval(seconds))
                return try await app.shegong.writeQueue.transaction(on: app.db) { tx in try await limiter.record(attempt, on: tx.sql) }
            }
            var decisions: [LoginRateLimiter.Decision] = []
            for i in 0..<4 { decisions.append(try await record("10.0.0.1", after: Double(i))) }
            let otherIP = try await record("10.0.0.2", after: 4)
            let afterFirstLeaves = try await record("10.0.0.1", after: 60)
            // check
            XCTAssertEqual(decisions, [.allowed, .allowed, .allowed, .limited(retryAfter: 57)])
            XCTAssertEqual(otherIP, .allowed)
            XCTAssertEqual(afterFirstLeaves, .allowed, "the attempt at t0 has left the window")
        }
    }

    func testAnUploadCheckedOnOneServerIsCommittedThroughTheOther() async throws {
        try await withApp { first in
            try await withSecondServer(of: first) { second, secondTemp in
                // setup: a clerk checks a file through the first server
                let browser = try await BrowserSession.signIn(first, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                              username: "suzhou-clerk")
                let upload = try await browser.upload("/import", fileName: "census.csv", file: Data(CensusRow.csv([CensusRow()]).utf8))
                let path = try XCTUnwrap(upload.headers.first(name: .location))
                let checked = try await RegistryPageTests.statusPage(browser, path)
                XCTAssertTrue(checked.contains(#"id="import-commit""#), checked)
                let parts = try await first.count("import_upload_parts")
                XCTAssertEqual(parts, 1, "the waiting file is in the database")
                let sealed = try await first.sql.raw("SELECT content FROM import_upload_parts").first()!.decode(column: "content", as: Data.self)
                XCTAssertNil(sealed.range(of: Data(CensusRow().id.utf8)), "the stored file is encrypted")
                // act: the same browser, now sent to the second server, sees it and commits it
                let elsewhere = BrowserSession(second)
                elsewhere.cookies = browser.cookies
                let seen = try await elsewhere.get(path)
                XCTAssertEqual(seen.status, .ok)
                XCTAssertTrue(seen.body.string.contains(#"id="import-commit""#), seen.body.string)
                let commit = try await elsewhere.post(path + "/commit", form: [:])
                XCTAssertEqual(commit.status, .seeOther, commit.body.string)
                let done = try await RegistryPageTests.statusPage(elsewhere, path)
                // check
                XCTAssertTrue(done.contains("导入完成，共保存 1 人"), done)
                let people = try await second.count("people")
                XCTAssertEqual(people, 1)
                let left = try await second.count("import_upload_parts")
                XCTAssertEqual(left, 0, "a committed file is deleted from the database")
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: secondTemp.path), [], "the second server's copy is gone")
                // A second commit (a double click, or the first server asked) starts nothing.
                let again = try await browser.post(path + "/commit", form: [:])
                XCTAssertEqual(again.status, .seeOther)
                let stillOne = try await first.count("people")
                XCTAssertEqual(stillOne, 1)
            }
        }
    }

    func testAWaitingUploadSurvivesARestart() async throws {
        try await withApp { first in
            // setup: checked on a server that then stops (its copy of the file goes with it)
            let browser = try await BrowserSession.signIn(first, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                          username: "suzhou-clerk")
            let upload = try await browser.upload("/import", fileName: "census.csv", file: Data(CensusRow.csv([CensusRow()]).utf8))
            let path = try XCTUnwrap(upload.headers.first(name: .location))
            _ = try await RegistryPageTests.statusPage(browser, path)
            try FileManager.default.removeItem(atPath: first.shegong.settings.tempDirectory)
            // act: the restarted server (a new process with a fresh temporary folder) commits it
            try await withSecondServer(of: first) { restarted, _ in
                let after = BrowserSession(restarted)
                after.cookies = browser.cookies
                _ = try await after.get(path)
                let commit = try await after.post(path + "/commit", form: [:])
                XCTAssertEqual(commit.status, .seeOther)
                _ = try await RegistryPageTests.statusPage(after, path)
                // check
                let people = try await restarted.count("people")
                XCTAssertEqual(people, 1)
            }
        }
    }
}
