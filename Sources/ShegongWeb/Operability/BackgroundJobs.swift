import Foundation
import Vapor

/// Work the server goes on with after it has answered: the import wizard's dry runs and commits
/// (docs/operations.md, "Stopping the server"). Each runs in a task of its own, tracked until it
/// ends, so that shutdown waits for it (`BackgroundJobsShutdown`) before the database pools close:
/// an import being committed then commits whole instead of being cut off.
public actor BackgroundJobs {
    private var running: [UUID: Task<Void, Never>] = [:]
    /// Shutdown has begun waiting.
    public private(set) var isDraining = false
    /// Jobs running now.
    public var count: Int { running.count }

    public init() {}

    /// Runs `body` in a task of its own, tracked until it ends; registered before this returns.
    public func start(_ body: @escaping @Sendable () async -> Void) {
        let id = UUID()
        running[id] = Task.detached { [weak self] in
            await body()
            await self?.finished(id)
        }
    }

    private func finished(_ id: UUID) {
        running[id] = nil
    }

    /// Returns once every job, including any started meanwhile, has ended.
    public func drain() async {
        isDraining = true
        while let task = running.values.first {
            await task.value
        }
    }
}

/// At shutdown — after the HTTP server has stopped accepting requests and let those in flight
/// finish, before the database pools close — waits for the background jobs.
struct BackgroundJobsShutdown: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        let jobs = application.shegong.backgroundJobs
        let count = await jobs.count
        if count > 0 {
            application.logger.notice("waiting for \(count) background import(s) to finish before closing the database")
        }
        await jobs.drain()
    }
}

extension ShegongServices {
    struct BackgroundJobsKey: StorageKey { typealias Value = BackgroundJobs }

    /// This application's background jobs (made in `configure`).
    public var backgroundJobs: BackgroundJobs {
        get {
            if let jobs = app.storage[BackgroundJobsKey.self] { return jobs }
            let jobs = BackgroundJobs()
            app.storage[BackgroundJobsKey.self] = jobs
            return jobs
        }
        nonmutating set { app.storage[BackgroundJobsKey.self] = newValue }
    }
}
