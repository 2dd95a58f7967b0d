import Foundation

/// A straight line fitted by ordinary least squares through (date, value) points, x measured in
/// days. With two points it is the line through both.
public struct TrendLine: Hashable, Sendable {
    /// Change of the value per day.
    public var slopePerDay: Double
    /// The value the line gives on `origin`.
    public var valueAtOrigin: Double
    public var origin: CivilDate
    /// How many points were fitted.
    public var pointCount: Int

    /// nil when there are fewer than two distinct dates (no trend can be drawn).
    public init?(points: [TargetObservation]) {
        guard let first = points.min(by: { $0.date < $1.date }),
              Set(points.map(\.date)).count >= 2 else { return nil }
        let origin = first.date.daysSinceEpoch
        let xs = points.map { Double($0.date.daysSinceEpoch - origin) }
        let ys = points.map(\.value)
        let n = Double(points.count)
        let meanX = xs.reduce(0, +) / n, meanY = ys.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for (x, y) in zip(xs, ys) {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
        }
        slopePerDay = sxy / sxx
        valueAtOrigin = meanY - slopePerDay * meanX
        self.origin = first.date
        pointCount = points.count
    }

    public func value(on date: CivilDate) -> Double {
        valueAtOrigin + slopePerDay * Double(date.daysSinceEpoch - origin.daysSinceEpoch)
    }
}

/// Where a target stands on a date: progress, the required path against the actual one, the
/// projection to the deadline, and a status with its reason.
///
/// Rules (docs/indicators.md):
/// - only observations dated on or before `asOf` count; after the deadline only those on or before
///   the deadline decide;
/// - **met** — the latest counted value satisfies the target; **missed** — the deadline has passed
///   and the last value before it does not;
/// - otherwise the least-squares line through the baseline and the observations is extended to the
///   deadline: **on track** if that projection satisfies the target, **at risk** if not;
/// - **no data** — no observation yet, or too few distinct dates to draw a trend.
public struct TargetAssessment: Hashable, Sendable {
    public enum Status: String, CaseIterable, Codable, Sendable {
        case met
        case onTrack = "on_track"
        case atRisk = "at_risk"
        case missed
        case noData = "no_data"

        public var chineseName: String {
            switch self {
            case .met: return "已达成"
            case .onTrack: return "进度正常"
            case .atRisk: return "有风险"
            case .missed: return "未达成"
            case .noData: return "无数据"
            }
        }

        public var englishName: String {
            switch self {
            case .met: return "Met"
            case .onTrack: return "On track"
            case .atRisk: return "At risk"
            case .missed: return "Missed"
            case .noData: return "No data"
            }
        }
    }

    /// One point of the chart: the value the straight path from baseline to target needs on
    /// `date`, and the observed value.
    public struct PathPoint: Hashable, Sendable {
        public var date: CivilDate
        public var required: Double
        public var actual: Double?
    }

    public var target: Target
    public var asOf: CivilDate
    public var status: Status
    public var reason: IndicatorMessage
    /// The observation that decides: the latest counted one.
    public var current: TargetObservation?
    /// The target's baseline, or the first observation when the target has none.
    public var baseline: TargetObservation?
    /// Share of the way from baseline to target, (current − baseline) ÷ (target − baseline);
    /// 1 or more = reached, below 0 = moved away. nil without a current value.
    public var progress: Double?
    /// The value the linear path from baseline to target requires on the current value's date.
    public var requiredAtCurrent: Double?
    /// Current minus required, signed so that a positive figure means ahead of the path
    /// (for ≤ targets, below the path is ahead).
    public var aheadOfPath: Double?
    public var trend: TrendLine?
    /// The trend line's value on the deadline.
    public var projection: Double?
    /// Baseline, each counted observation and the deadline, for the chart.
    public var path: [PathPoint]

    /// The baseline already satisfies the target (a target at or below what was there): there is
    /// no distance to cover, so progress is 100% while the current value satisfies it and 0% once
    /// it does not (docs/indicators.md "Progress"); the dashboard says so beside the bar.
    public var baselineMeetsTarget = false

    /// Progress clamped to 0…1 for a progress bar.
    public var progressBar: Double? { progress.map { min(1, max(0, $0)) } }
}

