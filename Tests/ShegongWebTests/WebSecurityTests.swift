import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Issue #3 §1, §4 through HTTP: login and the forced password change, sessions ended on the
/// server, lockout, the per-address rate limit, CSRF on every state-changing form, security
/// headers, and the administrators' separate pages.
final class WebSecurityTests: XCTestCase {
    func testAOneTimePasswordMustBeChangedBeforeAnyPageOpens() async throws {
        try await withApp { app in
            let created = try await app.shegong.accounts().create(username: "li.county", grant: .nationalOfficial(.read), actor: "test")
            let browser = BrowserSession(app)
            let login = try await browser.login("li.county", created.oneTimePassword)
            XCTAssertEqual(login.status, .seeOther)
            XCTAssertEqual(login.headers.first(name: .location), "/account/password")
            let cookie = login.headers[.setCookie].first { $0.hasPrefix("shegong_session=") } ?? ""
            XCTAssertTrue(cookie.contains("HttpOnly"), cookie)
            XCTAssertTrue(cookie.lowercased().contains("samesite=lax"), cookie)
            let r1 = try await browser.send(.GET, "/account").headers.first(name: .location)
            XCTAssertEqual(r1, "/account/password")
            // The API too refuses a session that must change its password.
            let r2 = try await browser.send(.GET, "/api/v1/stats/census")
            XCTAssertEqual(r2.status, .forbidden)

            // A weak new password: the rule is named beside the field and nothing changes.
            try await browser.send(.GET, "/account/password")
            let weak = try await browser.send(.POST, "/account/password",
                                              form: ["currentPassword": created.oneTimePassword, "newPassword": "password", "repeatPassword": "password"])
            XCTAssertEqual(weak.status, .unprocessableEntity)
            XCTAssertTrue(weak.body.string.contains(#"class="field invalid""#))
            let r3 = try await browser.send(.GET, "/account").headers.first(name: .location)
            XCTAssertEqual(r3, "/account/password")

            let changed = try await browser.send(.POST, "/account/password",
                                                 form: ["currentPassword": created.oneTimePassword, "newPassword": "Jiuquan#2025", "repeatPassword": "Jiuquan#2025"])
            XCTAssertEqual(changed.headers.first(name: .location), "/account?changed=1")
            let account = try await browser.send(.GET, "/account")
            XCTAssertEqual(account.status, .ok)
            XCTAssertTrue(account.body.string.contains("li.county"))
            let r4 = try await browser.send(.GET, "/api/v1/stats/census")
            XCTAssertEqual(r4.status, .ok, "after the change the session reads the API")
        }
    }

    func testSessionsEndOnTheServerAtLogout() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.read), username: "wang.read")
            let session = browser.cookies["shegong_session"]!
            let r5 = try await browser.send(.GET, "/account")
            XCTAssertEqual(r5.status, .ok)
            let out = try await browser.send(.POST, "/logout", form: [:])
            XCTAssertEqual(out.headers.first(name: .location), "/login")
            // The old cookie, replayed, no longer opens anything.
            let replay = BrowserSession(app)
            replay.cookies["shegong_session"] = session
            let r6 = try await replay.send(.GET, "/account")
            XCTAssertEqual(r6.status, .seeOther)
            let r7 = try await app.count("sessions")
            XCTAssertEqual(r7, 0)
        }
    }

    func testFormsWithoutTheRightCSRFTokenAreRefused() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.read), username: "zhao.read")
            try await browser.send(.GET, "/account")
            let missing = try await browser.send(.POST, "/account/tokens", form: ["name": "etl", "_csrf": ""])
            XCTAssertEqual(missing.status, .forbidden)
            let forged = try await browser.send(.POST, "/account/tokens", form: ["name": "etl", "_csrf": "forged-token-value"])
            XCTAssertEqual(forged.status, .forbidden)
            let r8 = try await app.count("api_tokens")
            XCTAssertEqual(r8, 0, "nothing is created without the token")
            let good = try await browser.send(.POST, "/account/tokens", form: ["name": "etl"])
            XCTAssertEqual(good.status, .ok)
            let r9 = try await app.count("api_tokens")
            XCTAssertEqual(r9, 1)
            // The login form has its own (double-submit) token.
            let anonymous = BrowserSession(app)
            try await anonymous.send(.GET, "/login")
            let forgedLogin = try await anonymous.send(.POST, "/login", form: ["username": "zhao.read", "password": "x"], csrf: "other")
            XCTAssertEqual(forgedLogin.status, .forbidden)
        }
    }

    /// Every state-changing page route, called with a live session but no CSRF token, answers 403.
    func testEveryStateChangingPageChecksCSRF() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.readWrite), username: "rw.official")
            let routes = app.routes.all.filter { $0.method != .GET && $0.method != .HEAD && $0.path.first?.description != "api" }
            XCTAssertGreaterThan(routes.count, 3)
            for route in routes where route.path.map(\.description) != ["login"] {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter = component { return "x" }
                    return component.description
                }.joined(separator: "/")
                let response = try await browser.send(route.method, path, form: ["_csrf": "wrong"])
                XCTAssertEqual(response.status, .forbidden, "\(route.method) \(path) must refuse a request without the CSRF token")
            }
        }
    }

    func testSecurityHeadersOnPagesAndTheAPI() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.read), username: "hdr.check")
            let page = try await browser.send(.GET, "/account")
            var api: XCTHTTPResponse?
            try await app.api(.GET, "/api/v1/stats/census") { api = $0 }
            for response in [page, api!, try await browser.send(.GET, "/login"), try await browser.send(.GET, "/no-such-page")] {
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                XCTAssertTrue(csp.contains("frame-ancestors 'none'"), csp)
                XCTAssertTrue(csp.contains("script-src 'self'"), csp)
                XCTAssertFalse(csp.contains("unsafe-inline"), csp)
                XCTAssertEqual(response.headers.first(name: "X-Content-Type-Options"), "nosniff")
                XCTAssertEqual(response.headers.first(name: "Referrer-Policy"), "no-referrer")
                XCTAssertEqual(response.headers.first(name: .cacheControl), "no-store")
                XCTAssertFalse(response.body.string.contains("<script>"), "no inline script")
            }
            // The stylesheet may be cached; personal-data pages may not.
            let stylesheet = try XCTUnwrap(page.body.string.range(of: #"href="/static/[^"]+\.css""#, options: .regularExpression)
                .map { String(page.body.string[$0].dropFirst(6).dropLast()) })
            let css = try await browser.send(.GET, stylesheet)
            XCTAssertEqual(css.status, .ok)
            XCTAssertTrue(css.headers.first(name: .cacheControl)?.contains("max-age") ?? false)
            // The 404 page names no internals.
            let missing = try await browser.send(.GET, "/no-such-page")
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertTrue(missing.headers.contentType?.subType == "html")
        }
    }

    func testFiveWrongPasswordsLockTheAccountAndTheRightOneThenFails() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            let password = try await browser.signIn(as: .nationalOfficial(.read), username: "lock.me")
            try await browser.send(.POST, "/logout", form: [:])
            for _ in 1...5 {
                let wrong = try await browser.login("lock.me", "Wrong#Pass1")
                XCTAssertEqual(wrong.status, .unauthorized)
            }
            let locked = try await browser.login("lock.me", password)
            XCTAssertEqual(locked.status, .unauthorized)
            XCTAssertTrue(locked.body.string.contains("锁定"), "the page says the account is locked")
            XCTAssertNil(browser.cookies["shegong_session"])
            let lockRows = try await app.sql.select().column("id").from("audit_log").where("action", .equal, "user.lock").all()
            XCTAssertEqual(lockRows.count, 1)
        }
    }

    func testTooManyLoginsFromOneAddressAnswer429() async throws {
        try await withApp(environment: ["SHEGONG_LOGIN_RATE_LIMIT": "3"]) { app in
            let browser = BrowserSession(app)
            for _ in 1...3 {
                let refused = try await browser.login("nobody", "Wrong#Pass1")
                XCTAssertEqual(refused.status, .unauthorized)
            }
            let limited = try await browser.login("nobody", "Wrong#Pass1")
            XCTAssertEqual(limited.status, .tooManyRequests)
            XCTAssertNotNil(limited.headers.first(name: .retryAfter).flatMap(Int.init))
        }
    }

    func testTheAPINeedsACredentialAndCookieWritesNeedTheCSRFHeader() async throws {
        try await withApp { app in
            try await app.api(.GET, "/api/v1/people", token: "") { XCTAssertEqual($0.status, .unauthorized) }
            try await app.api(.GET, "/api/v1/people", token: "sgt_not-a-token") { XCTAssertEqual($0.status, .unauthorized) }
            try await app.api(.GET, "/api/v1/health", token: "") { XCTAssertEqual($0.status, .ok) }
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.readWrite), username: "cookie.rw")
            try await browser.send(.GET, "/account")
            let body = #"{"code":"620902001","name":"测试街道"}"#
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .cookie, value: "shegong_session=\(browser.cookies["shegong_session"]!)")
            headers.contentType = .json
            try await app.test(.POST, "/api/v1/regions", headers: headers, body: ByteBuffer(string: body)) { res async throws in
                XCTAssertEqual(res.status, .forbidden, "a cookie-authenticated write without X-CSRF-Token")
            }
            headers.replaceOrAdd(name: "X-CSRF-Token", value: browser.csrf)
            try await app.test(.POST, "/api/v1/regions", headers: headers, body: ByteBuffer(string: body)) { res async throws in
                XCTAssertNotEqual(res.status, .forbidden, res.body.string)
                XCTAssertNotEqual(res.status, .unauthorized)
            }
        }
    }

    func testTheThreeAdministratorsEachSeeOnlyTheirOwnPage() async throws {
        try await withApp { app in
            let system = BrowserSession(app), security = BrowserSession(app), audit = BrowserSession(app)
            try await system.signIn(as: .systemAdministrator, username: "sys.admin")
            try await security.signIn(as: .securityAdministrator, username: "sec.admin")
            try await audit.signIn(as: .auditAdministrator, username: "aud.admin")

            // The system administrator creates an official; its one-time password is issued by the
            // security administrator's grant, never shown to the system administrator (issue #10 item 5).
            try await system.send(.GET, "/admin/users")
            let created = try await system.send(.POST, "/admin/users", form: ["username": "chen.county", "role": "official", "region": "620902", "access": "read"])
            XCTAssertEqual(created.status, .ok, created.body.string)
            XCTAssertFalse(created.body.string.contains(#"id="one-time-password""#))
            // … but may not hand out an administrator role someone holds (set-up of a vacant one:
            // AdministratorSetUpTests).
            let admin = try await system.send(.POST, "/admin/users", form: ["username": "sneaky", "role": "audit_administrator"])
            XCTAssertEqual(admin.status, .forbidden)
            let r10 = try await app.shegong.accounts().account(username: "sneaky")
            XCTAssertNil(r10)
            let r11 = try await system.send(.GET, "/admin/audit")
            XCTAssertEqual(r11.status, .forbidden)
            let r12 = try await system.send(.GET, "/api/v1/people")
            XCTAssertEqual(r12.status, .forbidden, "no business data")

            // The security administrator changes the grant; the system administrator cannot.
            try await security.send(.GET, "/admin/users/chen.county/grant")
            let granted = try await security.send(.POST, "/admin/users/chen.county/grant", form: ["role": "official", "region": "620902", "access": "readwrite"])
            XCTAssertEqual(granted.status, .ok, granted.body.string)
            XCTAssertTrue(granted.body.string.contains(#"id="one-time-password""#))
            guard case .official(_, .readWrite)? = try await app.shegong.accounts().account(username: "chen.county")?.grant else {
                return XCTFail("grant not changed")
            }
            let r13 = try await system.send(.GET, "/admin/users/chen.county/grant")
            XCTAssertEqual(r13.status, .forbidden)
            let r14 = try await security.send(.GET, "/admin/audit")
            XCTAssertEqual(r14.status, .forbidden)

            // The audit administrator searches the log and verifies it.
            let search = try await audit.send(.GET, "/admin/audit?actor=sec.admin")
            XCTAssertEqual(search.status, .ok)
            XCTAssertTrue(search.body.string.contains("user.grant"))
            let verify = try await audit.send(.POST, "/admin/audit/verify", form: [:])
            XCTAssertTrue(verify.body.string.contains(Catalogue.text("audit.verify_ok", .zhHans)))
            let r15 = try await audit.send(.GET, "/admin/users")
            XCTAssertEqual(r15.status, .forbidden)
            let denied = try await app.sql.select().column("id").from("audit_log").where("result", .equal, "denied").all()
            XCTAssertGreaterThanOrEqual(denied.count, 4, "each refusal is audited")
        }
    }

    func testUsersCreateAndRevokeTheirOwnTokensWhichActAsThem() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.read), username: "token.owner")
            try await browser.send(.GET, "/account")
            let page = try await browser.send(.POST, "/account/tokens", form: ["name": "报表脚本"])
            let html = page.body.string
            guard let start = html.range(of: #"id="new-token">"#), let end = html[start.upperBound...].range(of: "</code>") else {
                return XCTFail("token not shown")
            }
            let token = String(html[start.upperBound..<end.lowerBound])
            try await app.api(.GET, "/api/v1/stats/census", token: token) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.POST, "/api/v1/regions", token: token) { XCTAssertEqual($0.status, .forbidden, "a read-only owner's token cannot write") }
            let id = try await app.sql.select().column("id").from("api_tokens").first()!.decode(column: "id", as: String.self)
            try await browser.send(.GET, "/account")
            try await browser.send(.POST, "/account/tokens/\(id)/revoke", form: [:])
            try await app.api(.GET, "/api/v1/stats/census", token: token) { XCTAssertEqual($0.status, .unauthorized) }
        }
    }

    /// Audited writes at the same moment all land, each with its audit entry (SQLite queues them;
    /// PostgreSQL locks the chain's head), and the chain stays intact.
    func testConcurrentAuditedWritesAllSucceedAndKeepTheChain() async throws {
        try await withApp { app in
            let token = try await app.officialToken()
            let before = try await app.count("audit_log")
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 0..<24 {
                    group.addTask {
                        var status: HTTPStatus = .ok
                        try await app.api(.PUT, "/api/v1/regions/620902", token: token, beforeRequest: { req in
                            try req.content.encode(["name": "肃州区\(n)"])
                        }, afterResponse: { status = $0.status })
                        return status
                    }
                }
                for try await status in group { XCTAssertEqual(status, .ok) }
            }
            let after = try await app.count("audit_log")
            XCTAssertEqual(after, before + 24)
            let verification = try await app.shegong.auditLog.verify(sql: app.sql)
            XCTAssertTrue(verification.isIntact, "\(String(describing: verification.problem))")
        }
    }
}

