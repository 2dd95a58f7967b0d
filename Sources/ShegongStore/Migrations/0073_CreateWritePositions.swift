import FluentKit

/// Read-your-writes with a standby (docs/deployment.md, "Reads from the standby"): per account,
/// the primary's WAL position (bytes from 0/0) just after that account's latest committed change.
/// Kept in the database, so every server behind a balancer sends the account's next reads to the
/// primary until the standby has replayed that far. Written only when a standby is configured.
struct CreateWritePositions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("write_positions")
            .field("account_id", .string, .identifier(auto: false))
            .field("wal_position", .int64, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("write_positions").delete()
    }
}
