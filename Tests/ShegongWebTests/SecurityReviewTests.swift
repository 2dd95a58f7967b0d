import Foundation
import NIOCore
import SQLKit
import ShegongDomain
@testable import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #10 (security review), the web and account items: each test fails on the code before
/// the fix and states what a user or an attacker would see.
extension Application {
    /// A request as it arrives from `peer` (the in-memory tester has no peer address).
    func send(_ method: HTTPMethod, _ path: String, peer: String, headers: HTTPHeaders = [:], form: [String: String]? = nil) async throws -> Response {
        var headers = headers
        var body: ByteBuffer?
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: form.map { "\(BrowserSession.encode($0.key))=\(BrowserSession.encode($0.value))" }.joined(separator: "&"))
            headers.replaceOrAdd(name: .contentLength, value: String(body!.readableBytes))
        }
        let request = Request(application: self, method: method, url: URI(string: path), headers: headers, collectedBody: body,
                              remoteAddress: try SocketAddress(ipAddress: peer, port: 40_000), logger: logger, on: eventLoopGroup.next())
        return try await responder.respond(to: request).get()
    }

    /// Audit rows of `action`, oldest first: (actor, ip, result, details).
    func auditRows(_ action: String) async throws -> [(actor: String, ip: String?, result: String, details: String?)] {
        try await sql.select().columns("actor", "ip", "result", "details").from("audit_log").where("action", .equal, action).orderBy("id").all().map {
            (try $0.decode(column: "actor"), try $0.decode(column: "ip", as: String?.self), try $0.decode(column: "result"),
             try $0.decode(column: "details", as: String?.self))
        }
    }
}

// MARK: item 1 — one redirect-target check

final class SecurityReviewRedirectTests: XCTestCase {
    func testTheRedirectTargetStaysOnTheSite() {
        let kept = ["/", "/people?name=%E5%BC%A0", "/people?name=%E5%BC%A0%20%E4%B8%89", "/plans/P1?reported=M1#m-M1", "/login?next=%2Fpeople"]
        for target in kept { XCTAssertEqual(RedirectTarget.onSite(target), target) }
        XCTAssertEqual(RedirectTarget.onSite("/people?name=张"), "/people?name=%E5%BC%A0", "non-ASCII is percent-encoded")
        let refused = ["//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "/\r\nSet-Cookie: x=1",
                       "/%0D%0ASet-Cookie:%20x=1", "/%09/evil.example", "/%2F/evil.example", "/%5Cevil.example", "/%250D%250A", "/\u{85}x",
                       "/\u{7F}", "/%C2%85", "/%E2%80%A8", "/%ff", "/\u{200B}x", "evil.example", "", "javascript:alert(1)", "/ x"]
        for target in refused { XCTAssertEqual(RedirectTarget.onSite(target), "/", target.debugDescription) }
        XCTAssertEqual(RedirectTarget.onSite(nil), "/")
    }

    func testTheLanguageSwitchInjectsNoHeaderAndStaysOnTheSite() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            let injected = try await browser.send(.GET, "/lang?to=en&back=%2F%0D%0ASet-Cookie:%20x=1")
            XCTAssertEqual(injected.status, .seeOther)
            XCTAssertEqual(injected.headers.first(name: .location), "/")
            XCTAssertFalse(injected.headers[.setCookie].contains { $0.contains("x=1") }, "\(injected.headers)")
            let tab = try await browser.send(.GET, "/lang?to=en&back=%2F%09%2Fevil.example")
            XCTAssertEqual(tab.headers.first(name: .location), "/")
            let fine = try await browser.send(.GET, "/lang?to=en&back=%2Fpeople")
            XCTAssertEqual(fine.headers.first(name: .location), "/people")
        }
    }

    func testLoginNextAndLogoutRedirectOnlyOnTheSite() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.read), username: "next.check")
            for next in ["%2F%0D%0ASet-Cookie:%20x=1", "%2F%09%2Fevil.example", "%2F%5Cevil.example"] {
                let response = try await browser.send(.GET, "/login?next=\(next)")
                XCTAssertEqual(response.headers.first(name: .location), "/", next)
                XCTAssertFalse(response.headers[.setCookie].contains { $0.contains("x=1") })
            }
            let kept = try await browser.send(.GET, "/login?next=%2Fpeople")
            XCTAssertEqual(kept.headers.first(name: .location), "/people")
            // The login form carries `next` only after the same check.
            let anonymous = BrowserSession(app)
            let form = try await anonymous.send(.GET, "/login?next=%2F%09%2Fevil.example")
            XCTAssertTrue(form.body.string.contains(#"name="next" value="/""#))
            let out = try await browser.send(.POST, "/logout?next=%2F%0D%0ASet-Cookie:%20x=1", form: [:])
            XCTAssertEqual(out.headers.first(name: .location), "/login")
            XCTAssertFalse(out.headers[.setCookie].contains { $0.contains("x=1") })
        }
    }
}

