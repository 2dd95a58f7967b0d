import Crypto
import FluentKit
import Foundation
import SQLKit

/// What happened, as the audit log records it (issue #3 §3): time, user, IP, action, object, result.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var at: Date
    /// The username; `cli` for operator commands, `system` for start-up, or the name typed at a failed login.
    public var actor: String
    public var ip: String?
    public var action: AuditAction
    public var objectType: String?
    public var objectID: String?
    public var result: AuditResult
    /// Short and free of secrets: never a password, token or full ID number.
    public var details: String?

    public init(at: Date, actor: String, ip: String? = nil, action: AuditAction, objectType: String? = nil,
                objectID: String? = nil, result: AuditResult = .success, details: String? = nil) {
        self.at = at
        self.actor = actor
        self.ip = ip
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.result = result
        self.details = details
    }
}

public enum AuditResult: String, Sendable, Codable {
    case success, failure
    /// Asked for something outside the principal's scope (answered 404).
    case denied
}

/// Action names, `area.verb`. Open for the other modules to add their own.
public struct AuditAction: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    public static let login: AuditAction = "session.login"
    public static let loginFailure: AuditAction = "session.login_failure"
    public static let logout: AuditAction = "session.logout"
    public static let sessionExpired: AuditAction = "session.expired"
    public static let accountLocked: AuditAction = "user.lock"
    public static let userCreate: AuditAction = "user.create"
    public static let userDisable: AuditAction = "user.disable"
    public static let userEnable: AuditAction = "user.enable"
    public static let passwordChange: AuditAction = "user.password_change"
    public static let passwordReset: AuditAction = "user.password_reset"
    public static let totpEnable: AuditAction = "user.totp_enable"
    public static let totpDisable: AuditAction = "user.totp_disable"
    public static let grant: AuditAction = "user.grant"
    public static let tokenCreate: AuditAction = "token.create"
    public static let tokenRevoke: AuditAction = "token.revoke"
    public static let auditVerify: AuditAction = "audit.verify"
    public static let auditSearch: AuditAction = "audit.search"
}

/// A stored entry with its place in the chain.
public struct AuditRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var entry: AuditEntry
    /// `at` exactly as stored (second precision, UTC).
    public var at: String
    public var prevHash: String
    public var hash: String
}

/// The append-only, hash-chained audit log.
///
/// Each entry's hash is HMAC-SHA256(key, prev_hash ‖ canonical fields). A plain SHA-256 chain can
/// be recomputed by anyone who can write the table — the very person it should catch — so the
/// chain is keyed with a subkey of the personal-data master key, which lives in a file outside
/// the database (`SHEGONG_SECRET_KEY_FILE`). Without the key a forged or edited entry cannot be
/// given a valid hash.
///
/// Callers append with their own SQL connection, inside the transaction of the change, so if the
/// audit insert fails the change fails. Appends are serialised so the chain never forks:
/// - PostgreSQL: `pg_advisory_xact_lock` is taken in the transaction before the last entry is
///   read, so a second appender waits until the first commits and then reads its entry (READ
///   COMMITTED takes a new snapshot per statement).
/// - SQLite: one writer at a time per database. A transaction that read the last entry before
///   another writer committed cannot then write (SQLITE_BUSY): the change fails, it does not fork.
/// - Both: the primary key on id (previous id + 1) refuses a second entry with the same place.
///
/// There is no API to delete or update entries: retention is forever, which meets the 180 days
/// of MLPS 2.0 level 3; archiving old entries is an operator's database task, and `verify` then
/// starts from the first entry kept (see docs/security.md).
public struct AuditLog: @unchecked Sendable {  // SymmetricKey is immutable
    static let genesis = String(repeating: "0", count: 64)
    /// The PostgreSQL advisory lock key of the chain's head ("SHEGAUDT").
    static let advisoryLockKey: Int64 = 0x5348_4547_4155_4454

    private let key: SymmetricKey

    public init(key: SymmetricKey) { self.key = key }

    /// The chain key derived from the personal-data key: HMAC of a fixed label under the
    /// cipher's index key (a PRF output, so as good as an HKDF expansion; the label keeps it apart
    /// from every ID-number index).
    public init(cipher: PersonalDataCipher) {
        self.init(key: SymmetricKey(data: Array(cipher.index("shegong/audit-chain/v1").utf8)))
    }

    /// Appends in the caller's transaction. Call it with the `SQLDatabase` of the transaction
    /// (`tx.sql`); outside a transaction use `append(db:through:_:)`.
    @discardableResult
    public func append(on sql: any SQLDatabase, _ entry: AuditEntry) async throws -> AuditRecord {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.advisoryLockKey))").run()
        }
        let last = try await sql.select().columns("id", "hash").from("audit_log").orderBy("id", .descending).limit(1).first()
        let id = (try last?.decode(column: "id", as: Int64.self) ?? 0) + 1
        let prev = try last?.decode(column: "hash", as: String.self) ?? Self.genesis
        let at = Timestamp.string(entry.at)
        let hash = self.hash(id: id, at: at, entry: entry, prevHash: prev)
        try await sql.insert(into: "audit_log")
            .columns("id", "at", "actor", "ip", "action", "object_type", "object_id", "result", "details", "prev_hash", "hash")
            .values(id, at, entry.actor, entry.ip, entry.action.rawValue, entry.objectType, entry.objectID, entry.result.rawValue,
                    entry.details, prev, hash)
            .run()
        return AuditRecord(id: id, entry: entry, at: at, prevHash: prev, hash: hash)
    }

    /// Appends in a transaction of its own (for events that change nothing else, like a search),
    /// through the process's write queue like every other write.
    @discardableResult
    public func append(db: any Database, through writes: WriteQueue, _ entry: AuditEntry) async throws -> AuditRecord {
        try await writes.transaction(on: db) { tx in try await append(on: tx.sql, entry) }
    }

    func hash(id: Int64, at: String, entry: AuditEntry, prevHash: String) -> String {
        hash(id: id, at: at, actor: entry.actor, ip: entry.ip, action: entry.action.rawValue, objectType: entry.objectType,
             objectID: entry.objectID, result: entry.result.rawValue, details: entry.details, prevHash: prevHash)
    }

    /// The canonical form: every field length-prefixed (`-` for none), so no two different entries
    /// serialise alike whatever characters their fields hold.
    func hash(id: Int64, at: String, actor: String, ip: String?, action: String, objectType: String?, objectID: String?,
              result: String, details: String?, prevHash: String) -> String {
        var text = prevHash + "\n"
        for field in [String(id), at, actor, ip, action, objectType, objectID, result, details] as [String?] {
            if let field { text += "\(field.utf8.count):\(field)\n" } else { text += "-\n" }
        }
        return PersonalDataCipher.hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }
}
