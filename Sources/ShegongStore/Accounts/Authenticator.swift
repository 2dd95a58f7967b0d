import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Turns what a request carries — a session cookie value or an `Authorization: Bearer` token —
/// into the `Principal` it stands for, or nil. The web layer calls it once per request. The
/// credential, its account and the account's grant come from one indexed read (`credential`);
/// with a `PrincipalCache` (the web server's), a principal resolved within the last second is used
/// again while the accounts' generation (as last read, at most a fifth of a second ago) is
/// unchanged, so a disabled account, a revoked token or a new grant takes effect on the next request
/// of the server that made the change and within a fifth of a second on every other
/// (docs/security.md).
public struct Authenticator: Sendable {
    let db: any Database
    let settings: AccountSettings
    let audit: AuditLog
    /// Session expiry and touches, token use and refusals are writes: through the one queue.
    let writes: WriteQueue
    /// This server's principals of the last second; nil reads the credential every time (the
    /// operator commands, the store's own callers).
    let cache: PrincipalCache?

    public init(db: any Database, settings: AccountSettings, audit: AuditLog, writes: WriteQueue, cache: PrincipalCache? = nil) {
        self.db = db
        self.writes = writes
        self.settings = settings
        self.audit = audit
        self.cache = cache
    }

    /// A session or token row with its account: what one indexed read returns.
    struct CredentialRecord {
        var stored: StoredAccount
        /// The token's record id (for a session, its id is the digest already known).
        var tokenID: String?
        var createdAt: Date
        var lastSeenAt: Date?
        var revoked: Bool
    }

    enum CredentialKind {
        case session, apiToken
    }

    /// The credential whose digest is `digest`, joined with its account (and so its grant and
    /// scope): one read by the primary key of `sessions` or the unique `token_hash` of `api_tokens`.
    func credential(_ kind: CredentialKind, digest: String) async throws -> CredentialRecord? {
        let (table, key, seen): (String, String, String) = switch kind {
        case .session: ("sessions", "id", "last_seen_at")
        case .apiToken: ("api_tokens", "token_hash", "last_used_at")
        }
        var columns = StoredAccount.qualifiedColumns("u")
        columns += [SQLAlias(SQLColumn("id", table: "c"), as: SQLIdentifier("credential_id")),
                    SQLAlias(SQLColumn("created_at", table: "c"), as: SQLIdentifier("credential_created_at")),
                    SQLAlias(SQLColumn(seen, table: "c"), as: SQLIdentifier("credential_seen_at"))]
        if kind == .apiToken { columns.append(SQLAlias(SQLColumn("revoked_at", table: "c"), as: SQLIdentifier("credential_revoked_at"))) }
        guard let row = try await db.sql.select().columns(columns).from(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "c"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn(key, table: "c"), .equal, SQLBind(digest)).first() else { return nil }
        return CredentialRecord(
            stored: try StoredAccount(row: row),
            tokenID: kind == .apiToken ? try row.decode(column: "credential_id", as: String.self) : nil,
            createdAt: Timestamp.date(try row.decode(column: "credential_created_at")) ?? .distantPast,
            lastSeenAt: try row.decode(column: "credential_seen_at", as: String?.self).flatMap(Timestamp.date),
            revoked: kind == .apiToken ? try row.decode(column: "credential_revoked_at", as: String?.self) != nil : false)
    }

    /// The accounts' generation to check cached principals against, or nil without a cache: the
    /// cache's lease if it stands at `now`, else read (and leased).
    func generation(now: Date) async throws -> Int64? {
        guard let cache else { return nil }
        if let leased = cache.leasedGeneration(now: now) { return leased }
        let current = try await AuthGeneration.current(on: db.sql)
        cache.leaseGeneration(current, now: now)
        return current
    }

    /// The session's principal, if the session exists, has not been idle for
    /// `sessionIdleTimeout`, is younger than `sessionAbsoluteTimeout`, and its account is enabled.
    /// An expired session is deleted (and audited) when it is next presented.
    public func principal(sessionToken: String, ip: String? = nil, now: Date = Date()) async throws -> Principal? {
        guard !sessionToken.isEmpty, sessionToken.count <= 128 else { return nil }
        let id = Secret.digest(sessionToken)
        let generation = try await generation(now: now)
        if let generation, let cached = cache?.principal(for: "s:" + id, generation: generation, now: now) { return cached }
        guard let found = try await credential(.session, digest: id) else { return nil }
        let stored = found.stored
        let created = found.createdAt
        var lastSeen = found.lastSeenAt ?? .distantPast
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
            lastSeen = now
        }
        let principal = stored.principal(credential: .session(id: id), settings: settings, now: now)
        if let generation {
            // Never past the session's own end: idle (from its last touch) or absolute.
            let ends = min(lastSeen.addingTimeInterval(settings.sessionIdleTimeout), created.addingTimeInterval(settings.sessionAbsoluteTimeout))
            cache?.store(principal, for: "s:" + id, generation: generation, now: now, ends: ends)
        }
        return principal
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
        let generation = try await generation(now: now)
        if let generation, let cached = cache?.principal(for: "t:" + hash, generation: generation, now: now) { return cached }
        guard let found = try await credential(.apiToken, digest: hash), let tokenID = found.tokenID else { return try await refuse("unknown") }
        let stored = found.stored
        let owner = stored.account.username
        guard !found.revoked else { return try await refuse("revoked", owner: owner) }
        guard !stored.account.disabled else { return try await refuse("owner disabled", owner: owner) }
        guard !stored.account.role.isAdministrator else { return try await refuse("owner is an administrator", owner: owner) }
        guard stored.hasUsablePassword else { return try await refuse("owner awaiting a password", owner: owner) }
        if found.lastSeenAt.map({ now.timeIntervalSince($0) >= settings.sessionTouchInterval }) ?? true {
            try await writes.transaction(on: db) { tx in
                try await tx.sql.update("api_tokens").set("last_used_at", to: Timestamp.string(now)).where("id", .equal, tokenID).run()
            }
        }
        var principal = stored.principal(credential: .apiToken(id: tokenID), settings: settings, now: now)
        // A token is for programs: the password and TOTP prompts are for people at a browser, and
        // a token does not depend on the password (a program keeps working when it expires).
        principal.mustEnrolTOTP = false
        principal.mustChangePassword = false
        if let generation { cache?.store(principal, for: "t:" + hash, generation: generation, now: now) }
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
            // Another server may hold this session's principal: its next request must miss.
            try await AuthGeneration.raise(on: tx.sql, telling: cache)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: username, ip: ip, action: .logout, objectType: "user", objectID: username))
        }
    }
}