// MARK: item 2 — one escaper on Unicode scalars

final class SecurityReviewEscapingTests: XCTestCase {
    static let payload = "x\"\u{301} autofocus onfocus=alert(7) y=\""

    func assertInert(_ html: String, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        let scalars = Array(html.unicodeScalars)
        XCTAssertFalse(zip(scalars, scalars.dropFirst()).contains { $0 == "\"" && $1 == "\u{301}" },
                       "raw quote + U+0301 in \(context)", file: file, line: line)
        XCTAssertTrue(html.contains("&quot;\u{301} autofocus"), "escaped payload in \(context)", file: file, line: line)
    }

    func testHTMLAndChartsEscapeTheSameScalarByScalar() {
        let escaped = Node.text(Self.payload).render()
        XCTAssertEqual(escaped, "x&quot;\u{301} autofocus onfocus=alert(7) y=&quot;")
        XCTAssertEqual(ChartText.escape(Self.payload), escaped)
        XCTAssertEqual(Node.text("a\nb\u{0}<'>&").render(), "a\nb&lt;&#39;&gt;&amp;")
        XCTAssertEqual(ChartText.escape("a\nb"), "a b")
    }

    func testTheCombiningMarkPayloadIsInertInSearchPersonAndOrganisationForms() async throws {
        try await withApp { app in
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                               username: "escape.clerk")
            // In the search box (the query string).
            let search = try await browser.get("/people?name=" + BrowserSession.encode(Self.payload))
            XCTAssertEqual(search.status, .ok)
            assertInert(search.body.string, "people search")

            // A stored person name, shown in the person's edit form.
            try await app.sql.update("people").set("name", to: Self.payload).run()
            let id = try await app.sql.select().column("id").from("people").first()!.decode(column: "id", as: String.self)
            let edit = try await browser.get("/people/\(id)/edit")
            XCTAssertEqual(edit.status, .ok)
            assertInert(edit.body.string, "person edit form")

            // An organisation name, in its edit form.
            let created = try await browser.post("/organizations", form: ["name": Self.payload, "kind": "养老机构", "regionCode": CensusRow.county])
            XCTAssertEqual(created.status, .seeOther, created.body.string)
            let location = try XCTUnwrap(created.headers.first(name: .location))
            let organisation = try await browser.get(location + "/edit")
            XCTAssertEqual(organisation.status, .ok)
            assertInert(organisation.body.string, "organisation edit form")
        }
    }
}

// MARK: item 5 — the separation of the three administrators

