import Foundation

/// A reason a person reads — why an indicator has no value, why a target is at risk, what is wrong
/// in a plan file — with a stable code for the API and the message in Chinese (default) and English.
public struct IndicatorMessage: Hashable, Codable, Sendable, CustomStringConvertible {
    public var code: String
    public var chinese: String
    public var english: String

    public init(code: String, chinese: String, english: String) {
        self.code = code
        self.chinese = chinese
        self.english = english
    }

    public var description: String { "\(code): \(chinese)" }
}

/// How figures are written in reasons and tables: at most `decimals` places, trailing zeros
/// dropped, no grouping separators (701.1, 800, 0.25). Independent of the process locale.
public enum IndicatorNumber {
    public static func format(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "—" }
        let scale = pow(10.0, Double(max(0, decimals)))
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 {
            return String(Int(rounded))
        }
        var text = String(format: "%.\(max(0, decimals))f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

/// An inclusive range of civil dates (a statistics period, an issue-date window).
public struct DatePeriod: Hashable, Codable, Sendable, CustomStringConvertible {
    public var from: CivilDate
    public var to: CivilDate

    /// nil when `from` is after `to`.
    public init?(from: CivilDate, to: CivilDate) {
        guard from <= to else { return nil }
        self.from = from
        self.to = to
    }

    /// The calendar year `year` (1 January to 31 December).
    public static func year(_ year: Int) -> DatePeriod {
        DatePeriod(from: CivilDate(year: year, month: 1, day: 1)!, to: CivilDate(year: year, month: 12, day: 31)!)!
    }

    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= to }

    public var description: String { "\(from)至\(to)" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let from = try container.decode(CivilDate.self, forKey: .from)
        let to = try container.decode(CivilDate.self, forKey: .to)
        guard let period = DatePeriod(from: from, to: to) else {
            throw DecodingError.dataCorruptedError(forKey: .to, in: container,
                debugDescription: "期间的结束日期 \(to) 早于开始日期 \(from)")
        }
        self = period
    }
}
