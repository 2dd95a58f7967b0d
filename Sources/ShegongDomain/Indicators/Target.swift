import Foundation

/// How a target compares the indicator's value with the target value.
/// JSON/YAML: "≥", "≤", "=", ">", "<" (">=" and "<=" accepted on input).
public enum TargetComparator: String, CaseIterable, Codable, Sendable {
    case atLeast = "≥"
    case atMost = "≤"
    case equal = "="
    case greater = ">"
    case less = "<"

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let comparator = Self.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "比较方式须为 ≥、≤、=、> 或 <，实际为“\(text.trimmingCharacters(in: .whitespaces))”"))
        }
        self = comparator
    }

    /// "≥", ">=", "≤", "<=", "=", "==", ">", "<" (spaces around ignored); nil for anything else.
    public static func parse(_ raw: String) -> TargetComparator? {
        switch raw.trimmingCharacters(in: .whitespaces) {
        case "≥", ">=": return .atLeast
        case "≤", "<=": return .atMost
        case "=", "==": return .equal
        case ">": return .greater
        case "<": return .less
        default: return nil
        }
    }

    /// Whether a rising value moves towards the target (≥, >) or a falling one (≤, <).
    /// For "=" the direction is from the baseline towards the target.
    public var higherIsBetter: Bool? {
        switch self {
        case .atLeast, .greater: return true
        case .atMost, .less: return false
        case .equal: return nil
        }
    }

    /// Whether `value` satisfies "value ⋈ target". Comparisons allow a relative slack of 1e-9 so that
    /// a projection computed in floating point to land exactly on the target counts as reaching it;
    /// "=" also allows `tolerance`.
    public func isSatisfied(by value: Double, target: Double, tolerance: Double = 0) -> Bool {
        let slack = 1e-9 * max(1, abs(target))
        switch self {
        case .atLeast: return value >= target - slack
        case .atMost: return value <= target + slack
        case .greater: return value > target + slack
        case .less: return value < target - slack
        case .equal: return abs(value - target) <= tolerance + slack
        }
    }
}

/// A measured value of an indicator on a date.
public struct TargetObservation: Hashable, Codable, Sendable {
    public var date: CivilDate
    public var value: Double

    public init(date: CivilDate, value: Double) {
        self.date = date
        self.value = value
    }
}

/// A target (issue 5 §5): an indicator in a region shall compare with `value` by `deadline`.
public struct Target: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var indicatorID: String
    public var region: RegionCode
    public var comparator: TargetComparator
    public var value: Double
    /// For "=": how far off still counts as met. Ignored by the other comparators.
    public var tolerance: Double?
    /// Where the region stood when the target was set. nil when the source does not say: the first
    /// observation then serves as the baseline.
    public var baseline: TargetObservation?
    public var deadline: CivilDate
    /// For indicators counted within a period ("new holders in 2025").
    public var period: DatePeriod?
    /// Source wording and anything inferred ("300 名左右" read as ≥ 300).
    public var note: String?

    private enum CodingKeys: String, CodingKey {
        case id, indicatorID = "indicator", region, comparator, value, tolerance, baseline, deadline, period, note
    }

    public init(id: String, indicatorID: String, region: RegionCode, comparator: TargetComparator, value: Double,
                tolerance: Double? = nil, baseline: TargetObservation? = nil, deadline: CivilDate,
                period: DatePeriod? = nil, note: String? = nil) {
        self.id = id
        self.indicatorID = indicatorID
        self.region = region
        self.comparator = comparator
        self.value = value
        self.tolerance = tolerance
        self.baseline = baseline
        self.deadline = deadline
        self.period = period
        self.note = note
    }

    /// "≥ 800", "≤ 20", "= 30（±2）".
    public var statement: String {
        var text = "\(comparator.rawValue) \(IndicatorNumber.format(value))"
        if comparator == .equal, let tolerance, tolerance > 0 { text += "（±\(IndicatorNumber.format(tolerance))）" }
        return text
    }

    public func isSatisfied(by value: Double) -> Bool {
        comparator.isSatisfied(by: value, target: self.value, tolerance: tolerance ?? 0)
    }

    /// Problems with the target's own figures (not whether it is reached).
    public func validate(indicators: [IndicatorDefinition] = IndicatorCatalogue.shipped) -> [IndicatorMessage] {
        var issues: [IndicatorMessage] = []
        let definition = indicators.first { $0.id == indicatorID }
        if definition == nil {
            issues.append(.init(code: "target.indicator.unknown", chinese: "目标“\(id)”引用了未知指标“\(indicatorID)”",
                                english: "target “\(id)” refers to an unknown indicator “\(indicatorID)”"))
        }
        if !value.isFinite || value < 0 {
            issues.append(.init(code: "target.value.invalid", chinese: "目标“\(id)”的目标值须为非负数",
                                english: "target “\(id)” needs a non-negative target value"))
        }
        if let tolerance, !(tolerance.isFinite && tolerance >= 0) {
            issues.append(.init(code: "target.tolerance.invalid", chinese: "目标“\(id)”的允许偏差须为非负数",
                                english: "target “\(id)” needs a non-negative tolerance"))
        }
        if tolerance != nil, comparator != .equal {
            issues.append(.init(code: "target.tolerance.unused", chinese: "目标“\(id)”：允许偏差只用于“=”目标",
                                english: "target “\(id)”: a tolerance only applies to “=” targets"))
        }
        if let baseline {
            if baseline.date >= deadline {
                issues.append(.init(code: "target.baseline.after_deadline",
                    chinese: "目标“\(id)”的基线日期 \(baseline.date) 不早于期限 \(deadline)",
                    english: "target “\(id)”: the baseline date \(baseline.date) is not before the deadline \(deadline)"))
            }
            if !baseline.value.isFinite || baseline.value < 0 {
                issues.append(.init(code: "target.baseline.invalid", chinese: "目标“\(id)”的基线值须为非负数",
                                    english: "target “\(id)” needs a non-negative baseline value"))
            }
        }
        if definition?.needsPeriod == true, period == nil {
            issues.append(.init(code: "target.period.missing", chinese: "目标“\(id)”的指标按统计期计数，须给出统计期",
                                english: "target “\(id)” counts within a period; give the period"))
        }
        if let period, period.to > deadline {
            issues.append(.init(code: "target.period.after_deadline", chinese: "目标“\(id)”的统计期结束于期限之后",
                                english: "target “\(id)”: the period ends after the deadline"))
        }
        return issues
    }
}