extension Target {
    /// The value the straight path from `baseline` to the target value at the deadline requires on `date`.
    public func requiredValue(on date: CivilDate, baseline: TargetObservation) -> Double {
        let span = Double(deadline.daysSinceEpoch - baseline.date.daysSinceEpoch)
        guard span > 0 else { return value }
        let elapsed = Double(date.daysSinceEpoch - baseline.date.daysSinceEpoch)
        return baseline.value + (value - baseline.value) * min(1, max(0, elapsed / span))
    }

    /// Assesses the target on `asOf` from the indicator's observations (any order; on a repeated
    /// date the later entry wins).
    public func assess(observations: [TargetObservation], asOf: CivilDate) -> TargetAssessment {
        var byDate: [CivilDate: TargetObservation] = [:]
        for observation in observations where observation.date <= asOf && observation.value.isFinite {
            byDate[observation.date] = observation
        }
        var counted = byDate.values.sorted { $0.date < $1.date }
        let pastDeadline = asOf > deadline
        if pastDeadline { counted = counted.filter { $0.date <= deadline } }

        let effectiveBaseline = baseline ?? counted.first
        let current = counted.last
        var fitPoints = counted
        if let baseline, !counted.contains(where: { $0.date == baseline.date }), counted.allSatisfy({ $0.date > baseline.date }) {
            fitPoints.insert(baseline, at: 0)
        }
        let trend = TrendLine(points: fitPoints)
        let projection = trend?.value(on: deadline)

        var progress: Double?, required: Double?, ahead: Double?, baselineMeets = false
        if let current, let effectiveBaseline {
            let distance = value - effectiveBaseline.value
            baselineMeets = isSatisfied(by: effectiveBaseline.value)
            // Met is a full bar, never 646% (issue #17 §4); from a baseline that already met the
            // target there is no way to cover: met or not.
            if isSatisfied(by: current.value) {
                progress = 1
            } else if baselineMeets || distance == 0 {
                progress = 0
            } else {
                progress = (current.value - effectiveBaseline.value) / distance
            }
            let needed = requiredValue(on: current.date, baseline: effectiveBaseline)
            required = needed
            let direction = comparator.higherIsBetter ?? (value >= effectiveBaseline.value)
            ahead = direction ? current.value - needed : needed - current.value
        }
        var path: [TargetAssessment.PathPoint] = []
        if let effectiveBaseline {
            var dates = Set(counted.map(\.date)).union([effectiveBaseline.date, deadline])
            dates = dates.filter { $0 >= effectiveBaseline.date }
            let actual = Dictionary(counted.map { ($0.date, $0.value) }, uniquingKeysWith: { $1 })
            path = dates.sorted().map {
                .init(date: $0, required: requiredValue(on: $0, baseline: effectiveBaseline),
                      actual: actual[$0] ?? ($0 == effectiveBaseline.date && baseline != nil ? effectiveBaseline.value : nil))
            }
        }

        let (status, reason) = decide(current: current, projection: projection, pastDeadline: pastDeadline, asOf: asOf)
        return TargetAssessment(target: self, asOf: asOf, status: status, reason: reason, current: current,
                                baseline: effectiveBaseline, progress: progress, requiredAtCurrent: required,
                                aheadOfPath: ahead, trend: trend, projection: projection, path: path, baselineMeetsTarget: baselineMeets)
    }