final class SecurityReviewAdministratorTests: XCTestCase {
    func testTheSystemAdministratorNeitherResetsAnAdministratorNorSeesABusinessPassword() async throws {
        try await withApp { app in
            let system = BrowserSession(app)
            try await system.signIn(as: .systemAdministrator, username: "sys.admin")
            let auditor = try await app.shegong.accounts().create(username: "aud.admin", grant: .auditAdministrator, actor: "test")
            let hashBefore = try await app.sql.select().column("password_hash").from("users").where("username", .equal, "aud.admin").first()!
                .decode(column: "password_hash", as: String.self)
            try await system.send(.GET, "/admin/users")
            for action in ["reset-password", "disable", "reset-totp"] {
                let refused = try await system.send(.POST, "/admin/users/aud.admin/\(action)", form: [:])
                XCTAssertEqual(refused.status, .forbidden, action)
                XCTAssertFalse(refused.body.string.contains(#"id="one-time-password""#))
            }
            let hashAfter = try await app.sql.select().column("password_hash").from("users").where("username", .equal, "aud.admin").first()!
                .decode(column: "password_hash", as: String.self)
            XCTAssertEqual(hashBefore, hashAfter)
            let login = try await BrowserSession(app).login("aud.admin", auditor.oneTimePassword)
            XCTAssertEqual(login.status, .seeOther, "the audit administrator's own password still works")
            let denied = try await app.auditRows("user.password_reset").filter { $0.result == "denied" }
            XCTAssertEqual(denied.count, 1)

            // A national read-write official: created without a password the system administrator sees.
            let created = try await system.send(.POST, "/admin/users", form: ["username": "national.rw", "role": "official", "region": "000000", "access": "readwrite"])
            XCTAssertEqual(created.status, .ok, created.body.string)
            XCTAssertFalse(created.body.string.contains(#"id="one-time-password""#))
            let account = try await app.shegong.accounts().account(username: "national.rw")
            XCTAssertEqual(account?.awaitingPassword, true)
            // Resetting a business account's password shows nothing either.
            let issued = try await BrowserSession(app).login("national.rw", "")
            XCTAssertEqual(issued.status, .unauthorized)
            let reset = try await system.send(.POST, "/admin/users/national.rw/reset-password", form: [:])
            XCTAssertEqual(reset.status, .ok)
            XCTAssertFalse(reset.body.string.contains(#"id="one-time-password""#))
            // The store refuses an administrator role asked for by a system administrator, whatever the page does.
            let store = try app.shegong.accounts()
            do {
                _ = try await store.request(username: "sneaky", grant: .auditAdministrator, by: AccountAdministrator(username: "sys.admin", role: .systemAdministrator))
                XCTFail("an administrator role was created")
            } catch let error as AccountDenied {
                XCTAssertEqual(error.code, "account.denied.administrator_role")
            }
        }
    }

    func testTheSecurityAdministratorGrantsNoAdministratorAndNotThemselvesAndIssuesThePassword() async throws {
        try await withApp { app in
            let security = BrowserSession(app)
            try await security.signIn(as: .securityAdministrator, username: "sec.admin")
            _ = try await app.shegong.accounts().create(username: "sys.admin", grant: .systemAdministrator, actor: "test")
            try await security.send(.GET, "/admin/users")
            let national = ["role": "official", "region": "000000", "access": "readwrite"]
            let own = try await security.send(.POST, "/admin/users/sec.admin/grant", form: national)
            XCTAssertEqual(own.status, .forbidden)
            let other = try await security.send(.POST, "/admin/users/sys.admin/grant", form: national)
            XCTAssertEqual(other.status, .forbidden)
            let stillAdmin = try await app.shegong.accounts().account(username: "sec.admin")?.grant
            XCTAssertEqual(stillAdmin, .securityAdministrator)
            let awaited1 = try await app.auditRows("user.grant").filter { $0.result == "denied" }.count
            XCTAssertEqual(awaited1, 2)

            // A business account the system administrator asked for: the grant issues its password, to the granter only.
            let store = try app.shegong.accounts()
            _ = try await store.request(username: "chen.county", grant: .official(region: try RegionCode.parse("620902").get(), access: .read),
                                        by: AccountAdministrator(username: "sys.admin", role: .systemAdministrator))
            let toAdmin = try await security.send(.POST, "/admin/users/chen.county/grant", form: ["role": "audit_administrator"])
            XCTAssertNotEqual(toAdmin.status, .ok)
            try await security.send(.GET, "/admin/users/chen.county/grant")
            let granted = try await security.send(.POST, "/admin/users/chen.county/grant", form: ["role": "official", "region": "620902", "access": "readwrite"])
            XCTAssertEqual(granted.status, .ok)
            let html = granted.body.string
            guard let start = html.range(of: #"id="one-time-password">"#), let end = html[start.upperBound...].range(of: "</code>") else {
                return XCTFail("no one-time password issued")
            }
            let password = String(html[start.upperBound..<end.lowerBound])
            let first = try await BrowserSession(app).login("chen.county", password)
            XCTAssertEqual(first.headers.first(name: .location), "/account/password")
            // A second grant issues nothing: the password is no administrator's business any more.
            try await security.send(.GET, "/admin/users/chen.county/grant")
            let again = try await security.send(.POST, "/admin/users/chen.county/grant", form: ["role": "official", "region": "620902", "access": "read"])
            XCTAssertFalse(again.body.string.contains(#"id="one-time-password""#))
        }
    }

    func testAdministratorsHoldNoTokensAndPagesIgnoreBearerTokens() async throws {
        try await withApp { app in
            let store = try app.shegong.accounts()
            _ = try await store.create(username: "aud.admin", grant: .auditAdministrator, actor: "test")
            do {
                _ = try await store.createToken(username: "aud.admin", name: "script", actor: "cli")
                XCTFail("an administrator got a token")
            } catch let error as StoreError {
                XCTAssertEqual(error.code, "token.owner_administrator")
            }
            // A token made before the rule (written straight into the table) opens nothing and is audited.
            let admin = try await store.account(username: "aud.admin")!
            let secret = "sgt_" + String(repeating: "a", count: 43)
            try await app.sql.insert(into: "api_tokens").columns("id", "token_hash", "name", "user_id", "created_at", "created_by")
                .values("old-token", Secret.digest(secret), "old", admin.id, "2026-01-01T00:00:00Z", "cli").run()
            let page = try await app.send(.GET, "/admin/audit", peer: "192.0.2.7", headers: ["Authorization": "Bearer \(secret)"])
            XCTAssertEqual(page.status, .seeOther, "a page wants a session")
            let api = try await app.send(.GET, "/api/v1/stats/census", peer: "192.0.2.7", headers: ["Authorization": "Bearer \(secret)"])
            XCTAssertEqual(api.status, .unauthorized)
            let invalid = try await app.auditRows("security.token_invalid")
            XCTAssertEqual(invalid.last?.ip, "192.0.2.7")
            XCTAssertEqual(invalid.last?.actor, "aud.admin")

            // A business user's valid token reads the API but opens no page.
            let token = try await app.officialToken()
            let people = try await app.send(.GET, "/people", peer: "192.0.2.8", headers: ["Authorization": "Bearer \(token)"])
            XCTAssertEqual(people.status, .seeOther)
            XCTAssertTrue(people.headers.first(name: .location)?.hasPrefix("/login") ?? false)
            let census = try await app.send(.GET, "/api/v1/stats/census", peer: "192.0.2.8", headers: ["Authorization": "Bearer \(token)"])
            XCTAssertEqual(census.status, .ok)
        }
    }

    func testRebindingTOTPNeedsThePasswordAndACurrentCode() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            let password = try await browser.signIn(as: .nationalOfficial(.read), username: "totp.user")
            let first = ShegongStore.TOTP.generate()
            let userID = try await app.shegong.accounts().account(username: "totp.user")!.id
            let t0 = Date().addingTimeInterval(-120)
            try await app.shegong.accounts().enableTOTP(userID: userID, secret: first, code: first.code(at: t0), now: t0)
            let sealedBefore = try await app.sql.select().column("totp_secret").from("users").where("id", .equal, userID).first()!
                .decode(column: "totp_secret", as: String.self)

            let attacker = ShegongStore.TOTP.generate()
            try await browser.send(.GET, "/account/totp")
            let sessionOnly = try await browser.send(.POST, "/account/totp", form: ["secret": attacker.base32, "code": attacker.code(at: Date())])
            XCTAssertEqual(sessionOnly.status, .unprocessableEntity)
            let noCode = try await browser.send(.POST, "/account/totp", form: ["secret": attacker.base32, "code": attacker.code(at: Date()),
                                                                           "currentPassword": password])
            XCTAssertEqual(noCode.status, .unprocessableEntity)
            let sealedAfter = try await app.sql.select().column("totp_secret").from("users").where("id", .equal, userID).first()!
                .decode(column: "totp_secret", as: String.self)
            XCTAssertEqual(sealedBefore, sealedAfter, "the second factor did not move")
            let awaited2 = try await app.auditRows("user.totp_enable").filter { $0.result == "failure" }.count
            XCTAssertEqual(awaited2, 2)

            let moved = try await browser.send(.POST, "/account/totp", form: ["secret": attacker.base32, "code": attacker.code(at: Date()),
                                                                          "currentPassword": password, "currentCode": first.code(at: Date())])
            XCTAssertEqual(moved.status, .ok, "with both, the owner moves it")
        }
    }
}

// MARK: item 6 — every failed login the same shape

/// Counts verifications; hashes with bcrypt at cost 4.
final class CountingHasher: PasswordHashing, @unchecked Sendable {
    let inner = BcryptPasswordHashing(cost: 4)
    private let lock = NSLock()
    private var count = 0
    var verifications: Int { lock.withLock { count } }
    func reset() { lock.withLock { count = 0 } }
    func hash(_ password: String) throws -> String { try inner.hash(password) }
    func verify(_ password: String, against hash: String) throws -> Bool {
        lock.withLock { count += 1 }
        return try inner.verify(password, against: hash)
    }
}

final class SecurityReviewLoginTests: XCTestCase {
    func testEveryFailedLoginVerifiesExactlyOnce() async throws {
        try await withApp { app in
            let hasher = CountingHasher()
            var settings = AccountSettings()
            settings.lockoutThreshold = 3
            let store = AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: hasher, writes: app.shegong.writeQueue, settings: settings)
            _ = try await store.create(username: "known", grant: .nationalOfficial(.read), actor: "test")
            _ = try await store.create(username: "gone", grant: .nationalOfficial(.read), actor: "test")
            try await store.disable(username: "gone", actor: "test")
            _ = try await store.create(username: "locked", grant: .nationalOfficial(.read), actor: "test")
            for _ in 0..<3 { _ = try await store.login(username: "locked", password: "Wrong-Pass-1") }
            let cases: [(String, String)] = [("known", "Wrong-Pass-1"), ("nobody", "Wrong-Pass-1"), ("known", String(repeating: "x", count: 80)),
                                             ("nobody", String(repeating: "x", count: 80)), ("locked", "Wrong-Pass-1"), ("gone", "Wrong-Pass-1")]
            for (name, password) in cases {
                hasher.reset()
                let outcome = try await store.login(username: name, password: password)
                XCTAssertNotEqual(outcome, .failure(.secondFactorRequired))
                if case .success = outcome { XCTFail("\(name) logged in") }
                XCTAssertEqual(hasher.verifications, 1, "\(name) with \(password.count) characters")
            }
        }
    }

    func testWrongUnknownLockedAndDisabledAnswerAlike() async throws {
        try await withApp(environment: ["SHEGONG_LOCKOUT_ATTEMPTS": "2"]) { app in
            let store = try app.shegong.accounts()
            let known = try await store.create(username: "known", grant: .nationalOfficial(.read), actor: "test")
            let gone = try await store.create(username: "gone", grant: .nationalOfficial(.read), actor: "test")
            try await store.disable(username: "gone", actor: "test")
            let locked = try await store.create(username: "locked", grant: .nationalOfficial(.read), actor: "test")
            for _ in 0..<2 { _ = try await store.login(username: "locked", password: "Wrong-Pass-1") }
            var bodies: [String] = []
            for (name, password) in [("known", "Wrong-Pass-1"), ("nobody", known.oneTimePassword), ("locked", locked.oneTimePassword), ("gone", gone.oneTimePassword)] {
                let response = try await BrowserSession(app).login(name, password)
                XCTAssertEqual(response.status, .unauthorized, name)
                let body = response.body.string
                let message = Catalogue.text("login.failed_generic", .zhHans, "2", "15")
                XCTAssertTrue(body.contains(message), "\(name): \(body)")
                bodies.append(body.replacingOccurrences(of: name, with: "NAME"))
            }
            XCTAssertEqual(Set(bodies.map { $0.replacingOccurrences(of: #"value="[A-Za-z0-9_-]{43}""#, with: "", options: .regularExpression) }).count, 1,
                           "one page shape for all four")
            let awaited3 = try await app.auditRows("user.lock").count
            XCTAssertEqual(awaited3, 1, "the lock is still audited")
        }
    }
}

// MARK: item 7 — the client address behind trusted proxies

final class SecurityReviewProxyTests: XCTestCase {
    func testTheRightmostUntrustedEntryIsTheClient() {
        let trusted = [AddressRange("10.0.0.0/8")!, AddressRange("::1")!]
        XCTAssertEqual(ClientAddress.resolve(peer: "203.0.113.5", forwardedFor: ["1.2.3.4"], trusted: trusted), "203.0.113.5", "an untrusted peer is the client")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4, 198.51.100.9"], trusted: trusted), "198.51.100.9")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4", "198.51.100.9, 10.0.0.2"], trusted: trusted), "198.51.100.9")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["garbage, 10.0.0.3"], trusted: trusted), "10.0.0.3")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [], trusted: trusted), "10.0.0.1")
        XCTAssertEqual(ClientAddress.resolve(peer: "::1", forwardedFor: ["[2001:db8::1]:443"], trusted: trusted), "2001:db8::1")
        XCTAssertEqual(ClientAddress.resolve(peer: "::ffff:10.0.0.1", forwardedFor: ["198.51.100.9:5000"], trusted: trusted), "198.51.100.9")
        XCTAssertNil(AddressRange("10.0.0.0/33"))
        XCTAssertNil(AddressRange("not-an-address"))
        XCTAssertThrowsError(try ShegongSettings(environment: ["SHEGONG_TRUSTED_PROXIES": "10.0.0.1, nonsense"]))
        XCTAssertEqual(try ShegongSettings(environment: ["SHEGONG_TRUST_PROXY": "1"]).trustedProxies, AddressRange.loopback)
    }

    func testASpoofedLeftmostEntryNeitherDodgesTheRateLimitNorForgesTheAuditAddress() async throws {
        try await withApp(environment: ["SHEGONG_TRUSTED_PROXIES": "10.0.0.1", "SHEGONG_LOGIN_RATE_LIMIT": "2"]) { app in
            func attempt(spoof: Int) async throws -> Response {
                let csrf = String(repeating: "c", count: 43)
                // Behind a proxy the cookies are Secure and `__Host-` prefixed.
                return try await app.send(.POST, "/login", peer: "10.0.0.1",
                                          headers: ["X-Forwarded-For": "192.0.2.\(spoof), 198.51.100.9", "Cookie": "__Host-shegong_csrf=\(csrf)"],
                                          form: ["username": "nobody", "password": "Wrong-Pass-1", "_csrf": csrf])
            }
            let first = try await attempt(spoof: 1), second = try await attempt(spoof: 2), third = try await attempt(spoof: 3)
            XCTAssertEqual(first.status, .unauthorized)
            XCTAssertEqual(second.status, .unauthorized)
            XCTAssertEqual(third.status, .tooManyRequests, "a new leftmost entry is not a new client")
            let failures = try await app.auditRows("session.login_failure")
            XCTAssertEqual(failures.map(\.ip), ["198.51.100.9", "198.51.100.9"])
            // The proxy is trusted only by its own address: the same header from elsewhere is ignored.
            let direct = try await app.send(.POST, "/login", peer: "203.0.113.77", headers: ["X-Forwarded-For": "198.51.100.9"], form: [:])
            XCTAssertEqual(direct.status, .forbidden)
            let awaited4 = try await app.auditRows("security.csrf_rejected").last?.ip
            XCTAssertEqual(awaited4, "203.0.113.77")
        }
    }
}

// MARK: item 9 — security events audited with their address

final class SecurityReviewAuditTests: XCTestCase {
    func testCSRFRejectionsRateLimitsBadTokensAndExpiredSessionsAreAuditedWithTheAddress() async throws {
        try await withApp(environment: ["SHEGONG_LOGIN_RATE_LIMIT": "1"]) { app in
            // CSRF: a page form and an API call with the session cookie but no token.
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.readWrite), username: "csrf.user")
            let cookie = "shegong_session=\(browser.cookies["shegong_session"]!)"
            let page = try await app.send(.POST, "/account/tokens", peer: "192.0.2.10", headers: ["Cookie": cookie], form: ["name": "x"])
            XCTAssertEqual(page.status, .forbidden)
            let api = try await app.send(.POST, "/api/v1/regions", peer: "192.0.2.11", headers: ["Cookie": cookie])
            XCTAssertEqual(api.status, .forbidden)
            let csrf = try await app.auditRows("security.csrf_rejected")
            XCTAssertEqual(csrf.map(\.ip), ["192.0.2.10", "192.0.2.11"])
            XCTAssertEqual(csrf.first?.actor, "csrf.user")