/// Organisations created and edited on their pages: errors beside the field, scope, audit.
final class OrganizationPageTests: XCTestCase {
    func testAnOfficialCreatesAndEditsAnOrganisationWithErrorsBesideTheFields() async throws {
        try await withApp { app in
            let browser = BrowserSession(app)
            try await browser.signIn(as: .official(region: try RegionCode.parse("620902").get(), access: .readWrite), username: "org.clerk")
            let form = try await browser.send(.GET, "/organizations/new")
            XCTAssertEqual(form.status, .ok)
            XCTAssertTrue(form.body.string.contains(#"id="organization-form""#))

            // act + check: a bad credit code is named beside its field, nothing saved
            let bad = try await browser.send(.POST, "/organizations", form: ["name": "肃州区夕阳红养老院", "creditCode": "123", "kind": "养老机构", "regionCode": "620902"])
            XCTAssertEqual(bad.status, .unprocessableEntity)
            XCTAssertTrue(bad.body.string.contains(#"id="f-creditCode" name="creditCode""#))
            XCTAssertTrue(bad.body.string.contains(#"class="field invalid"><label for="f-creditCode""#), "the error sits with the credit code")
            let none = try await app.count("organizations")
            XCTAssertEqual(none, 0)
            // outside the official's county: refused beside the region field
            let elsewhere = try await browser.send(.POST, "/organizations", form: ["name": "荆州某机构", "regionCode": "421002"])
            XCTAssertEqual(elsewhere.status, .unprocessableEntity)

            let created = try await browser.send(.POST, "/organizations", form: ["name": "肃州区夕阳红养老院", "kind": "养老机构", "regionCode": "620902"])
            XCTAssertEqual(created.status, .seeOther, created.body.string)
            let location = try XCTUnwrap(created.headers.first(name: .location))
            let id = String(location.dropFirst("/organizations/".count))
            try await browser.send(.GET, location + "/edit")
            let edited = try await browser.send(.POST, location, form: ["name": "肃州区夕阳红颐养中心", "kind": "养老机构", "regionCode": "620902"])
            XCTAssertEqual(edited.status, .seeOther)
            let page = try await browser.send(.GET, location)
            XCTAssertTrue(page.body.string.contains("肃州区夕阳红颐养中心"))
            let audited = try await app.sql.select().column("action").from("audit_log").where("object_id", .equal, id).all()
                .map { try $0.decode(column: "action", as: String.self) }
            XCTAssertEqual(audited, ["organization.create", "organization.update"])
        }
    }
}

/// TOTP through the pages: an administrator is held on enrolment while settings require it, enrols
/// with a code from the key shown, and from then on signs in with a code (each code once).
final class TOTPPageTests: XCTestCase {
    func testAnAdministratorEnrolsAndThenNeedsTheCodeToSignIn() async throws {
        try await withApp(environment: ["SHEGONG_REQUIRE_ADMIN_TOTP": "1"]) { app in
            let browser = BrowserSession(app)
            let password = try await browser.signIn(as: .auditAdministrator, username: "aud.totp")
            let held = try await browser.send(.GET, "/admin/audit")
            XCTAssertEqual(held.headers.first(name: .location), "/account/totp", "nothing else until TOTP is on")
            let page = try await browser.send(.GET, "/account/totp")
            let html = page.body.string
            guard let start = html.range(of: #"name="secret" value=""#), let end = html[start.upperBound...].firstIndex(of: "\"") else {
                return XCTFail("no key on the enrolment page")
            }
            let secret = try XCTUnwrap(ShegongStore.TOTP(base32: String(html[start.upperBound..<end])))
            let wrong = try await browser.send(.POST, "/account/totp", form: ["secret": secret.base32, "code": "000000" == secret.code(at: Date()) ? "111111" : "000000"])
            XCTAssertEqual(wrong.status, .unprocessableEntity)
            let enrolled = try await browser.send(.POST, "/account/totp", form: ["secret": secret.base32, "code": secret.code(at: Date())])
            XCTAssertEqual(enrolled.status, .ok)
            let open = try await browser.send(.GET, "/admin/audit")
            XCTAssertEqual(open.status, .ok)

            try await browser.send(.POST, "/logout", form: [:])
            let noCode = try await browser.login("aud.totp", password)
            XCTAssertEqual(noCode.status, .unauthorized)
            XCTAssertTrue(noCode.body.string.contains(#"name="totp""#), "the form asks for the code")
            try await browser.send(.GET, "/login")
            let withCode = try await browser.send(.POST, "/login", form: ["username": "aud.totp", "password": password,
                                                                         "totp": secret.code(at: Date().addingTimeInterval(30))],
                                                  csrf: browser.cookies["shegong_csrf"] ?? "")
            XCTAssertEqual(withCode.status, .seeOther, withCode.body.string)
            XCTAssertNotNil(browser.cookies["shegong_session"])
        }
    }
}
