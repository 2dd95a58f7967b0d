import Foundation

/// The level of a practice base (实践基地): who set it up, not where its address is. Jiuquan's plan
/// (docs/indicators.md, "What the seed files infer") names a city base (全市…实践基地, 肃州区金泉路社区),
/// a college training base (院校…培训基地, 酒泉职业技术学院) and asks every county-level unit for a
/// county base (各县市区建立**县级**…实践基地各一个): a city base standing in 肃州区 is not 肃州区's
/// county base. Stored as the raw value (`practice_bases.base_level`, migration 0045).
public enum PracticeBaseLevel: String, CaseIterable, Codable, Sendable {
    case province
    case city
    case county
    /// A base set up at a college or university (院校社会工作专业人员培训基地).
    case college
    /// Only for bases registered before levels were kept (migration 0045) whose level the old
    /// record did not tell; never accepted on input, and never counted as any level above.
    case unspecified

    /// The levels a new base may be registered with.
    public static let assignable: [PracticeBaseLevel] = [.province, .city, .county, .college]

    public var chineseName: String {
        switch self {
        case .province: return "省级"
        case .city: return "市级"
        case .county: return "县级"
        case .college: return "院校"
        case .unspecified: return "级别未注明"
        }
    }

    public var englishName: String {
        switch self {
        case .province: return "provincial"
        case .city: return "city"
        case .county: return "county"
        case .college: return "college"
        case .unspecified: return "level not stated"
        }
    }

    /// What an official types: the id (`county`), the Chinese name (`县级`, also `县`), or the English name.
    public static func parse(_ text: String) -> PracticeBaseLevel? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let level = assignable.first(where: { $0.rawValue == t.lowercased() || $0.chineseName == t || $0.englishName == t.lowercased() }) {
            return level
        }
        switch t {
        case "省": return .province
        case "市": return .city
        case "县": return .county
        case "院校级", "高校", "学校": return .college
        default: return nil
        }
    }
}

/// The tier of a "专业社工+志愿服务" fusion pilot: whose pilot programme it belongs to. Jiuquan's plan
/// names 南苑社区 and 梨园社区 as **全省**融合试点项目 (provincial) and asks every county-level unit to
/// choose a community for the **全市**融合试点 (city): the per-county target counts the city's
/// pilots only. Stored as the raw value (`pilot_communities.tier`, migration 0045).
public enum PilotTier: String, CaseIterable, Codable, Sendable {
    case province
    case city
    case county
    /// Only for pilots registered before tiers were kept (migration 0045) whose tier is not known;
    /// never accepted on input, never counted as any tier above.
    case unspecified

    public static let assignable: [PilotTier] = [.province, .city, .county]

    public var chineseName: String {
        switch self {
        case .province: return "全省试点"
        case .city: return "全市试点"
        case .county: return "全县试点"
        case .unspecified: return "层级未注明"
        }
    }

    public var englishName: String {
        switch self {
        case .province: return "provincial pilot"
        case .city: return "city pilot"
        case .county: return "county pilot"
        case .unspecified: return "tier not stated"
        }
    }

    /// The id (`city`), the Chinese name (`全市试点`), `省级`/`市级`/`县级`, `省`/`市`/`县`, or the English name.
    public static func parse(_ text: String) -> PilotTier? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let tier = assignable.first(where: { $0.rawValue == t.lowercased() || $0.chineseName == t || $0.englishName == t.lowercased() }) {
            return tier
        }
        switch t {
        case "省级", "省", "全省": return .province
        case "市级", "市", "全市": return .city
        case "县级", "县", "全县": return .county
        default: return nil
        }
    }
}
