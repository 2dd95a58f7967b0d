import FluentKit
import SQLKit

/// The accounts' generation number (issue #15 item 2, docs/security.md "Principal cache"): one
/// row whose counter goes up in the same transaction as every write that changes who a session or
/// token stands for — disable, enable, grant or role, password, TOTP, a token revoked, a session
/// ended. Each server reads it (one primary-key read) before it trusts a principal it has cached,
/// so a change made through any server is seen by every server on its next request.
struct CreateAuthGeneration: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("auth_generation")
            .field("id", .int, .identifier(auto: false))
            .field("generation", .int64, .required)
            .create()
        try await db.sql.insert(into: "auth_generation").columns("id", "generation").values(SQLBind(1), SQLBind(Int64(0))).run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("auth_generation").delete()
    }
}
