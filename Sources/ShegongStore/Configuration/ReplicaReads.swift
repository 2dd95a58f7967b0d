import FluentKit
import Foundation
import SQLKit

/// Reads from a PostgreSQL hot standby (`SHEGONG_DATABASE_REPLICA`, docs/deployment.md "Reads from
/// the standby"). Only the reads that may be a moment old go there — dashboards, statistics,
/// indicator and target views, exports — and only for an account whose own latest change the
/// standby has already replayed (read-your-writes): its position is kept per account in
/// `write_positions` on the primary, so every server sees it. A standby that is down, not in
/// recovery, or further behind the primary than `maxLagBytes` is not used (logged once, counted).
public actor ReplicaMonitor {
    /// Why a read went where it went, for the metrics.
    public enum Choice: String, Sendable {
        /// The standby answered: it has replayed the account's latest change.
        case replica
        /// The primary answered: the standby has not yet replayed the account's latest change.
        case ownWrite = "own_write"
        /// The primary answered: the standby is further behind than the bound.
        case lagging
        /// The primary answered: the standby did not answer, or is not a standby.
        case unavailable
    }

    /// The standby's replayed WAL position in bytes, nil when it is not in recovery.
    public typealias Probe = @Sendable (any SQLDatabase) async throws -> Int64?

    public let maxLagBytes: Int64
    private let probe: Probe
    private let now: @Sendable () -> Date
    private let observe: @Sendable (Choice) -> Void
    private let warn: @Sendable (String) -> Void
    /// The last answer of the standby (replayed position, lag), reused for `reuse` seconds.
    private var known: (at: Date, replayed: Int64, lag: Int64)?
    /// The standby failed at this time: the primary answers until `retryAfter` seconds have passed.
    private var failedAt: Date?
    /// The state last logged, so a standby that stays away is logged once, not per request.
    private var logged: Choice = .replica
    let reuse: TimeInterval = 1
    let retryAfter: TimeInterval = 5

    public static let defaultMaxLagBytes: Int64 = 16 << 20

    public init(maxLagBytes: Int64 = ReplicaMonitor.defaultMaxLagBytes, probe: @escaping Probe = ReplicaMonitor.replayedPosition,
                now: @escaping @Sendable () -> Date = { Date() },
                observe: @escaping @Sendable (Choice) -> Void = { _ in }, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.maxLagBytes = maxLagBytes
        self.probe = probe
        self.now = now
        self.observe = observe
        self.warn = warn
    }

    /// `pg_last_wal_replay_lsn()` in bytes: how far the standby has replayed (NULL on a primary).
    public static let replayedPosition: Probe = { sql in
        try await sql.raw("SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS p").first()?.decode(column: "p", as: Int64?.self) ?? nil
    }

    /// The primary's current WAL position in bytes (`pg_current_wal_lsn()`).
    static func currentPosition(_ sql: any SQLDatabase) async throws -> Int64 {
        try await sql.raw("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS p").first()!.decode(column: "p", as: Int64.self)
    }

    /// Whether the standby may answer a read that must show everything up to `needed` (the
    /// account's latest change, nil if it made none): a remembered answer of the standby is used
    /// when recent and far enough; otherwise the standby and the primary are asked once.
    public func choose(needed: Int64?, replica: any SQLDatabase, primary: any SQLDatabase) async -> Choice {
        let at = now()
        if let failedAt, at.timeIntervalSince(failedAt) < retryAfter { return finish(.unavailable) }
        if let known, at.timeIntervalSince(known.at) < reuse {
            // A standby found too far behind stays skipped for the second without being asked again.
            if known.lag > maxLagBytes { return finish(.lagging) }
            if known.replayed >= (needed ?? 0) { return finish(.replica) }
        }
        do {
            guard let replayed = try await probe(replica) else {
                failedAt = at
                return finish(.unavailable, "the database of SHEGONG_DATABASE_REPLICA is not in recovery (not a standby); reading from the primary")
            }
            let current = try await Self.currentPosition(primary)
            let lag = max(0, current - replayed)
            known = (at, replayed, lag)
            failedAt = nil
            if lag > maxLagBytes {
                return finish(.lagging, "the standby is \(lag >> 10) KiB behind the primary (bound \(maxLagBytes >> 10) KiB); reading from the primary until it catches up")
            }
            return finish(replayed >= (needed ?? 0) ? .replica : .ownWrite)
        } catch {
            failedAt = at
            return finish(.unavailable, "the standby does not answer (\(String(describing: error).prefix(200))); reading from the primary, trying again in \(Int(retryAfter)) s")
        }
    }

    private func finish(_ choice: Choice, _ problem: String? = nil) -> Choice {
        observe(choice)
        switch choice {
        case .lagging, .unavailable:
            if logged != choice, let problem { warn(problem) }
            logged = choice
        case .replica, .ownWrite:
            if logged != .replica { warn("the standby answers again; reads that may be a moment old go to it") }
            logged = .replica
        }
        return choice
    }
}

