import Foundation

/// A field of social-work service (服务领域). A person may serve in several.
/// The order of the cases is the template's order and the order records list them in.
public enum ServiceField: String, CaseIterable, Codable, Sendable {
    case community = "社区"
    case elderly = "养老"
    case children = "儿童"
    case disability = "残疾人"
    case medical = "医务"
    case school = "学校"
    case drugControl = "禁毒"
    case justice = "司法"
    case communityCorrection = "社区矫正"
    case emergency = "应急"
    case petition = "信访"
    case ruralRevitalization = "乡村振兴"
    case other = "其他"

    public var englishName: String {
        switch self {
        case .community: return "Community"
        case .elderly: return "Elderly care"
        case .children: return "Children"
        case .disability: return "Disability"
        case .medical: return "Medical"
        case .school: return "School"
        case .drugControl: return "Drug control"
        case .justice: return "Justice"
        case .communityCorrection: return "Community correction"
        case .emergency: return "Emergency management"
        case .petition: return "Letters and visits"
        case .ruralRevitalization: return "Rural revitalisation"
        case .other: return "Other"
        }
    }
}
