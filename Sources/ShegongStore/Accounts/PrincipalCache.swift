import Foundation
import ShegongDomain

/// The principals one server has resolved lately, keyed by the SHA-256 of the session id or API
/// token (issue #15 item 2, docs/security.md "Principal cache"). A request whose credential is
/// here, under the accounts' current generation and before its entry's end, skips the join of
/// the credential with its account and the writes that go with it.
///
/// An entry is trusted only while both hold:
/// - the generation the request has just read from `auth_generation` is the one the entry was
///   filled under: every write that changes who a credential stands for raises it in the same
///   transaction, on whichever server made it, so the next request on any server misses;
/// - it is younger than `timeToLive` (at most one second) and its session has not reached its
///   idle or absolute end: the bound for anything the generation does not cover (an operator's
///   SQL behind the store's back), and the reason a session cannot outlive its expiry here.
public final class PrincipalCache: @unchecked Sendable {
    /// A principal kept at most this long, whatever the generation says.
    public static let maximumTimeToLive: TimeInterval = 1

    public let timeToLive: TimeInterval
    /// Entries kept at most; when full, expired entries go, and if none had, all do.
    public let capacity: Int

    struct Entry {
        var principal: Principal
        var generation: Int64
        var until: Date
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// The generation last read: entries of any other are gone.
    private var generation: Int64 = .min

    public init(timeToLive: TimeInterval = PrincipalCache.maximumTimeToLive, capacity: Int = 10_000) {
        self.timeToLive = min(max(0, timeToLive), Self.maximumTimeToLive)
        self.capacity = max(1, capacity)
    }

    /// The principal cached for `key`, if it was filled under `generation` and has not ended at `now`.
    /// A generation other than the last one read empties the cache first: newer after a change, or
    /// older after a restore from a backup (a request that read the old number just before a
    /// change committed may empty it once more; it never gets a principal of another generation).
    func principal(for key: String, generation current: Int64, now: Date) -> Principal? {
        lock.lock()
        defer { lock.unlock() }
        advance(to: current)
        guard let entry = entries[key] else { return nil }
        guard entry.generation == current, now < entry.until else {
            entries[key] = nil
            return nil
        }
        return entry.principal
    }

    /// Keeps `principal` for `key`, read from the database after `generation`, until the earlier of
    /// `now + timeToLive` and `ends` (a session's idle or absolute end). It is found only by a
    /// request that reads the same generation.
    func store(_ principal: Principal, for key: String, generation current: Int64, now: Date, ends: Date? = nil) {
        guard timeToLive > 0 else { return }
        let until = min(now.addingTimeInterval(timeToLive), ends ?? .distantFuture)
        guard now < until else { return }
        lock.lock()
        defer { lock.unlock() }
        advance(to: current)
        if entries.count >= capacity {
            entries = entries.filter { now < $0.value.until }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        }
        entries[key] = Entry(principal: principal, generation: current, until: until)
    }

    /// Forgets everything (the account rules of this process changed).
    public func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll()
    }

    /// How many principals are kept (for tests and metrics).
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    private func advance(to current: Int64) {
        if current != generation {
            entries.removeAll(keepingCapacity: true)
            generation = current
        }
    }
}
