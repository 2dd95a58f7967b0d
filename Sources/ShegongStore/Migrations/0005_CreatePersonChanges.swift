import FluentKit

/// Field-level history of every person: who, when, through what, field, before → after.
/// Personal identifiers appear here only masked.
struct CreatePersonChanges: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("person_changes")
            .field("id", .int64, .identifier(auto: true))
            .field("person_id", .string, .required)
            .field("changed_at", .string, .required)
            .field("actor", .string, .required)
            .field("source", .string, .required)
            .field("field", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .create()
        try await createIndex(db, "person_changes_person", on: "person_changes", "person_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("person_changes").delete()
    }
}
