import FluentKit

/// A base's page lists the training sessions held there (issue #14 §1): an index on the base, so
/// the list reads only that base's sessions, newest first.
struct AddTrainingSessionBaseIndex: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await createIndex(db, "training_session_base", on: "training_sessions", "practice_base_id", "starts_on")
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "training_session_base").run()
    }
}
