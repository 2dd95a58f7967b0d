import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A target's live assessment: the indicator observed in the target's region at every month end
/// from the start to today (or the deadline), then `Target.assess` (docs/indicators.md §3).
///
/// Observation dates: the start — the target's baseline date, else the period start, else the plan
/// period start, else a year before the deadline — then each month end after it, then the day
/// assessed if it is not a month end. The start itself is observed only when the target has no
/// baseline (the first observation then serves as one). Each observation is the indicator as of
/// that date: certificates issued by then, practice bases and pilots established by then, region
/// statistics of the latest year not after it; period indicators count from the period start to
/// the date. Observations without a value (no data) are left out.
///
/// `assess(_:asOf:)` does this for one target, one query per observation (the reference);
/// `assess(all:asOf:)` for a list of targets, with the observations of all of them read together
/// (`IndicatorStore.evaluate(series:)`), so a dashboard of thirty targets costs the queries of one.
public struct TargetProgress: Sendable {
    let sql: any SQLDatabase
    public var indicators: [IndicatorDefinition]

    public init(db: any Database, indicators: [IndicatorDefinition] = IndicatorCatalogue.shipped) {
        self.init(sql: db.sql, indicators: indicators)
    }

    public init(sql: any SQLDatabase, indicators: [IndicatorDefinition] = IndicatorCatalogue.shipped) {
        self.sql = sql
        self.indicators = indicators
    }

    public static func observationDates(for target: Target, planStart: CivilDate?, asOf: CivilDate) -> [CivilDate] {
        let end = min(asOf, target.deadline)
        let start = target.baseline?.date ?? target.period?.from ?? planStart ?? target.deadline.adding(months: -12)
        guard start <= end else { return [] }
        var dates: [CivilDate] = target.baseline == nil ? [start] : []
        var monthEnd = CivilDate(year: start.year, month: start.month, day: CivilDate.daysIn(month: start.month, year: start.year))!
        while monthEnd <= end {
            if monthEnd > start { dates.append(monthEnd) }
            let next = monthEnd.adding(days: 1)
            monthEnd = CivilDate(year: next.year, month: next.month, day: CivilDate.daysIn(month: next.month, year: next.year))!
        }
        if dates.last != end, end > start { dates.append(end) }
        return dates
    }

    public func observations(for target: Target, planStart: CivilDate?, asOf: CivilDate) async throws -> [TargetObservation] {
        guard let definition = indicators.first(where: { $0.id == target.indicatorID }),
              let region = try await RegionStore(sql: sql).region(code: target.region.value) else { return [] }
        let store = IndicatorStore(sql: sql)
        var observations: [TargetObservation] = []
        for date in Self.observationDates(for: target, planStart: planStart, asOf: asOf) {
            let result = try await store.evaluate(definition, region: region, asOf: date, period: target.period)
            if let value = result.value.number { observations.append(TargetObservation(date: date, value: value)) }
        }
        return observations
    }

    public func assess(_ target: Target, planStart: CivilDate?, asOf: CivilDate) async throws -> (TargetAssessment, [TargetObservation]) {
        let observations = try await observations(for: target, planStart: planStart, asOf: asOf)
        return (target.assess(observations: observations, asOf: asOf), observations)
    }

    /// A target to assess, with the start of its plan's period (nil: none).
    public struct Item: Sendable {
        public var target: Target
        public var planStart: CivilDate?

        public init(_ target: Target, planStart: CivilDate?) {
            self.target = target
            self.planStart = planStart
        }
    }

    /// Each target assessed exactly as `assess` assesses it alone, in order, from a fixed number of
    /// queries whatever the number of targets: one for their regions, then those of
    /// `IndicatorStore.evaluate(series:)` over every target's observation dates.
    public func assess(all items: [Item], asOf: CivilDate) async throws -> [(TargetAssessment, [TargetObservation])] {
        let regions = try await RegionStore(sql: sql).regions(codes: items.map(\.target.region.value))
        var requests: [IndicatorSeriesRequest] = []
        var asked: [Int?] = []
        for item in items {
            guard let definition = indicators.first(where: { $0.id == item.target.indicatorID }),
                  let region = regions[item.target.region.value] else { asked.append(nil); continue }
            asked.append(requests.count)
            requests.append(IndicatorSeriesRequest(definition: definition, region: region,
                                                   dates: Self.observationDates(for: item.target, planStart: item.planStart, asOf: asOf),
                                                   period: item.target.period))
        }
        let results = try await IndicatorStore(sql: sql).evaluate(series: requests)
        return zip(items, asked).map { item, index in
            let observations = index.map { results[$0] }?.compactMap { result in
                result.value.number.map { TargetObservation(date: result.asOf, value: $0) }
            } ?? []
            return (item.target.assess(observations: observations, asOf: asOf), observations)
        }
    }
}
