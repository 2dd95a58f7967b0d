import Foundation
import SQLKit
import ShegongDomain

/// Count changes waiting to be written to `census_stats`, kept per leaf region and expanded to
/// every ancestor only when flushed (an import of a million people touches a few thousand regions).
struct CensusStatsDelta: Sendable {
    private var byRegion: [String: [CensusCount.Key: Int]] = [:]

    var isEmpty: Bool { byRegion.isEmpty }

    mutating func add(_ facts: CensusFacts, region: String, sign: Int) {
        add(facts.dimensions, region: region, count: sign)
    }

    /// `count` people (negative: removed) under each of `keys` in `region`.
    mutating func add(_ keys: [CensusCount.Key], region: String, count: Int) {
        // In place: a copy taken out and put back would copy the region's whole dictionary per person.
        for key in keys { byRegion[region, default: [:]][key, default: 0] += count }
    }

    /// Writes the changes in the caller's transaction: one upsert per (region, dimension, value).
    mutating func flush(to sql: any SQLDatabase, regions: RegionDirectory) async throws {
        var expanded: [String: [CensusCount.Key: Int]] = [:]
        for (leaf, counts) in byRegion {
            let codes = regions[leaf]?.path.codesFromRoot ?? [RegionPath.nationCode, leaf]
            for code in codes {
                for (key, delta) in counts where delta != 0 { expanded[code, default: [:]][key, default: 0] += delta }
            }
        }
        var rows: [[any Encodable & Sendable]] = []
        for (code, counts) in expanded {
            for (key, delta) in counts where delta != 0 {
                rows.append([code, key.dimension.rawValue, key.value, delta])
            }
        }
        let perChunk = 5_000
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perChunk)
            var builder = sql.insert(into: "census_stats").columns("region_code", "dimension", "value", "count")
            for row in rows[start..<end] { builder = builder.values(row) }
            try await builder.onConflict(with: ["region_code", "dimension", "value"]) {
                $0.set("count", to: SQLRaw("census_stats.count + EXCLUDED.count"))
            }.run()
            start = end
        }
        byRegion = [:]
    }
}

extension CensusStatsDelta {
    /// The employer-kind × field counts of `organizationID`'s staff moved from `oldKind` to
    /// `newKind` (an organisation's kind was changed): one grouped read of its staff.
    static func employerKindChange(organizationID: String, from oldKind: String?, to newKind: String?, on sql: any SQLDatabase) async throws -> CensusStatsDelta {
        var delta = CensusStatsDelta()
        guard oldKind != newKind else { return delta }
        for row in try await sql.select().columns("region_code", "service_fields").column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .from("people").where("organization_id", .equal, organizationID).groupBy("region_code").groupBy("service_fields").all() {
            let fields: String = try row.decode(column: "service_fields")
            let n = try row.decode(column: "n", as: Int.self)
            let region: String = try row.decode(column: "region_code")
            let parsed = fields.split(separator: "、").compactMap { ServiceField(rawValue: String($0)) }
            delta.add(parsed.map { .init(.employerField, CensusFacts.employerField(kind: oldKind, field: $0)) }, region: region, count: -n)
            delta.add(parsed.map { .init(.employerField, CensusFacts.employerField(kind: newKind, field: $0)) }, region: region, count: n)
        }
        return delta
    }
}

/// Reads the maintained aggregates, and (for checks and the benchmark) recomputes them the slow way.
public struct CensusStatsStore: Sendable {
    let sql: any SQLDatabase

    public init(sql: any SQLDatabase) { self.sql = sql }

    /// One indexed read of the maintained counts of `regionCode` (`000000` = the nation): of every
    /// dimension, or only of `dimensions`.
    public func counts(region regionCode: String, dimensions: [CensusDimension]? = nil) async throws -> [CensusCount] {
        try await counts(regions: [regionCode], dimensions: dimensions)[regionCode] ?? []
    }

