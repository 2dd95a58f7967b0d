import FluentKit
import SQLKit

/// A practice base's own level (`base_level`: province, city, county, college) and a fusion pilot's
/// tier (`tier`: province, city, county), issue #16: Jiuquan's targets count county-level bases
/// and the city's own pilots, which the register could not tell apart (docs/indicators.md).
///
/// Existing rows:
/// - bases keep what their old `level` said of the base itself (migration 0010: "the RegionLevel
///   of the base, not of its address"): 省级 1 → province, 市级 2 → city (the demo's 金泉路 base),
///   县级 3 → county. A 乡镇 or 村（社区） level, or anything else, is not a level the plan knows and
///   becomes `unspecified`, which counts as no level at all — never as a county base;
/// - pilots had no tier: the demo's 南苑社区 and 梨园社区 are provincial pilots (全省融合试点项目,
///   the plan's measure 5.1); every other pilot becomes `unspecified`, which counts as no tier —
///   never as a city pilot — until an official records it.
///
/// `practice_bases.level` stays (SQLite cannot drop a NOT NULL column in place) but is read by
/// nothing: new rows write the base level's nearest region level there (college: the level of the
/// place it stands in).
struct AddPracticeBaseLevelAndPilotTier: AsyncMigration {
    /// The demo's provincial pilots (`PracticeSiteStore.loadJiuquanSeeds`), by place and name.
    static let provincialDemoPilots: [(region: String, name: String)] = [("620902002001", "南苑社区"), ("620982100001", "梨园社区")]

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        // NOT NULL needs a default for the rows already there (SQLite's ADD COLUMN rule).
        try await sql.alter(table: "practice_bases").column("base_level", type: .text, .notNull, .default("unspecified")).run()
        try await sql.alter(table: "pilot_communities").column("tier", type: .text, .notNull, .default("unspecified")).run()
        for (old, new) in [(1, "province"), (2, "city"), (3, "county")] {
            try await sql.update("practice_bases").set("base_level", to: SQLBind(new)).where("level", .equal, SQLBind(old)).run()
        }
        for pilot in Self.provincialDemoPilots {
            try await sql.update("pilot_communities").set("tier", to: SQLBind("province"))
                .where("region_code", .equal, SQLBind(pilot.region)).where("name", .equal, SQLBind(pilot.name)).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("pilot_communities").deleteField("tier").update()
        try await db.schema("practice_bases").deleteField("base_level").update()
    }
}
