import FluentKit
import SQLKit

/// A practice base as the plans describe it (issue #14 §1, docs/bases.md): the host organisation,
/// capacity, facilities, contact, period, the regions it serves and the interns and trainees it
/// hosts. Only columns and tables are added: every base registered before keeps its row, its
/// `base_level`, its region path and its `established` date, so the indicators that count bases
/// (docs/indicators.md) read the same register and give the same values.
///
/// - `contact_phone` is the base's office phone (not personal data); a named contact's mobile is,
///   and is kept as a person's is: sealed (`contact_mobile_cipher`) with a masked copy for pages;
/// - `practice_base_regions`: the regions a base serves (敦煌's base: the four western counties),
///   each inside the base's own province (the service refuses others);
/// - `practice_base_placements`: a person hosted as an intern (`internship`) or trainee
///   (`training`) from a date to a date (open while it lasts).
struct AddPracticeBaseDetails: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        for (column, type) in [("host_organization_id", SQLDataType.text), ("capacity", .bigint), ("facilities", .text),
                               ("contact_name", .text), ("contact_phone", .text), ("contact_mobile_cipher", .text),
                               ("contact_mobile_masked", .text), ("period_from", .text), ("period_to", .text), ("updated_at", .text)] {
            try await sql.alter(table: "practice_bases").column(column, type: type).run()
        }
        try await db.schema("practice_base_regions")
            .field("base_id", .string, .required, .references("practice_bases", "id"))
            .field("region_code", .string, .required, .references("regions", "code"))
            .unique(on: "base_id", "region_code")
            .create()
        try await db.schema("practice_base_placements")
            .field("id", .string, .identifier(auto: false))
            .field("base_id", .string, .required, .references("practice_bases", "id"))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("kind", .string, .required)            // internship | training
            .field("from_date", .string, .required)       // yyyy-MM-dd
            .field("to_date", .string)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "practice_base_placements_base", on: "practice_base_placements", "base_id", "from_date")
        try await createIndex(db, "practice_base_placements_person", on: "practice_base_placements", "person_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("practice_base_placements").delete()
        try await db.schema("practice_base_regions").delete()
        for column in ["host_organization_id", "capacity", "facilities", "contact_name", "contact_phone", "contact_mobile_cipher",
                       "contact_mobile_masked", "period_from", "period_to", "updated_at"] {
            try await db.schema("practice_bases").deleteField(.string(column)).update()
        }
    }
}