    private func decide(current: TargetObservation?, projection: Double?, pastDeadline: Bool,
                        asOf: CivilDate) -> (TargetAssessment.Status, IndicatorMessage) {
        let goal = statement
        guard let current else {
            if pastDeadline {
                return (.noData, .init(code: "target.no_observation_before_deadline",
                    chinese: "期限 \(deadline) 前没有观测值，无法判断是否达成目标（\(goal)）",
                    english: "no observation on or before the deadline \(deadline); cannot tell whether the target (\(goal)) was met"))
            }
            return (.noData, .init(code: "target.no_observation", chinese: "截至 \(asOf) 尚无观测值（目标 \(goal)）",
                                   english: "no observation up to \(asOf) (target \(goal))"))
        }
        let now = IndicatorNumber.format(current.value)
        if isSatisfied(by: current.value) {
            return (.met, .init(code: "target.met", chinese: "\(current.date) 实际值 \(now)，已达到目标（\(goal)）",
                                english: "\(now) on \(current.date) meets the target (\(goal))"))
        }
        if pastDeadline {
            return (.missed, .init(code: "target.missed",
                chinese: "期限 \(deadline) 前最近一次实际值 \(now)（\(current.date)），\(shortfall(current.value).chinese)目标（\(goal)），未达成",
                english: "the last value before the deadline \(deadline) was \(now) (\(current.date)), \(shortfall(current.value).english) the target (\(goal)); missed"))
        }
        guard let projection else {
            return (.noData, .init(code: "target.no_trend",
                chinese: "只有 \(current.date) 一个观测点，无法推算趋势；当前值 \(now)，目标 \(goal)",
                english: "only one observation (\(current.date)), so no trend can be drawn; now \(now), target \(goal)"))
        }
        let projected = IndicatorNumber.format(projection)
        if isSatisfied(by: projection) {
            return (.onTrack, .init(code: "target.on_track",
                chinese: "按当前趋势，\(deadline) 预计达到 \(projected)，可达到目标（\(goal)）",
                english: "at the current trend, \(projected) is expected by \(deadline), which meets the target (\(goal))"))
        }
        return (.atRisk, .init(code: "target.at_risk",
            chinese: "按当前趋势，\(deadline) 预计达到 \(projected)，\(shortfall(projection).chinese)目标 \(IndicatorNumber.format(value))",
            english: "at the current trend, \(projected) is expected by \(deadline), \(shortfall(projection).english) the target of \(IndicatorNumber.format(value))"))
    }

    /// How a value fails the target, in words: below a ≥ target, above a ≤ target, off an = target.
    private func shortfall(_ v: Double) -> (chinese: String, english: String) {
        switch comparator {
        case .atLeast, .greater: return ("低于", "below")
        case .atMost, .less: return ("高于", "above")
        case .equal: return v < value ? ("低于", "below") : ("高于", "above")
        }
    }
}

/// A city's target beside the sum of its counties' targets for the same indicator and deadline.
public struct CountyTargetSum: Hashable, Sendable {
    public var city: Target
    /// The county targets that were summed (same indicator, same deadline, inside the city).
    public var counties: [Target]
    public struct Ignored: Hashable, Sendable {
        public var target: Target
        public var reason: IndicatorMessage
    }
    /// Targets passed in but not summed, with the reason.
    public var ignored: [Ignored]
    /// nil when the indicator is a ratio: ratios do not add up.
    public var sum: Double?
    /// City target minus the counties' sum; positive means the counties together promise less.
    public var gap: Double? { sum.map { city.value - $0 } }
    public var note: IndicatorMessage?

    public init(city: Target, counties candidates: [Target], definition: IndicatorDefinition) {
        self.city = city
        var summed: [Target] = [], ignored: [Ignored] = []
        for county in candidates {
            if county.indicatorID != city.indicatorID {
                ignored.append(.init(target: county, reason: .init(code: "target.rollup.other_indicator", chinese: "指标不同",
                                              english: "a different indicator")))
            } else if county.region == city.region || !city.region.contains(county.region) {
                ignored.append(.init(target: county, reason: .init(code: "target.rollup.outside", chinese: "不在\(city.region)辖区内",
                                              english: "not inside \(city.region)")))
            } else if county.deadline != city.deadline {
                ignored.append(.init(target: county, reason: .init(code: "target.rollup.other_deadline", chinese: "期限不同",
                                              english: "a different deadline")))
            } else {
                summed.append(county)
            }
        }
        counties = summed
        self.ignored = ignored
        if definition.isAdditive {
            sum = summed.reduce(0) { $0 + $1.value }
            note = nil
        } else {
            sum = nil
            note = .init(code: "target.rollup.not_additive",
                chinese: "「\(definition.chineseName)」是比率，下级目标不能相加；请逐个对照",
                english: "“\(definition.englishName)” is a ratio; county targets do not add up — compare them one by one")
        }
    }
}
