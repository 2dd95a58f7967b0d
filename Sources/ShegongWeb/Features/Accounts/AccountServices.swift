import Fluent
import Foundation
import ShegongStore
import Vapor

/// The store's `PasswordHashing` with Vapor's bcrypt (see `PasswordHashing` for why the
/// store does not hash by itself). Cost `AccountSettings.passwordHashCost` (11: ≈ 0.12 s a check
/// on one core); the tests use 4. bcrypt is CPU-bound: the store runs every check and hash on
/// threads of its own (`PasswordWork`).
public struct BcryptPasswordHashing: PasswordHashing {
    public let cost: Int
    public init(cost: Int) { self.cost = cost }
    public func hash(_ password: String) throws -> String { try Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, against hash: String) throws -> Bool { try Bcrypt.verify(password, created: hash) }

    public var hashCost: Int? { cost }

    /// `$2b$11$` followed by salt and digest: a version, then the cost in two digits.
    public func cost(of hash: String) -> Int? {
        let fields = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count >= 4, fields[0].isEmpty, fields[1].hasPrefix("2"), fields[2].count == 2,
              fields[2].allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(fields[2])
    }
}

extension ShegongServices {
    struct AccountSettingsKey: StorageKey { typealias Value = AccountSettings }

    /// The account rules: `ShegongSettings.accounts` unless a test has set others.
    public func accountSettings() throws -> AccountSettings {
        app.storage[AccountSettingsKey.self] ?? settings.accounts
    }

    public func setAccountSettings(_ settings: AccountSettings) {
        app.storage[AccountSettingsKey.self] = settings
        principalCache?.removeAll()   // principals made under the old rules
    }

    struct PrincipalCacheKey: StorageKey { typealias Value = PrincipalCache }
    struct ClockKey: StorageKey { typealias Value = @Sendable () -> Date }

    /// This server's principals of the last second (docs/security.md, "Principal cache"); set
    /// once by `configure`. Nil: every request reads its credential.
    public var principalCache: PrincipalCache? {
        get { app.storage[PrincipalCacheKey.self] }
        nonmutating set { app.storage[PrincipalCacheKey.self] = newValue }
    }

    /// The clock requests are authenticated by: the system's, unless a test sets its own.
    public var clock: @Sendable () -> Date {
        get { app.storage[ClockKey.self] ?? { Date() } }
        nonmutating set { app.storage[ClockKey.self] = newValue }
    }

    public var passwordHashing: any PasswordHashing {
        BcryptPasswordHashing(cost: app.environment == .testing ? 4 : ((try? accountSettings()) ?? settings.accounts).passwordHashCost)
    }

    /// Accounts, sessions, tokens and the audit log on `db` (default the application's database).
    public func accounts(db: (any Database)? = nil) throws -> AccountStore {
        AccountStore(db: db ?? app.db, cipher: cipher, hasher: passwordHashing, writes: writeQueue, settings: try accountSettings(),
                     principalCache: principalCache)
    }

    /// The audit log with its chain key, derived once when the cipher is set (not per request).
    public var auditLog: AuditLog {
        if let log = app.storage[AuditLogKey.self] { return log }
        return AuditLog(cipher: cipher)
    }

    struct AuditLogKey: StorageKey { typealias Value = AuditLog }
}
