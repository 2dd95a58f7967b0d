import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The account, administration, login and audit pages as typed views: what a user types comes
/// back as text, never as markup, and an English page shows no Chinese, the audit log's actions
/// included.
final class AdminTypedPageTests: XCTestCase {
    /// Typed into a field: a script element, both quotes and an ampersand.
    static let hostile = #"<script>alert("x")</script>'&"#
    static let hostileEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;"

    func assertShownAsText(_ html: String, _ page: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(html.contains("<script>alert("), "markup from a field on \(page)", file: file, line: line)
        XCTAssertTrue(html.contains(Self.hostileEscaped), "the value shown as text on \(page)", file: file, line: line)
    }

    func testADepartmentTypedIntoAGrantIsShownAsTextOnTheAccountsAndGrantPages() async throws {
        try await withApp { app in
            // setup
            let system = BrowserSession(app), security = BrowserSession(app)
            try await system.signIn(as: .systemAdministrator, username: "sys.admin")
            try await security.signIn(as: .securityAdministrator, username: "sec.admin")
            // act
            try await system.send(.GET, "/admin/users")
            let created = try await system.send(.POST, "/admin/users", form: ["username": "ops.one", "role": "department_operator",
                                                                            "region": "620902", "department": Self.hostile])
            let list = try await security.send(.GET, "/admin/users")
            let grant = try await security.send(.GET, "/admin/users/ops.one/grant")
            // check
            XCTAssertEqual(created.status, .ok, created.body.string)
            assertShownAsText(created.body.string, "the system administrator's list")
            assertShownAsText(list.body.string, "the security administrator's list")
            XCTAssertEqual(grant.status, .ok)
            assertShownAsText(grant.body.string, "the grant page")
            // The department is a record chosen in a select (issue #18 §2): its name is an option's text, escaped.
            XCTAssertTrue(grant.body.string.contains(Self.hostileEscaped + "（肃州区）</option>"), "the department is the option's text, escaped")
        }
    }

