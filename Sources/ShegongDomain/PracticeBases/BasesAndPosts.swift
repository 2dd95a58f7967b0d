import Foundation

/// Who a practice base hosts (issue #14 §1): an intern (实习) or a trainee (培训), each for a
/// period. Stored as the raw value (`practice_base_placements.kind`, migration 0052).
public enum PlacementKind: String, CaseIterable, Codable, Sendable {
    case internship
    case training

    public var chineseName: String { self == .internship ? "实习" : "培训" }

    /// The id (`internship`), the Chinese name (实习, 培训) or the English word.
    public static func parse(_ text: String) -> PlacementKind? {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "internship", "intern", "实习": return .internship
        case "training", "trainee", "培训": return .training
        default: return nil
        }
    }
}

/// Who pays for a social-work post (issue #14 §2): 财政 (the budget), 单位自筹 (the employer's own
/// money), 购买服务 (government purchase of services) or other. Stored as the raw value
/// (`org_posts.funding`, migration 0053).
public enum PostFunding: String, CaseIterable, Codable, Sendable {
    case fiscal
    case selfFunded = "self_funded"
    case purchasedService = "purchased_service"
    case other

    public var chineseName: String {
        switch self {
        case .fiscal: return "财政"
        case .selfFunded: return "单位自筹"
        case .purchasedService: return "购买服务"
        case .other: return "其他"
        }
    }

    /// The id (`fiscal`) or the Chinese name (财政, 单位自筹, 购买服务, 其他).
    public static func parse(_ text: String) -> PostFunding? {
        let t = text.trimmingCharacters(in: .whitespaces)
        return allCases.first { $0.rawValue == t.lowercased() || $0.chineseName == t }
    }
}

/// One problem with a base or a post: the field and the catalogue key (with its arguments).
public struct BasesAndPostsProblem: Hashable, Sendable {
    public var field: String
    public var code: String
    public var arguments: [String]

    public init(_ field: String, _ code: String, _ arguments: String...) {
        self.field = field
        self.code = code
        self.arguments = arguments
    }
}

/// The rules of practice bases and posts that need no database: periods, numbers, the province of
/// served regions and whether a post has room for one more (docs/bases.md).
public enum BasesAndPostsRules {
    /// The largest number a capacity or a post's number set may be.
    public static let maximumNumber = 100_000

    /// A period whose end is before its start is refused; either end may be open.
    public static func period(from: CivilDate?, to: CivilDate?, field: String = "periodTo") -> BasesAndPostsProblem? {
        guard let from, let to, to < from else { return nil }
        return BasesAndPostsProblem(field, "bases.period.order", from.description, to.description)
    }

    /// A capacity or number set: a whole number from `minimum` to `maximumNumber`.
    public static func number(_ value: Int?, field: String, minimum: Int = 0) -> BasesAndPostsProblem? {
        guard let value else { return nil }
        if value < 0 { return BasesAndPostsProblem(field, "bases.number.negative") }
        if value < minimum || value > maximumNumber { return BasesAndPostsProblem(field, "bases.number.range", String(minimum), String(maximumNumber)) }
        return nil
    }

    /// A base may serve only regions of its own province: each other one is named.
    /// `served` are (code, name, province code) of the regions asked for.
    public static func servedRegions(baseProvince: String?, served: [(code: String, name: String, province: String?)]) -> [BasesAndPostsProblem] {
        served.compactMap { region in
            guard let baseProvince, region.province == baseProvince else {
                return BasesAndPostsProblem("servedRegions", "bases.served.outside_province", region.name, region.code)
            }
            return nil
        }
    }

    /// Whether a post of `numberSet` places with `filled` of them taken has room for one more; a
    /// post filled twice — more people than the number set — is refused with both numbers named.
    public static func fill(numberSet: Int, filled: Int, postName: String) -> BasesAndPostsProblem? {
        filled < numberSet ? nil : BasesAndPostsProblem("personID", "posts.fill.full", postName, String(numberSet), String(filled))
    }

    /// Lowering a post's number set below the people filling it is refused.
    public static func numberSet(_ numberSet: Int, filled: Int) -> BasesAndPostsProblem? {
        numberSet >= filled ? nil : BasesAndPostsProblem("numberSet", "posts.number.below_filled", String(filled))
    }

    /// The most people a base hosts on any one day of `from`…`to` (an open end: from then on),
    /// counting the placements `existing` (each from a day to a day, or open).
    public static func peakOccupancy(from: CivilDate, to: CivilDate?, existing: [(from: CivilDate, to: CivilDate?)]) -> Int {
        // The count only rises on the day a placement starts, so the peak is on `from` or on a
        // start inside the period.
        let days = [from] + existing.map(\.from).filter { $0 > from && (to == nil || $0 <= to!) }
        return days.map { day in existing.filter { $0.from <= day && ($0.to == nil || $0.to! >= day) }.count }.max() ?? 0
    }

    /// A placement that would put more people at a base at the same time than its capacity is
    /// refused, naming the base, its capacity and how many are already there; a base without a
    /// capacity takes anyone.
    public static func placement(capacity: Int?, baseName: String, from: CivilDate, to: CivilDate?,
                                 existing: [(from: CivilDate, to: CivilDate?)]) -> BasesAndPostsProblem? {
        guard let capacity else { return nil }
        let peak = peakOccupancy(from: from, to: to, existing: existing)
        return peak < capacity ? nil : BasesAndPostsProblem("from", "bases.placement.capacity", baseName, String(capacity), String(peak))
    }

    /// Vacancies of a post: the places set that nobody fills (never below 0).
    public static func vacancies(numberSet: Int, filled: Int) -> Int { max(0, numberSet - filled) }
}
