import Foundation

/// Highest completed education (最高学历), lowest first.
public enum EducationLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case juniorHighOrBelow = "初中及以下"
    case seniorHigh = "高中"
    case secondaryVocational = "中专"
    case juniorCollege = "大专"
    case bachelor = "本科"
    case master = "硕士"
    case doctorate = "博士"

    /// 1 (初中及以下) … 7 (博士). 高中 and 中专 are the same stage; 中专 ranks after 高中 only so
    /// the order is total.
    public var rank: Int { EducationLevel.allCases.firstIndex(of: self)! + 1 }

    public var englishName: String {
        switch self {
        case .juniorHighOrBelow: return "Junior high school or below"
        case .seniorHigh: return "Senior high school"
        case .secondaryVocational: return "Secondary vocational school"
        case .juniorCollege: return "Junior college"
        case .bachelor: return "Bachelor's degree"
        case .master: return "Master's degree"
        case .doctorate: return "Doctorate"
        }
    }

    public static func < (a: EducationLevel, b: EducationLevel) -> Bool { a.rank < b.rank }
}
