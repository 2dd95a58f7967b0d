import Foundation
import SQLKit
import ShegongDomain
@testable import ShegongStore
import XCTest
@testable import ShegongWeb

/// A hasher whose checks wait until the test opens the gate: a stand-in for bcrypt's quarter of a
/// second of CPU, long enough to see what else the server can do meanwhile.
private final class GatedHasher: PasswordHashing, @unchecked Sendable {
    let inner = BcryptPasswordHashing(cost: 4)
    let gate = DispatchSemaphore(value: 0)
    func hash(_ password: String) throws -> String { try inner.hash(password) }
    func verify(_ password: String, against hash: String) throws -> Bool {
        gate.wait()
        return try inner.verify(password, against: hash)
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

final class PasswordWorkTests: XCTestCase {
    /// Issue #12's load run: failed logins held every thread of Swift's cooperative pool while bcrypt
    /// ran, and every other user's page waited. More logins than the machine has cores are checking
    /// passwords at once here, and other work must still run.
    func testLoginsCheckingPasswordsDoNotStopOtherWork() async throws {
        try await withApp { app in
            let hasher = GatedHasher()
            let store = AccountStore(db: app.db, cipher: app.shegong.cipher, hasher: hasher, writes: app.shegong.writeQueue)
            _ = try await store.create(username: "busy", grant: .nationalOfficial(.read), actor: "test")
            let logins = ProcessInfo.processInfo.activeProcessorCount + 1
            let attempts = (0..<logins).map { _ in
                Task { try await store.login(username: "busy", password: "Wrong-password-1") }
            }
            // The watchdog runs on a dispatch queue, not the cooperative pool, so it can end the test
            // even when the pool is stuck: it waits 20 s only when the work below could not run.
            let otherWorkRan = Flag(), stuck = Flag()
            DispatchQueue.global().asyncAfter(deadline: .now() + 20) {
                guard !otherWorkRan.isSet else { return }
                stuck.set()
                for _ in 0..<logins { hasher.gate.signal() }
            }
            let count = try await app.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users")
                .first()?.decode(column: "n", as: Int.self)
            otherWorkRan.set()
            XCTAssertFalse(stuck.isSet, "a query waited until the password checks were let go")
            XCTAssertGreaterThanOrEqual(count ?? 0, 1)
            if !stuck.isSet { for _ in 0..<logins { hasher.gate.signal() } }
            for attempt in attempts {
                if case .success = try await attempt.value { XCTFail("a wrong password was accepted") }
            }
        }
    }
}

/// A thread that only waits, standing in for one of the server's request threads.
private final class IdleThread: @unchecked Sendable {
    private let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
    private(set) var id: Int32?

    init() {
        let thread = Thread { [self] in
            id = ThreadPriority.currentThreadID()
            started.signal()
            release.wait()
        }
        thread.start()
        started.wait()
    }

    deinit { release.signal() }
}

final class ThreadPriorityTests: XCTestCase {
    /// Load run 5: with 50 busy users a sign-in took 700 ms at p95, its bcrypt check getting a
    /// share of the cores no larger than any page's. The server keeps its other threads
    /// `signInAdvantage` nice levels below the password threads; a thread already lower is left as
    /// it is, and doing it again changes nothing.
    func testEveryThreadButThePasswordThreadsIsKeptBelowThem() throws {
        #if os(Linux)
        let password = IdleThread(), page = IdleThread(), background = IdleThread()
        let passwordID = try XCTUnwrap(password.id), pageID = try XCTUnwrap(page.id), backgroundID = try XCTUnwrap(background.id)
        let base = try XCTUnwrap(ThreadPriority.nice(of: passwordID)), advantage = ThreadPriority.signInAdvantage
        try XCTSkipIf(base + advantage + 2 > 19, "the tests already run at nice \(base)")
        ThreadPriority.lower([backgroundID], to: base + advantage + 2)
        for _ in 0..<2 {
            ThreadPriority.lowerOtherThreads(keeping: [passwordID], by: advantage, among: [passwordID, pageID, backgroundID])
            XCTAssertEqual(ThreadPriority.nice(of: passwordID), base, "the password thread was lowered")
            XCTAssertEqual(ThreadPriority.nice(of: pageID), base + advantage)
            XCTAssertEqual(ThreadPriority.nice(of: backgroundID), base + advantage + 2, "a thread already lower was raised")
        }
        #else
        throw XCTSkip("thread priorities are set on Linux only")
        #endif
    }

    /// The password threads say who they are before anything is lowered, so none is missed.
    func testThePasswordThreadsAreKnownAsSoonAsTheyExist() {
        let threads = PasswordThreads(count: 2)
        #if os(Linux)
        XCTAssertEqual(threads.threadIDs.count, 2)
        XCTAssertTrue(threads.threadIDs.isSubset(of: Set(ThreadPriority.threadIDs())))
        #endif
    }
}
