import FluentKit

/// Maintained census aggregates: for every region and each of its ancestors up to the nation
/// (`000000`), a count per (dimension, value). Updated in the same transaction as the people they
/// count, so the national root answers with one indexed read instead of a scan.
struct CreateCensusStats: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("census_stats")
            .field("region_code", .string, .required)
            .field("dimension", .string, .required)
            .field("value", .string, .required)
            .field("count", .int64, .required)
            .unique(on: "region_code", "dimension", "value")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("census_stats").delete()
    }
}