            // 429 on the login form.
            let token = String(repeating: "c", count: 43)
            for _ in 0..<2 {
                _ = try await app.send(.POST, "/login", peer: "192.0.2.12", headers: ["Cookie": "shegong_csrf=\(token)"],
                                       form: ["username": "someone", "password": "x", "_csrf": token])
            }
            let limited = try await app.auditRows("security.login_rate_limited")
            XCTAssertEqual(limited.count, 1)
            XCTAssertEqual(limited.first?.ip, "192.0.2.12")

            // A bearer token that opens nothing.
            _ = try await app.send(.GET, "/api/v1/stats/census", peer: "192.0.2.13", headers: ["Authorization": "Bearer sgt_forged"])
            let awaited5 = try await app.auditRows("security.token_invalid").last?.ip
            XCTAssertEqual(awaited5, "192.0.2.13")

            // An expired session, presented from an address.
            let auth = try app.shegong.accounts().authenticator
            let expired = try await auth.principal(sessionToken: browser.cookies["shegong_session"]!, ip: "192.0.2.14", now: Date().addingTimeInterval(3_600))
            XCTAssertNil(expired)
            let awaited6 = try await app.auditRows("session.expired").last?.ip
            XCTAssertEqual(awaited6, "192.0.2.14")
        }
    }
}

