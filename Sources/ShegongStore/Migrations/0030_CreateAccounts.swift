import FluentKit

/// Accounts, sessions and API tokens (issue #3). Secrets are never stored: passwords as bcrypt
/// hashes, session ids and API tokens as SHA-256 of the random value the client holds, TOTP
/// secrets sealed with the personal-data key.
struct CreateAccounts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("users")
            .field("id", .string, .identifier(auto: false))
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            // One role per account: the separation of the three administrators by construction.
            .field("role", .string, .required)
            .field("region_code", .string)
            .field("region_level", .int)
            .field("access", .string)
            .field("department", .string)
            .field("organization_id", .string)
            .field("person_id", .string)
            .field("must_change_password", .bool, .required)
            .field("password_changed_at", .string, .required)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .string)
            .field("disabled", .bool, .required)
            .field("totp_secret", .string)
            .field("totp_last_step", .int64)
            .field("last_login_at", .string)
            .field("created_at", .string, .required)
            .field("created_by", .string, .required)
            .field("updated_at", .string, .required)
            .unique(on: "username")
            .create()
        try await db.schema("sessions")
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .string, .required, .references("users", "id"))
            .field("created_at", .string, .required)
            .field("last_seen_at", .string, .required)
            .field("ip", .string)
            .create()
        try await createIndex(db, "sessions_user", on: "sessions", "user_id")
        try await db.schema("api_tokens")
            .field("id", .string, .identifier(auto: false))
            .field("token_hash", .string, .required)
            .field("name", .string, .required)
            .field("user_id", .string, .required, .references("users", "id"))
            .field("created_at", .string, .required)
            .field("created_by", .string, .required)
            .field("last_used_at", .string)
            .field("revoked_at", .string)
            .unique(on: "token_hash")
            .create()
        try await createIndex(db, "api_tokens_user", on: "api_tokens", "user_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("api_tokens").delete()
        try await db.schema("sessions").delete()
        try await db.schema("users").delete()
    }
}
