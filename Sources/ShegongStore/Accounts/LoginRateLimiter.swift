import Foundation

/// Login attempts per client address in a sliding window (issue #3 §1: per-IP rate limit
/// answering 429). In memory: a restart forgets, which is acceptable because the per-account
/// lockout is durable. One process per database is assumed; several web processes behind a
/// balancer each count separately (each allows `limit`).
public actor LoginRateLimiter {
    public let limit: Int
    public let window: TimeInterval
    private var attempts: [String: [Date]] = [:]
    private var sweptAt = Date.distantPast

    public init(limit: Int = 20, window: TimeInterval = 5 * 60) {
        self.limit = limit
        self.window = window
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Answer 429 with `Retry-After` (whole seconds, rounded up).
        case limited(retryAfter: TimeInterval)
    }

    /// Records an attempt from `ip` at `now` if the window has room; refused attempts are not recorded.
    public func attempt(ip: String, now: Date = Date()) -> Decision {
        sweep(now: now)
        var recent = (attempts[ip] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count < limit else {
            attempts[ip] = recent
            return .limited(retryAfter: max(1, (window - now.timeIntervalSince(recent[0])).rounded(.up)))
        }
        recent.append(now)
        attempts[ip] = recent
        return .allowed
    }

    /// Forgets addresses with no attempt in the window, at most once per window, so memory stays
    /// bounded by the addresses seen in one window.
    private func sweep(now: Date) {
        guard now.timeIntervalSince(sweptAt) >= window else { return }
        sweptAt = now
        attempts = attempts.filter { _, times in times.contains { now.timeIntervalSince($0) < window } }
    }
}
