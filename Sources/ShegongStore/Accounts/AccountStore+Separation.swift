import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The separation of the three administrators (三员分立, MLPS level 3), enforced here so that every
/// caller — pages, any API, the CLI — obeys it (issue #10 item 5; docs/security.md):
///
/// - the system administrator manages accounts: requests new ones (business roles only), resets
///   passwords, disables and enables, removes TOTP;
/// - the security administrator grants roles and scopes, business roles only;
/// - the audit administrator reads the audit log;
/// - no administrator acts on an administrator's account (their own included): that stays with
///   the CLI on the server, audited as `cli`;
/// - **no administrator can on their own obtain a password that opens a business account**: the
///   system administrator's new accounts and resets leave the account without a usable password
///   ("awaiting issue"); only the security administrator's grant on such an account issues the
///   one-time password, and the security administrator cannot start that (cannot create or reset).
///   The one who starts it never sees the password; the one who sees it could not have started it.
///
/// Every refusal is an `AccountDenied` error and an audit entry with the result `denied`.
public struct AccountDenied: Error, Sendable, Equatable {
    public var code: String
    public var text: CatalogueMessage { CatalogueMessage(code) }
    public func message(_ language: Language) -> String { text.text(language) }
}

/// A signed-in administrator asking the account store for a change.
public struct AccountAdministrator: Sendable, Equatable {
    public var username: String
    public var role: Role
    public var ip: String?

    public init(username: String, role: Role, ip: String? = nil) {
        self.username = username
        self.role = role
        self.ip = ip
    }

    public init(_ principal: Principal, ip: String?) {
        self.init(username: principal.username, role: principal.role, ip: ip)
    }
}