    func testAFormSentBackWithAnErrorKeepsWhatWasTypedAsText() async throws {
        try await withApp { app in
            // setup
            let system = BrowserSession(app)
            try await system.signIn(as: .systemAdministrator, username: "sys.admin")
            try await system.send(.GET, "/admin/users")
            // act: a username of characters no username may have
            let refused = try await system.send(.POST, "/admin/users", form: ["username": Self.hostile, "role": "official", "region": "620902"])
            // check
            XCTAssertEqual(refused.status, .unprocessableEntity)
            assertShownAsText(refused.body.string, "the new-account form")
            XCTAssertTrue(refused.body.string.contains(#"class="field invalid"><label for="f-username""#), "the error sits with the username")
        }
    }

    func testATokenNameIsShownAsTextInTheListOfTokens() async throws {
        try await withApp { app in
            // setup
            let browser = BrowserSession(app)
            try await browser.signIn(as: .nationalOfficial(.read), username: "token.owner")
            // act
            let created = try await browser.send(.POST, "/account/tokens", form: ["name": Self.hostile])
            let page = try await browser.send(.GET, "/account")
            // check
            XCTAssertEqual(created.status, .ok)
            XCTAssertTrue(created.body.string.contains(#"id="new-token">"#), "the new token is shown once")
            assertShownAsText(page.body.string, "the account page")
            XCTAssertTrue(page.body.string.contains(#"<table class="list" id="tokens">"#))
        }
    }

    func testANameTypedAtTheLoginIsShownAsTextThereAndInTheAuditLog() async throws {
        try await withApp { app in
            // setup
            let visitor = BrowserSession(app), audit = BrowserSession(app)
            try await audit.signIn(as: .auditAdministrator, username: "aud.admin")
            // act
            let failed = try await visitor.login(Self.hostile, "Not-the-password-1")
            let search = try await audit.send(.GET, "/admin/audit?action=session.login_failure&objectType=" + BrowserSession.encode(Self.hostile))
            let byName = try await audit.send(.GET, "/admin/audit?actor=" + BrowserSession.encode(Self.hostile))
            // check
            XCTAssertEqual(failed.status, .unauthorized)
            XCTAssertTrue(failed.body.string.contains(#"name="username" type="text" value="\#(Self.hostileEscaped)""#),
                          "the login form keeps the name typed, escaped")
            XCTAssertFalse(failed.body.string.contains("<script>alert("))
            XCTAssertEqual(search.status, .ok)
            assertShownAsText(search.body.string, "the audit search form")
            assertShownAsText(byName.body.string, "the audit results")
            XCTAssertTrue(byName.body.string.contains(#"id="audit-results""#), "the failed login is found by the name typed")
        }
    }

    func testTheAuditLogNamesEachActionInThePagesLanguageWithItsCodeForTheSearch() async throws {
        try await withApp { app in
            // setup
            let audit = BrowserSession(app)
            try await audit.signIn(as: .auditAdministrator, username: "aud.admin")
            // act
            let chinese = try await audit.send(.GET, "/admin/audit?action=user.password_change")
            audit.cookies["lang"] = "en"
            let english = try await audit.send(.GET, "/admin/audit?action=user.password_change")
            // check
            XCTAssertTrue(chinese.body.string.contains("修改密码"), "the action's Chinese name")
            XCTAssertTrue(english.body.string.contains("Password changed"), "the action's English name")
            XCTAssertTrue(english.body.string.contains("<code>user.password_change</code>"), "and the code the action field takes")
            XCTAssertTrue(english.body.string.contains(#"<span class="status success">Succeeded</span>"#), "the result by its name")
        }
    }

    func testEveryRecordedActionHasAChineseAndAnEnglishName() {
        let actions: [AuditAction] = [
            .login, .loginFailure, .logout, .sessionExpired, .accountLocked, .userCreate, .userDisable, .userEnable, .passwordChange,
            .passwordReset, .passwordIssue, .totpEnable, .totpDisable, .grant, .tokenCreate, .tokenRevoke, .tokenInvalid, .auditVerify,
            .auditSearch, .personCreate, .personUpdate, .personReveal, .organizationCreate, .organizationUpdate, .certificateCreate,
            .certificateUpdate, .registrationCreate, .regionCreate, .regionUpdate, .regionImport, .censusImport, .censusExport,
            .statisticsUpdate, .statisticsImport, .practiceBaseCreate, .pilotCommunityCreate, .measureReport, .evidenceDownload,
            .examCreate, .targetCreate, .examPassImport, .policyLoad, .applicationCreate, .applicationReview, .allowanceRun,
            .batchApprove, .batchPaid, .batchExport, .accessDenied, .csrfRejected, .loginRateLimited,
        ]
        for action in actions {
            for language in [Language.zhHans, .en] {
                XCTAssertTrue(Catalogue.standard.defines("auditAction.\(action.rawValue)", in: language), "\(action) in \(language)")
                XCTAssertNotEqual(AuditActionNames.name(action.rawValue, language), action.rawValue, "\(action) in \(language)")
            }
        }
        XCTAssertEqual(AuditActionNames.name("made.up", .en), "made.up", "an action without a name shows its code")
    }

    // MARK: English pages

    /// Chinese on an English page, with a little context; the language switch is left out, as it
    /// names the other language in that language (中文) on purpose.
    static func chineseIn(_ html: String) -> [String] {
        let page = html.replacingOccurrences(of: #"lang="zh-Hans">中文</a>"#, with: "")
        let characters = Array(page)
        return characters.indices.filter { index in
            characters[index].unicodeScalars.contains { scalar in
                [0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF].contains { $0.contains(Int(scalar.value)) }
            }
        }.prefix(5).map { String(characters[max(0, $0 - 30)..<min(characters.count, $0 + 10)]) }
    }

    /// The data an English page shows as stored (regions' names, in the scope column and the
    /// region picker since issue #17), taken out before looking for Chinese.
    var dataNames: StoredNames?

    func assertEnglish(_ response: XCTHTTPResponse, _ page: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan(response.status.code, 500, "\(page): \(response.status)", file: file, line: line)
        XCTAssertTrue(response.body.string.contains(#"<html lang="en">"#), "\(page) in English", file: file, line: line)
        let html = dataNames?.strip(response.body.string) ?? response.body.string
        XCTAssertEqual(Self.chineseIn(html), [], "Chinese on the English \(page)", file: file, line: line)
    }

    func testTheAdministratorsPagesInEnglishShowNoChinese() async throws {
        try await withApp { app in
            // setup
            let system = BrowserSession(app), security = BrowserSession(app), audit = BrowserSession(app)
            for session in [system, security, audit] { session.cookies["lang"] = "en" }
            try await system.signIn(as: .systemAdministrator, username: "sys.admin")
            try await security.signIn(as: .securityAdministrator, username: "sec.admin")
            try await audit.signIn(as: .auditAdministrator, username: "aud.admin")
            try await system.send(.GET, "/admin/users")
            dataNames = try await StoredNames.read(app)
            // act and check
            assertEnglish(try await system.send(.POST, "/admin/users", form: ["username": "civil.ops", "role": "department_operator",
                                                                            "region": "620902", "department": "Civil Affairs"]), "new account")
            assertEnglish(try await system.send(.POST, "/admin/users", form: ["username": "x", "role": "official"]), "form with errors")
            assertEnglish(try await system.send(.GET, "/admin/users"), "system administrator's accounts")
            assertEnglish(try await security.send(.GET, "/admin/users"), "security administrator's accounts")
            assertEnglish(try await security.send(.GET, "/admin/users/civil.ops/grant"), "grant page")
            let issued = try await security.send(.POST, "/admin/users/civil.ops/grant",
                                                 form: ["role": "department_operator", "region": "620902", "department": "Civil Affairs"])
            XCTAssertTrue(issued.body.string.contains(#"id="one-time-password""#))
            assertEnglish(issued, "one-time password issued")
            assertEnglish(try await system.send(.POST, "/admin/users/civil.ops/disable", form: [:]), "account disabled")
            assertEnglish(try await system.send(.POST, "/admin/users/sec.admin/disable", form: [:]), "administrator's account refused")
            assertEnglish(try await audit.send(.GET, "/admin/audit"), "audit log")
            assertEnglish(try await audit.send(.GET, "/admin/audit?since=yesterday"), "audit search with a wrong date")
            assertEnglish(try await audit.send(.POST, "/admin/audit/verify", form: [:]), "audit verification")
            assertEnglish(try await audit.send(.GET, "/account"), "administrator's account page")
        }
    }

    func testTheAccountAndSessionPagesInEnglishShowNoChinese() async throws {
        try await withApp { app in
            // setup
            let visitor = BrowserSession(app), official = BrowserSession(app)
            visitor.cookies["lang"] = "en"
            official.cookies["lang"] = "en"
            try await official.signIn(as: .nationalOfficial(.read), username: "report.reader")
            // act and check
            assertEnglish(try await visitor.send(.GET, "/login"), "login page")
            let failed = try await visitor.login("nobody.here", "Not-the-password-1")
            XCTAssertEqual(failed.status, .unauthorized)
            XCTAssertEqual(Self.chineseIn(failed.body.string), [], "Chinese on the English failed login")
            assertEnglish(try await official.send(.GET, "/account"), "account page without tokens")
            assertEnglish(try await official.send(.POST, "/account/tokens", form: ["name": ""]), "token form with an error")
            assertEnglish(try await official.send(.POST, "/account/tokens", form: ["name": "report script"]), "new token")
            assertEnglish(try await official.send(.GET, "/account"), "account page with a token")
            assertEnglish(try await official.send(.GET, "/account/totp"), "TOTP enrolment")
            assertEnglish(try await official.send(.GET, "/account/password"), "password page")
            let mismatch = try await official.send(.POST, "/account/password",
                                                   form: ["currentPassword": "x", "newPassword": "Qz7!abcdefgh", "repeatPassword": "Qz7!abcdefgX"])
            XCTAssertEqual(mismatch.status, .unprocessableEntity)
            XCTAssertTrue(mismatch.body.string.contains("The two new passwords differ."))
            XCTAssertEqual(Self.chineseIn(mismatch.body.string), [], "Chinese on the English password errors")
            let weak = try await official.send(.POST, "/account/password", form: ["currentPassword": "x", "newPassword": "short", "repeatPassword": "short"])
            XCTAssertEqual(weak.status, .unprocessableEntity)
            XCTAssertEqual(Self.chineseIn(weak.body.string), [], "Chinese on the English password rules")
        }
    }
}
