import FluentKit
import Foundation
import ShegongDomain

extension DemoDataSet {
    /// Synthetic 2024 denominators for 酒泉市's county-level units, so the demo's ratio indicators
    /// have values. They are invented (marked `demo` in the history), not official figures: the
    /// source documents give none. Existing figures are left alone.
    static func loadStatistics(db: any Database, now: Date) async throws -> Int {
        // county: (community workers, schools, schools with social work, population 60+, care beds, correction subjects)
        let figures: [(String, [Int])] = [
            ("620902", [1_450, 118, 30, 92_000, 2_600, 210]),
            ("620921", [320, 31, 8, 26_000, 600, 45]),
            ("620922", [380, 36, 9, 31_000, 700, 52]),
            ("620923", [90, 9, 3, 4_100, 120, 6]),
            ("620924", [70, 7, 2, 2_900, 90, 5]),
            ("620981", [560, 52, 14, 38_000, 900, 70]),
            ("620982", [610, 49, 15, 41_000, 1_100, 75]),
        ]
        let statistics: [RegionStatistic] = [.communityWorkers, .schools, .schoolsWithSocialWork, .population60Plus,
                                             .elderlyCareBeds, .communityCorrectionSubjects]
        let regions = RegionStore(db)
        let store = RegionStatisticStore(db)
        var written = 0
        for (code, values) in figures {
            guard let region = try await regions.region(code: code) else { continue }
            let existing = Set(try await store.entries(region: code, year: 2024).map(\.statistic))
            var update: [RegionStatistic: Int?] = [:]
            for (statistic, value) in zip(statistics, values) where !existing.contains(statistic.rawValue) { update[statistic] = value }
            if update.isEmpty { continue }
            written += try await store.set(region: region, year: 2024, values: update, actor: "demo", source: "demo（演示用虚构数据）", now: now).created
        }
        return written
    }
}
