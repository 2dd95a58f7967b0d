import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// One region statistic as entered for a region and year.
public struct RegionStatisticEntry: Codable, Sendable, Equatable {
    public var regionCode: String
    public var year: Int
    public var statistic: String
    public var chineseName: String
    public var value: Int
    public var updatedAt: String
    public var updatedBy: String
}

/// One edit of a region statistic: who, when, before → after (nil before = new, nil after = removed).
public struct RegionStatisticChange: Codable, Sendable, Equatable {
    public var regionCode: String
    public var year: Int
    public var statistic: String
    public var before: Int?
    public var after: Int?
    public var actor: String
    public var source: String
    public var changedAt: String
}

/// What a write of statistics did.
public struct RegionStatisticWrite: Codable, Sendable, Equatable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var removed = 0
    public init() {}
}

extension RegionStatistic {
    /// The statistic named by its id (`community_workers`) or its Chinese name (社区工作者总数).
    public static func named(_ text: String) -> RegionStatistic? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return RegionStatistic(rawValue: trimmed) ?? allCases.first { $0.chineseName == trimmed }
    }
}

/// Every statement about region statistics (the indicators' denominators).
public struct RegionStatisticStore: Sendable {
    let sql: any SQLDatabase

    public init(_ db: any Database) { sql = db.sql }
    public init(sql: any SQLDatabase) { self.sql = sql }

    /// The earliest year a figure may be entered for; the latest is next year (plans are made ahead).
    public static let firstYear = 1949

    /// Why a year cannot hold figures, or nil.
    public static func problem(year: Int, today: CivilDate = .today()) -> CatalogueMessage? {
        (firstYear...(today.year + 1)).contains(year) ? nil
            : CatalogueMessage("statistics.year.invalid", String(firstYear), String(today.year + 1), String(year))
    }

    /// Why figures cannot be entered for a region, or nil: statistics belong to a real region of the
    /// tree (not the nation as a whole, nor a placeholder such as 市辖区).
    public static func problem(region: Region?, code: String) -> CatalogueMessage? {
        guard let region else { return CatalogueMessage("region.unknown", code) }
        if region.level == .nation { return CatalogueMessage("statistics.region.nation") }
        if region.placeholder { return CatalogueMessage("statistics.region.placeholder", code, region.name) }
        return nil
    }

    public func entries(region: String, year: Int) async throws -> [RegionStatisticEntry] {
        try await sql.select().columns("region_code", "year", "statistic", "value", "updated_at", "updated_by")
            .from("region_statistics").where("region_code", .equal, region).where("year", .equal, year)
            .orderBy("statistic").all().map { row in
                let statistic: String = try row.decode(column: "statistic")
                return RegionStatisticEntry(regionCode: try row.decode(column: "region_code"), year: try row.decode(column: "year", as: Int.self),
                                            statistic: statistic, chineseName: RegionStatistic(rawValue: statistic)?.chineseName ?? statistic,
                                            value: try row.decode(column: "value", as: Int.self), updatedAt: try row.decode(column: "updated_at"),
                                            updatedBy: try row.decode(column: "updated_by"))
            }
    }

    public func history(region: String, year: Int?) async throws -> [RegionStatisticChange] {
        var query = sql.select().columns("region_code", "year", "statistic", "before_value", "after_value", "actor", "source", "changed_at")
            .from("region_statistic_changes").where("region_code", .equal, region)
        if let year { query = query.where("year", .equal, year) }
        return try await query.orderBy("id").all().map { row in
            RegionStatisticChange(regionCode: try row.decode(column: "region_code"), year: try row.decode(column: "year", as: Int.self),
                                  statistic: try row.decode(column: "statistic"), before: try row.decode(column: "before_value", as: Int?.self),
                                  after: try row.decode(column: "after_value", as: Int?.self), actor: try row.decode(column: "actor"),
                                  source: try row.decode(column: "source"), changedAt: try row.decode(column: "changed_at"))
        }
    }

