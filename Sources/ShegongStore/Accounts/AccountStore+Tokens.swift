import FluentKit
import Foundation
import SQLKit

/// An API token as its owner sees it in a list (never the token itself).
public struct APIToken: Sendable, Equatable {
    public var id: String
    public var name: String
    public var username: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

public struct CreatedAPIToken: Sendable {
    public var token: APIToken
    /// Shown once; only its SHA-256 is stored.
    public var secret: String
}

extension AccountStore {
    /// Token prefix: makes a leaked token easy to recognise (and to search for in code and logs).
    public static let tokenPrefix = "sgt_"

    /// A token for `Authorization: Bearer`, scoped like its owner (it acts as the owner).
    public func createToken(username: String, name rawName: String, actor: String, ip: String? = nil, now: Date = Date()) async throws -> CreatedAPIToken {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...50).contains(name.count) else {
            throw StoreError(.invalid, code: "token.name", details: [.init(field: "name", code: "token.name")])
        }
        let secret = Self.tokenPrefix + Secret.token()
        let id = RecordID.make(now: now)
        let owner: StoredAccount = try await writes.transaction(on: db) { tx in
            let owner = try await require(username: username, on: tx.sql)
            guard !owner.account.disabled else { throw StoreError(.conflict, code: "token.owner_disabled", "\(owner.account.username)") }
            // Administrators hold no API tokens (issue #10 item 5): a token has no second factor and
            // no idle timeout, and the administrators' work is on pages behind both.
            guard !owner.account.role.isAdministrator else {
                throw StoreError(.conflict, code: "token.owner_administrator", "\(owner.account.username)")
            }
            try await tx.sql.insert(into: "api_tokens").columns("id", "token_hash", "name", "user_id", "created_at", "created_by")
                .values(id, Secret.digest(secret), name, owner.account.id, Timestamp.string(now), actor).run()
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: actor, ip: ip, action: .tokenCreate, objectType: "api_token", objectID: id,
                                                          details: "owner=\(owner.account.username) name=\(name)"))
            return owner
        }
        return CreatedAPIToken(token: APIToken(id: id, name: name, username: owner.account.username, createdAt: Timestamp.date(Timestamp.string(now)) ?? now),
                               secret: secret)
    }

    public func tokens(username: String) async throws -> [APIToken] {
        try await db.sql.select().columns(SQLColumn("id", table: "t"), SQLColumn("name", table: "t"), SQLColumn("username", table: "u"),
                                           SQLColumn("created_at", table: "t"), SQLColumn("last_used_at", table: "t"), SQLColumn("revoked_at", table: "t"))
            .from(SQLAlias(SQLIdentifier("api_tokens"), as: SQLIdentifier("t")))
            .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "t"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("username", table: "u"), .equal, SQLBind(username.lowercased()))
            .orderBy(SQLColumn("created_at", table: "t")).all().map { row in
                APIToken(id: try row.decode(column: "id"), name: try row.decode(column: "name"), username: try row.decode(column: "username"),
                         createdAt: Timestamp.date(try row.decode(column: "created_at")) ?? .distantPast,
                         lastUsedAt: try row.decode(column: "last_used_at", as: String?.self).flatMap(Timestamp.date),
                         revokedAt: try row.decode(column: "revoked_at", as: String?.self).flatMap(Timestamp.date))
            }
    }

    /// Revokes a token at once. `owner`, when given, must own it (users revoke their own tokens).
    public func revokeToken(id: String, owner: String? = nil, actor: String, ip: String? = nil, now: Date = Date()) async throws {
        try await writes.transaction(on: db) { tx in
            var query = tx.sql.select().column(SQLColumn("username", table: "u")).column(SQLColumn("revoked_at", table: "t"))
                .from(SQLAlias(SQLIdentifier("api_tokens"), as: SQLIdentifier("t")))
                .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "t"), .equal, SQLColumn("id", table: "u"))
                .where(SQLColumn("id", table: "t"), .equal, SQLBind(id))
            if let owner { query = query.where(SQLColumn("username", table: "u"), .equal, SQLBind(owner.lowercased())) }
            guard let row = try await query.first() else { throw StoreError.notFound(.token, id) }
            guard try row.decode(column: "revoked_at", as: String?.self) == nil else { return }
            try await tx.sql.update("api_tokens").set("revoked_at", to: Timestamp.string(now)).where("id", .equal, id).run()
            try await raiseGeneration(on: tx.sql)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: actor, ip: ip, action: .tokenRevoke, objectType: "api_token", objectID: id,
                                                          details: "owner=\(try row.decode(column: "username", as: String.self))"))
        }
    }
}
