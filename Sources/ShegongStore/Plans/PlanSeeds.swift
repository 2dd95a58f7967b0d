import FluentKit
import Foundation
import ShegongDomain

/// The seed plans and exam figures shipped in `Resources/plans` (the repository's `plans/` is a
/// symlink to them, as `policies/` is; the binary finds them from any directory).
public enum PlanSeeds {
    public static var directory: URL {
        Bundle.module.url(forResource: "jiuquan-2025", withExtension: "yaml", subdirectory: "Resources/plans")!.deletingLastPathComponent()
    }

    public static func library() throws -> PlanLibrary { try PlanLibrary.load(directory: directory) }

    public struct Loaded: Sendable {
        public var plans = 0
        public var examFigures = 0
    }

    /// Loads every seed plan not stored yet, and the exam figures (upserted). Idempotent.
    public static func load(db: any Database, now: Date = Date()) async throws -> Loaded {
        let library = try library()
        var loaded = Loaded()
        let plans = PlanStore(db: db)
        for plan in library.plans where try await plans.add(plan, now: now) { loaded.plans += 1 }
        let exams = ExamStore(db: db)
        for set in library.examFigureSets {
            for figure in set.figures {
                _ = try await exams.save(figure, actor: "seed:\(set.id)", now: now)
                loaded.examFigures += 1
            }
        }
        return loaded
    }
}
