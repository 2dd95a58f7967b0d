import FluentKit

/// The public certificate verification's rate limit (issue #14 §4, docs/pilots.md): queries per
/// client address and fixed window, counted in the database so that every server instance on it
/// shares one count. The address is kept as a keyed hash, not in clear.
struct CreateVerificationCounters: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("verification_counters")
            .field("address_key", .string, .required)
            .field("window_start", .string, .required)
            .field("hits", .int, .required)
            .unique(on: "address_key", "window_start")
            .create()
        try await createIndex(db, "verification_counters_window", on: "verification_counters", "window_start")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("verification_counters").delete()
    }
}
