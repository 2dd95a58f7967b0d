import Foundation

/// A calendar month (`2025-07`): the unit monthly allowances are paid in (Asia/Shanghai civil
/// calendar, docs/conventions.md §6).
public struct CivilMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// nil for month 0, 13, … or a year outside 1…9999.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// The month a date falls in.
    public init(_ date: CivilDate) {
        year = date.year
        month = date.month
    }

    /// `YYYY-MM`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    public var lastDay: CivilDate { CivilDate(year: year, month: month, day: numberOfDays)! }
    public var numberOfDays: Int { CivilDate.daysIn(month: month, year: year) }

    /// Every day of the month, first to last.
    public var days: [CivilDate] {
        (1...numberOfDays).map { CivilDate(year: year, month: month, day: $0)! }
    }

    public func adding(months: Int) -> CivilMonth {
        let total = year * 12 + (month - 1) + months
        return CivilMonth(year: total / 12, month: total % 12 + 1)!
    }

    public var next: CivilMonth { adding(months: 1) }
    public var previous: CivilMonth { adding(months: -1) }

    /// `from` … `through`, both included, oldest first; empty when `through` is before `from`.
    /// Used for late-entry arrears: the months a person was owed but not paid.
    public static func months(from: CivilMonth, through: CivilMonth) -> [CivilMonth] {
        guard from <= through else { return [] }
        var result: [CivilMonth] = []
        var current = from
        while current <= through {
            result.append(current)
            current = current.next
        }
        return result
    }

    /// The twelve months of the month's calendar year.
    public var monthsOfYear: [CivilMonth] { (1...12).map { CivilMonth(year: year, month: $0)! } }

    public var description: String {
        let y = String(year), m = String(month)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count == 1 ? "0" : "") + m
    }

    /// 2025年7月
    public var chineseText: String { "\(year)年\(month)月" }

    public static func < (a: CivilMonth, b: CivilMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

extension CivilMonth: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let month = CivilMonth(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a month YYYY-MM, got \(text)"))
        }
        self = month
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
