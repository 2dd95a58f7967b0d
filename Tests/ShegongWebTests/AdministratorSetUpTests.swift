import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #17 §5: a county IT officer sets up the security and audit administrators from the web
/// form, once each, within the separation of the three administrators; after that, further
/// administrators' accounts come from the server's command line only.
final class AdministratorSetUpTests: XCTestCase {
    func testTheSystemAdministratorCreatesEachVacantAdministratorOnceAndSeesItsPasswordOnce() async throws {
        try await withApp { app in
            // setup: only the system administrator exists
            let system = try await BrowserSession.signIn(app, grant: .systemAdministrator, username: "it.officer")
            let before = try await system.send(.GET, "/admin/users")
            // act
            let security = try await system.send(.POST, "/admin/users", form: ["username": "sec.first", "role": "security_administrator"])
            let secondSecurity = try await system.send(.POST, "/admin/users", form: ["username": "sec.second", "role": "security_administrator"])
            let audit = try await system.send(.POST, "/admin/users", form: ["username": "audit.first", "role": "audit_administrator"])
            let systemRole = try await system.send(.POST, "/admin/users", form: ["username": "sys.second", "role": "system_administrator"])
            let after = try await system.send(.GET, "/admin/users")
            // check: before, the set-up is offered; each vacant role filled once, its password shown once
            XCTAssertTrue(before.body.string.contains("尚未设立：安全管理员，审计管理员"), before.body.string)
            XCTAssertTrue(before.body.string.contains(#"value="security_administrator""#))
            XCTAssertEqual(security.status, .ok, security.body.string)
            XCTAssertTrue(security.body.string.contains(#"id="one-time-password""#), "the one-time password is shown")
            XCTAssertEqual(audit.status, .ok, audit.body.string)
            XCTAssertEqual(secondSecurity.status, .forbidden)
            XCTAssertTrue(secondSecurity.body.string.contains("该管理员角色已有人担任"), secondSecurity.body.string)
            XCTAssertEqual(systemRole.status, .unprocessableEntity)
            XCTAssertFalse(after.body.string.contains(#"value="security_administrator""#), "no longer offered once held")
            XCTAssertFalse(after.body.string.contains("尚未设立"))
            let accounts = try await app.shegong.accounts().accounts()
            XCTAssertEqual(accounts.first { $0.username == "sec.first" }?.role, .securityAdministrator)
            XCTAssertEqual(accounts.first { $0.username == "audit.first" }?.role, .auditAdministrator)
            XCTAssertNil(accounts.first { $0.username == "sec.second" })
            XCTAssertEqual(accounts.first { $0.username == "sec.first" }?.mustChangePassword, true)
        }
    }

    func testOnlyTheSystemAdministratorMaySetUpAdministrators() async throws {
        try await withApp { app in
            // setup: a security administrator, the audit role still vacant
            let security = try await BrowserSession.signIn(app, grant: .securityAdministrator, username: "sec.admin")
            try await security.send(.GET, "/admin/users")
            // act
            let refused = try await security.send(.POST, "/admin/users", form: ["username": "audit.mine", "role": "audit_administrator"])
            // check
            XCTAssertEqual(refused.status, .forbidden)
            let accounts = try await app.shegong.accounts().accounts()
            XCTAssertNil(accounts.first { $0.username == "audit.mine" })
        }
    }
}
