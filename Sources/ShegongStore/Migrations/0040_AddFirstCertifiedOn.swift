import FluentKit
import SQLKit

/// The date of each person's first certificate, kept on `people` and counted per year in the
/// census aggregates, so "new certificate holders in a period" reads aggregates instead of
/// scanning (issue #5's root dashboard). Existing rows and aggregates are filled in here.
struct AddFirstCertifiedOn: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("people").field("first_certified_on", .string).update()
        let sql = db.sql
        try await sql.raw("""
            UPDATE people SET first_certified_on = (SELECT MIN(c.issue_date) FROM certificates c WHERE c.person_id = people.id)
            """).run()
        // One row per region on each person's path and per year, as CensusStatsDelta writes them:
        // the nation, then each level's column; the place itself when it is a community.
        let year = "SUBSTR(first_certified_on, 1, 4)"
        try await sql.raw("""
            INSERT INTO census_stats (region_code, dimension, value, count)
            SELECT '000000', 'first_certified_year', \(unsafeRaw: year), COUNT(*) FROM people
            WHERE first_certified_on IS NOT NULL GROUP BY \(unsafeRaw: year)
            """).run()
        for column in ["province_code", "city_code", "county_code", "township_code"] {
            try await sql.raw("""
                INSERT INTO census_stats (region_code, dimension, value, count)
                SELECT \(unsafeRaw: column), 'first_certified_year', \(unsafeRaw: year), COUNT(*) FROM people
                WHERE first_certified_on IS NOT NULL AND \(unsafeRaw: column) IS NOT NULL GROUP BY \(unsafeRaw: column), \(unsafeRaw: year)
                """).run()
        }
        try await sql.raw("""
            INSERT INTO census_stats (region_code, dimension, value, count)
            SELECT region_code, 'first_certified_year', \(unsafeRaw: year), COUNT(*) FROM people
            WHERE first_certified_on IS NOT NULL AND LENGTH(region_code) = 12 GROUP BY region_code, \(unsafeRaw: year)
            """).run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM census_stats WHERE dimension = 'first_certified_year'").run()
        try await db.schema("people").deleteField("first_certified_on").update()
    }
}
