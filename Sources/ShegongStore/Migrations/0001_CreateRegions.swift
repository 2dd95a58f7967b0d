import FluentKit

/// GB/T 2260 regions and the township / community levels users add beneath them.
/// The path to the root is kept as one column per level (province_code … township_code), so a
/// subtree is an equality on an indexed column on both databases, whatever their collation.
/// `parent_code` keeps the exceptions (县级 units directly under a province) explicit.
struct CreateRegions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("regions")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("level", .int, .required)
            .field("parent_code", .string)
            .field("province_code", .string)
            .field("city_code", .string)
            .field("county_code", .string)
            .field("township_code", .string)
            .field("valid_from", .int)
            .field("valid_to", .int)
            .field("placeholder", .bool, .required)
            .field("source", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "regions_parent", on: "regions", "parent_code")
        for level in ["province_code", "city_code", "county_code", "township_code"] {
            try await createIndex(db, "regions_\(level)", on: "regions", level)
        }
        // Name history: one row per (code, name, years), so old reports keep the name they had.
        try await db.schema("region_names")
            .field("id", .int64, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("valid_from", .int)
            .field("valid_to", .int)
            .create()
        try await createIndex(db, "region_names_code", on: "region_names", "code")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("region_names").delete()
        try await db.schema("regions").delete()
    }
}