// MARK: item 10 — Secure cookies by default, __Host- prefix

final class SecurityReviewCookieTests: XCTestCase {
    func signInCookie(_ app: Application) async throws -> (setCookie: String, session: BrowserSession) {
        let created = try await app.shegong.accounts().create(username: "cookie.user", grant: .nationalOfficial(.read), actor: "test")
        let browser = BrowserSession(app)
        let form = try await browser.send(.GET, "/login")
        let csrfCookie = form.headers[.setCookie].first { $0.contains("shegong_csrf=") } ?? ""
        let csrfName = String(csrfCookie.prefix { $0 != "=" })
        let login = try await browser.send(.POST, "/login", form: ["username": "cookie.user", "password": created.oneTimePassword],
                                           csrf: browser.cookies[csrfName] ?? "")
        XCTAssertEqual(login.status, .seeOther, login.body.string)
        return (login.headers[.setCookie].first { $0.contains("shegong_session=") } ?? "", browser)
    }

    func testCookiesAreSecureWithTheHostPrefixUnlessServedOnLoopback() async throws {
        try await withApp { app in
            // Served on 127.0.0.1 (as the tests, scripts/run and the browser tests): plain HTTP works.
            let (loopback, _) = try await signInCookie(app)
            XCTAssertTrue(loopback.hasPrefix("shegong_session="), loopback)
            XCTAssertFalse(loopback.contains("Secure"), loopback)
        }
        try await withApp { app in
            app.http.server.configuration.hostname = "0.0.0.0"
            let (cookie, browser) = try await signInCookie(app)
            XCTAssertTrue(cookie.hasPrefix("__Host-shegong_session="), cookie)
            XCTAssertTrue(cookie.contains("Secure"), cookie)
            XCTAssertTrue(cookie.contains("Path=/"), cookie)
            XCTAssertFalse(cookie.lowercased().contains("domain="), cookie)
            let page = try await browser.send(.GET, "/account/password")
            XCTAssertEqual(page.status, .ok, "the prefixed cookie is the session")
            // The unprefixed name, which another host could plant, opens nothing.
            let planted = BrowserSession(app)
            planted.cookies["shegong_session"] = browser.cookies["__Host-shegong_session"]
            let awaited7 = try await planted.send(.GET, "/account/password").status
            XCTAssertEqual(awaited7, .seeOther)
        }
        try await withApp(environment: ["SHEGONG_PLAIN_HTTP": "1"]) { app in
            app.http.server.configuration.hostname = "0.0.0.0"
            let (cookie, _) = try await signInCookie(app)
            XCTAssertTrue(cookie.hasPrefix("shegong_session="), cookie)
            XCTAssertFalse(cookie.contains("Secure"), cookie)
        }
        try await withApp(environment: ["SHEGONG_TRUST_PROXY": "1"]) { app in
            // Behind a proxy on the same machine, Shegong listens on loopback but browsers use TLS.
            let (cookie, _) = try await signInCookie(app)
            XCTAssertTrue(cookie.hasPrefix("__Host-shegong_session="), cookie)
        }
    }
}
