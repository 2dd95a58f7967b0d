import Foundation

/// Where and when an indicator is evaluated: a region subtree, a date, and — for indicators that
/// count within a period — the period. The store computes every term for this scope.
public struct IndicatorScope: Hashable, Codable, Sendable {
    public var region: RegionCode
    /// Registry counts are "as of" this date; region statistics are the latest year not after it.
    public var asOf: CivilDate
    public var period: DatePeriod?

    public init(region: RegionCode, asOf: CivilDate, period: DatePeriod? = nil) {
        self.region = region
        self.asOf = asOf
        self.period = period
    }
}

/// The term values the store computed for one scope. A term the store could not compute (a region
/// statistic nobody entered, a period filter with no period) is simply absent.
public struct IndicatorInputs: Equatable, Sendable {
    public private(set) var values: [IndicatorTerm: Int]

    public init(_ values: [IndicatorTerm: Int] = [:]) { self.values = values }

    public subscript(term: IndicatorTerm) -> Int? {
        get { values[term] }
        set { values[term] = newValue }
    }
}

/// An indicator's value, or why there is none. Never a division error, never an invented number.
public enum IndicatorValue: Hashable, Sendable {
    /// `value` = numerator × factor ÷ denominator (or numerator × factor without a denominator).
    case value(Double, numerator: Int, denominator: Int?)
    case noData(IndicatorMessage)

    public var number: Double? {
        if case .value(let v, _, _) = self { return v }
        return nil
    }

    public var noDataReason: IndicatorMessage? {
        if case .noData(let reason) = self { return reason }
        return nil
    }
}

/// Evaluates `definition` from the term values the store computed. Pure: no store, no clock.
public func evaluate(_ definition: IndicatorDefinition, counts: IndicatorInputs) -> IndicatorValue {
    func missing(_ side: String, _ english: String, _ term: IndicatorTerm) -> IndicatorValue {
        let hint: String, englishHint: String
        if case .statistic = term {
            hint = "尚未填报"
            englishHint = "has not been entered"
        } else if term.needsPeriod {
            hint = "无法计算（须指定统计期）"
            englishHint = "could not be counted (a period is needed)"
        } else {
            hint = "无法计算"
            englishHint = "could not be counted"
        }
        return .noData(.init(code: "indicator.\(english).missing",
            chinese: "\(side)「\(term.chineseDescription)」\(hint)，无法计算「\(definition.chineseName)」",
            english: "the \(english) “\(term.englishDescription)” \(englishHint), so “\(definition.englishName)” has no value"))
    }
    func negative(_ side: String, _ english: String, _ term: IndicatorTerm, _ value: Int) -> IndicatorValue {
        .noData(.init(code: "indicator.\(english).negative",
            chinese: "\(side)「\(term.chineseDescription)」为负数（\(value)），数据有误",
            english: "the \(english) “\(term.englishDescription)” is negative (\(value)); the data is wrong"))
    }

    guard let numerator = counts[definition.numerator] else { return missing("分子", "numerator", definition.numerator) }
    guard numerator >= 0 else { return negative("分子", "numerator", definition.numerator, numerator) }
    let factor = Double(definition.factor.rawValue) / Double(max(definition.divisor ?? 1, 1))
    guard let denominatorTerm = definition.denominator else {
        return .value(Double(numerator) * factor, numerator: numerator, denominator: nil)
    }
    guard let denominator = counts[denominatorTerm] else { return missing("分母", "denominator", denominatorTerm) }
    guard denominator >= 0 else { return negative("分母", "denominator", denominatorTerm, denominator) }
    guard denominator > 0 else {
        return .noData(.init(code: "indicator.denominator.zero",
            chinese: "分母「\(denominatorTerm.chineseDescription)」为 0，无法计算「\(definition.chineseName)」",
            english: "the denominator “\(denominatorTerm.englishDescription)” is 0, so “\(definition.englishName)” has no value"))
    }
    return .value(Double(numerator) * factor / Double(denominator), numerator: numerator, denominator: denominator)
}

extension IndicatorDefinition {
    /// Same as `evaluate(self, counts:)`.
    public func evaluate(_ counts: IndicatorInputs) -> IndicatorValue { ShegongDomain.evaluate(self, counts: counts) }
}
