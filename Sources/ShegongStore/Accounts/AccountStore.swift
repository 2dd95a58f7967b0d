import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Accounts: creation with a one-time password, the first administrator, passwords, TOTP,
/// disabling, grants. Every change is audited in its own transaction (issue #3 §3).
public struct AccountStore: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let hasher: any PasswordHashing
    public let settings: AccountSettings
    public let policy: PasswordPolicy
    public let audit: AuditLog
    /// Every write of accounts, sessions, tokens and their audit entries takes the process's one
    /// write queue (docs/operations.md, "One write path").
    public let writes: WriteQueue
    /// This server's principals (the web server's), told of each change made here so that its
    /// next request sees it (docs/security.md, "Principal cache"); nil where none is at hand.
    let principalCache: PrincipalCache?

    public init(db: any Database, cipher: PersonalDataCipher, hasher: any PasswordHashing, writes: WriteQueue,
                settings: AccountSettings = AccountSettings(), commonPasswords: Set<String> = AccountStore.commonPasswords,
                principalCache: PrincipalCache? = nil) {
        self.db = db
        self.writes = writes
        self.principalCache = principalCache
        self.cipher = cipher
        self.hasher = hasher
        self.settings = settings
        policy = PasswordPolicy(commonPasswords: commonPasswords)
        audit = AuditLog(cipher: cipher)
    }

    /// The list shipped in `Resources/accounts/common-passwords.txt` (`#` starts a comment line).
    public static let commonPasswords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources/accounts"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()

    var timingHash: TimingHash { .shared }

    public var authenticator: Authenticator { Authenticator(db: db, settings: settings, audit: audit, writes: writes) }

    // MARK: reading

    public func account(username: String) async throws -> Account? {
        try await stored(username: username, on: db.sql)?.account
    }

    public func account(id: String) async throws -> Account? {
        guard let row = try await db.sql.select().columns(StoredAccount.columns).from("users").where("id", .equal, id).first() else { return nil }
        return try StoredAccount(row: row).account
    }

    public func accounts() async throws -> [Account] {
        try await Self.accounts(on: db.sql)
    }

    /// Every account by username, as administrators see them (no hash, no secret): the accounts
    /// page and its export (`AccountService.export`), which reads without a password hasher.
    public static func accounts(on sql: any SQLDatabase) async throws -> [Account] {
        try await sql.select().columns(StoredAccount.columns).from("users").orderBy("username").all().map { try StoredAccount(row: $0).account }
    }

    func stored(username: String, on sql: any SQLDatabase) async throws -> StoredAccount? {
        let key = (try? Username.normalise(username).get()) ?? username.lowercased()
        guard let row = try await sql.select().columns(StoredAccount.columns).from("users").where("username", .equal, key).first() else { return nil }
        return try StoredAccount(row: row)
    }

    func require(username: String, on sql: any SQLDatabase) async throws -> StoredAccount {
        guard let found = try await stored(username: username, on: sql) else { throw StoreError.notFound(.user, username) }
        return found
    }

    // MARK: creating

    /// Creates an account with a random one-time password that must be changed at first login.
    /// Region, organisation (record id or USCC) and person must exist.
    /// The operator at the server (CLI, first start, demo, tests); signed-in administrators use
    /// `request(username:grant:by:)` (AccountStore+Separation.swift).
    public func create(username rawName: String, grant: Grant, actor: String, ip: String? = nil, now: Date = Date()) async throws -> CreatedAccount {
        let username = (try? Username.normalise(rawName).get()) ?? rawName
        var password = Secret.oneTimePassword()
        while !policy.violations(of: password, username: username).isEmpty { password = Secret.oneTimePassword() }
        let hash = try await hashed(password)
        let account = try await insert(username: rawName, grant: grant, passwordHash: hash, actor: actor, ip: ip, details: nil, now: now)
        return CreatedAccount(account: account, oneTimePassword: password)
    }

    /// Inserts an account (username checked and normalised, grant resolved) with its audit entry.
    func insert(username rawName: String, grant: Grant, passwordHash hash: String, actor: String, ip: String?, details: String?,
                now: Date) async throws -> Account {
        let username: String
        switch Username.normalise(rawName) {
        case .success(let name): username = name
        case .failure(let problem): throw StoreError(.invalid, code: problem.code, text: problem.text, details: [.init(field: problem.field, code: problem.code, text: problem.text)])
        }
        let id = RecordID.make(now: now)
        do {
            try await insertRow(id: id, username: username, grant: grant, passwordHash: hash, actor: actor, ip: ip, details: details, now: now)
        } catch where WriteQueue.isUniqueViolation(error) {
            // Another server (or command) created the same name between our check and our insert.
            guard try await stored(username: username, on: db.sql) != nil else { throw error }
            throw StoreError(.conflict, code: "username.taken", "\(username)")
        }
        guard let account = try await account(id: id) else { throw StoreError.notFound(.user, username) }
        return account
    }

    private func insertRow(id: String, username: String, grant: Grant, passwordHash hash: String, actor: String, ip: String?,
                           details: String?, now: Date) async throws {
        let stamp = Timestamp.string(now)
        try await writes.transaction(on: db) { tx in
            let sql = tx.sql
            if try await stored(username: username, on: sql) != nil {
                throw StoreError(.conflict, code: "username.taken", "\(username)")
            }
            let resolved = try await resolve(grant, on: sql)
            let scope = Self.scopeColumns(resolved.grant)
            try await sql.insert(into: "users")
                .columns("id", "username", "password_hash", "role", "region_code", "region_level", "access", "department", "organization_id",
                         "person_id", "must_change_password", "password_changed_at", "failed_attempts", "disabled", "created_at", "created_by", "updated_at",
                         "department_id")
                .values(id, username, hash, resolved.grant.role.rawValue, scope.region, resolved.level?.rawValue, scope.access, scope.department,
                        scope.organization, scope.person, true, stamp, 0, false, stamp, actor, stamp,
                        try await Self.departmentID(resolved.grant, on: sql))
                .run()
            try await audit.append(on: sql, AuditEntry(at: now, actor: actor, ip: ip, action: .userCreate, objectType: "user", objectID: username,
                                                       details: ([Self.describe(resolved.grant)] + [details].compactMap { $0 }).joined(separator: "; ")))
        }
    }

    /// First start: when there are no accounts at all, creates the system administrator `admin`
    /// with a one-time password for the caller to print once. No default password exists anywhere.
    /// Returns nil when any account exists. Two processes starting together cannot both create
    /// one: the username is unique.
    public func bootstrapAdministrator(username: String = "admin", now: Date = Date()) async throws -> CreatedAccount? {
        let count = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users").first()?
            .decode(column: "n", as: Int.self) ?? 0
        guard count == 0 else { return nil }
        do {
            return try await create(username: username, grant: .systemAdministrator, actor: "system", now: now)
        } catch let error as StoreError where error.code == "username.taken" {
            return nil
        }
    }

    /// Checks the references of a grant: the region exists (and gives its level), the
    /// organisation (record id or USCC) and the person exist. Returns the grant with the
    /// organisation's record id.
    func resolve(_ grant: Grant, on sql: any SQLDatabase) async throws -> (grant: Grant, level: RegionLevel?) {
        switch grant {
        case .official(let region, _), .departmentOperator(_, let region):
            var level = RegionLevel.nation
            if region != .nation {
                guard let row = try await sql.select().column("level").from("regions").where("code", .equal, region.value).first() else {
                    throw StoreError(.invalid, code: "grant.region.unknown", "\(region.value)",
                                     details: [.init(field: "region", code: "grant.region.unknown", "\(region.value)")])
                }
                level = RegionLevel(rawValue: try row.decode(column: "level", as: Int.self)) ?? region.level
            }
            if case .departmentOperator(let department, _) = grant {
                let record = try await Self.department(department, region: region, on: sql)
                return (.departmentOperator(department: record.name, region: region), level)
            }
            return (grant, level)
        case .organizationManager(let text):
            let row = try await sql.select().column("id").from("organizations")
                .where("id", .equal, text).orWhere("credit_code", .equal, text.uppercased()).first()
            guard let row else {
                throw StoreError(.invalid, code: "grant.organization.unknown", "\(text)",
                                 details: [.init(field: "organization", code: "grant.organization.unknown", text: .init("grant.organization.unknown.field", "\(text)"))])
            }
            return (.organizationManager(organization: try row.decode(column: "id")), nil)
        case .socialWorker(let person):
            guard try await sql.select().column("id").from("people").where("id", .equal, person).first() != nil else {
                throw StoreError(.invalid, code: "grant.person.unknown", "\(person)",
                                 details: [.init(field: "person", code: "grant.person.unknown", "\(person)")])
            }
            return (grant, nil)
        case .systemAdministrator, .securityAdministrator, .auditAdministrator:
            return (grant, nil)
        }
    }

    /// The department record of an operator's grant: `text` is a record's id (the account forms
    /// offer records) — of the operator's region or one above it, and active — or a name (the
    /// command line), resolved like a plan's (`DepartmentStore.resolve`).
    static func department(_ text: String, region: RegionCode, on sql: any SQLDatabase) async throws -> Department {
        let store = DepartmentStore(sql: sql)
        if let record = try await store.department(id: text) {
            guard DepartmentStore.chain(region).map(\.value).contains(record.regionCode), record.active else {
                throw StoreError(.invalid, code: "grant.department.region", record.name,
                                 details: [.init(field: "department", code: "grant.department.region", record.name)])
            }
            return record
        }
        return try await store.resolve(name: text, in: region)
    }

    /// The department record id of a resolved grant (nil for other roles).
    static func departmentID(_ grant: Grant, on sql: any SQLDatabase) async throws -> String? {
        guard case .departmentOperator(let name, let region) = grant else { return nil }
        return try await department(name, region: region, on: sql).id
    }

    static func scopeColumns(_ grant: Grant) -> (region: String?, access: String?, department: String?, organization: String?, person: String?) {
        switch grant {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator: return (nil, nil, nil, nil, nil)
        case .official(let region, let access): return (region.value, access.rawValue, nil, nil, nil)
        case .departmentOperator(let department, let region): return (region.value, nil, department, nil, nil)
        case .organizationManager(let id): return (nil, nil, nil, id, nil)
        case .socialWorker(let id): return (nil, nil, nil, nil, id)
        }
    }

    static func describe(_ grant: Grant) -> String {
        let c = scopeColumns(grant)
        return (["role=\(grant.role.rawValue)"] + [c.region.map { "region=\($0)" }, c.access.map { "access=\($0)" }, c.department.map { "department=\($0)" },
                                                    c.organization.map { "organization=\($0)" }, c.person.map { "person=\($0)" }].compactMap { $0 })
            .joined(separator: " ")
    }

    // MARK: changing

    /// Replaces an account's one grant (security administrator). Takes effect on this server's
    /// next request and within a fifth of a second on every other (`PrincipalCache`).
    public func setGrant(username: String, grant: Grant, actor: String, ip: String? = nil, now: Date = Date()) async throws {
        try await writes.transaction(on: db) { tx in
            let account = try await require(username: username, on: tx.sql)
            try await setGrant(target: account, grant: grant, actor: actor, ip: ip, now: now, on: tx.sql)
        }
    }

    func setGrant(target account: StoredAccount, grant: Grant, actor: String, ip: String?, now: Date, on sql: any SQLDatabase) async throws {
        let resolved = try await resolve(grant, on: sql)
        let c = Self.scopeColumns(resolved.grant)
        try await sql.update("users").set("role", to: resolved.grant.role.rawValue).set("region_code", to: c.region)
            .set("region_level", to: resolved.level?.rawValue).set("access", to: c.access).set("department", to: c.department)
            .set("department_id", to: try await Self.departmentID(resolved.grant, on: sql))
            .set("organization_id", to: c.organization).set("person_id", to: c.person).set("updated_at", to: Timestamp.string(now))
            .where("id", .equal, account.account.id).run()
        try await raiseGeneration(on: sql)
        try await audit.append(on: sql, AuditEntry(at: now, actor: actor, ip: ip, action: .grant, objectType: "user", objectID: account.account.username,
                                                   details: "\(Self.describe(account.account.grant)) -> \(Self.describe(resolved.grant))"))
    }

    /// Disables an account: it can no longer log in, its sessions end now and its API tokens stop working.
    public func disable(username: String, actor: String, ip: String? = nil, now: Date = Date()) async throws {
        try await setDisabled(true, username: username, actor: actor, ip: ip, now: now)
    }

    public func enable(username: String, actor: String, ip: String? = nil, now: Date = Date()) async throws {
        try await setDisabled(false, username: username, actor: actor, ip: ip, now: now)
    }

    func setDisabled(_ disabled: Bool, username: String, actor: String, ip: String?, now: Date) async throws {
        try await writes.transaction(on: db) { tx in
            let account = try await require(username: username, on: tx.sql)
            try await tx.sql.update("users").set("disabled", to: disabled).set("failed_attempts", to: 0).set("locked_until", to: String?.none)
                .set("updated_at", to: Timestamp.string(now)).where("id", .equal, account.account.id).run()
            let ended = disabled ? try await endSessions(userID: account.account.id, on: tx.sql) : 0
            try await raiseGeneration(on: tx.sql)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: actor, ip: ip, action: disabled ? .userDisable : .userEnable,
                                                          objectType: "user", objectID: account.account.username,
                                                          details: disabled ? "sessions_ended=\(ended)" : nil))
        }
    }

    /// Raises the accounts' generation in the caller's transaction (`AuthGeneration`).
    func raiseGeneration(on sql: any SQLDatabase) async throws {
        try await AuthGeneration.raise(on: sql, telling: principalCache)
    }

    /// Ends every session of an account; returns how many there were.
    func endSessions(userID: String, on sql: any SQLDatabase) async throws -> Int {
        let n = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sessions")
            .where("user_id", .equal, userID).first()?.decode(column: "n", as: Int.self) ?? 0
        try await sql.delete(from: "sessions").where("user_id", .equal, userID).run()
        // Callers change the account in the same transaction (password, disable): one raise covers both.
        try await raiseGeneration(on: sql)
        return n
    }

    /// The rules a new password breaks, as errors beside the field.
    public func check(newPassword: String, username: String) -> [StoreError.Detail] {
        policy.violations(of: newPassword, username: username).map { .init(field: "newPassword", code: $0.code, text: $0.text(policy)) }
    }

    /// Changes one's own password. Ends every session of the account (on every device) and
    /// returns a new session for the caller, so the person who changed it stays logged in.
    public func changePassword(userID: String, current: String, new: String, ip: String? = nil, now: Date = Date()) async throws -> LoginSession {
        guard let row = try await db.sql.select().columns(StoredAccount.columns).from("users").where("id", .equal, userID).first() else {
            throw StoreError.notFound(.user)
        }
        let stored = try StoredAccount(row: row)
        let username = stored.account.username
        guard current.utf8.count <= PasswordPolicy.maximumBytes, try await verified(current, against: stored.passwordHash) else {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: username, ip: ip, action: .passwordChange, objectType: "user",
                                                      objectID: username, result: .failure, details: "current password wrong"))
            throw StoreError(.invalid, code: "password.current_wrong",
                             details: [.init(field: "currentPassword", code: "password.current_wrong")])
        }
        var problems = check(newPassword: new, username: username)
        if new == current {
            problems.append(.init(field: "newPassword", code: "password.unchanged"))
        }
        guard problems.isEmpty else {
            throw StoreError(.invalid, code: "password.policy", text: .bilingual(chinese: problems.map { $0.message(.zhHans) }.joined(separator: "；"),
                                                                     english: problems.map { $0.message(.en) }.joined(separator: "; ")),
                             details: problems)
        }
        let hash = try await hashed(new)
        return try await writes.transaction(on: db) { tx in
            let stamp = Timestamp.string(now)
            try await tx.sql.update("users").set("password_hash", to: hash).set("must_change_password", to: false)
                .set("password_changed_at", to: stamp).set("updated_at", to: stamp).where("id", .equal, userID).run()
            let ended = try await endSessions(userID: userID, on: tx.sql)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: username, ip: ip, action: .passwordChange, objectType: "user",
                                                          objectID: username, details: "sessions_ended=\(ended)"))
            var updated = stored
            updated.account.mustChangePassword = false
            updated.account.passwordChangedAt = Timestamp.date(stamp) ?? now
            return try await Self.startSession(for: updated, ip: ip, settings: settings, now: now, on: tx.sql)
        }
    }

    /// An administrator resets a forgotten password: a new one-time password, sessions ended,
    /// lock cleared.
    public func resetPassword(username: String, actor: String, ip: String? = nil, now: Date = Date()) async throws -> String {
        var password = Secret.oneTimePassword()
        while !policy.violations(of: password, username: username).isEmpty { password = Secret.oneTimePassword() }
        let hash = try await hashed(password)
        try await writes.transaction(on: db) { tx in
            let account = try await require(username: username, on: tx.sql)
            let stamp = Timestamp.string(now)
            try await tx.sql.update("users").set("password_hash", to: hash).set("must_change_password", to: true)
                .set("password_changed_at", to: stamp).set("failed_attempts", to: 0).set("locked_until", to: String?.none)
                .set("updated_at", to: stamp).where("id", .equal, account.account.id).run()
            let ended = try await endSessions(userID: account.account.id, on: tx.sql)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: actor, ip: ip, action: .passwordReset, objectType: "user",
                                                          objectID: account.account.username, details: "sessions_ended=\(ended)"))
        }
        return password
    }

    // MARK: TOTP

    /// Turns on TOTP once the user shows a valid code from the new secret (so a mistyped
    /// secret cannot lock them out). Re-binding — the account already has TOTP — needs the current
    /// password and a current code of the authenticator bound now (issue #10 item 5): a session
    /// alone (a borrowed or stolen browser) cannot move the second factor to another phone.
    /// A refused re-binding is audited as a failure.
    public func enableTOTP(userID: String, secret: TOTP, code: String, currentPassword: String? = nil, currentCode: String? = nil,
                           ip: String? = nil, now: Date = Date()) async throws {
        guard let row = try await db.sql.select().columns(StoredAccount.columns).from("users").where("id", .equal, userID).first() else {
            throw StoreError.notFound(.user)
        }
        let stored = try StoredAccount(row: row)
        let username = stored.account.username
        var problems: [StoreError.Detail] = []
        if let sealed = stored.totpSecretSealed {
            let password = currentPassword ?? ""
            let passwordOK = try await verified(password.utf8.count <= PasswordPolicy.maximumBytes ? password : "", against: stored.passwordHash)
                && password.utf8.count <= PasswordPolicy.maximumBytes
            if !passwordOK { problems.append(.init(field: "currentPassword", code: "password.current_wrong")) }
            let current = try TOTP(base32: cipher.open(sealed))
            let step = current.flatMap { $0.matchingStep(currentCode ?? "", at: now) }
            if step.map({ Int64($0) <= (stored.totpLastStep ?? -1) }) ?? true {
                problems.append(.init(field: "currentCode", code: "totp.current_code_wrong"))
            }
        }
        let newStep = secret.matchingStep(code, at: now)
        if newStep == nil { problems.append(.init(field: "code", code: "totp.code_wrong", text: .init("totp.code_wrong.field"))) }
        guard let step = newStep, problems.isEmpty else {
            if stored.totpSecretSealed != nil {
                try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: username, ip: ip, action: .totpEnable, objectType: "user", objectID: username,
                                                          result: .failure, details: "re-binding refused: " + problems.map(\.code).joined(separator: ",")))
            }
            throw StoreError(.invalid, code: problems.first?.code ?? "totp.code_wrong", details: problems)
        }
        let sealed = try cipher.seal(secret.base32)
        try await writes.transaction(on: db) { tx in
            try await tx.sql.update("users").set("totp_secret", to: sealed).set("totp_last_step", to: Int64(step))
                .set("updated_at", to: Timestamp.string(now)).where("id", .equal, userID).run()
            try await raiseGeneration(on: tx.sql)   // an administrator's TOTP prompt ends
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: username, ip: ip, action: .totpEnable, objectType: "user", objectID: username,
                                                          details: stored.totpSecretSealed != nil ? "re-bound" : nil))
        }
    }

    /// Removes TOTP (an administrator, for a lost phone).
    public func disableTOTP(username: String, actor: String, ip: String? = nil, now: Date = Date()) async throws {
        try await writes.transaction(on: db) { tx in
            let account = try await require(username: username, on: tx.sql)
            try await tx.sql.update("users").set("totp_secret", to: String?.none).set("totp_last_step", to: Int64?.none)
                .set("updated_at", to: Timestamp.string(now)).where("id", .equal, account.account.id).run()
            try await raiseGeneration(on: tx.sql)   // an administrator's TOTP prompt returns
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: actor, ip: ip, action: .totpDisable, objectType: "user",
                                                          objectID: account.account.username))
        }
    }
}
