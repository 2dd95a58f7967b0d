import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// A change of region statistics that names statistics outside the department operator's field:
/// refused (403 `statistics.statistic.out_of_field`, audited), naming each statistic.
public struct StatisticsOutOfField: Error, Sendable {
    public var statistics: [RegionStatistic]
    public var denial: AccessDenied
}

/// Region statistics (the indicators' denominators): entering a region's figures for a year and
/// importing a file of them, in the caller's scope and field, audited.
public struct StatisticsService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let enterers = Permission.write(.official, .departmentOperator)
    public static let readers = Permission.read(.official, .departmentOperator)

    /// A region's census figures with its children's, as the home page, the region browser, the
    /// statistics page and the dashboard show them.
    public struct RegionFigures: Sendable {
        public struct Child: Sendable {
            public var region: Region
            public var summary: CensusSummary
        }
        public var region: Region
        public var asOf: CivilDate
        public var summary: CensusSummary
        /// New certificate holders from 1 January to `asOf`.
        public var newHolders: IndicatorValue
        /// The children in force in `asOf`'s year, by code.
        public var children: [Child]
    }

    /// The census figures of `region` from the maintained aggregates, with the new holders of the
    /// year so far and, unless `children` is false, each child region's figures: the region in the
    /// caller's scope (the audited 404 outside it); the children's counts read in one query, not
    /// one per child.
    public func figures(of region: Region, asOf: CivilDate, children withChildren: Bool = true) async throws -> RegionFigures {
        try await context.require(caller, Self.readers, "census_stats", region.code)
        try await context.requireReadable(caller, region)
        let reads = await context.readDatabase(for: caller)
        let stats = CensusStatsStore(sql: reads.sql)
        let year = DatePeriod(from: CivilDate(year: asOf.year, month: 1, day: 1)!, to: asOf)
        let newHolders = try await IndicatorStore(reads).evaluate(IndicatorCatalogue.newCertificateHolders, region: region, asOf: asOf, period: year)
        var children: [RegionFigures.Child] = []
        if withChildren {
            let regions = try await RegionStore(reads).children(of: region.code).filter { $0.isValid(inYear: asOf.year) }
            let counts = try await stats.counts(regions: regions.map(\.code), dimensions: CensusSummary.dimensions)
            children = regions.map { RegionFigures.Child(region: $0, summary: CensusSummary(counts: counts[$0.code] ?? [], asOf: asOf)) }
        }
        return RegionFigures(region: region, asOf: asOf, summary: try await stats.summary(region: region, asOf: asOf),
                             newHolders: newHolders.value, children: children)
    }

    /// The census figures of `region` alone, from the maintained aggregates (no scan of the
    /// registry): the region in the caller's scope, otherwise the audited 404.
    public func censusSummary(of region: Region, asOf: CivilDate) async throws -> CensusSummary {
        try await context.require(caller, Self.readers, "census_stats", region.code)
        try await context.requireReadable(caller, region)
        return try await CensusStatsStore(sql: await context.readDatabase(for: caller).sql).summary(region: region, asOf: asOf)
    }

    /// The figures entered for `region` in `year` and every change of that year, oldest first: the
    /// region in the caller's scope, otherwise the audited 404.
    public func entries(of region: Region, year: Int) async throws -> (entries: [RegionStatisticEntry], history: [RegionStatisticChange]) {
        try await context.require(caller, Self.readers, "region_statistics", region.code)
        try await context.requireReadable(caller, region)
        let store = RegionStatisticStore(await context.readDatabase(for: caller))
        return (try await store.entries(region: region.code, year: year), try await store.history(region: region.code, year: year))
    }

    /// The department a department operator enters figures for; nil for other callers.
    var department: String? {
        if case .department(let name, _) = caller.scope { return name }
        return nil
    }

    /// Saves a region's figures for a year (nil removes a figure): the region in the caller's scope
    /// (an audited 404 outside it, 403 when the caller may not enter figures there), each statistic
    /// in a department operator's field (`StatisticsOutOfField`, audited), one audited transaction.
    /// The history names the department that entered the figures: an operator's own, or the one an
    /// official names (else the account). `source` says where they were entered (`api`, `web`).
    public func save(region: Region, year: Int, values: [RegionStatistic: Int?], department named: String?,
                     source: String) async throws -> RegionStatisticWrite {
        try await context.require(caller, Self.enterers, "region_statistics", region.code)
        let scope = caller.scope
        try await context.requireReadable(caller, region)
        guard scope.mayEnterStatistics(region: region.path) else {
            throw try await context.forbidden(caller, "region", region.code, AccessDenied(code: "scope.read_only", region.code))
        }
        let outside = values.keys.filter { !scope.mayEnter($0, region: region.path) }.sorted { $0.rawValue < $1.rawValue }
        if !outside.isEmpty {
            try await context.record(caller, .accessDenied, "region_statistics", region.code,
                                     details: "\(caller.origin): " + outside.map(\.rawValue).joined(separator: ","), result: .denied)
            throw StatisticsOutOfField(statistics: outside,
                                       denial: AccessDenied(code: "statistics.statistic.out_of_field", outside.map(\.chineseName).joined(separator: "、")))
        }
        let trimmed = named?.trimmingCharacters(in: .whitespaces) ?? ""
        let actor = department ?? (trimmed.isEmpty ? caller.username : String(trimmed.prefix(100)))
        let now = context.now()
        return try await context.audited(caller, .statisticsUpdate, "region_statistics", details: "\(year)",
                                         object: { (_: RegionStatisticWrite) in region.code }) { tx in
            let written = try await RegionStatisticStore(tx).set(region: region, year: year, values: values, actor: actor, source: source, now: now)
            // A part above its whole, as the year's figures now stand: refused, nothing written.
            var figures: [RegionStatistic: Int] = [:]
            for entry in try await RegionStatisticStore(tx).entries(region: region.code, year: year) {
                if let statistic = RegionStatistic(rawValue: entry.statistic) { figures[statistic] = entry.value }
            }
            if let bad = RegionStatistic.implausible(figures).first {
                throw StoreError(.invalid, code: "statistics.part_exceeds_whole",
                                 text: CatalogueMessage("statistics.part_exceeds_whole",
                                                        CatalogueMessage.message(CatalogueMessage("regionStatistic.\(bad.part.rawValue)")), String(bad.partValue),
                                                        CatalogueMessage.message(CatalogueMessage("regionStatistic.\(bad.whole.rawValue)")), String(bad.wholeValue)),
                                 details: [.init(field: bad.part.rawValue, code: "statistics.part_exceeds_whole",
                                                 text: CatalogueMessage("statistics.part_exceeds_whole",
                                                                        CatalogueMessage.message(CatalogueMessage("regionStatistic.\(bad.part.rawValue)")),
                                                                        String(bad.partValue),
                                                                        CatalogueMessage.message(CatalogueMessage("regionStatistic.\(bad.whole.rawValue)")),
                                                                        String(bad.wholeValue)))])
            }
            return written
        }
    }

    /// Imports a file of figures (all or none): each region must be one the caller may enter
    /// figures for, each statistic in their field, row by row. Audited with its file name and
    /// counts whether it is a dry run, committed or rejected.
    public func importStatistics(reader: any SpreadsheetRowReader, fileName: String, dryRun: Bool) async throws -> RegionStatisticImportReport {
        try await context.require(caller, Self.enterers, "region_statistics")
        let scope = caller.scope
        let enterable = scope.enterableStatistics()
        let actor = department ?? caller.username, now = context.now()
        let box = ReaderBox(reader)
        return try await context.audited(caller, .statisticsImport, "region_statistics", details: dryRun ? "dry run" : nil, once: true,
                                         object: { (r: RegionStatisticImportReport) in "\(r.fileName): \(r.committed ? r.figures : 0)" }) { tx in
            try await RegionStatisticImporter(db: tx).run(reader: box.reader, fileName: fileName, dryRun: dryRun, actor: actor,
                                                          mayEnter: { scope.mayEnterStatistics(region: $0.path) },
                                                          mayEnterStatistic: { enterable.contains($0) }, now: now)
        }
    }
}

/// A spreadsheet reader handed to a transaction's closure: read once, inside it, by one task.
final class ReaderBox: @unchecked Sendable {
    let reader: any SpreadsheetRowReader
    init(_ reader: any SpreadsheetRowReader) { self.reader = reader }
}
