import FluentKit
import SQLKit
import ShegongDomain

/// People by employer kind × service field in the census aggregates (`employer_field`), so that
/// "social workers in the elderly field at elderly-care institutions" — the numerator of
/// "social workers per 100 care beds" on the root dashboard — reads aggregates instead of
/// scanning people joined to organisations (issue #5's benchmark). Filled here from one grouped
/// read; `CensusWriter` keeps it from then on, and `OrganizationStore.update` moves an
/// organisation's staff when its kind changes.
struct AddEmployerFieldCounts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        var delta = CensusStatsDelta()
        let rows = try await sql.select().column(SQLColumn("region_code", table: "p")).column(SQLColumn("service_fields", table: "p"))
            .column(SQLAlias(SQLColumn("kind", table: "o"), as: SQLIdentifier("kind")))
            .column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("organization_id", table: "p"), .equal, SQLColumn("id", table: "o"))
            .where(SQLColumn("service_fields", table: "p"), .notEqual, SQLBind(""))
            .groupBy(SQLColumn("region_code", table: "p")).groupBy(SQLColumn("service_fields", table: "p")).groupBy(SQLColumn("kind", table: "o"))
            .all()
        for row in rows {
            let kind = try row.decode(column: "kind", as: String?.self)
            let fields = try row.decode(column: "service_fields", as: String.self).split(separator: "、").compactMap { ServiceField(rawValue: String($0)) }
            delta.add(fields.map { .init(.employerField, CensusFacts.employerField(kind: kind, field: $0)) },
                      region: try row.decode(column: "region_code"), count: try row.decode(column: "n", as: Int.self))
        }
        if !delta.isEmpty { try await delta.flush(to: sql, regions: try await RegionStore(db).directory()) }
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("DELETE FROM census_stats WHERE dimension = 'employer_field'").run()
    }
}
