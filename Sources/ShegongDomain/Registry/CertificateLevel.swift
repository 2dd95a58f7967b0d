import Foundation

/// The three levels of the national social-work qualification (社会工作者职业水平证书).
/// Raw values are the titles printed on the certificate and written in the census template.
public enum CertificateLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case assistant = "助理社会工作师"
    case intermediate = "社会工作师"
    /// Exam plus review (考评结合).
    case senior = "高级社会工作师"

    /// 1, 2, 3 from assistant to senior; upgrade rules compare ranks.
    public var rank: Int {
        switch self {
        case .assistant: return 1
        case .intermediate: return 2
        case .senior: return 3
        }
    }

    public var englishName: String {
        switch self {
        case .assistant: return "Assistant Social Worker"
        case .intermediate: return "Social Worker"
        case .senior: return "Senior Social Worker"
        }
    }

    /// Continuing-education hours needed per 3-year registration period
    /// (《社会工作者继续教育办法》: at least 72 h for assistants, 90 h for intermediate and senior).
    public var continuingEducationHoursPerPeriod: Int {
        switch self {
        case .assistant: return 72
        case .intermediate, .senior: return 90
        }
    }

    public static func < (a: CertificateLevel, b: CertificateLevel) -> Bool { a.rank < b.rank }
}
