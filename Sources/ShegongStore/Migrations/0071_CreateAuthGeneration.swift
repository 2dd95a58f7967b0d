import FluentKit
import SQLKit

/// The accounts' generation number (issue #15 item 2, docs/security.md "Principal cache"): one
/// row whose counter goes up in the same transaction as every write that changes who a session or
/// token stands for — disable, enable, grant or role, password, TOTP, a token revoked, a session
/// ended. Each server reads it (one primary-key read, at most every fifth of a second and at once
/// after its own changes) before it trusts a principal it has cached (`PrincipalCache`).
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
