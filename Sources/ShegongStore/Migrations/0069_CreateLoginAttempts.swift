import FluentKit

/// The per-address login limit (docs/security.md, docs/deployment.md): each allowed attempt of a
/// client address, kept for the limit's sliding window in the database, so that every server on it
/// counts the same attempts and a restart forgets nothing. The address is a keyed hash, not in clear.
struct CreateLoginAttempts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("login_attempts")
            .field("id", .string, .identifier(auto: false))
            .field("address_key", .string, .required)
            .field("attempted_at", .double, .required)
            .create()
        try await createIndex(db, "login_attempts_address", on: "login_attempts", "address_key", "attempted_at")
        try await createIndex(db, "login_attempts_time", on: "login_attempts", "attempted_at")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("login_attempts").delete()
    }
}