/// The read route of one request (or one command): decides once, on first use, whether this
/// caller's reads that may be a moment old go to the standby, and remembers the decision for the
/// rest of the request. A change the caller makes in the request sends later reads to the primary.
public final class ReadRoute: @unchecked Sendable {
    public let primary: any Database
    let replica: any Database
    let monitor: ReplicaMonitor
    private let lock = NSLock()
    private var decided: [String: Bool] = [:]

    public init(primary: any Database, replica: any Database, monitor: ReplicaMonitor) {
        self.primary = primary
        self.replica = replica
        self.monitor = monitor
    }

    /// The database for `accountID`'s reads that may be a moment old: the standby when it has
    /// replayed the account's latest change and is within the lag bound, else the primary.
    public func database(for accountID: String) async -> any Database {
        if let cached = lock.withLock({ decided[accountID] }) { return cached ? replica : primary }
        let needed: Int64?
        do {
            needed = try await WritePositions(primary.sql).position(of: accountID)
        } catch {
            // Without the account's position its own change could be missed: the primary answers.
            lock.withLock { decided[accountID] = false }
            return primary
        }
        let choice = await monitor.choose(needed: needed, replica: replica.sql, primary: primary.sql)
        let useReplica = choice == .replica
        lock.withLock { decided[accountID] = useReplica }
        return useReplica ? replica : primary
    }

    /// After `accountID`'s change has committed on the primary: remembers the primary's position
    /// for every server, and this request's later reads go to the primary.
    public func noteWrite(by accountID: String) async throws {
        lock.withLock { decided[accountID] = false }
        try await WritePositions(primary.sql).noteWrite(by: accountID)
    }
}

/// The `write_positions` table (migration 0073): per account, the primary's WAL position in bytes
/// just after its latest committed change. PostgreSQL only.
public struct WritePositions: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Records the primary's current position for `accountID`, never moving it backwards (two
    /// servers may record the same account's changes at once). Run after the change committed,
    /// so the position lies past the change's commit record. It is the WAL *insert* position: with
    /// `synchronous_commit = off` a commit returns before its record is written out, and the
    /// write position (`pg_current_wal_lsn()`) can still lie before it.
    public func noteWrite(by accountID: String) async throws {
        try await sql.raw("""
            INSERT INTO write_positions (account_id, wal_position)
            VALUES (\(bind: accountID), (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint)
            ON CONFLICT (account_id) DO UPDATE SET wal_position = GREATEST(write_positions.wal_position, excluded.wal_position)
            """).run()
    }

    /// The position of `accountID`'s latest change, nil if none was recorded.
    public func position(of accountID: String) async throws -> Int64? {
        try await sql.select().column("wal_position").from("write_positions").where("account_id", .equal, accountID)
            .first()?.decode(column: "wal_position", as: Int64.self)
    }
}
