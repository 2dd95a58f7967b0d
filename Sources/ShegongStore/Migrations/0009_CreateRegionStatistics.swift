import FluentKit

/// Region statistics (issue 5 §1): the denominators departments enter per region and year
/// (schools, population 60+, care beds …). One row per (region, year, statistic); the region's
/// path columns make "every figure in 酒泉市" one indexed equality, as on `people`.
/// Every change is kept in `region_statistic_changes` (who, when, before → after).
struct CreateRegionStatistics: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("region_statistics")
            .field("id", .string, .identifier(auto: false))
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("region_level", .int, .required)
            .field("province_code", .string)
            .field("city_code", .string)
            .field("county_code", .string)
            .field("township_code", .string)
            .field("year", .int, .required)
            .field("statistic", .string, .required)
            .field("value", .int64, .required)
            .field("updated_at", .string, .required)
            .field("updated_by", .string, .required)
            .unique(on: "region_code", "year", "statistic")
            .create()
        for level in ["province_code", "city_code", "county_code", "township_code"] {
            try await createIndex(db, "region_statistics_\(level)", on: "region_statistics", level)
        }
        try await db.schema("region_statistic_changes")
            .field("id", .int64, .identifier(auto: true))
            .field("region_code", .string, .required)
            .field("year", .int, .required)
            .field("statistic", .string, .required)
            .field("before_value", .int64)
            .field("after_value", .int64)
            .field("actor", .string, .required)
            .field("source", .string, .required)
            .field("changed_at", .string, .required)
            .create()
        try await createIndex(db, "region_statistic_changes_region", on: "region_statistic_changes", "region_code", "year")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("region_statistic_changes").delete()
        try await db.schema("region_statistics").delete()
    }
}
