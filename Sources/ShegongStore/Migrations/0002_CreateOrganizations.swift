import FluentKit

struct CreateOrganizations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("organizations")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("credit_code", .string)
            .field("kind", .string)
            .field("region_code", .string)
            .field("created_at", .string, .required)
            .field("updated_at", .string, .required)
            .unique(on: "credit_code")
            .create()
        try await createIndex(db, "organizations_name", on: "organizations", "name")
        try await createIndex(db, "organizations_region", on: "organizations", "region_code")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("organizations").delete()
    }
}
