import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where bcrypt runs: threads of its own, one per core, never Swift's cooperative thread pool.
///
/// A bcrypt check holds a core for an eighth of a second on purpose (a quarter at the cost of 12
/// these figures were measured with; docs/security.md says why 11). The cooperative pool has
/// one thread per core, so on a two-core server two logins at once used to stop every other request
/// of every user until they finished: the 10-minute load run (docs/benchmarks.md) had page reads
/// waiting 200–250 ms behind failed logins. Here a burst of logins shares the CPU with the pages
/// (the system divides it between threads) instead of stopping them. Half the cores was tried
/// first: on two cores one thread checks 4 passwords a second, and the load run's 4.4 sign-ins a
/// second then waited 11 s each.
///
/// Sharing evenly was not enough either: with 50 busy users a check got a fraction of a core and a
/// sign-in took 700 ms at p95 (load run 5). So the server (`serve`, not the tests or the commands)
/// calls `favourOverOtherThreads()`: every other thread of the process runs five nice levels lower,
/// and the system weighs a password check about three times a page request's thread
/// (docs/operations.md). A process may lower its own threads without privileges, never raise them.
public enum PasswordWork {
    private static let threads = PasswordThreads(count: max(1, ProcessInfo.processInfo.activeProcessorCount))

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            threads.submit { continuation.resume(with: Result(catching: body)) }
        }
    }

    /// From now on every thread but the password threads is kept `levels` nice levels below them:
    /// at once, and again whenever a check is handed over, which catches threads started since.
    public static func favourOverOtherThreads(by levels: Int32 = ThreadPriority.signInAdvantage) {
        threads.favour(by: levels)
    }
}

/// A fixed set of threads taking checks from one line, first come first served.
final class PasswordThreads: @unchecked Sendable {
    private let condition = NSCondition()
    private var line: [@Sendable () -> Void] = []
    private var ids: Set<Int32> = []
    private var advantage: Int32?

    /// Returns once every thread has started and told its id, so that favouring them cannot miss one.
    /// The threads never end, and hold the object for as long as the process lives.
    init(count: Int) {
        let started = DispatchSemaphore(value: 0)
        for index in 0..<count {
            let thread = Thread { self.work(started: started) }
            thread.name = "shegong-pw-\(index)"
            thread.start()
        }
        for _ in 0..<count { started.wait() }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        line.append(job)
        let kept = ids, advantage = advantage
        condition.signal()
        condition.unlock()
        if let advantage { ThreadPriority.lowerOtherThreads(keeping: kept, by: advantage) }
    }

    /// The kernel's ids of the threads.
    var threadIDs: Set<Int32> {
        condition.lock()
        defer { condition.unlock() }
        return ids
    }

    func favour(by levels: Int32) {
        condition.lock()
        advantage = levels
        let kept = ids
        condition.unlock()
        ThreadPriority.lowerOtherThreads(keeping: kept, by: levels)
    }

    private func work(started: DispatchSemaphore) {
        condition.lock()
        if let id = ThreadPriority.currentThreadID() { ids.insert(id) }
        condition.unlock()
        started.signal()
        while true {
            condition.lock()
            while line.isEmpty { condition.wait() }
            let job = line.removeFirst()
            condition.unlock()
            job()
        }
    }
}

/// Linux's per-thread nice value, read and raised through /proc/self/task. Elsewhere nothing is
/// changed: Shegong's servers run on Linux.
public enum ThreadPriority {
    /// Five nice levels: the scheduler weighs a thread at nice 0 about three times one at nice 5
    /// (1024 against 335). Ten levels (nine times) gave sign-ins no better p95 under load, and
    /// favouring one password thread instead of all a worse one (docs/benchmarks.md, load runs
    /// 8, 10 and 11); at five, pages keep about half the CPU while every core checks a password.
    public static let signInAdvantage: Int32 = 5

    /// The kernel's id of the calling thread.
    static func currentThreadID() -> Int32? {
        #if os(Linux)
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self") else { return nil }
        return link.split(separator: "/").last.flatMap { Int32($0) }
        #else
        return nil
        #endif
    }

    /// The process's threads, by kernel id.
    static func threadIDs() -> [Int32] {
        #if os(Linux)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return names.compactMap { Int32($0) }
        #else
        return []
        #endif
    }

    static func nice(of thread: Int32) -> Int32? {
        #if os(Linux)
        errno = 0
        let value = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(thread))
        return errno == 0 ? value : nil
        #else
        return nil
        #endif
    }

    /// Raises the nice value of every thread not kept to `levels` above the highest of the kept
    /// ones; a thread already that low or lower is left alone, so this is cheap to repeat.
    static func lowerOtherThreads(keeping kept: Set<Int32>, by levels: Int32, among threads: [Int32] = threadIDs()) {
        let base = kept.compactMap { nice(of: $0) }.max() ?? 0
        lower(threads.filter { !kept.contains($0) }, to: min(19, base + levels))
    }

    static func lower(_ threads: [Int32], to target: Int32) {
        #if os(Linux)
        for thread in threads {
            guard let current = nice(of: thread), current < target else { continue }
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(thread), target)
        }
        #endif
    }
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
