import Foundation

/// The multiplier applied to numerator ÷ denominator: 1 (a count or a plain ratio), 100 (a
/// percentage), 1000 (per thousand).
public enum IndicatorFactor: Int, CaseIterable, Codable, Sendable {
    case one = 1
    case hundred = 100
    case thousand = 1000
}

/// An indicator as data, DHIS2-style: numerator × factor ÷ denominator, each side a registry count
/// or a region statistic. An indicator without a denominator is a plain count (× factor).
public struct IndicatorDefinition: Hashable, Codable, Sendable, Identifiable {
    /// Stable id used by targets and the API (`certificate_holders`).
    public var id: String
    public var chineseName: String
    public var englishName: String
    public var numerator: IndicatorTerm
    public var denominator: IndicatorTerm?
    public var factor: IndicatorFactor
    /// How the value is shown: "人", "%", "人/千名老年人" …
    public var unit: String
    /// Decimal places shown (the value itself is never rounded).
    public var decimals: Int
    /// What the indicator means and where its rule comes from.
    public var note: String?
    /// Divides the value once more, to change its unit: 60 turns minutes into hours. nil = 1.
    public var divisor: Int?

    public init(id: String, chineseName: String, englishName: String, numerator: IndicatorTerm,
                denominator: IndicatorTerm? = nil, factor: IndicatorFactor = .one, unit: String, decimals: Int = 0,
                note: String? = nil, divisor: Int? = nil) {
        self.id = id
        self.chineseName = chineseName
        self.englishName = englishName
        self.numerator = numerator
        self.denominator = denominator
        self.factor = factor
        self.unit = unit
        self.decimals = decimals
        self.note = note
        self.divisor = divisor
    }

    /// The terms the store must compute to evaluate this indicator.
    public var terms: [IndicatorTerm] { [numerator] + (denominator.map { [$0] } ?? []) }

    /// Whether the store needs an evaluation period (e.g. "new holders in a period").
    public var needsPeriod: Bool { terms.contains(where: \.needsPeriod) }

    /// A count with no denominator: values of child regions add up to the parent's (a ratio's do not).
    public var isAdditive: Bool { denominator == nil }

    /// "numerator × 100 ÷ denominator" in words, for documentation and tooltips.
    public var chineseFormula: String {
        let times = (factor == .one ? "" : " × \(factor.rawValue)") + (divisor.map { " ÷ \($0)" } ?? "")
        guard let denominator else { return numerator.chineseDescription + times }
        return "\(numerator.chineseDescription)\(times) ÷ \(denominator.chineseDescription)"
    }

    public var englishFormula: String {
        let times = (factor == .one ? "" : " × \(factor.rawValue)") + (divisor.map { " ÷ \($0)" } ?? "")
        guard let denominator else { return numerator.englishDescription + times }
        return "\(numerator.englishDescription)\(times) ÷ \(denominator.englishDescription)"
    }

    /// Problems that make the definition unusable: a bad id, empty names, filters that do not
    /// apply to their subject.
    public func validate() -> [IndicatorMessage] {
        var issues: [IndicatorMessage] = []
        let idCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        if id.isEmpty || !id.allSatisfy({ idCharacters.contains($0) }) {
            issues.append(.init(code: "indicator.id.invalid",
                chinese: "指标代码只能由小写字母、数字和下划线组成，实际为“\(id)”",
                english: "an indicator id is lower-case letters, digits and underscores; got “\(id)”"))
        }
        if chineseName.trimmingCharacters(in: .whitespaces).isEmpty || englishName.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.init(code: "indicator.name.empty", chinese: "指标须有中文和英文名称",
                                english: "an indicator needs a Chinese and an English name"))
        }
        if let divisor, divisor < 1 {
            issues.append(.init(code: "indicator.divisor.range", chinese: "除数须为正整数",
                                english: "the divisor must be a positive whole number"))
        }
        if !(0...6).contains(decimals) {
            issues.append(.init(code: "indicator.decimals.range", chinese: "小数位数须在 0 到 6 之间",
                                english: "decimals must be between 0 and 6"))
        }
        for term in terms {
            if case .count(let count) = term { issues += count.validate() }
        }
        return issues
    }

    /// The value as shown in tables: rounded to `decimals`, with the unit.
    public func formatted(_ value: IndicatorValue) -> String {
        switch value {
        case .value(let v, _, _): return IndicatorNumber.format(v, decimals: decimals) + unit
        case .noData: return "无数据"
        }
    }
}

extension IndicatorDefinition {
    /// A figure of this indicator with its unit in `language` (“300人”, “300 people”), rounded to
    /// `decimals` for display; an indicator without a catalogue entry keeps its Chinese unit.
    public func valueText(_ value: Double, _ language: Language) -> String {
        let figure = IndicatorNumber.format(value, decimals: decimals)
        let key = "indicator.value.\(id)"
        guard Catalogue.standard.template(key, language) != nil else { return figure + unit }
        return Catalogue.text(key, language, figure)
    }
}
