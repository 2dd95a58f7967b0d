import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore

/// The census statistics of the whole country, read from the maintained aggregates
/// (`census_stats`) and recomputed by the GROUP BY scan of `people` they replace.
struct CensusStatisticsTiming {
    var maintainedSeconds: [Double]
    var scanSeconds: [Double]
    var total: Int
    /// nil when the two agree; otherwise what differs.
    var mismatch: String?
    var countsCompared: Int

    static func measure(db: any Database, repetitions: Int) async throws -> CensusStatisticsTiming {
        let store = CensusStatsStore(sql: db as! any SQLDatabase)
        guard let nation = try await RegionStore(db).region(code: RegionPath.nationCode) else {
            throw ChildProcessError(description: "region 000000 (the nation) not found")
        }
        let today = CivilDate.today()

        var summary: CensusSummary?
        var maintainedSeconds: [Double] = []
        for _ in 0..<repetitions {
            let started = monotonicSeconds()
            summary = try await store.summary(region: nation, asOf: today)
            maintainedSeconds.append(monotonicSeconds() - started)
        }
        var scanned: [CensusCount] = []
        var scanSeconds: [Double] = []
        for _ in 0..<repetitions {
            let started = monotonicSeconds()
            scanned = try await store.scanCounts(region: nation)
            scanSeconds.append(monotonicSeconds() - started)
        }

        // Compare the raw counts (zero counts left on file by updates mean nothing), then the summary built from them.
        func table(_ counts: [CensusCount]) -> [CensusCount.Key: Int] {
            counts.reduce(into: [:]) { table, count in if count.count != 0 { table[count.key, default: 0] += count.count } }
        }
        let maintained = table(try await store.counts(region: nation.code))
        let recomputed = table(scanned)
        var mismatch: String?
        let differing = Set(maintained.keys).union(recomputed.keys).filter { maintained[$0] != recomputed[$0] }
            .sorted { ($0.dimension.rawValue, $0.value) < ($1.dimension.rawValue, $1.value) }
        if let first = differing.first {
            mismatch = "\(differing.count) counts differ, e.g. \(first.dimension.rawValue) \(first.value): "
                + "maintained \(maintained[first] ?? 0), scan \(recomputed[first] ?? 0)"
        } else if summary != CensusSummary(counts: scanned, asOf: today) {
            mismatch = "the counts agree but the summaries built from them do not"
        }
        return CensusStatisticsTiming(maintainedSeconds: maintainedSeconds, scanSeconds: scanSeconds,
                                      total: summary?.total ?? 0, mismatch: mismatch, countsCompared: maintained.count)
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