extension AccountStore {
    /// Refuses (and audits as denied) unless `administrator` holds `role` and the target is a
    /// business account that is not their own.
    func authorise(_ administrator: AccountAdministrator, as role: Role, action: AuditAction, target: StoredAccount?, targetName: String,
                   now: Date) async throws {
        var refusal: String?
        if administrator.role != role {
            refusal = "account.denied.role"
        } else if let target, target.account.username == administrator.username {
            refusal = "account.denied.own_account"
        } else if let target, target.account.role.isAdministrator {
            refusal = "account.denied.administrator_account"
        }
        guard let refusal else { return }
        try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: administrator.username, ip: administrator.ip, action: action, objectType: "user",
                                                  objectID: targetName, result: .denied, details: refusal))
        throw AccountDenied(code: refusal)
    }

    /// The system administrator asks for a business account. It is created with the role and
    /// scope asked for but **without a usable password**: nothing is shown to the system
    /// administrator, and the account cannot log in until the security administrator confirms the
    /// grant (`grant(…)`), which issues the one-time password to them.
    public func request(username: String, grant: Grant, by administrator: AccountAdministrator, now: Date = Date()) async throws -> Account {
        try await authorise(administrator, as: .systemAdministrator, action: .userCreate, target: nil, targetName: username, now: now)
        if grant.role.isAdministrator {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: administrator.username, ip: administrator.ip, action: .userCreate,
                                                      objectType: "user", objectID: username, result: .denied, details: "account.denied.administrator_role"))
            throw AccountDenied(code: "account.denied.administrator_role")
        }
        let created = try await insert(username: username, grant: grant, passwordHash: StoredAccount.awaitingIssue, actor: administrator.username,
                                       ip: administrator.ip, details: "awaiting grant and password from the security administrator", now: now)
        return created
    }

    /// The administrator roles nobody holds yet among the security and audit administrators: the
    /// set-up still to be done after the first start created the system administrator.
    public func vacantAdministratorRoles() async throws -> [Role] {
        let held = try await db.sql.select().distinct().column("role").from("users")
            .where("role", .in, [Role.securityAdministrator.rawValue, Role.auditAdministrator.rawValue]).all()
            .compactMap { Role(rawValue: try $0.decode(column: "role", as: String.self)) }
        return [Role.securityAdministrator, .auditAdministrator].filter { !held.contains($0) }
    }

    /// Setting up (issue #17 §5, docs/security.md "Setting up"): while nobody holds the security
    /// (or the audit) administrator role, the system administrator may create that one account on
    /// the web and is shown its one-time password once — as the first start showed their own —
    /// to be changed at its first sign-in. Once the role is held, administrators' accounts are the
    /// server operator's again (`shegong user add`): from then on no administrator creates another.
    public func createVacantAdministrator(username: String, role: Role, by administrator: AccountAdministrator,
                                          now: Date = Date()) async throws -> CreatedAccount {
        try await authorise(administrator, as: .systemAdministrator, action: .userCreate, target: nil, targetName: username, now: now)
        let grant: Grant? = role == .securityAdministrator ? .securityAdministrator : role == .auditAdministrator ? .auditAdministrator : nil
        guard let grant, try await vacantAdministratorRoles().contains(role) else {
            let refusal = grant == nil ? "account.denied.administrator_role" : "account.denied.administrator_exists"
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: administrator.username, ip: administrator.ip, action: .userCreate,
                                                      objectType: "user", objectID: username, result: .denied, details: refusal))
            throw AccountDenied(code: refusal)
        }
        return try await create(username: username, grant: grant, actor: administrator.username, ip: administrator.ip, now: now)
    }

    /// The system administrator resets a business account's password: sessions end, the lock is
    /// cleared, and the account waits for the security administrator to issue a new one-time
    /// password (`grant(…)`). The system administrator never sees it.
    public func resetPassword(username: String, by administrator: AccountAdministrator, now: Date = Date()) async throws {
        let target = try await require(username: username, on: db.sql)
        try await authorise(administrator, as: .systemAdministrator, action: .passwordReset, target: target, targetName: username, now: now)
        try await writes.transaction(on: db) { tx in
            let stamp = Timestamp.string(now)
            try await tx.sql.update("users").set("password_hash", to: StoredAccount.awaitingIssue).set("must_change_password", to: true)
                .set("password_changed_at", to: stamp).set("failed_attempts", to: 0).set("locked_until", to: String?.none)
                .set("updated_at", to: stamp).where("id", .equal, target.account.id).run()
            let ended = try await endSessions(userID: target.account.id, on: tx.sql)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: administrator.username, ip: administrator.ip, action: .passwordReset,
                                                          objectType: "user", objectID: target.account.username,
                                                          details: "sessions_ended=\(ended); awaiting a new password from the security administrator"))
        }
    }

    /// The system administrator disables or enables a business account.
    public func setDisabled(_ disabled: Bool, username: String, by administrator: AccountAdministrator, now: Date = Date()) async throws {
        let target = try await require(username: username, on: db.sql)
        try await authorise(administrator, as: .systemAdministrator, action: disabled ? .userDisable : .userEnable, target: target,
                            targetName: username, now: now)
        try await setDisabled(disabled, username: username, actor: administrator.username, ip: administrator.ip, now: now)
    }

    /// The system administrator removes a business account's TOTP (a lost phone).
    public func disableTOTP(username: String, by administrator: AccountAdministrator, now: Date = Date()) async throws {
        let target = try await require(username: username, on: db.sql)
        try await authorise(administrator, as: .systemAdministrator, action: .totpDisable, target: target, targetName: username, now: now)
        try await disableTOTP(username: username, actor: administrator.username, ip: administrator.ip, now: now)
    }

    /// The security administrator sets a business account's grant (business roles only; never
    /// their own account or an administrator's). On an account awaiting its password this also
    /// issues the one-time password, returned here to be handed over; otherwise nil (the password
    /// stays the one its owner set, which no administrator knows).
    public func grant(username: String, grant: Grant, by administrator: AccountAdministrator, now: Date = Date()) async throws -> String? {
        let target = try await require(username: username, on: db.sql)
        try await authorise(administrator, as: .securityAdministrator, action: .grant, target: target, targetName: username, now: now)
        if grant.role.isAdministrator {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: administrator.username, ip: administrator.ip, action: .grant,
                                                      objectType: "user", objectID: username, result: .denied, details: "account.denied.administrator_role"))
            throw AccountDenied(code: "account.denied.administrator_role")
        }
        guard !target.hasUsablePassword else {
            try await setGrant(username: username, grant: grant, actor: administrator.username, ip: administrator.ip, now: now)
            return nil
        }
        var password = Secret.oneTimePassword()
        while !policy.violations(of: password, username: target.account.username).isEmpty { password = Secret.oneTimePassword() }
        let hash = try await hashed(password)
        try await writes.transaction(on: db) { tx in
            try await setGrant(target: target, grant: grant, actor: administrator.username, ip: administrator.ip, now: now, on: tx.sql)
            // Only if still awaiting: two grants at once issue one password, not two.
            let stamp = Timestamp.string(now)
            try await tx.sql.update("users").set("password_hash", to: hash).set("must_change_password", to: true).set("password_changed_at", to: stamp)
                .set("updated_at", to: stamp).where("id", .equal, target.account.id).where("password_hash", .equal, StoredAccount.awaitingIssue).run()
            try await raiseGeneration(on: tx.sql)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: administrator.username, ip: administrator.ip, action: .passwordIssue,
                                                          objectType: "user", objectID: target.account.username))
        }
        return password
    }
}

extension AuditAction {
    /// The security administrator issued the one-time password of an account awaiting one.
    public static let passwordIssue: AuditAction = "user.password_issue"
    /// A bearer token that opens nothing (unknown, revoked, its owner disabled or an administrator).
    public static let tokenInvalid: AuditAction = "security.token_invalid"
}
