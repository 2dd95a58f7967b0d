import FluentKit

/// Practice bases (实践基地) and "专业社工+志愿服务" fusion pilot communities (融合试点社区), just
/// enough for the indicators that count them (issue 5 §2). Both carry the region path columns of
/// where they are, so a subtree count is an indexed equality, and the county-unit indicators can
/// ask "does this county have one" by `county_code`.
struct CreatePracticeBasesAndPilots: AsyncMigration {
    func prepare(on db: any Database) async throws {
        for table in ["practice_bases", "pilot_communities"] {
            var builder = db.schema(table)
                .field("id", .string, .identifier(auto: false))
                .field("region_code", .string, .required, .references("regions", "code"))
                .field("province_code", .string)
                .field("city_code", .string)
                .field("county_code", .string)
                .field("township_code", .string)
                .field("name", .string, .required)
            if table == "practice_bases" {
                // level: the RegionLevel of the base (市级 2, 县级 3 …), not of its address; host: who runs it.
                builder = builder.field("level", .int, .required).field("host", .string)
            } else {
                builder = builder.field("good_practice_cases", .int, .required)
            }
            try await builder
                .field("established", .string)
                .field("created_at", .string, .required)
                .create()
            for level in ["province_code", "city_code", "county_code", "township_code"] {
                try await createIndex(db, "\(table)_\(level)", on: table, level)
            }
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("pilot_communities").delete()
        try await db.schema("practice_bases").delete()
    }
}
