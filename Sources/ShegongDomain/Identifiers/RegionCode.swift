import Foundation

/// A level of the administrative division tree: GB/T 2260 down to counties, extended by 3 digits
/// for townships/streets and 3 more for villages/communities.
public enum RegionLevel: Int, Codable, Sendable, CaseIterable, Comparable {
    case nation = 0, province = 1, city = 2, county = 3, township = 4, community = 5

    public static func < (a: RegionLevel, b: RegionLevel) -> Bool { a.rawValue < b.rawValue }

    public var englishName: String {
        switch self {
        case .nation: return "nation"
        case .province: return "province"
        case .city: return "city"
        case .county: return "county"
        case .township: return "township"
        case .community: return "community"
        }
    }

    /// The name the work departments use (省级, 县级, …).
    public var chineseName: String {
        switch self {
        case .nation: return "全国"
        case .province: return "省级"
        case .city: return "市级"
        case .county: return "县级"
        case .township: return "乡镇（街道）"
        case .community: return "村（社区）"
        }
    }
}

/// An administrative division code: 6 digits (GB/T 2260: province, city or county), 9 digits
/// (township/street) or 12 digits (village/community). Only the format is checked here; whether
/// the code exists (and existed on a date) is the region tree's business.
public struct RegionCode: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let value: String

    private init(value: String) { self.value = value }

    /// The code of the whole country, the root of the region tree.
    public static let nation = RegionCode(value: "000000")

    public static func parse(_ text: String) -> Result<RegionCode, IdentifierError> {
        let compact = IdentifierText.compact(text)
        guard !compact.isEmpty else {
            return .failure(.init(code: "region.empty"))
        }
        if let bad = compact.first(where: { !IdentifierText.isASCIIDigit($0) }) {
            return .failure(.init(code: "region.characters", String(bad)))
        }
        guard [6, 9, 12].contains(compact.count) else {
            return .failure(.init(code: "region.length", String(compact.count)))
        }
        return .success(RegionCode(value: compact))
    }

    /// 6 digits: `xx0000` province, `xxyy00` city, otherwise county (`000000` is the nation);
    /// 9 digits township; 12 digits community.
    public var level: RegionLevel {
        switch value.count {
        case 12: return .community
        case 9: return .township
        default:
            if value == "000000" { return .nation }
            if value.hasSuffix("0000") { return .province }
            if value.hasSuffix("00") { return .city }
            return .county
        }
    }

    /// The code one level up by the code's structure (`420102001` → `420102`, `420102` → `420100`,
    /// `420100` → `420000`, `420000` → nation, nation → nil). The structural parent need not be a
    /// division that exists (e.g. county-level cities directly under a province).
    public var parent: RegionCode? {
        switch level {
        case .nation: return nil
        case .province: return .nation
        case .city: return RegionCode(value: String(value.prefix(2)) + "0000")
        case .county: return RegionCode(value: String(value.prefix(4)) + "00")
        case .township: return RegionCode(value: String(value.prefix(6)))
        case .community: return RegionCode(value: String(value.prefix(9)))
        }
    }

    /// Whether `self` is `other` or lies above it in the structural tree.
    public func contains(_ other: RegionCode) -> Bool {
        var current: RegionCode? = other
        while let code = current {
            if code == self { return true }
            if code.level <= level { return false }
            current = code.parent
        }
        return false
    }

    public static func < (a: RegionCode, b: RegionCode) -> Bool { a.value < b.value }

    public var description: String { value }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch RegionCode.parse(text) {
        case .success(let code): self = code
        case .failure(let error):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
