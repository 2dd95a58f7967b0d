import Foundation

/// A figure that departments enter (or import) per region and year — the denominators of the
/// indicators (issue 5 §1). The registry cannot count these: schools, older people and beds are
/// not social workers.
public enum RegionStatistic: String, CaseIterable, Codable, Sendable {
    /// 中小学校数 (教育部门)
    case schools
    /// 开展社会工作服务的中小学校数 (教育部门) — numerator of school coverage.
    case schoolsWithSocialWork = "schools_with_social_work"
    /// 60 岁及以上人口 (民政/卫健部门)
    case population60Plus = "population_60_plus"
    /// 养老机构床位数 (民政部门)
    case elderlyCareBeds = "elderly_care_beds"
    /// 社区矫正对象数 (司法行政部门)
    case communityCorrectionSubjects = "community_correction_subjects"
    /// 社区工作者总人数 (民政部门) — all community workers, registered in Shegong or not.
    case communityWorkers = "community_workers"
    /// 村（社区）数
    case villagesAndCommunities = "villages_and_communities"
    /// 乡镇（街道）社会工作站数
    case townshipStations = "township_stations"

    public var chineseName: String {
        switch self {
        case .schools: return "中小学校数"
        case .schoolsWithSocialWork: return "开展社会工作服务的中小学校数"
        case .population60Plus: return "60岁及以上老年人口"
        case .elderlyCareBeds: return "养老机构床位数"
        case .communityCorrectionSubjects: return "社区矫正对象数"
        case .communityWorkers: return "社区工作者总数"
        case .villagesAndCommunities: return "村（社区）数"
        case .townshipStations: return "乡镇（街道）社会工作站数"
        }
    }

    public var englishName: String {
        switch self {
        case .schools: return "primary and secondary schools"
        case .schoolsWithSocialWork: return "schools with social-work service"
        case .population60Plus: return "population aged 60 and over"
        case .elderlyCareBeds: return "elderly-care institution beds"
        case .communityCorrectionSubjects: return "community-correction subjects"
        case .communityWorkers: return "community workers (headcount)"
        case .villagesAndCommunities: return "villages and communities"
        case .townshipStations: return "township social-work stations"
        }
    }

    /// The department that usually supplies the figure (docs/conventions.md §1: cooperating departments enter
    /// the denominators of their field).
    public var usualSource: String {
        switch self {
        case .schools, .schoolsWithSocialWork: return "教育部门"
        case .population60Plus, .elderlyCareBeds, .communityWorkers, .villagesAndCommunities, .townshipStations: return "民政部门"
        case .communityCorrectionSubjects: return "司法行政部门"
        }
    }
}
