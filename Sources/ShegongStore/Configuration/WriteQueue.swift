import FluentKit
import FluentSQLiteDriver
import Foundation
import SQLKit

/// A first-come, first-served lock: the SQLite write queue of one process.
public actor WriteGate {
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func release() {
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}

/// The one way a write transaction runs (audited changes, audit entries of reads). SQLite has one
/// writer at a time: this process's writes queue at `gate` instead of colliding (a transaction
/// that read first cannot write once another committed), and a transaction that still meets
/// another process's lock (an operator command) is rolled back and run again on a fresh snapshot,
/// a bounded number of times. PostgreSQL has row locks and needs neither: `gate` is nil there.
public struct WriteQueue: Sendable {
    public let gate: WriteGate?

    public init(gate: WriteGate?) {
        self.gate = gate
    }

    /// The queue of a database: a gate for SQLite, none for PostgreSQL.
    public static func `for`(_ db: any Database) -> WriteQueue {
        WriteQueue(gate: (db as? any SQLDatabase)?.dialect.name == "sqlite" ? WriteGate() : nil)
    }

    public func transaction<T: Sendable>(on db: any Database, _ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        if let gate { await gate.acquire() }
        do {
            let result = try await retryingBusy { try await db.transaction { tx in try await body(tx) } }
            if let gate { await gate.release() }
            return result
        } catch {
            if let gate { await gate.release() }
            throw error
        }
    }

    private func retryingBusy<T>(_ run: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await run()
            } catch let error as SQLiteError where Self.isBusy(error) && attempt < 8 {
                // Everything was rolled back: run it again on a fresh snapshot after a short pause.
                attempt += 1
                try? await Task.sleep(nanoseconds: UInt64.random(in: 2_000_000...20_000_000) * UInt64(attempt))
            }
        }
    }

    static func isBusy(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .busyInSnapshot, .busyTimeout, .locked: return true
        default: return false
        }
    }
}
