import Foundation

/// The kind of organisation a person's post is at (用人单位类型). Allowance policies name them:
/// 咸丰县 pays 劳务派遣、公益性岗位人员 "of administrative, enterprise and public institutions"
/// (行政企事业单位), i.e. `governmentOrgan`, `enterprise` and `publicInstitution`.
/// Raw values are what policy files and forms write.
public enum EmployerKind: String, CaseIterable, Codable, Sendable {
    /// 党政机关、人大、政协、审判和检察机关 (行政机关).
    case governmentOrgan = "机关"
    case publicInstitution = "事业单位"
    case enterprise = "企业"
    /// 社会团体、社会服务机构（含社工机构）、基金会.
    case socialOrganization = "社会组织"
    /// 工会、共青团、妇联等群团组织.
    case massOrganization = "群团组织"
    /// 村民委员会、居民委员会 (基层群众性自治组织).
    case villageOrResidentCommittee = "村（居）民委员会"
    case other = "其他"

    public var englishName: String {
        switch self {
        case .governmentOrgan: return "Government organ"
        case .publicInstitution: return "Public institution"
        case .enterprise: return "Enterprise"
        case .socialOrganization: return "Social organisation"
        case .massOrganization: return "Mass organisation"
        case .villageOrResidentCommittee: return "Village or residents' committee"
        case .other: return "Other"
        }
    }
}