    /// Sets (or, with nil, removes) figures of one region and year, keeping every change in the
    /// history. Call inside a transaction when several regions must change together.
    public func set(region: Region, year: Int, values: [RegionStatistic: Int?], actor: String, source: String,
                    now: Date = Date()) async throws -> RegionStatisticWrite {
        var details: [StoreError.Detail] = []
        if let problem = Self.problem(region: region, code: region.code) {
            details.append(.init(field: "region", code: "statistics.region.invalid", text: problem))
        }
        if let problem = Self.problem(year: year) { details.append(.init(field: "year", code: "statistics.year.invalid", text: problem)) }
        for (statistic, value) in values {
            if let value, !(0...Self.maximumValue).contains(value) {
                details.append(.init(field: "values.\(statistic.rawValue)", code: "statistics.value.invalid", "\(statistic.chineseName)", "\(Self.maximumValue)", "\(value)"))
            }
        }
        if !details.isEmpty { throw StoreError(.invalid, code: "validation", text: .init("validation.statistics"), details: details) }

        let stamp = Timestamp.string(now)
        var write = RegionStatisticWrite()
        for statistic in RegionStatistic.allCases {
            guard let entry = values[statistic] else { continue }
            let existing = try await sql.select().columns("id", "value").from("region_statistics")
                .where("region_code", .equal, region.code).where("year", .equal, year).where("statistic", .equal, statistic.rawValue).first()
            let before = try existing?.decode(column: "value", as: Int.self)
            if before == entry { write.unchanged += 1; continue }
            if let existing {
                let id: String = try existing.decode(column: "id")
                if let value = entry {
                    try await sql.update("region_statistics").set("value", to: value).set("updated_at", to: stamp)
                        .set("updated_by", to: actor).where("id", .equal, id).run()
                    write.updated += 1
                } else {
                    try await sql.delete(from: "region_statistics").where("id", .equal, id).run()
                    write.removed += 1
                }
            } else if let value = entry {
                try await sql.insert(into: "region_statistics")
                    .columns("id", "region_code", "region_level", "province_code", "city_code", "county_code", "township_code",
                             "year", "statistic", "value", "updated_at", "updated_by")
                    .values(RecordID.make(), region.code, region.level.rawValue, region.path.province, region.path.city,
                            region.path.county, region.path.township, year, statistic.rawValue, value, stamp, actor)
                    .run()
                write.created += 1
            } else {
                continue
            }
            try await sql.insert(into: "region_statistic_changes")
                .columns("region_code", "year", "statistic", "before_value", "after_value", "actor", "source", "changed_at")
                .values(region.code, year, statistic.rawValue, before, entry, actor, source, stamp).run()
        }
        return write
    }

    public static let maximumValue = 10_000_000_000

    /// The figure for a region subtree as of `year`: per region the latest year not after `year`;
    /// a region's own figure wins, otherwise its children's figures are summed (recursively), so a
    /// city figure and its counties' figures are never counted twice. nil when nobody entered one.
    /// A partly entered subtree sums what was entered: the API shows which regions supplied it.
    public func value(_ statistic: RegionStatistic, in region: Region, asOfYear year: Int) async throws -> Int? {
        var query = sql.select().columns(FigureRow.columns).from("region_statistics")
            .where("statistic", .equal, statistic.rawValue).where("year", .lessThanOrEqual, year)
        if let column = RegionPath.column(for: region.level) { query = query.where(SQLColumn(column), .equal, SQLBind(region.code)) }
        return Self.total(of: try await query.all().map(FigureRow.init(row:)), in: region, asOfYear: year)
    }

    /// One stored figure with the codes of its region's path (`region_code` and the path columns).
    struct FigureRow: Sendable {
        static let columns = ["region_code", "province_code", "city_code", "county_code", "township_code", "statistic", "year", "value"]
        var code: String
        var statistic: String
        var year: Int
        var value: Int
        /// Column name → code, for "is this figure inside that region" without another query.
        var path: [String: String]

        init(row: any SQLRow) throws {
            code = try row.decode(column: "region_code")
            statistic = try row.decode(column: "statistic")
            year = try row.decode(column: "year", as: Int.self)
            value = try row.decode(column: "value", as: Int.self)
            path = ["region_code": code]
            for column in ["province_code", "city_code", "county_code", "township_code"] {
                if let c = try row.decode(column: column, as: String?.self) { path[column] = c }
            }
        }

        /// Inside `region`'s subtree: the same condition as `value`'s query.
        func isInside(_ region: Region) -> Bool {
            guard let column = RegionPath.column(for: region.level) else { return true }
            return path[column] == region.code
        }

        /// The nation, then the path's codes down to the figure's own region.
        var chain: [String] {
            var chain: [String] = [RegionPath.nationCode]
            for column in ["province_code", "city_code", "county_code", "township_code"] {
                if let c = path[column] { chain.append(c) }
            }
            if chain.last != code { chain.append(code) }
            return chain
        }
    }

    /// `value`'s rule over figures already read: `rows` are the figures of one statistic inside
    /// `region` (others are skipped), any year; per region the latest year not after `year`, a
    /// region's own figure first, else the sum of its children's.
    static func total(of rows: [FigureRow], in region: Region, asOfYear year: Int) -> Int? {
        var latest: [String: (year: Int, value: Int, chain: [String])] = [:]
        for row in rows where row.year <= year && row.isInside(region) {
            if let seen = latest[row.code], seen.year >= row.year { continue }
            latest[row.code] = (row.year, row.value, row.chain)
        }
        var children: [String: Set<String>] = [:]
        for entry in latest.values {
            guard let start = entry.chain.firstIndex(of: region.code) else { continue }
            for i in start..<(entry.chain.count - 1) { children[entry.chain[i], default: []].insert(entry.chain[i + 1]) }
        }
        func total(_ code: String) -> Int? {
            if let own = latest[code] { return own.value }
            let parts = (children[code] ?? []).compactMap(total)
            return parts.isEmpty ? nil : parts.reduce(0, +)
        }
        return total(region.code)
    }
}
