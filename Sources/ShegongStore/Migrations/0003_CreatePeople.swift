import FluentKit

/// One row per person, keyed by the HMAC index of the resident ID (one person per ID number).
/// ID and mobile are stored sealed (AES-GCM) beside a masked form for lists; the columns that
/// statistics need (sex, birth date, level, category…) are plain. The region path columns make
/// "everyone in this county" an indexed equality (see CreateRegions).
struct CreatePeople: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("people")
            .field("id", .string, .identifier(auto: false))
            .field("id_index", .string, .required)
            .field("id_cipher", .string, .required)
            .field("id_masked", .string, .required)
            .field("name", .string, .required)
            .field("sex", .string, .required)
            .field("birth_date", .string, .required)
            .field("mobile_index", .string)
            .field("mobile_cipher", .string)
            .field("mobile_masked", .string)
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("province_code", .string)
            .field("city_code", .string)
            .field("county_code", .string)
            .field("township_code", .string)
            .field("organization_id", .string, .references("organizations", "id"))
            .field("post_category", .string)
            .field("service_fields", .string, .required)
            .field("education", .string)
            .field("social_work_degree", .bool)
            .field("certificate_level", .string)
            .field("created_at", .string, .required)
            .field("updated_at", .string, .required)
            .field("version", .int, .required)
            .unique(on: "id_index")
            .create()
        try await createIndex(db, "people_region", on: "people", "region_code")
        for level in ["province_code", "city_code", "county_code", "township_code"] {
            try await createIndex(db, "people_\(level)", on: "people", level)
        }
        try await createIndex(db, "people_name", on: "people", "name")
        try await createIndex(db, "people_organization", on: "people", "organization_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("people").delete()
    }
}
