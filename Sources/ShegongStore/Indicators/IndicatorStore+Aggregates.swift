import Foundation
import SQLKit
import ShegongDomain

extension IndicatorStore {
    /// People counts that the maintained census aggregates (`census_stats`) already hold, read in
    /// one indexed query instead of scanning people — what keeps a national dashboard fast.
    /// Only for the current state (as of today or later: certificates are never issued in the
    /// future) and filters the aggregates can answer exactly; nil means "scan people".
    public func maintainedPeopleCount(_ f: RegistryFilter, region: Region, asOf: CivilDate, period: DatePeriod? = nil) async throws -> Int? {
        guard let rule = Self.maintainedCountRule(f, asOf: asOf, period: period) else { return nil }
        return rule(try await CensusStatsStore(sql: sql).counts(region: region.code))
    }

    /// How the maintained aggregates answer `f` as of `asOf`, decided without reading them: a sum
    /// over a region's counts, or nil when the filter or the date needs the scan. `maintainedPeopleCount`
    /// applies it to one region's counts; the batched `evaluate(series:)` to many regions' counts read at once.
    static func maintainedCountRule(_ f: RegistryFilter, asOf: CivilDate, period: DatePeriod?,
                                    today: CivilDate = .today()) -> (@Sendable ([CensusCount]) -> Int)? {
        guard asOf >= today, f.issuedIn == nil, f.trainedIn == nil, f.trainingTiers == nil, f.trainingAudiences == nil,
              f.baseLevels == nil, f.withPracticeBase == nil, f.withPilotCommunity == nil, f.pilotTiers == nil,
              f.minimumGoodPracticeCases == nil, f.certificateHeld != false else { return nil }
        let levels = f.levels, categories = f.postCategories, fields = f.serviceFields
        let held = f.certificateHeld == true
        func sum(_ dimension: CensusDimension, _ values: [String]? = nil) -> @Sendable ([CensusCount]) -> Int {
            { counts in counts.filter { $0.key.dimension == dimension && (values?.contains($0.key.value) ?? true) }.reduce(0) { $0 + $1.count } }
        }
        // A `levels` filter means "holds a certificate of these levels"; the aggregates count each
        // person once under their highest level, so it is left to the scan.
        guard levels == nil else { return nil }
        if let kinds = f.employerKinds {
            // Employer kind × one field ("elderly field at elderly-care institutions"); a person has
            // one employer, so several kinds add up without double counting.
            guard categories == nil, !held, f.firstCertifiedIn == nil, let fields, fields.count == 1 else { return nil }
            return sum(.employerField, kinds.map { CensusFacts.employerField(kind: $0.rawValue, field: fields[0]) })
        }
        if let window = f.firstCertifiedIn {
            // New holders: people whose first certificate falls in the window, counted per year.
            // Whole years only — or from 1 January up to today or later, since no certificate is
            // issued in the future.
            guard categories == nil, fields == nil, let w = window.resolved(evaluationPeriod: period),
                  w.from.month == 1, w.from.day == 1 else { return nil }
            let lastYear: Int
            if min(w.to, asOf) >= today {
                lastYear = today.year
            } else if w.to.month == 12, w.to.day == 31, w.to <= asOf {
                lastYear = w.to.year
            } else {
                return nil
            }
            guard lastYear >= w.from.year else { return { _ in 0 } }
            return sum(.firstCertifiedYear, (w.from.year...lastYear).map(String.init))
        }
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
