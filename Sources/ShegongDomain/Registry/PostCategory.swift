import Foundation

/// What kind of post a person holds (人员类别). Local allowance policies target categories:
/// e.g. 咸丰县 pays the monthly allowance to 村、社区干部 and to 劳务派遣、公益性岗位人员.
public enum PostCategory: String, CaseIterable, Codable, Sendable {
    case communityWorker = "社区工作者"
    case villageCadre = "村干部"
    case socialWorkOrganization = "社工机构从业人员"
    case publicInstitution = "机关事业单位人员"
    case massOrganization = "群团组织人员"
    case laborDispatch = "劳务派遣人员"
    case publicWelfarePost = "公益性岗位人员"
    case other = "其他"

    public var englishName: String {
        switch self {
        case .communityWorker: return "Community worker"
        case .villageCadre: return "Village cadre"
        case .socialWorkOrganization: return "Social work organisation staff"
        case .publicInstitution: return "Government or public institution staff"
        case .massOrganization: return "Mass organisation staff"
        case .laborDispatch: return "Labour-dispatch staff"
        case .publicWelfarePost: return "Public-welfare post staff"
        case .other: return "Other"
        }
    }
}
