import Foundation
import ShegongDomain

/// The principals one server has resolved lately, keyed by the SHA-256 of the session id or API
/// token (issue #15 item 2, docs/security.md "Principal cache"). A request whose credential is
/// here, under the accounts' current generation and before its entry's end, skips the join of
/// the credential with its account and the writes that go with it.
///
/// An entry is trusted only while both hold:
/// - the accounts' generation is the one the entry was filled under: every write that changes who
///   a credential stands for raises it in the same transaction, on whichever server made it. A
///   server reads the number at most every `generationLease` (a fifth of a second) and at once
///   after a change it made itself, so a change reaches the server that made it on its next request
///   and every other server within the lease — inside the second issue #15 allows, without a read
///   of the database on every request;
/// - it is younger than `timeToLive` (at most one second) and its session has not reached its
///   idle or absolute end: the bound for anything the generation does not cover (an operator's
///   SQL behind the store's back), and the reason a session cannot outlive its expiry here.
public final class PrincipalCache: @unchecked Sendable {
    /// A principal kept at most this long, whatever the generation says.
    public static let maximumTimeToLive: TimeInterval = 1

    /// One read of the generation serves this server's requests this long (docs/security.md).
    public static let generationLease: TimeInterval = 0.2

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
    /// The generation last read and until when it stands without another read: by the request
    /// clock (which tests move) and by the monotonic one (which a wall clock set back cannot stretch).
    private var lease: (generation: Int64, until: Date, uptimeUntil: UInt64)?
    /// Nanoseconds of a clock that never goes back (the system's uptime, unless a test sets its own).
    private let uptime: @Sendable () -> UInt64
    /// The number a change made through this server raised it to, until a read shows it committed.
    private var awaited: Int64?

    public init(timeToLive: TimeInterval = PrincipalCache.maximumTimeToLive, capacity: Int = 10_000,
                uptime: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }) {
        self.uptime = uptime
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

    /// The generation to check kept principals against at `now` without reading it: the last one
    /// read, for `generationLease` after the read, unless this server has changed an account since.
    func leasedGeneration(now: Date) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        guard awaited == nil, let lease, now < lease.until, uptime() < lease.uptimeUntil,
              now >= lease.until.addingTimeInterval(-Self.generationLease) else { return nil }   // a clock set back reads again
        return lease.generation
    }

    /// Records `current`, just read from the database at `now`, as the generation for the next
    /// `generationLease`. A read older than a change this server made is not leased (the change had
    /// not committed when it was read), nor is one lower than a lease still running (a request that
    /// read before a change answering after one that read after it).
    func leaseGeneration(_ current: Int64, now: Date) {
        lock.lock()
        defer { lock.unlock() }
        if let awaited {
            guard current >= awaited else { return }
            self.awaited = nil
        }
        if let lease, now < lease.until, current < lease.generation { return }
        lease = (current, now.addingTimeInterval(Self.generationLease), uptime() + UInt64(Self.generationLease * 1_000_000_000))
    }

    /// A change made through this server raised the generation to `raised`, in a transaction not
    /// yet committed: every request reads the number again until it shows `raised` or more. (A
    /// change rolled back leaves the number below `raised` until the next one commits; meanwhile
    /// this server reads it on every request, as without a lease.)
    func changed(raisingTo raised: Int64) {
        lock.lock()
        defer { lock.unlock() }
        lease = nil
        awaited = max(awaited ?? raised, raised)
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