    /// The maintained counts of several regions in one read, by region code (a region without
    /// counts — nobody on the register there — maps to an empty list): of every dimension, or only
    /// of `dimensions`.
    public func counts(regions codes: [String], dimensions: [CensusDimension]? = nil) async throws -> [String: [CensusCount]] {
        var counts: [String: [CensusCount]] = Dictionary(uniqueKeysWithValues: Set(codes).map { ($0, []) })
        guard !codes.isEmpty else { return counts }
        var query = sql.select().columns("region_code", "dimension", "value", "count").from("census_stats")
            .where(SQLQueryString("region_code IN (\(binds: Array(Set(codes)).sorted()))"))
        if let dimensions { query = query.where("dimension", .in, dimensions.map(\.rawValue)) }
        for row in try await query.all() {
            guard let dimension = CensusDimension(rawValue: try row.decode(column: "dimension")) else { continue }
            counts[try row.decode(column: "region_code"), default: []]
                .append(CensusCount(dimension, try row.decode(column: "value"), try row.decode(column: "count", as: Int.self)))
        }
        return counts
    }

    public func summary(region: Region, asOf: CivilDate) async throws -> CensusSummary {
        CensusSummary(counts: try await counts(region: region.code, dimensions: CensusSummary.dimensions), asOf: asOf)
    }

    /// The same counts by scanning people with GROUP BY: what the maintained aggregates replace.
    /// Used by tests to prove the aggregates right and by the benchmark to show what they save.
    public func scanCounts(region: Region) async throws -> [CensusCount] {
        func scoped(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            guard let column = RegionPath.column(for: region.level) else { return query }
            return query.where(SQLColumn(column, table: "people"), .equal, SQLBind(region.code))
        }
        var counts: [CensusCount] = []
        func group(_ dimension: CensusDimension, _ expression: String, nullAs: String, extra: ((SQLSelectBuilder) -> SQLSelectBuilder)? = nil) async throws {
            var query = scoped(sql.select()
                .column(SQLAlias(SQLRaw("COALESCE(\(expression), '\(nullAs)')"), as: SQLIdentifier("v")))
                .column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
                .from("people"))
            if let extra { query = extra(query) }
            for row in try await query.groupBy(SQLRaw("COALESCE(\(expression), '\(nullAs)')")).all() {
                counts.append(CensusCount(dimension, try row.decode(column: "v"), try row.decode(column: "n", as: Int.self)))
            }
        }
        try await group(.total, "''", nullAs: "")
        try await group(.level, "certificate_level", nullAs: CensusFacts.none)
        try await group(.category, "post_category", nullAs: CensusFacts.unknown)
        try await group(.education, "education", nullAs: CensusFacts.unknown)
        try await group(.degree, "CASE WHEN social_work_degree THEN '是' WHEN NOT social_work_degree THEN '否' END", nullAs: CensusFacts.unknown)
        try await group(.birthYear, "SUBSTR(birth_date, 1, 4)", nullAs: "")
        try await group(.sex, "sex", nullAs: "")
        try await group(.firstCertifiedYear, "SUBSTR(first_certified_on, 1, 4)", nullAs: "") {
            $0.where(SQLColumn("first_certified_on"), .isNot, SQLLiteral.null)
        }
        try await group(.certifiedCategory, "post_category", nullAs: CensusFacts.unknown) {
            $0.where(SQLColumn("certificate_level"), .isNot, SQLLiteral.null)
        }
        // Service fields are a 、-joined column: count each field by pattern, and by employer kind.
        for field in ServiceField.allCases {
            let rows = try await scoped(sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from("people"))
                .where(SQLQueryString("('、' || service_fields || '、') LIKE \(bind: "%、\(field.rawValue)、%")")).all()
            if let n = try rows.first?.decode(column: "n", as: Int.self), n > 0 { counts.append(CensusCount(.field, field.rawValue, n)) }
            for row in try await scoped(sql.select()
                .column(SQLAlias(SQLRaw("o.kind"), as: SQLIdentifier("kind"))).column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
                .from("people")
                .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                      on: SQLColumn("organization_id", table: "people"), .equal, SQLColumn("id", table: "o")))
                .where(SQLQueryString("('、' || service_fields || '、') LIKE \(bind: "%、\(field.rawValue)、%")"))
                .groupBy(SQLRaw("o.kind")).all() {
                counts.append(CensusCount(.employerField, CensusFacts.employerField(kind: try row.decode(column: "kind", as: String?.self), field: field),
                                          try row.decode(column: "n", as: Int.self)))
            }
        }
        return counts
    }
}
