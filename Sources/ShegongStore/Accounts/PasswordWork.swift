import Foundation

/// Where bcrypt runs: a few dispatch queues of its own, never Swift's cooperative thread pool.
///
/// A bcrypt check holds a core for about a quarter of a second on purpose. The cooperative pool has
/// one thread per core, so on a two-core server two logins at once used to stop every other request
/// of every user until they finished: the 10-minute load run (docs/benchmarks.md) had page reads
/// waiting 200–250 ms behind failed logins. Here the checks run on one queue per core: a burst of
/// logins shares the CPU with the pages (the system divides it between threads) instead of
/// stopping them. Half the cores was tried first: on two cores one queue checks 4 passwords a
/// second, and the load run's 4.4 sign-ins a second then waited 11 s each.
enum PasswordWork {
    private static let lanes: [DispatchQueue] = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map {
        DispatchQueue(label: "shegong.password-work.\($0)", qos: .userInitiated)
    }
    private static let turns = TurnCounter()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let lane = lanes[turns.next() % lanes.count]
        return try await withCheckedThrowingContinuation { continuation in
            lane.async { continuation.resume(with: Result(catching: body)) }
        }
    }
}

private final class TurnCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.withLock { count &+= 1; return count & Int.max } }
}

extension AccountStore {
    /// `hasher.hash` off the cooperative pool (`PasswordWork`).
    func hashed(_ password: String) async throws -> String {
        let hasher = hasher
        return try await PasswordWork.run { try hasher.hash(password) }
    }

    /// `hasher.verify` off the cooperative pool (`PasswordWork`).
    func verified(_ password: String, against hash: String) async throws -> Bool {
        let hasher = hasher
        return try await PasswordWork.run { try hasher.verify(password, against: hash) }
    }
}
