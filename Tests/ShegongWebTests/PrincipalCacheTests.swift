import Foundation
import SQLKit
import ShegongDomain
@testable import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

extension TestClock {
    func advance(seconds: Double) { advance(minutes: seconds / 60) }
    /// To just past the next whole second (stored times have whole seconds, truncated).
    func advanceToWholeSecond() {
        let t = now.timeIntervalSince1970
        advance(seconds: t.rounded(.up) - t + 0.01)
    }
}

/// Issue #15 item 2: each server keeps the principals of the last second, and a change to an
/// account reaches the server it was made through on its next request and every other server
/// within the generation's lease, a fifth of a second (docs/security.md, "Principal cache"). Two
/// servers over one database, both on a clock the test moves by hand.
final class PrincipalCacheTests: XCTestCase {
    static let suzhou = "620902", jinta = "620921"

    /// Two servers on one database and one hand-moved clock.
    func withTwoServers(_ body: (Application, Application, TestClock) async throws -> Void) async throws {
        try await withApp { first in
            try await first.loadDemoGeography()
            try await withSecondServer(of: first) { second, _ in
                let clock = TestClock()
                first.shegong.clock = { clock.now }
                second.shegong.clock = { clock.now }
                try await body(first, second, clock)
            }
        }
    }

    /// A county official signed in on `first` (a browser session) who also holds an API token.
    func clerk(_ first: Application, username: String = "suzhou-clerk") async throws -> (browser: BrowserSession, token: CreatedAPIToken) {
        let browser = try await BrowserSession.signIn(first, grant: .official(region: try RegionCode.parse(Self.suzhou).get(), access: .readWrite),
                                                      username: username)
        let token = try await first.shegong.accounts().createToken(username: username, name: "reports", actor: "test")
        return (browser, token)
    }

    /// The census statistics of the caller's region, by bearer token.
    func statistics(_ app: Application, token: String) async throws -> (status: HTTPStatus, body: String) {
        var result: (HTTPStatus, String)?
        try await app.api(.GET, "/api/v1/stats/census", token: token) { result = ($0.status, $0.body.string) }
        return result!
    }

    /// The same by the browser's session cookie, sent to `app`.
    func statistics(_ app: Application, cookies: [String: String]) async throws -> (status: HTTPStatus, body: String) {
        let browser = BrowserSession(app)
        browser.cookies = cookies
        let response = try await browser.get("/api/v1/stats/census")
        return (response.status, response.body.string)
    }

    func testDisablingAnAccountStopsItsTokenAndSessionAtOnceHereAndWithinTheLeaseOnTheOtherServer() async throws {
        try await withTwoServers { first, second, clock in
            // setup: the second server has answered the clerk's token and session (and keeps both)
            let (browser, token) = try await clerk(first)
            let byToken = try await statistics(second, token: token.secret)
            let bySession = try await statistics(second, cookies: browser.cookies)
            XCTAssertEqual(byToken.status, .ok, byToken.body)
            XCTAssertEqual(bySession.status, .ok, bySession.body)
            XCTAssertEqual(second.shegong.principalCache?.count, 2, "both principals are kept on the second server")
            let onFirst = try await statistics(first, token: token.secret)
            XCTAssertEqual(onFirst.status, .ok, "kept on the first server too")
            // act: the system administrator's change goes through the first server
            try await first.shegong.accounts().disable(username: "suzhou-clerk", actor: "sysadmin")
            let firstAtOnce = try await statistics(first, token: token.secret)
            clock.advance(seconds: PrincipalCache.generationLease)
            let tokenAfter = try await statistics(second, token: token.secret)
            let sessionAfter = try await statistics(second, cookies: browser.cookies)
            // check: at once on the server that made the change; on the other, once its lease of the
            // generation (read at most every fifth of a second, not on every request) has run out
            XCTAssertEqual(firstAtOnce.status, .unauthorized, firstAtOnce.body)
            XCTAssertEqual(tokenAfter.status, .unauthorized, tokenAfter.body)
            XCTAssertEqual(sessionAfter.status, .unauthorized, sessionAfter.body)
        }
    }

    func testRevokingATokenOnOneServerStopsItOnTheOtherWithinTheLease() async throws {
        try await withTwoServers { first, second, clock in
            // setup
            let (_, token) = try await clerk(first)
            let before = try await statistics(second, token: token.secret)
            let onFirst = try await statistics(first, token: token.secret)
            XCTAssertEqual(before.status, .ok, before.body)
            XCTAssertEqual(onFirst.status, .ok, onFirst.body)
            // act
            try await first.shegong.accounts().revokeToken(id: token.token.id, owner: "suzhou-clerk", actor: "suzhou-clerk")
            let firstAtOnce = try await statistics(first, token: token.secret)
            clock.advance(seconds: PrincipalCache.generationLease)
            // check
            let after = try await statistics(second, token: token.secret)
            XCTAssertEqual(firstAtOnce.status, .unauthorized, "at once on the server that revoked it")
            XCTAssertEqual(after.status, .unauthorized, after.body)
        }
    }

