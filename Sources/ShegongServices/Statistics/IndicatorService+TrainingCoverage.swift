import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// A region's community-worker training coverage and hours per worker this year, overall and by
/// course tier and audience, for the region and each of its children (issue #13 §7; the page
/// `/training/coverage`). Every figure is a shipped indicator's value (`training_coverage`,
/// `training_coverage_tier_county` …), so the page, the indicator API and a target say the same.
public struct TrainingCoverageReport: Sendable {
    public struct Line: Sendable {
        public var region: Region
        /// By indicator id: the two overall indicators and every breakdown.
        public var results: [String: IndicatorResult]

        public func coverage(_ dimension: IndicatorCatalogue.TrainingBreakdown.Dimension? = nil) -> IndicatorResult? {
            result(.coverage, dimension)
        }

        public func hours(_ dimension: IndicatorCatalogue.TrainingBreakdown.Dimension? = nil) -> IndicatorResult? {
            result(.hours, dimension)
        }

        func result(_ measure: IndicatorCatalogue.TrainingBreakdown.Measure, _ dimension: IndicatorCatalogue.TrainingBreakdown.Dimension?) -> IndicatorResult? {
            guard let dimension else {
                return results[(measure == .coverage ? IndicatorCatalogue.trainingCoverage : IndicatorCatalogue.trainingHoursPerWorker).id]
            }
            return results[IndicatorCatalogue.TrainingBreakdown(measure: measure, dimension: dimension).id]
        }

        /// The community workers on file: the coverage's denominator.
        public var communityWorkers: Int? {
            if case .value(_, _, let denominator)? = coverage()?.value { return denominator }
            return coverage()?.terms.first { $0.side == "denominator" }?.value
        }
    }

    public var region: Region
    public var asOf: CivilDate
    /// 1 January of the as-of date's year to the as-of date: "this year".
    public var period: DatePeriod
    /// The region itself.
    public var total: Line
    /// Its children in force in the year, by code.
    public var children: [Line]
}

extension IndicatorService {
    /// The indicators every line of the report holds.
    public static var trainingCoverageIndicators: [IndicatorDefinition] {
        [IndicatorCatalogue.trainingCoverage, IndicatorCatalogue.trainingHoursPerWorker] + IndicatorCatalogue.trainingBreakdown
    }

    /// Training coverage of `region` (in the caller's scope, else the audited 404) and its children
    /// this year up to `asOf`, read together (`IndicatorStore.evaluate(series:)`: one grouped query
    /// per distinct count, not per region).
    public func trainingCoverage(in region: Region, asOf: CivilDate) async throws -> TrainingCoverageReport {
        try await context.require(caller, Self.readers, "indicator", IndicatorCatalogue.trainingCoverage.id)
        try await context.requireReadable(caller, region)
        let period = DatePeriod(from: CivilDate(year: asOf.year, month: 1, day: 1)!, to: asOf)!
        let children = try await RegionStore(context.db).children(of: region.code).filter { $0.isValid(inYear: asOf.year) }
            .sorted { $0.code < $1.code }
        let definitions = Self.trainingCoverageIndicators
        let regions = [region] + children
        let requests = regions.flatMap { r in
            definitions.map { IndicatorSeriesRequest(definition: $0, region: r, dates: [asOf], period: period) }
        }
        let series = try await IndicatorStore(context.db).evaluate(series: requests)
        var lines: [String: [String: IndicatorResult]] = [:]
        for (request, results) in zip(requests, series) {
            lines[request.region.code, default: [:]][request.definition.id] = results.first
        }
        func line(_ r: Region) -> TrainingCoverageReport.Line { .init(region: r, results: lines[r.code] ?? [:]) }
        return TrainingCoverageReport(region: region, asOf: asOf, period: period, total: line(region), children: children.map(line))
    }
}
