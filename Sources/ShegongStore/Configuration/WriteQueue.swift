import FluentKit
import FluentSQLiteDriver
import Foundation
import PostgresNIO
import SQLKit

/// A first-come, first-served semaphore: the write queue of one process. SQLite: one writer at a
/// time; PostgreSQL: a few (`PostgresWrites.concurrentTransactions`), so that writers waiting for
/// the audit chain never hold every pooled connection (docs/operations.md, "One write path").
/// Sign-ins wait in a lane of their own that goes first (`Lane.signIn`).
public actor WriteGate {
    /// Where a writer waits for its turn.
    public enum Lane: Sendable {
        case ordinary
        /// A sign-in's one short transaction (`AccountStore.login`). It goes ahead of the ordinary
        /// writers because the person at the door has already waited for a bcrypt check, and it
        /// cannot hold them back: bcrypt keeps sign-ins to a few a second (docs/operations.md).
        case signIn
    }

    public nonisolated let permits: Int
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var signInsWaiting: [CheckedContinuation<Void, Never>] = []
    /// How many writers wait now (the metrics' queue depth).
    public var depth: Int { waiting.count + signInsWaiting.count }

    public init(permits: Int = 1) {
        self.permits = max(1, permits)
        available = max(1, permits)
    }

    public func acquire(lane: Lane = .ordinary) async {
        guard available == 0 else {
            available -= 1
            return
        }
        await withCheckedContinuation { continuation in
            switch lane {
            case .ordinary: waiting.append(continuation)
            case .signIn: signInsWaiting.append(continuation)
            }
        }
    }

    public func release() {
        if !signInsWaiting.isEmpty {
            signInsWaiting.removeFirst().resume()
        } else if !waiting.isEmpty {
            waiting.removeFirst().resume()
        } else {
            available = min(permits, available + 1)
        }
    }
}

/// The PostgreSQL side of the write queue.
public enum PostgresWrites {
    /// Write transactions of one process open at once. Every write transaction appends to the
    /// audit chain, whose advisory lock lets one holder through at a time while the others wait
    /// holding a pooled connection each; without a bound, 60 writers at once held every
    /// connection and the reads of the same requests timed out in the pool (10 s). Four keep the
    /// next writers ready while leaving at least half of each event loop's 8 connections to reads,
    /// and a long import holds only one of them.
    public static let concurrentTransactions = 4
}

/// When a whole write transaction is run again (docs/operations.md, "One write path"): after a
/// failure that rolled everything back and that the same work, run again on a fresh snapshot, can
/// get past — SQLite's busy family (another process held the lock, or this transaction's snapshot
/// went stale), PostgreSQL's serialisation failure (40001) and deadlock (40P01). A bounded number
/// of times, after a pause that grows with each attempt and is spread by `jitter` so that two
/// losers do not collide again. `pause` and `jitter` are injected: tests pass ones that do not
/// sleep.
public struct WriteRetry: Sendable {
    /// Runs after the first that may follow a retryable failure.
    public var attempts: Int
    /// The pause before attempt n (1-based) is `base * n * (0.5 + jitter())`.
    public var base: Duration
    public var pause: @Sendable (Duration) async throws -> Void
    public var jitter: @Sendable () -> Double

    public init(attempts: Int, base: Duration = .milliseconds(10),
                pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.attempts = attempts
        self.base = base
        self.pause = pause
        self.jitter = jitter
    }

    /// SQLite: the queue already keeps this process's writers apart and every connection waits up
    /// to `SQLiteSettings.busyTimeout` for another process's lock, so a retry is rare; 8 cover an
    /// operator command's short writes.
    public static let sqlite = WriteRetry(attempts: 8)
    /// PostgreSQL: a deadlock or serialisation failure is re-run 3 times.
    public static let postgres = WriteRetry(attempts: 3)

    func delay(attempt: Int) -> Duration {
        base * Double(attempt) * (0.5 + min(max(jitter(), 0), 1))
    }
}

/// The settings of every SQLite connection the server opens (docs/operations.md).
public enum SQLiteSettings {
    /// A connection that meets another process's lock waits this long before SQLITE_BUSY, instead
    /// of the driver's default, which retries at once for ever on a spinning thread.
    public static let busyTimeoutMilliseconds = 5_000
}