    func testAGrantChangedOnOneServerMovesTheRegionOnTheOtherWithinTheLease() async throws {
        try await withTwoServers { first, second, clock in
            // setup: the clerk's figures are 肃州区's on the second server
            let (browser, token) = try await clerk(first)
            let before = try await statistics(second, token: token.secret)
            let sessionBefore = try await statistics(second, cookies: browser.cookies)
            let onFirst = try await statistics(first, token: token.secret)
            XCTAssertTrue(onFirst.body.contains(#""code":"\#(Self.suzhou)""#), onFirst.body)
            XCTAssertTrue(before.body.contains(#""code":"\#(Self.suzhou)""#), before.body)
            XCTAssertTrue(sessionBefore.body.contains(#""code":"\#(Self.suzhou)""#), sessionBefore.body)
            // act: the security administrator moves the clerk to 金塔县
            try await first.shegong.accounts().setGrant(username: "suzhou-clerk",
                                                        grant: .official(region: try RegionCode.parse(Self.jinta).get(), access: .readWrite),
                                                        actor: "secadmin")
            let firstAtOnce = try await statistics(first, token: token.secret)
            clock.advance(seconds: PrincipalCache.generationLease)
            // check: the next answer is 金塔县's, by token and by session, at once on the first server
            XCTAssertTrue(firstAtOnce.body.contains(#""code":"\#(Self.jinta)""#), firstAtOnce.body)
            let after = try await statistics(second, token: token.secret)
            let sessionAfter = try await statistics(second, cookies: browser.cookies)
            XCTAssertEqual(after.status, .ok, after.body)
            XCTAssertTrue(after.body.contains(#""code":"\#(Self.jinta)""#), after.body)
            XCTAssertFalse(after.body.contains(#""code":"\#(Self.suzhou)""#), after.body)
            XCTAssertTrue(sessionAfter.body.contains(#""code":"\#(Self.jinta)""#), sessionAfter.body)
        }
    }

    func testAPasswordChangedOnOneServerEndsTheSessionOnTheOtherWithinTheLease() async throws {
        try await withTwoServers { first, second, clock in
            // setup
            let (browser, token) = try await clerk(first)
            let before = try await statistics(second, cookies: browser.cookies)
            let onFirst = try await statistics(first, cookies: browser.cookies)
            XCTAssertEqual(before.status, .ok, before.body)
            XCTAssertEqual(onFirst.status, .ok, onFirst.body)
            // act: the clerk changes the password on the first server (from another device)
            let accounts = try first.shegong.accounts()
            let id = try await XCTUnwrapAsync(await accounts.account(username: "suzhou-clerk")).id
            _ = try await accounts.changePassword(userID: id, current: browser.password, new: "Xk9!" + UUID().uuidString.prefix(10))
            let firstAtOnce = try await statistics(first, cookies: browser.cookies)
            clock.advance(seconds: PrincipalCache.generationLease)
            // check: the old session is refused on the second server; the token (for programs) does not depend on the password
            XCTAssertEqual(firstAtOnce.status, .unauthorized, "at once on the server it was changed through")
            let after = try await statistics(second, cookies: browser.cookies)
            XCTAssertEqual(after.status, .unauthorized, after.body)
            let byToken = try await statistics(second, token: token.secret)
            XCTAssertEqual(byToken.status, .ok, byToken.body)
        }
    }

    func testALogoutOnOneServerEndsTheSessionOnTheOtherWithinTheLease() async throws {
        try await withTwoServers { first, second, clock in
            // setup
            let (browser, _) = try await clerk(first)
            let cookies = browser.cookies
            let before = try await statistics(second, cookies: cookies)
            let onFirst = try await statistics(first, cookies: cookies)
            XCTAssertEqual(before.status, .ok, before.body)
            XCTAssertEqual(onFirst.status, .ok, onFirst.body)
            // act
            let out = try await browser.post("/logout", form: [:])
            XCTAssertEqual(out.status, .seeOther, out.body.string)
            let firstAtOnce = try await statistics(first, cookies: cookies)
            clock.advance(seconds: PrincipalCache.generationLease)
            // check
            XCTAssertEqual(firstAtOnce.status, .unauthorized, "at once on the server that ended it")
            let after = try await statistics(second, cookies: cookies)
            XCTAssertEqual(after.status, .unauthorized, after.body)
        }
    }

    /// A department operator's figures of `json`, entered for 酒泉市 by bearer token on `app`.
    func enter(_ app: Application, token: String, _ json: [String: Any]) async throws -> HTTPStatus {
        var status: HTTPStatus?
        try await app.api(.PUT, "/api/v1/statistics?region=620900&year=2025", token: token, beforeRequest: { req in
            req.headers.contentType = .json
            req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }) { status = $0.status }
        return try XCTUnwrap(status)
    }

    func testRenamingAnOperatorsDepartmentChangesTheirFieldAtOnceHereAndWithinTheLeaseOnTheOtherServer() async throws {
        try await withTwoServers { first, second, clock in
            // setup: an operator of 酒泉市民政局 has entered civil-affairs figures through both servers
            // (each keeps the principal); the city's official is signed in on the first
            let city = try RegionCode.parse("620900").get()
            let official = try await BrowserSession.signIn(first, grant: .official(region: city, access: .readWrite), username: "jq.rw")
            let token = try await first.token(.departmentOperator(department: "酒泉市民政局", region: city), username: "jq.mz")
            let departments = try await DepartmentStore(sql: first.sql).list(inside: city)
            let department = try XCTUnwrap(departments.first { $0.name == "酒泉市民政局" })
            let beds: [String: Any] = ["values": ["elderly_care_beds": 120]]
            let onFirst = try await enter(first, token: token, beds)
            let onSecond = try await enter(second, token: token, beds)
            XCTAssertEqual(onFirst, .ok)
            XCTAssertEqual(onSecond, .ok)
            // act: the official renames the department 酒泉市教育局 through the first server
            let renamed = try await official.send(.POST, "/departments/\(department.id)/rename", form: ["name": "酒泉市教育局"])
            XCTAssertEqual(renamed.status, .ok)
            let firstAtOnce = try await enter(first, token: token, beds)
            clock.advance(seconds: PrincipalCache.generationLease)
            let secondAfter = try await enter(second, token: token, beds)
            let schools = try await enter(second, token: token, ["values": ["schools": 40]])
            // check: the name decides the field, so the civil-affairs figures are refused at once on
            // the first server and after the lease on the second; the education figures are theirs now
            XCTAssertEqual(firstAtOnce, .forbidden)
            XCTAssertEqual(secondAfter, .forbidden)
            XCTAssertEqual(schools, .ok)
        }
    }

    func testACachedSessionNeverOutlivesItsIdleEnd() async throws {
        try await withTwoServers { first, second, clock in
            // setup: sessions idle 30 minutes; the second server touches them only hourly, so the
            // session's end stays where the login put it
            let (browser, _) = try await clerk(first)
            var settings = try second.shegong.accountSettings()
            settings.sessionTouchInterval = 3_600
            second.shegong.setAccountSettings(settings)
            clock.advanceToWholeSecond()
            let login = try await first.shegong.accounts().login(username: "suzhou-clerk", password: browser.password, now: clock.now)
            guard case .success(let session) = login else { return XCTFail("\(login)") }
            let cookies = ["shegong_session": session.token]
            // act: half a second before the idle end the session answers and is kept …
            clock.advance(seconds: settings.sessionIdleTimeout - 0.5)
            let last = try await statistics(second, cookies: cookies)
            XCTAssertEqual(last.status, .ok, last.body)
            XCTAssertEqual(second.shegong.principalCache?.count, 1)
            // … and 0.7 s later, within the cache's second, it has ended
            clock.advance(seconds: 0.7)
            let ended = try await statistics(second, cookies: cookies)
            // check
            XCTAssertEqual(ended.status, .unauthorized, ended.body)
        }
    }

    func testAChangeMadeBehindTheStoresBackIsSeenWithinOneSecond() async throws {
        try await withTwoServers { first, second, clock in
            // setup
            let (_, token) = try await clerk(first)
            let before = try await statistics(second, token: token.secret)
            XCTAssertEqual(before.status, .ok, before.body)
            // act: an operator disables the account with SQL, which raises no generation
            try await first.sql.raw("UPDATE users SET disabled = \(bind: true) WHERE username = 'suzhou-clerk'").run()
            let sameInstant = try await statistics(second, token: token.secret)
            clock.advance(seconds: PrincipalCache.maximumTimeToLive)
            let aSecondLater = try await statistics(second, token: token.secret)
            // check: the kept principal serves at most one second, then the account is read again
            XCTAssertEqual(sameInstant.status, .ok, "kept on the second server: nothing told it")
            XCTAssertEqual(aSecondLater.status, .unauthorized, aSecondLater.body)
        }
    }

    func testAReadOfTheGenerationFromBeforeAChangeHereCommittedIsNotLeased() {
        // setup: a server leased generation 5 (its monotonic clock stands still)
        let cache = PrincipalCache(uptime: { 1_000 })
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        cache.leaseGeneration(5, now: t0)
        XCTAssertEqual(cache.leasedGeneration(now: t0), 5)
        // act: a change made here raises it to 6 and has not committed; a request reads 5 meanwhile
        cache.changed(raisingTo: 6)
        cache.leaseGeneration(5, now: t0)
        // check: every request reads the number until it shows the change
        XCTAssertNil(cache.leasedGeneration(now: t0), "the read from before the commit must not stand for a fifth of a second")
        cache.leaseGeneration(6, now: t0)
        XCTAssertEqual(cache.leasedGeneration(now: t0), 6)
    }

    func testALeaseEndsAfterAFifthOfASecondAndNeverGoesBackWithinIt() {
        // setup
        let cache = PrincipalCache(uptime: { 1_000 })
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        cache.leaseGeneration(6, now: t0)
        // act: a request that read 5 before the 6 committed answers after the one that read 6
        cache.leaseGeneration(5, now: t0.addingTimeInterval(0.01))
        // check
        XCTAssertEqual(cache.leasedGeneration(now: t0.addingTimeInterval(0.1)), 6)
        XCTAssertNil(cache.leasedGeneration(now: t0.addingTimeInterval(PrincipalCache.generationLease)), "read again after the lease")
        XCTAssertNil(cache.leasedGeneration(now: t0.addingTimeInterval(-1)), "a clock set back reads again")
        cache.leaseGeneration(4, now: t0.addingTimeInterval(1))   // a database restored from a backup
        XCTAssertEqual(cache.leasedGeneration(now: t0.addingTimeInterval(1.1)), 4)
    }

    func testAWallClockSetBackCannotStretchALease() {
        // setup: the lease is read at t0; the monotonic clock is what really passes
        let uptime = SettableUptime()
        let cache = PrincipalCache(uptime: { uptime.value })
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        cache.leaseGeneration(6, now: t0)
        // act: 0.15 s later the wall clock is set back by 0.1 s, and 0.1 s passes again
        uptime.value = 250_000_000
        // check: by the wall clock only 0.15 s have passed, but the lease has run out
        XCTAssertNil(cache.leasedGeneration(now: t0.addingTimeInterval(0.15)))
    }

    func testEveryChangeToWhoACredentialStandsForRaisesTheGeneration() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let (browser, token) = try await clerk(app)
            let accounts = try app.shegong.accounts()
            let id = try await XCTUnwrapAsync(await accounts.account(username: "suzhou-clerk")).id
            func raises(_ what: String, _ change: () async throws -> Void) async throws {
                let before = try await AuthGeneration.current(on: app.sql)
                try await change()
                let after = try await AuthGeneration.current(on: app.sql)
                XCTAssertGreaterThan(after, before, what)
            }
            // act + check
            try await raises("grant") {
                try await accounts.setGrant(username: "suzhou-clerk", grant: .official(region: try RegionCode.parse(Self.jinta).get(), access: .read),
                                            actor: "secadmin")
            }
            try await raises("token revoked") { try await accounts.revokeToken(id: token.token.id, actor: "test") }
            var password = browser.password
            try await raises("password change") {
                let new = "Xk9!" + UUID().uuidString.prefix(10)
                _ = try await accounts.changePassword(userID: id, current: password, new: new)
                password = new
            }
            try await raises("password reset") { _ = try await accounts.resetPassword(username: "suzhou-clerk", actor: "sysadmin") }
            try await raises("TOTP removed") { try await accounts.disableTOTP(username: "suzhou-clerk", actor: "sysadmin") }
            try await raises("disable") { try await accounts.disable(username: "suzhou-clerk", actor: "sysadmin") }
            try await raises("enable") { try await accounts.enable(username: "suzhou-clerk", actor: "sysadmin") }
            // A login starts a session no server has kept: nothing to tell the others.
            let before = try await AuthGeneration.current(on: app.sql)
            _ = try await accounts.login(username: "suzhou-clerk", password: "not the password")
            let after = try await AuthGeneration.current(on: app.sql)
            XCTAssertEqual(after, before, "a failed login changes no principal")
        }
    }
}

/// A monotonic clock a test sets by hand (nanoseconds).
final class SettableUptime: @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: UInt64 = 0
    var value: UInt64 {
        get { lock.withLock { nanoseconds } }
        set { lock.withLock { nanoseconds = newValue } }
    }
}

/// `XCTUnwrap` for an optional computed with `await`.
func XCTUnwrapAsync<T>(_ value: @autoclosure () async throws -> T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    let result = try await value()
    return try XCTUnwrap(result, file: file, line: line)
}
