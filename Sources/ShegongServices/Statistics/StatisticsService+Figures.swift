import Foundation
import ShegongDomain
import ShegongStore

extension StatisticsService {
    /// A region's base figures for a year as the figures page shows them: what is entered, its
    /// history, which statistics this caller may change there, and the regions below.
    public struct FiguresSheet: Sendable {
        public var region: Region
        public var year: Int
        public var entries: [RegionStatistic: RegionStatisticEntry]
        /// The changes of the year, newest first (the last 100).
        public var history: [RegionStatisticChange]
        /// Whether the region takes figures at all (not the nation, not a placeholder code).
        public var takesFigures: Bool
        /// The statistics the caller may enter here (none for a read-only caller).
        public var enterable: Set<RegionStatistic>
        public var children: [Region]
    }

    /// The sheet of `region` (in the caller's scope, otherwise the audited 404) for `year`.
    public func figures(region: Region, year: Int) async throws -> FiguresSheet {
        try await context.require(caller, Self.readers, "region_statistics", region.code)
        let region = try await context.region(caller, code: region.code, field: "code")
        let store = RegionStatisticStore(await context.readDatabase(for: caller))
        var entries: [RegionStatistic: RegionStatisticEntry] = [:]
        for entry in try await store.entries(region: region.code, year: year) {
            if let statistic = RegionStatistic(rawValue: entry.statistic), entries[statistic] == nil { entries[statistic] = entry }
        }
        let scope = caller.scope
        let takesFigures = RegionStatisticStore.problem(region: region, code: region.code) == nil
        let enterable = takesFigures && scope.mayEnterStatistics(region: region.path) ? scope.enterableStatistics() : []
        return FiguresSheet(region: region, year: year, entries: entries,
                            history: Array(try await store.history(region: region.code, year: year).suffix(100).reversed()),
                            takesFigures: takesFigures, enterable: enterable,
                            children: try await context.regions.children(of: region.code).filter { !$0.placeholder })
    }
}
