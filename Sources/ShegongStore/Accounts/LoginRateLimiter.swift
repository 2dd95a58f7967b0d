import Foundation
import SQLKit

/// Login attempts per client address in a sliding window (issue #3 §1: per-IP rate limit
/// answering 429), counted in the database (`login_attempts`, migration 0069) so that every
/// server on it shares one count and a restart forgets nothing (docs/deployment.md). The address
/// is stored as a keyed hash (`addressKey`), never in clear.
///
/// A sign-in is recorded in its own write transaction, the one that also writes its outcome
/// (`AccountStore.login`): one turn of the write queue per sign-in, not two (docs/benchmarks.md,
/// load run 5). Before the password check a read (`precheck`) turns away an address whose window
/// is already full, so that a refused address costs no bcrypt check.
public struct LoginRateLimiter: Sendable {
    public let limit: Int
    public let window: TimeInterval
    let addressKey: @Sendable (String) -> String

    public init(limit: Int = 20, window: TimeInterval = 5 * 60, addressKey: @escaping @Sendable (String) -> String) {
        self.limit = limit
        self.window = window
        self.addressKey = addressKey
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Answer 429 with `Retry-After` (whole seconds, rounded up).
        case limited(retryAfter: TimeInterval)
    }

    /// One sign-in from one address, as the limiter counts it.
    public struct Attempt: Sendable {
        let limiter: LoginRateLimiter
        let key: String
        let at: TimeInterval

        var since: TimeInterval { at - limiter.window }
    }

    public func attempt(from ip: String, at now: Date = Date()) -> Attempt {
        Attempt(limiter: self, key: addressKey(ip), at: now.timeIntervalSince1970)
    }

    /// A read before the password check: `.limited` when the window is already full. It is not the
    /// limit itself (two attempts at once can both pass it); `record` is.
    public func precheck(_ attempt: Attempt, on sql: any SQLDatabase) async throws -> Decision {
        try await decide(attempt, on: sql)
    }

    /// In the sign-in's write transaction: records the attempt if the window has room; a refused
    /// attempt is not kept (refused attempts do not extend the wait). Attempts older than the
    /// window (of every address) are deleted on the way.
    ///
    /// On PostgreSQL several servers count one address at once: a lock on the address, held to the
    /// end of the transaction, makes the second wait until the first's attempt is committed and
    /// counted, so the limit is never exceeded. On SQLite the one writer does the same.
    public func record(_ attempt: Attempt, on sql: any SQLDatabase) async throws -> Decision {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.advisoryLockClass), hashtext(\(bind: attempt.key)))").run()
        }
        try await sql.raw("DELETE FROM login_attempts WHERE attempted_at <= \(bind: attempt.since)").run()
        let decision = try await decide(attempt, on: sql)
        guard decision == .allowed else { return decision }
        try await sql.raw("""
            INSERT INTO login_attempts (id, address_key, attempted_at)
            VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: attempt.key), \(bind: attempt.at))
            """).run()
        return .allowed
    }

    /// The first key of the address lock ("LOGN"); the second is the address key's hash.
    static let advisoryLockClass: Int32 = 0x4C4F_474E

    private func decide(_ attempt: Attempt, on sql: any SQLDatabase) async throws -> Decision {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n, MIN(attempted_at) AS oldest FROM login_attempts
            WHERE address_key = \(bind: attempt.key) AND attempted_at > \(bind: attempt.since)
            """).first()
        guard try (row?.decode(column: "n", as: Int.self) ?? 0) >= limit else { return .allowed }
        let oldest = try row?.decode(column: "oldest", as: Double?.self) ?? attempt.at
        return .limited(retryAfter: max(1, (window - (attempt.at - oldest)).rounded(.up)))
    }
}
