import Foundation

/// The level of a social-work degree programme (学历教育).
public enum DegreeLevel: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    case juniorCollege = "专科"
    case bachelor = "本科"
    case master = "硕士"

    /// The registry's highest education once the degree is completed.
    public var education: EducationLevel {
        switch self {
        case .juniorCollege: return .juniorCollege
        case .bachelor: return .bachelor
        case .master: return .master
        }
    }

    public var catalogueKey: String { "degree.level.\(self)" }
}

/// How a degree programme is studied.
public enum StudyMode: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    case fullTime = "full_time"
    case partTime = "part_time"
    case distance

    public var catalogueKey: String { "degree.mode.\(rawValue)" }
}

extension EducationCredit.Source: CatalogueNamed {
    public var catalogueKey: String { "ledger.source.\(rawValue)" }
}
