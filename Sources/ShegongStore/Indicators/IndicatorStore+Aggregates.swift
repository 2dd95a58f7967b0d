import Foundation
import SQLKit
import ShegongDomain

extension IndicatorStore {
    /// People counts that the maintained census aggregates (`census_stats`) already hold, read in
    /// one indexed query instead of scanning people — what keeps a national dashboard fast.
    /// Only for the current state (as of today or later: certificates are never issued in the
    /// future) and filters the aggregates can answer exactly; nil means "scan people".
    public func maintainedPeopleCount(_ f: RegistryFilter, region: Region, asOf: CivilDate) async throws -> Int? {
        guard asOf >= CivilDate.today(), f.issuedIn == nil, f.firstCertifiedIn == nil, f.trainedIn == nil,
              f.employerKinds == nil, f.baseLevels == nil, f.withPracticeBase == nil, f.withPilotCommunity == nil,
              f.minimumGoodPracticeCases == nil, f.certificateHeld != false else { return nil }
        let levels = f.levels, categories = f.postCategories, fields = f.serviceFields
        let held = f.certificateHeld == true
        let counts = try await CensusStatsStore(sql: sql).counts(region: region.code)
        func sum(_ dimension: CensusDimension, _ values: [String]? = nil) -> Int {
            counts.filter { $0.key.dimension == dimension && (values?.contains($0.key.value) ?? true) }.reduce(0) { $0 + $1.count }
        }
        // A `levels` filter means "holds a certificate of these levels"; the aggregates count each
        // person once under their highest level, so it is left to the scan.
        guard levels == nil else { return nil }
        switch (levels, categories, fields) {
        case (nil, nil, nil):
            return held ? sum(.level, CertificateLevel.allCases.map(\.rawValue)) : sum(.total)
        case (nil, let categories?, nil):
            return sum(held ? .certifiedCategory : .category, categories.map(\.rawValue))
        case (nil, nil, let fields?) where fields.count == 1 && !held:
            // One field only: "any of several fields" would count people in two fields twice.
            return sum(.field, [fields[0].rawValue])
        default:
            return nil
        }
    }
}
