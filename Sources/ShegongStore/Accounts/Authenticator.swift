import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Turns what a request carries — a session cookie value or an `Authorization: Bearer` token —
/// into the `Principal` it stands for, or nil. The web layer calls it once per request; the
/// account is read every time, so a disabled account or a changed grant takes effect at once.
public struct Authenticator: Sendable {
    let db: any Database
    let settings: AccountSettings
    let audit: AuditLog
    /// Session expiry and touches, token use and refusals are writes: through the one queue.
    let writes: WriteQueue

    public init(db: any Database, settings: AccountSettings, audit: AuditLog, writes: WriteQueue) {
        self.db = db
        self.writes = writes
        self.settings = settings
        self.audit = audit
    }

    /// The session's principal, if the session exists, has not been idle for
    /// `sessionIdleTimeout`, is younger than `sessionAbsoluteTimeout`, and its account is enabled.
    /// An expired session is deleted (and audited) when it is next presented.
    public func principal(sessionToken: String, ip: String? = nil, now: Date = Date()) async throws -> Principal? {
        guard !sessionToken.isEmpty, sessionToken.count <= 128 else { return nil }
        let id = Secret.digest(sessionToken)
        var columns = StoredAccount.qualifiedColumns("u")
        columns += [SQLAlias(SQLColumn("created_at", table: "s"), as: SQLIdentifier("session_created_at")),
                    SQLAlias(SQLColumn("last_seen_at", table: "s"), as: SQLIdentifier("session_last_seen_at"))]
        guard let row = try await db.sql.select().columns(columns).from(SQLAlias(SQLIdentifier("sessions"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "s"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("id", table: "s"), .equal, SQLBind(id)).first() else { return nil }
        let stored = try StoredAccount(row: row)
        let created = Timestamp.date(try row.decode(column: "session_created_at")) ?? .distantPast
        let lastSeen = Timestamp.date(try row.decode(column: "session_last_seen_at")) ?? .distantPast
        let idle = now.timeIntervalSince(lastSeen) >= settings.sessionIdleTimeout
        let old = now.timeIntervalSince(created) >= settings.sessionAbsoluteTimeout
        if idle || old || stored.account.disabled {
            try await writes.transaction(on: db) { tx in
                try await tx.sql.delete(from: "sessions").where("id", .equal, id).run()
                try await audit.append(on: tx.sql, AuditEntry(at: now, actor: stored.account.username, ip: ip, action: .sessionExpired, objectType: "user",
                                                              objectID: stored.account.username,
                                                              details: stored.account.disabled ? "account disabled" : idle ? "idle" : "absolute"))
            }
            return nil
        }
        if now.timeIntervalSince(lastSeen) >= settings.sessionTouchInterval {
            try await writes.transaction(on: db) { tx in
                try await tx.sql.update("sessions").set("last_seen_at", to: Timestamp.string(now)).where("id", .equal, id).run()
            }
        }
        return stored.principal(credential: .session(id: id), settings: settings, now: now)
    }

    /// The token owner's principal, if the token exists, is not revoked and its owner is enabled,
    /// not an administrator (administrators hold no tokens; one made before this rule opens
    /// nothing) and not awaiting a password. API tokens do not expire by themselves; they are
    /// revoked. A token that opens nothing is audited with the address (`security.token_invalid`).
    public func principal(bearerToken: String, ip: String? = nil, now: Date = Date()) async throws -> Principal? {
        func refuse(_ reason: String, owner: String? = nil) async throws -> Principal? {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: owner ?? "anonymous", ip: ip, action: .tokenInvalid, objectType: "api_token",
                                                      objectID: nil, result: .denied, details: reason))
            return nil
        }
        guard !bearerToken.isEmpty, bearerToken.count <= 128 else { return try await refuse("malformed") }
        let hash = Secret.digest(bearerToken)
        var columns = StoredAccount.qualifiedColumns("u")
        columns += [SQLAlias(SQLColumn("id", table: "t"), as: SQLIdentifier("token_id")),
                    SQLAlias(SQLColumn("last_used_at", table: "t"), as: SQLIdentifier("token_last_used_at")),
                    SQLAlias(SQLColumn("revoked_at", table: "t"), as: SQLIdentifier("token_revoked_at"))]
        guard let row = try await db.sql.select().columns(columns).from(SQLAlias(SQLIdentifier("api_tokens"), as: SQLIdentifier("t")))
            .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "t"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("token_hash", table: "t"), .equal, SQLBind(hash)).first() else { return try await refuse("unknown") }
        let stored = try StoredAccount(row: row)
        let owner = stored.account.username
        guard try row.decode(column: "token_revoked_at", as: String?.self) == nil else { return try await refuse("revoked", owner: owner) }
        guard !stored.account.disabled else { return try await refuse("owner disabled", owner: owner) }
        guard !stored.account.role.isAdministrator else { return try await refuse("owner is an administrator", owner: owner) }
        guard stored.hasUsablePassword else { return try await refuse("owner awaiting a password", owner: owner) }
        let tokenID: String = try row.decode(column: "token_id")
        let lastUsed = try row.decode(column: "token_last_used_at", as: String?.self).flatMap(Timestamp.date)
        if lastUsed.map({ now.timeIntervalSince($0) >= settings.sessionTouchInterval }) ?? true {
            try await writes.transaction(on: db) { tx in
                try await tx.sql.update("api_tokens").set("last_used_at", to: Timestamp.string(now)).where("id", .equal, tokenID).run()
            }
        }
        var principal = stored.principal(credential: .apiToken(id: tokenID), settings: settings, now: now)
        // A token is for programs: the password and TOTP prompts are for people at a browser, and
        // a token does not depend on the password (a program keeps working when it expires).
        principal.mustEnrolTOTP = false
        principal.mustChangePassword = false
        return principal
    }

    /// The value of an `Authorization` header: `Bearer <token>`.
    public func principal(authorization header: String, ip: String? = nil, now: Date = Date()) async throws -> Principal? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: "anonymous", ip: ip, action: .tokenInvalid, objectType: "api_token",
                                                      objectID: nil, result: .denied, details: "not a bearer token"))
            return nil
        }
        return try await principal(bearerToken: parts[1].trimmingCharacters(in: .whitespaces), ip: ip, now: now)
    }

    /// Ends the session on the server (the cookie alone is not trusted to go away).
    public func logout(sessionToken: String, ip: String? = nil, now: Date = Date()) async throws {
        let id = Secret.digest(sessionToken)
        try await writes.transaction(on: db) { tx in
            guard let row = try await tx.sql.select().column(SQLColumn("username", table: "u"))
                .from(SQLAlias(SQLIdentifier("sessions"), as: SQLIdentifier("s")))
                .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "s"), .equal, SQLColumn("id", table: "u"))
                .where(SQLColumn("id", table: "s"), .equal, SQLBind(id)).first() else { return }
            let username: String = try row.decode(column: "username")
            try await tx.sql.delete(from: "sessions").where("id", .equal, id).run()
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: username, ip: ip, action: .logout, objectType: "user", objectID: username))
        }
    }
}