/// The one way a write transaction runs: audited changes, audit entries of reads, logins,
/// sessions, tokens, password changes, imports (docs/operations.md, "One write path").
///
/// SQLite has one writer at a time: this process's writes queue at `gate` instead of colliding (a
/// deferred transaction that read first cannot write once another committed — SQLITE_BUSY_SNAPSHOT,
/// "database is locked" — and no busy timeout helps there), and a transaction that still meets
/// another process's lock (an operator command) is rolled back and run again on a fresh snapshot.
/// PostgreSQL has row locks: the gate only bounds how many write transactions of this process are
/// open at once (`PostgresWrites`), and a transaction that loses a deadlock or a serialisation
/// check is run again (`WriteRetry`).
///
/// On PostgreSQL the gate orders nothing between servers: several servers write to one database
/// (docs/deployment.md) and the database orders them — row locks, unique constraints and the audit
/// chain's advisory lock, none of which depends on which process the writer is in.
public struct WriteQueue: Sendable {
    public let gate: WriteGate?
    public let retry: WriteRetry
    /// Told how long each transaction waited for its turn (the metrics).
    public var observeWait: @Sendable (Duration) -> Void = { _ in }

    public init(gate: WriteGate?, retry: WriteRetry = .sqlite) {
        self.gate = gate
        self.retry = retry
    }

    /// The queue of a database: one writer at a time on SQLite, `PostgresWrites.concurrentTransactions`
    /// on PostgreSQL.
    public static func `for`(_ db: any Database, retry: WriteRetry? = nil) -> WriteQueue {
        let sqlite = (db as? any SQLDatabase)?.dialect.name == "sqlite"
        return WriteQueue(gate: WriteGate(permits: sqlite ? 1 : PostgresWrites.concurrentTransactions),
                          retry: retry ?? (sqlite ? .sqlite : .postgres))
    }

    /// Runs `body` in a transaction of its own, in turn; re-runs the whole transaction after a
    /// retryable failure, so `body` must be safe to run again (everything it wrote was rolled back).
    public func transaction<T: Sendable>(on db: any Database, lane: WriteGate.Lane = .ordinary,
                                         _ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        try await inTurn(lane) { try await retrying { try await db.transaction { tx in try await body(tx) } } }
    }

    /// Like `transaction`, for a body that cannot run twice (it reads a stream once, as an import
    /// does): in turn, never re-run; a retryable failure reaches the caller.
    public func transactionOnce<T: Sendable>(on db: any Database, _ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        try await inTurn(.ordinary) { try await db.transaction { tx in try await body(tx) } }
    }

    private func inTurn<T>(_ lane: WriteGate.Lane, _ run: () async throws -> T) async throws -> T {
        guard let gate else { return try await run() }
        let asked = ContinuousClock.now
        await gate.acquire(lane: lane)
        observeWait(ContinuousClock.now - asked)
        do {
            let result = try await run()
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    private func retrying<T>(_ run: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await run()
            } catch where Self.isRetryable(error) && attempt < retry.attempts {
                // Everything was rolled back: run it again on a fresh snapshot after a short pause.
                attempt += 1
                try await retry.pause(retry.delay(attempt: attempt))
            }
        }
    }

    /// SQLite's busy family, PostgreSQL's 40001 and 40P01.
    public static func isRetryable(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError { return isBusy(error) }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            return state == "40001" || state == "40P01"
        }
        return false
    }

    /// A unique constraint refused the write: two writers checked for the same key at once and
    /// both found it free (on PostgreSQL, two servers; on SQLite, an operator command beside the
    /// server). The caller tells the user the key is taken, as its own check would have.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError {
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
        }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] { return state == "23505" }
        return false
    }

    /// A foreign key refused the write: a row was added under the one being deleted after the
    /// caller's own check found none (a report saved on another server as a measure is deleted).
    public static func isForeignKeyViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError { return error.reason == .constraintForeignKeyFailed }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] { return state == "23503" }
        return false
    }

    static func isBusy(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .busyInSnapshot, .busyTimeout, .busyInRecovery, .locked, .lockedBySharedCache: return true
        default: return false
        }
    }
}
