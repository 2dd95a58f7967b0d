import Foundation
import SQLKit
import ShegongDomain
@testable import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Accounts on a real database (SQLite, or PostgreSQL with SHEGONG_TEST_DATABASE): login,
/// lockout, sessions, tokens, the first administrator, scopes. The clock is passed in.
final class AccountSessionTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)   // 2025-06-15, whole seconds
    let strong = "Jq-Suzhou-2025"

    func accounts(_ app: Application) throws -> AccountStore { try app.shegong.accounts() }

    /// An official over 酒泉市 whose one-time password has been changed to `strong`.
    func official(_ app: Application, name: String = "zhangsan") async throws -> (account: Account, session: LoginSession) {
        let store = try accounts(app)
        let created = try await store.create(username: name, grant: .official(region: try RegionCode.parse("620900").get(), access: .readWrite),
                                             actor: "test", now: Self.t0)
        guard case .success(let first) = try await store.login(username: name, password: created.oneTimePassword, now: Self.t0) else {
            throw XCTSkip("one-time password did not log in")
        }
        let session = try await store.changePassword(userID: created.account.id, current: created.oneTimePassword, new: strong, now: Self.t0)
        XCTAssertFalse(first.principal.mustChangePassword && session.principal.mustChangePassword)
        return (created.account, session)
    }

    func testTheFirstStartCreatesOneAdministratorWithAOneTimePassword() async throws {
        try await withApp { app in
            // act
            let store = try self.accounts(app)
            let first = try await store.bootstrapAdministrator(now: Self.t0)
            let second = try await store.bootstrapAdministrator(now: Self.t0)
            // check
            let admin = try XCTUnwrap(first)
            XCTAssertNil(second, "only when there is no account at all")
            XCTAssertEqual(admin.account.username, "admin")
            XCTAssertEqual(admin.account.role, .systemAdministrator)
            XCTAssertTrue(admin.account.mustChangePassword)
            XCTAssertEqual(admin.oneTimePassword.count, 16)
            XCTAssertTrue(store.policy.violations(of: admin.oneTimePassword, username: "admin").isEmpty)
            let hash = try await app.sql.raw("SELECT password_hash FROM users").first()!.decode(column: "password_hash", as: String.self)
            XCTAssertTrue(hash.hasPrefix("$2"), "bcrypt, never the password")
            XCTAssertFalse(hash.contains(admin.oneTimePassword))
            guard case .success(let session) = try await store.login(username: "admin", password: admin.oneTimePassword, now: Self.t0) else {
                return XCTFail("the one-time password logs in")
            }
            XCTAssertTrue(session.principal.mustChangePassword, "and must be changed at once")
            XCTAssertEqual(session.principal.scope, .noBusinessData)
        }
    }

    /// Two servers started together on one empty PostgreSQL database both find no account and both
    /// try to create `admin` (a CI run of scripts/two-servers): one creates it, the other starts
    /// without one, instead of stopping on the unique constraint.
    func testServersStartingTogetherCreateOneAdministratorAndNeitherFails() async throws {
        try await withApp { app in
            // act
            let store = try self.accounts(app)
            let created = try await withThrowingTaskGroup(of: CreatedAccount?.self) { group in
                for _ in 0..<6 { group.addTask { try await store.bootstrapAdministrator(now: Self.t0) } }
                return try await group.reduce(into: [CreatedAccount]()) { all, one in if let one { all.append(one) } }
            }
            // check
            XCTAssertEqual(created.count, 1)
            let rows = try await app.sql.raw("SELECT COUNT(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(rows, 1)
        }
    }

    /// The check behind it: a duplicate username that slips past the store's own check is still told
    /// as "taken", on either engine, and nothing else is.
    func testAUniqueViolationIsRecognisedOnEitherEngine() async throws {
        try await withApp { app in
            // setup
            _ = try await self.official(app, name: "lisi")
            // act
            var caught: (any Error)?
            do {
                try await app.sql.raw("INSERT INTO users (id, username, password_hash, role, must_change_password, password_changed_at, failed_attempts, disabled, created_at, created_by, updated_at) SELECT 'x' || id, username, password_hash, role, must_change_password, password_changed_at, failed_attempts, disabled, created_at, created_by, updated_at FROM users WHERE username = 'lisi'").run()
            } catch { caught = error }
            // check
            let error = try XCTUnwrap(caught, "the second lisi is refused by the database")
            XCTAssertTrue(WriteQueue.isUniqueViolation(error))
            XCTAssertFalse(WriteQueue.isUniqueViolation(StoreError(.conflict, code: "username.taken", "lisi")))
        }
    }

    func testLoginSucceedsFailsAndLocksAfterFiveFailuresForFifteenMinutes() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            _ = try await self.official(app)
            // act
            var outcomes: [LoginOutcome] = []
            for i in 0..<5 {
                outcomes.append(try await store.login(username: "zhangsan", password: "Wrong-Pass-\(i)", ip: "10.1.1.1", now: Self.t0.addingTimeInterval(Double(i))))
            }
            let whileLocked = try await store.login(username: "zhangsan", password: self.strong, now: Self.t0.addingTimeInterval(14 * 60))
            let afterLock = try await store.login(username: "ZhangSan", password: self.strong, now: Self.t0.addingTimeInterval(4 + 15 * 60))
            let unknown = try await store.login(username: "nobody", password: self.strong, now: Self.t0)
            let tooLong = try await store.login(username: "zhangsan", password: self.strong + String(repeating: "x", count: 80), now: Self.t0.addingTimeInterval(16 * 60))
            // check
            XCTAssertEqual(Array(outcomes.prefix(4)), Array(repeating: .failure(.invalidCredentials), count: 4))
            XCTAssertEqual(outcomes[4], .failure(.locked(until: Self.t0.addingTimeInterval(4 + 15 * 60))))
            XCTAssertEqual(whileLocked, .failure(.locked(until: Self.t0.addingTimeInterval(4 + 15 * 60))), "even the right password")
            guard case .success(let session) = afterLock else { return XCTFail("unlocked after 15 minutes: \(afterLock)") }
            XCTAssertEqual(session.principal.username, "zhangsan")
            XCTAssertFalse(session.principal.mustChangePassword)
            XCTAssertEqual(unknown, .failure(.invalidCredentials), "an unknown name answers like a wrong password")
            XCTAssertEqual(tooLong, .failure(.invalidCredentials), "a password over 72 bytes is never truncated to match")
            let account = try await store.account(username: "zhangsan")
            XCTAssertEqual(account?.failedAttempts, 1, "success reset the count; the long password counted once")
            let locks = try await store.audit.search(sql: app.sql, AuditQuery(action: "user.lock"))
            XCTAssertEqual(locks.count, 1)
            let failures = try await store.audit.search(sql: app.sql, AuditQuery(actor: "zhangsan", action: "session.login_failure"))
            XCTAssertEqual(failures.first?.entry.ip, nil)
            XCTAssertEqual(failures.last?.entry.ip, "10.1.1.1")
        }
    }

    func testEachLoginGetsANewSessionIdAndEndsThePreviousOne() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            let (_, first) = try await self.official(app)
            // act
            let outcome = try await store.login(username: "zhangsan", password: self.strong, replacing: first.token, now: Self.t0.addingTimeInterval(60))
            // check
            guard case .success(let second) = outcome else { return XCTFail("\(outcome)") }
            XCTAssertNotEqual(second.token, first.token)
            let old = try await store.authenticator.principal(sessionToken: first.token, now: Self.t0.addingTimeInterval(61))
            let new = try await store.authenticator.principal(sessionToken: second.token, now: Self.t0.addingTimeInterval(61))
            XCTAssertNil(old)
            XCTAssertEqual(new?.username, "zhangsan")
            let stored = try await app.sql.raw("SELECT id FROM sessions").all().map { try $0.decode(column: "id", as: String.self) }
            XCTAssertFalse(stored.contains(second.token), "only the hash of the cookie is stored")
        }
    }

    /// Issue #12's load run: a sign-in waited for two turns of the write queue (its address's
    /// attempt, then its session) behind every queued edit. It is one turn now, with the address
    /// limit counted in it, and an address over its limit is refused without writing.
    func testASignInIsOneWriteThatAlsoCountsItsAddress() async throws {
        try await withApp { app in
            // setup: a queue that counts its turns, a limit of two sign-ins a minute per address
            _ = try await self.official(app)
            let turns = TurnTally()
            var writes = app.shegong.writeQueue
            writes.observeWait = { _ in turns.add() }
            let store = AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: app.shegong.passwordHashing, writes: writes,
                                     settings: try app.shegong.accountSettings())
            let limiter = LoginRateLimiter(limit: 2, window: 60, addressKey: { "key-" + $0 })
            func signIn(_ password: String, after seconds: Double) async throws -> LoginOutcome {
                let at = Self.t0.addingTimeInterval(seconds)
                return try await store.login(username: "zhangsan", password: password, ip: "10.9.9.9",
                                             attempt: limiter.attempt(from: "10.9.9.9", at: at), now: at)
            }
            // act
            let right = try await signIn(self.strong, after: 0)
            let wrong = try await signIn("Wrong-Pass-1", after: 1)
            let third = try await signIn(self.strong, after: 2)
            // check
            guard case .success = right else { return XCTFail("\(right)") }
            XCTAssertEqual(wrong, .failure(.invalidCredentials))
            XCTAssertEqual(third, .failure(.rateLimited(retryAfter: 58)), "the address's third sign-in in a minute")
            XCTAssertEqual(turns.count, 2, "one write turn for each counted sign-in, none for the refused one")
            let recorded = try await app.count("login_attempts")
            XCTAssertEqual(recorded, 2)
            let account = try await store.account(username: "zhangsan")
            XCTAssertEqual(account?.failedAttempts, 1, "the refused sign-in did not count against the account")
        }
    }

    func testSessionsEndAfterThirtyIdleMinutesAndTwelveHoursInAll() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            let auth = store.authenticator
            let (_, idle) = try await self.official(app)
            // act: used every 29 minutes for 12 hours
            var t = Self.t0
            var alive = true
            while t < Self.t0.addingTimeInterval(12 * 3600 - 29 * 60) {
                t = t.addingTimeInterval(29 * 60)
                let principal = try await auth.principal(sessionToken: idle.token, now: t)
                alive = alive && principal != nil
            }
            let atTwelveHours = try await auth.principal(sessionToken: idle.token, now: Self.t0.addingTimeInterval(12 * 3600))
            guard case .success(let other) = try await store.login(username: "zhangsan", password: self.strong, now: Self.t0) else { return XCTFail() }
            let after29 = try await auth.principal(sessionToken: other.token, now: Self.t0.addingTimeInterval(29 * 60))
            let after29plus30 = try await auth.principal(sessionToken: other.token, now: Self.t0.addingTimeInterval(59 * 60))
            let gone = try await auth.principal(sessionToken: other.token, now: Self.t0.addingTimeInterval(60 * 60))
            // check
            XCTAssertTrue(alive, "activity keeps a session alive")
            XCTAssertNil(atTwelveHours, "absolute timeout")
            XCTAssertNotNil(after29)
            XCTAssertNil(after29plus30, "30 minutes without a request")
            XCTAssertNil(gone, "an ended session stays ended")
            let expired = try await store.audit.search(sql: app.sql, AuditQuery(action: "session.expired"))
            XCTAssertEqual(Set(expired.compactMap(\.entry.details)), ["idle", "absolute"])
        }
    }

    func testLogoutPasswordChangeAndDisablingEndSessions() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            let auth = store.authenticator
            let (account, a) = try await self.official(app)
            func login() async throws -> String {
                guard case .success(let s) = try await store.login(username: "zhangsan", password: self.strong, now: Self.t0) else { throw XCTSkip("login") }
                return s.token
            }
            let b = try await login(), c = try await login()
            // act + check: logout ends that session only
            try await auth.logout(sessionToken: a.token, ip: "10.0.0.9", now: Self.t0)
            var live = try await auth.principal(sessionToken: a.token, now: Self.t0)
            XCTAssertNil(live)
            live = try await auth.principal(sessionToken: b, now: Self.t0)
            XCTAssertNotNil(live)
            // a password change ends every session and starts one new one
            let changed = try await store.changePassword(userID: account.id, current: self.strong, new: "Jq-Dunhuang-2026", now: Self.t0)
            live = try await auth.principal(sessionToken: b, now: Self.t0)
            XCTAssertNil(live)
            live = try await auth.principal(sessionToken: c, now: Self.t0)
            XCTAssertNil(live)
            live = try await auth.principal(sessionToken: changed.token, now: Self.t0)
            XCTAssertNotNil(live)
            // disabling ends it too, and the account cannot log in
            try await store.disable(username: "zhangsan", actor: "cli", now: Self.t0)
            live = try await auth.principal(sessionToken: changed.token, now: Self.t0)
            XCTAssertNil(live)
            let refused = try await store.login(username: "zhangsan", password: "Jq-Dunhuang-2026", now: Self.t0)
            XCTAssertEqual(refused, .failure(.disabled))
            let sessions = try await app.count("sessions")
            XCTAssertEqual(sessions, 0)
        }
    }

    func testPasswordChangeNamesTheUnmetRules() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            let (account, _) = try await self.official(app)
            // act
            var caught: StoreError?
            do { _ = try await store.changePassword(userID: account.id, current: self.strong, new: "woaini1314", now: Self.t0) }
            catch let error as StoreError { caught = error }
            var wrongCurrent: StoreError?
            do { _ = try await store.changePassword(userID: account.id, current: "Not-The-One-1", new: "Jq-Dunhuang-2026", now: Self.t0) }
            catch let error as StoreError { wrongCurrent = error }
            // check
            XCTAssertEqual(caught?.details.map(\.code), ["password.too_few_classes", "password.common"])
            XCTAssertTrue(caught?.message.contains("常见") ?? false)
            XCTAssertEqual(wrongCurrent?.code, "password.current_wrong")
        }
    }

    func testPasswordsExpireAfterNinetyDays() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            _ = try await self.official(app)
            // act
            let day89 = try await store.login(username: "zhangsan", password: self.strong, now: Self.t0.addingTimeInterval(89 * 86_400))
            let day90 = try await store.login(username: "zhangsan", password: self.strong, now: Self.t0.addingTimeInterval(90 * 86_400))
            // check
            guard case .success(let before) = day89, case .success(let after) = day90 else { return XCTFail("\(day89) \(day90)") }
            XCTAssertFalse(before.principal.mustChangePassword)
            XCTAssertTrue(after.principal.mustChangePassword)
        }
    }

    func testTOTPIsASecondFactorAndEachCodeWorksOnce() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            let (account, _) = try await self.official(app)
            let totp = TOTP.generate()
            try await store.enableTOTP(userID: account.id, secret: totp, code: totp.code(at: Self.t0), now: Self.t0)
            let later = Self.t0.addingTimeInterval(300)
            // act
            let noCode = try await store.login(username: "zhangsan", password: self.strong, now: later)
            let wrong = try await store.login(username: "zhangsan", password: self.strong, totpCode: "000000" == totp.code(at: later) ? "111111" : "000000", now: later)
            let right = try await store.login(username: "zhangsan", password: self.strong, totpCode: totp.code(at: later), now: later)
            let replay = try await store.login(username: "zhangsan", password: self.strong, totpCode: totp.code(at: later), now: later.addingTimeInterval(5))
            // check
            XCTAssertEqual(noCode, .failure(.secondFactorRequired))
            XCTAssertEqual(wrong, .failure(.secondFactorInvalid))
            guard case .success = right else { return XCTFail("\(right)") }
            XCTAssertEqual(replay, .failure(.secondFactorInvalid), "RFC 6238 §5.2: a code is accepted once")
            let sealed = try await app.sql.raw("SELECT totp_secret FROM users WHERE username = 'zhangsan'").first()!.decode(column: "totp_secret", as: String.self)
            XCTAssertNotEqual(sealed, totp.base32, "sealed at rest")
        }
    }

    func testAnAPITokenAuthenticatesAsItsOwnerUntilRevoked() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            let auth = store.authenticator
            _ = try await self.official(app)
            // act
            let created = try await store.createToken(username: "zhangsan", name: "报表脚本", actor: "cli", now: Self.t0)
            let before = try await auth.principal(authorization: "Bearer \(created.secret)", now: Self.t0)
            try await store.revokeToken(id: created.token.id, owner: "zhangsan", actor: "zhangsan", now: Self.t0)
            let after = try await auth.principal(authorization: "Bearer \(created.secret)", now: Self.t0)
            let forged = try await auth.principal(bearerToken: AccountStore.tokenPrefix + "AAAA", now: Self.t0)
            // check
            XCTAssertTrue(created.secret.hasPrefix("sgt_"))
            XCTAssertEqual(before?.username, "zhangsan")
            XCTAssertEqual(before?.credential, .apiToken(id: created.token.id))
            XCTAssertEqual(before?.scope, .region(RegionSubtree(code: "620900", level: .city), access: .readWrite), "scoped like its owner")
            XCTAssertNil(after)
            XCTAssertNil(forged)
            let stored = try await app.sql.raw("SELECT token_hash FROM api_tokens").first()!.decode(column: "token_hash", as: String.self)
            XCTAssertNotEqual(stored, created.secret)
            let listed = try await store.tokens(username: "zhangsan")
            XCTAssertNotNil(listed.first?.revokedAt)
        }
    }

    func testADisabledOwnersTokenStopsWorking() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            _ = try await self.official(app)
            let created = try await store.createToken(username: "zhangsan", name: "sync", actor: "cli", now: Self.t0)
            // act
            try await store.disable(username: "zhangsan", actor: "cli", now: Self.t0)
            // check
            let principal = try await store.authenticator.principal(bearerToken: created.secret, now: Self.t0)
            XCTAssertNil(principal)
        }
    }

    func testAnAccountHoldsOneRoleAndGrantsCheckTheirReferences() async throws {
        try await withApp { app in
            // setup
            let store = try self.accounts(app)
            let audit = try await store.create(username: "shenji", grant: .auditAdministrator, actor: "cli", now: Self.t0)
            // act: the security administrator makes the auditor an official instead: the role is replaced, never added
            try await store.setGrant(username: "shenji", grant: .official(region: try RegionCode.parse("620902").get(), access: .read),
                                     actor: "anquan", now: Self.t0)
            var unknownRegion: StoreError?
            do { _ = try await store.create(username: "nobody", grant: .official(region: try RegionCode.parse("999999").get(), access: .read), actor: "cli") }
            catch let error as StoreError { unknownRegion = error }
            var unknownOrg: StoreError?
            do { _ = try await store.create(username: "org", grant: .organizationManager(organization: "91620900MA00000000"), actor: "cli") }
            catch let error as StoreError { unknownOrg = error }
            var taken: StoreError?
            do { _ = try await store.create(username: "SHENJI", grant: .securityAdministrator, actor: "cli") }
            catch let error as StoreError { taken = error }
            // check
            XCTAssertEqual(audit.account.role, .auditAdministrator)
            let changed = try await store.account(username: "shenji")
            XCTAssertEqual(changed?.role, .official)
            XCTAssertEqual(unknownRegion?.code, "grant.region.unknown")
            XCTAssertEqual(unknownOrg?.code, "grant.organization.unknown")
            XCTAssertEqual(taken?.code, "username.taken", "usernames are unique without case")
            let roles = try await app.sql.raw("SELECT role FROM users WHERE username = 'shenji'").all()
            XCTAssertEqual(roles.count, 1, "one row, one role column")
        }
    }

    func testScopesAnswerForRegionsAndGiveTheirSQLCondition() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let store = try self.accounts(app)
            _ = try await store.create(username: "jiuquan", grant: .official(region: try RegionCode.parse("620900").get(), access: .read), actor: "cli", now: Self.t0)
            guard case .success(let session) = try await store.login(username: "jiuquan", password: try await self.resetTo(app, "jiuquan"), now: Self.t0) else { return XCTFail() }
            let scope = session.principal.scope
            let regions = RegionStore(app.db)
            let suzhou = try await regions.region(code: "620902")!
            let jingzhou = try await regions.region(code: "421000")!
            // act
            let inScope = try await app.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("regions")
                .where(scope.regionCondition()).first()!.decode(column: "n", as: Int.self)
            let cityAndCounties = try await app.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("regions")
                .where("city_code", .equal, "620900").first()!.decode(column: "n", as: Int.self)
            let people = try await app.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("people")
                .where(scope.peopleCondition()).first()!.decode(column: "n", as: Int.self)
            let none = try await app.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("regions")
                .where(Scope.noBusinessData.regionCondition()).first()!.decode(column: "n", as: Int.self)
            // check
            XCTAssertEqual(scope, .region(RegionSubtree(code: "620900", level: .city), access: .read))
            XCTAssertTrue(scope.mayRead(region: suzhou.path))
            XCTAssertFalse(scope.mayWrite(region: suzhou.path), "read-only official")
            XCTAssertFalse(scope.mayRead(region: jingzhou.path))
            XCTAssertTrue(scope.mayRead(person: "p", region: suzhou.path, organization: nil))
            XCTAssertFalse(scope.mayRead(person: "p", region: jingzhou.path, organization: nil))
            XCTAssertEqual(inScope, cityAndCounties)
            XCTAssertGreaterThan(inScope, 5, "the city, its counties, townships and communities")
            XCTAssertEqual(people, 0)
            XCTAssertEqual(none, 0, "administrators see no business data")
            XCTAssertTrue(Scope.organization(id: "o1").mayWrite(person: "p", region: jingzhou.path, organization: "o1"))
            XCTAssertFalse(Scope.person(id: "p").mayWrite(person: "p", region: jingzhou.path, organization: nil), "own record, read only")
        }
    }

    /// An office that changes `SHEGONG_PASSWORD_HASH_COST` (or upgrades from the old default of
    /// 12) gets it on every account as its people sign in, not only on new passwords.
    func testASignInMakesAHashOfAnotherCostAnewAtTheConfiguredOne() async throws {
        try await withApp { app in
            // arrange: a password set while the cost was 4
            func store(cost: Int) -> AccountStore {
                AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: BcryptPasswordHashing(cost: cost), writes: app.shegong.writeQueue)
            }
            let created = try await store(cost: 4).create(username: "lisi", grant: .nationalOfficial(.read), actor: "test", now: Self.t0)
            _ = try await store(cost: 4).changePassword(userID: created.account.id, current: created.oneTimePassword, new: strong, now: Self.t0)
            func storedHash() async throws -> String {
                try await app.sql.select().column("password_hash").from("users").where("username", .equal, "lisi").first()!
                    .decode(column: "password_hash", as: String.self)
            }
            // act: a wrong password, then the right one, then the right one again, all at cost 5
            _ = try await store(cost: 5).login(username: "lisi", password: "Wrong-Pass-1", now: Self.t0)
            let unchanged = try await storedHash()
            guard case .success = try await store(cost: 5).login(username: "lisi", password: strong, now: Self.t0) else {
                return XCTFail("the password set at cost 4 still signs in")
            }
            let remade = try await storedHash()
            guard case .success = try await store(cost: 5).login(username: "lisi", password: strong, now: Self.t0) else {
                return XCTFail("and signs in at the new cost")
            }
            // check
            XCTAssertTrue(unchanged.hasPrefix("$2b$04$"), "a wrong password changes nothing: \(unchanged)")
            XCTAssertTrue(remade.hasPrefix("$2b$05$"), remade)
            let again = try await storedHash()
            XCTAssertEqual(again, remade, "a hash of the configured cost is kept")
            let details = try await app.auditRows("session.login").map(\.details)
            XCTAssertEqual(details.filter { $0?.contains("password hash made anew") == true }.count, 1, "\(details)")
        }
    }

    /// The new hash is made after the check and before the sign-in's transaction; a password
    /// changed in between ended every session and must stay changed, with no session of the old.
    func testAPasswordChangedDuringASignInStaysChangedAndTheSignInFails() async throws {
        try await withApp { app in
            // arrange
            let old = AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: BcryptPasswordHashing(cost: 4), writes: app.shegong.writeQueue)
            let created = try await old.create(username: "lisi", grant: .nationalOfficial(.read), actor: "test", now: Self.t0)
            _ = try await old.changePassword(userID: created.account.id, current: created.oneTimePassword, new: strong, now: Self.t0)
            let held = HeldRehash(cost: 5)
            let new = AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: held, writes: app.shegong.writeQueue)
            // act: a sign-in waits in its new hash while the owner changes the password
            let strong = strong
            let signIn = Task { try await new.login(username: "lisi", password: strong, now: Self.t0) }
            await Task.detached { held.entered.wait() }.value
            _ = try await old.changePassword(userID: created.account.id, current: strong, new: "Jq-Lanzhou-2026", now: Self.t0)
            held.gate.signal()
            let outcome = try await signIn.value
            // check
            XCTAssertEqual(outcome, .failure(.invalidCredentials), "no session after the password changed")
            let sessions = try await app.sql.select().column("id").from("sessions").where("user_id", .equal, created.account.id).all()
            XCTAssertEqual(sessions.count, 1, "only the owner's, from the change")
            let failures = try await app.auditRows("session.login_failure").map(\.details)
            XCTAssertEqual(failures, ["password changed during the sign-in"])
            guard case .success = try await old.login(username: "lisi", password: "Jq-Lanzhou-2026", now: Self.t0) else {
                return XCTFail("the changed password signs in")
            }
            let oldPassword = try await old.login(username: "lisi", password: strong, now: Self.t0)
            XCTAssertEqual(oldPassword, .failure(.invalidCredentials), "the old one does not come back")
            let details = try await app.auditRows("session.login").map(\.details)
            XCTAssertFalse(details.contains { $0?.contains("made anew") == true }, "\(details)")
        }
    }

    /// While hashes of a higher cost remain, a failed sign-in against a cheaper hash (an unknown
    /// name's dummy) waits the difference, so its time does not tell the names apart.
    func testAFailedSignInWaitsAsLongAsACheckAtTheHighestStoredCost() async throws {
        try await withApp { app in
            let bcrypt = BcryptPasswordHashing(cost: 4)
            XCTAssertEqual(bcrypt.cost(of: "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"), 12)
            XCTAssertEqual(bcrypt.cost(of: "$2y$05$"), 5)
            for odd in ["!awaiting-issue", "$2b$1$x", "$2b$ab$x", "2b$12$x", "$$12$x", "", "$2b$１２$x"] {
                XCTAssertNil(bcrypt.cost(of: odd), odd)
            }
            XCTAssertEqual(FailureTiming.wait(after: .milliseconds(120), ownCost: 11, highestCost: 12), .milliseconds(120))
            XCTAssertEqual(FailureTiming.wait(after: .milliseconds(100), ownCost: 10, highestCost: 12), .milliseconds(300))
            XCTAssertEqual(FailureTiming.wait(after: .milliseconds(120), ownCost: 12, highestCost: 12), .zero)
            let store = AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: bcrypt, writes: app.shegong.writeQueue)
            let nothing = try await store.highestStoredCost()
            XCTAssertNil(nothing, "no account, no hash")
            _ = try await store.create(username: "lisi", grant: .nationalOfficial(.read), actor: "test", now: Self.t0)
            let dearer = AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: BcryptPasswordHashing(cost: 6), writes: app.shegong.writeQueue)
            _ = try await dearer.create(username: "wangwu", grant: .nationalOfficial(.read), actor: "test", now: Self.t0)
            let highest = try await store.highestStoredCost()
            XCTAssertEqual(highest, 6)
        }
    }

    func testThePasswordHashCostIsElevenUnlessSetWithinTenToFourteen() throws {
        XCTAssertEqual(AccountSettings().passwordHashCost, 11)
        XCTAssertEqual(try AccountSettings(environment: ["SHEGONG_PASSWORD_HASH_COST": "12"]).passwordHashCost, 12)
        for refused in ["9", "15", "eleven"] {
            XCTAssertThrowsError(try ShegongSettings(environment: ["SHEGONG_PASSWORD_HASH_COST": refused]), refused) { error in
                XCTAssertTrue("\(error)".contains("SHEGONG_PASSWORD_HASH_COST"), "\(error)")
            }
        }
    }

    /// Resets an account to `strong` through the reset-and-change path and returns `strong`.
    func resetTo(_ app: Application, _ name: String) async throws -> String {
        let store = try accounts(app)
        let once = try await store.resetPassword(username: name, actor: "cli", now: Self.t0)
        let account = try await store.account(username: name)!
        _ = try await store.changePassword(userID: account.id, current: once, new: strong, now: Self.t0)
        return strong
    }
}

/// bcrypt whose hashing (a sign-in's new hash) waits for the test's signal, once it has said so.
private final class HeldRehash: PasswordHashing, @unchecked Sendable {
    let inner: BcryptPasswordHashing
    let entered = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
    init(cost: Int) { inner = BcryptPasswordHashing(cost: cost) }
    func hash(_ password: String) throws -> String {
        entered.signal()
        gate.wait()
        return try inner.hash(password)
    }
    func verify(_ password: String, against hash: String) throws -> Bool { try inner.verify(password, against: hash) }
    var hashCost: Int? { inner.hashCost }
    func cost(of hash: String) -> Int? { inner.cost(of: hash) }
}

/// How many times the write queue gave a turn.
private final class TurnTally: @unchecked Sendable {
    private let lock = NSLock()
    private var turns = 0
    var count: Int { lock.withLock { turns } }
    func add() { lock.withLock { turns += 1 } }
}
