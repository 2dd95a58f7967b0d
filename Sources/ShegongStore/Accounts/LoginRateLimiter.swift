import FluentKit
import Foundation
import SQLKit

/// Login attempts per client address in a sliding window (issue #3 §1: per-IP rate limit
/// answering 429), counted in the database (`login_attempts`, migration 0069) so that every
/// server on it shares one count and a restart forgets nothing (docs/deployment.md). The address
/// is stored as a keyed hash (`addressKey`), never in clear.
///
/// An attempt is written first and counted after: two servers that take the last free place at
/// the same moment both see both attempts and both refuse, so the limit is never exceeded; a
/// refused attempt is removed again (refused attempts do not extend the wait).
public struct LoginRateLimiter: Sendable {
    public let limit: Int
    public let window: TimeInterval
    let db: any Database
    let writes: WriteQueue
    let addressKey: @Sendable (String) -> String

    public init(db: any Database, writes: WriteQueue, limit: Int = 20, window: TimeInterval = 5 * 60,
                addressKey: @escaping @Sendable (String) -> String) {
        self.db = db
        self.writes = writes
        self.limit = limit
        self.window = window
        self.addressKey = addressKey
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Answer 429 with `Retry-After` (whole seconds, rounded up).
        case limited(retryAfter: TimeInterval)
    }

    /// Records an attempt from `ip` at `now` if the window has room; refused attempts are not kept.
    /// Attempts older than the window (of every address) are deleted on the way.
    public func attempt(ip: String, now: Date = Date()) async throws -> Decision {
        let key = addressKey(ip), id = UUID().uuidString.lowercased()
        let at = now.timeIntervalSince1970, since = at - window
        try await writes.transaction(on: db) { tx in
            try await tx.sql.raw("DELETE FROM login_attempts WHERE attempted_at <= \(bind: since)").run()
            try await tx.sql.raw("""
                INSERT INTO login_attempts (id, address_key, attempted_at) VALUES (\(bind: id), \(bind: key), \(bind: at))
                """).run()
        }
        let row = try await db.sql.raw("""
            SELECT COUNT(*) AS n, MIN(attempted_at) AS oldest FROM login_attempts
            WHERE address_key = \(bind: key) AND attempted_at > \(bind: since) AND id <> \(bind: id)
            """).first()
        let others = try row?.decode(column: "n", as: Int.self) ?? 0
        guard others >= limit else { return .allowed }
        try await writes.transaction(on: db) { tx in
            try await tx.sql.raw("DELETE FROM login_attempts WHERE id = \(bind: id)").run()
        }
        let oldest = try row?.decode(column: "oldest", as: Double?.self) ?? at
        return .limited(retryAfter: max(1, (window - (at - oldest)).rounded(.up)))
    }
}
