import Foundation

/// One side of an indicator's fraction: a count the store makes from the registry, or a region
/// statistic a department entered. The store computes each term's value for a region subtree as
/// of a date (and, for period filters, over the evaluation period) and hands them to `evaluate`.
///
/// JSON: `{"statistic": "population_60_plus"}` or `{"count": {"subject": "people", "filter": {…}}}`.
public enum IndicatorTerm: Hashable, Sendable, Codable {
    case count(RegistryCount)
    case statistic(RegionStatistic)

    private enum CodingKeys: String, CodingKey { case count, statistic }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch (container.contains(.count), container.contains(.statistic)) {
        case (true, false): self = .count(try container.decode(RegistryCount.self, forKey: .count))
        case (false, true): self = .statistic(try container.decode(RegionStatistic.self, forKey: .statistic))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "指标项须且只能是 count（登记数）或 statistic（地区统计）之一"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .count(let count): try container.encode(count, forKey: .count)
        case .statistic(let statistic): try container.encode(statistic, forKey: .statistic)
        }
    }

    /// Whether the store needs an evaluation period to compute this term.
    public var needsPeriod: Bool {
        guard case .count(let count) = self else { return false }
        return [count.filter.issuedIn, count.filter.firstCertifiedIn, count.filter.trainedIn]
            .contains(where: { $0 == .evaluationPeriod })
    }

    public var chineseDescription: String {
        switch self {
        case .statistic(let s): return s.chineseName
        case .count(let c): return c.chineseDescription
        }
    }

    public var englishDescription: String {
        switch self {
        case .statistic(let s): return s.englishName
        case .count(let c): return c.englishDescription
        }
    }
}

/// What the registry counts.
public enum RegistrySubject: String, CaseIterable, Codable, Sendable {
    /// People in the talent registry (社会工作人才), as of the date: on the register, and for
    /// certificate filters holding a certificate issued on or before the date.
    case people
    /// Practice bases (实践基地) established on or before the date.
    case practiceBases = "practice_bases"
    /// Communities running a "专业社工+志愿服务" fusion pilot (融合试点社区).
    case pilotCommunities = "pilot_communities"
    /// County-level units (县级行政区: 区、县级市、县…) in the subtree, valid on the date.
    case countyUnits = "county_units"
    /// Not a head count: the credited training minutes (`education_credits` from completed training
    /// sessions) of the people in the subtree, credited on or before the date (and in `trainedIn`'s
    /// window when given), of `postCategories` when given.
    case trainingMinutes = "training_minutes"

    public var chineseName: String {
        switch self {
        case .people: return "社会工作人才"
        case .practiceBases: return "实践基地"
        case .pilotCommunities: return "融合试点社区"
        case .countyUnits: return "县级单位"
        case .trainingMinutes: return "培训学时（分钟）"
        }
    }

    public var englishName: String {
        switch self {
        case .people: return "social-work talent"
        case .practiceBases: return "practice bases"
        case .pilotCommunities: return "pilot communities"
        case .countyUnits: return "county-level units"
        case .trainingMinutes: return "credited training minutes"
        }
    }
}

/// What an employer is, as the organisation register records it (`organizations.kind`; raw values
/// are exactly the store's accepted kinds). A sector, not a legal form: "养老机构" is what the
/// per-100-beds indicator needs. (Incentives' `EmployerKind` is the legal form — 机关, 事业单位,
/// 企业 … — that allowance policies name; the two answer different questions.)
public enum OrganizationKind: String, CaseIterable, Codable, Sendable {
    case socialWorkOrganization = "社工机构"
    case school = "学校"
    case hospital = "医院"
    case elderlyCareInstitution = "养老机构"
    case community = "社区"
    case publicInstitution = "事业单位"
    case massOrganization = "群团组织"
    case governmentAgency = "行政机关"
    case enterprise = "企业"
    case other = "其他"
}

/// A date window in a filter: a fixed period, or whatever period the indicator is evaluated over
/// ("new holders in a period"). JSON: `"evaluation_period"` or `{"from": "…", "to": "…"}`.
public enum PeriodFilter: Hashable, Sendable, Codable {
    case evaluationPeriod
    case fixed(DatePeriod)

    public init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            guard text == "evaluation_period" else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "期间须为 evaluation_period 或 {from, to}，实际为 \(text)"))
            }
            self = .evaluationPeriod
        } else {
            self = .fixed(try DatePeriod(from: decoder))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .evaluationPeriod:
            var container = encoder.singleValueContainer()
            try container.encode("evaluation_period")
        case .fixed(let period): try period.encode(to: encoder)
        }
    }

    /// The concrete window, given the evaluation period (nil when one is needed and not given).
    public func resolved(evaluationPeriod: DatePeriod?) -> DatePeriod? {
        switch self {
        case .evaluationPeriod: return evaluationPeriod
        case .fixed(let period): return period
        }
    }

    var chineseDescription: String {
        switch self {
        case .evaluationPeriod: return "统计期内"
        case .fixed(let p): return "\(p)"
        }
    }

    var englishDescription: String {
        switch self {
        case .evaluationPeriod: return "in the period"
        case .fixed(let p): return "\(p.from) to \(p.to)"
        }
    }
}

/// Filters on a registry count. Every filter left nil means "any". Lists mean "any of these".
/// Which filters apply depends on the subject (see `RegistryCount.validate()`).
public struct RegistryFilter: Hashable, Codable, Sendable {
    // People
    /// true: holds a certificate (of `levels` if given); false: holds none.
    public var certificateHeld: Bool?
    /// Holds a certificate of one of these levels (implies `certificateHeld`).
    public var levels: [CertificateLevel]?
    public var postCategories: [PostCategory]?
    /// Serves in at least one of these fields.
    public var serviceFields: [ServiceField]?
    /// Employed by an organisation of one of these kinds.
    public var employerKinds: [OrganizationKind]?
    /// Holds a certificate (of `levels` if given) issued in the window.
    public var issuedIn: PeriodFilter?
    /// The person's first certificate of any level was issued in the window — "new holders":
    /// an upgrade from 助理 to 中级 is not a new holder.
    public var firstCertifiedIn: PeriodFilter?
    /// Attended a training session on a day in the window (people); for `trainingMinutes`, the
    /// window the minutes were credited in.
    public var trainedIn: PeriodFilter?
    /// With `trainedIn` (people) or for `trainingMinutes`: only attendance and credits of sessions
    /// whose course is of one of these tiers (issue #13 §7, coverage by tier; docs/training.md).
    public var trainingTiers: [TrainingTier]?
    /// With `trainedIn` (people) or for `trainingMinutes`: only sessions whose course names one of
    /// these audiences (a course for `all` counts only under `all`; docs/training.md).
    public var trainingAudiences: [TrainingAudience]?
    // Practice bases, and county units `withPracticeBase`
    /// The base's own level (省级, 市级, 县级, 院校): a city base standing in a county is not that
    /// county's county-level base (酒泉 “各县市区建立县级…实践基地各一个”).
    public var baseLevels: [PracticeBaseLevel]?
    // County-level units
    /// Has (true) or lacks (false) at least one practice base (of `baseLevels` if given) in its subtree.
    public var withPracticeBase: Bool?
    /// Has (true) or lacks (false) at least one pilot community (of `pilotTiers` if given) in its subtree.
    public var withPilotCommunity: Bool?
    // Pilot communities, and county units `withPilotCommunity`
    /// The pilot's tier (全省, 全市, 全县试点): 酒泉's per-county target counts the city's own pilots.
    public var pilotTiers: [PilotTier]?
    // Pilot communities, and county units `withPilotCommunity`
    /// The pilot has produced at least this many good-practice cases (优秀实践案例).
    public var minimumGoodPracticeCases: Int?

    public init(certificateHeld: Bool? = nil, levels: [CertificateLevel]? = nil, postCategories: [PostCategory]? = nil,
                serviceFields: [ServiceField]? = nil, employerKinds: [OrganizationKind]? = nil, issuedIn: PeriodFilter? = nil,
                firstCertifiedIn: PeriodFilter? = nil, trainedIn: PeriodFilter? = nil,
                trainingTiers: [TrainingTier]? = nil, trainingAudiences: [TrainingAudience]? = nil, baseLevels: [PracticeBaseLevel]? = nil,
                withPracticeBase: Bool? = nil, withPilotCommunity: Bool? = nil, pilotTiers: [PilotTier]? = nil,
                minimumGoodPracticeCases: Int? = nil) {
        self.certificateHeld = certificateHeld
        self.levels = levels
        self.postCategories = postCategories
        self.serviceFields = serviceFields
        self.employerKinds = employerKinds
        self.issuedIn = issuedIn
        self.firstCertifiedIn = firstCertifiedIn
        self.trainedIn = trainedIn
        self.trainingTiers = trainingTiers
        self.trainingAudiences = trainingAudiences
        self.baseLevels = baseLevels
        self.withPracticeBase = withPracticeBase
        self.withPilotCommunity = withPilotCommunity
        self.pilotTiers = pilotTiers
        self.minimumGoodPracticeCases = minimumGoodPracticeCases
    }

    public static let none = RegistryFilter()
}

/// A count over the registry: a subject and its filters.
public struct RegistryCount: Hashable, Codable, Sendable {
    public var subject: RegistrySubject
    public var filter: RegistryFilter

    public init(_ subject: RegistrySubject, _ filter: RegistryFilter = .none) {
        self.subject = subject
        self.filter = filter
    }

    /// Filters that make no sense for the subject, or contradict each other.
    public func validate() -> [IndicatorMessage] {
        var issues: [IndicatorMessage] = []
        let f = filter
        let personFilters: [(String, Bool)] = [
            ("certificateHeld", f.certificateHeld != nil), ("levels", f.levels != nil), ("postCategories", f.postCategories != nil),
            ("serviceFields", f.serviceFields != nil), ("employerKinds", f.employerKinds != nil), ("issuedIn", f.issuedIn != nil),
            ("firstCertifiedIn", f.firstCertifiedIn != nil), ("trainedIn", f.trainedIn != nil),
            ("trainingTiers", f.trainingTiers != nil), ("trainingAudiences", f.trainingAudiences != nil),
        ]
        let allowed: Set<String>
        switch subject {
        case .people: allowed = Set(personFilters.map(\.0))
        case .practiceBases: allowed = ["baseLevels"]
        case .pilotCommunities: allowed = ["pilotTiers", "minimumGoodPracticeCases"]
        case .trainingMinutes: allowed = ["postCategories", "trainedIn", "trainingTiers", "trainingAudiences"]
        case .countyUnits: allowed = ["withPracticeBase", "baseLevels", "withPilotCommunity", "pilotTiers", "minimumGoodPracticeCases"]
        }
        let set = personFilters + [("baseLevels", f.baseLevels != nil), ("withPracticeBase", f.withPracticeBase != nil),
                                   ("withPilotCommunity", f.withPilotCommunity != nil), ("pilotTiers", f.pilotTiers != nil),
                                   ("minimumGoodPracticeCases", f.minimumGoodPracticeCases != nil)]
        for (name, isSet) in set where isSet && !allowed.contains(name) {
            issues.append(.init(code: "indicator.filter.not_applicable",
                chinese: "筛选条件 \(name) 不适用于「\(subject.chineseName)」",
                english: "filter \(name) does not apply to \(subject.englishName)"))
        }
        if f.certificateHeld == false, f.levels != nil || f.issuedIn != nil || f.firstCertifiedIn != nil {
            issues.append(.init(code: "indicator.filter.contradiction",
                chinese: "“未持证”不能与证书等级或发证日期条件同时使用",
                english: "“no certificate” cannot be combined with certificate level or issue-date filters"))
        }
        for (name, list) in [("levels", f.levels?.count), ("postCategories", f.postCategories?.count),
                             ("serviceFields", f.serviceFields?.count), ("employerKinds", f.employerKinds?.count),
                             ("baseLevels", f.baseLevels?.count), ("pilotTiers", f.pilotTiers?.count),
                             ("trainingTiers", f.trainingTiers?.count), ("trainingAudiences", f.trainingAudiences?.count)] where list == 0 {
            issues.append(.init(code: "indicator.filter.empty_list",
                chinese: "筛选条件 \(name) 为空列表，将不计任何对象；不限请省略该条件",
                english: "filter \(name) is an empty list and would count nothing; omit it for “any”"))
        }
        if let minimum = f.minimumGoodPracticeCases, minimum < 0 {
            issues.append(.init(code: "indicator.filter.negative",
                chinese: "优秀案例数下限不能为负数", english: "the minimum number of good-practice cases cannot be negative"))
        }
        if f.minimumGoodPracticeCases != nil, subject == .countyUnits, f.withPilotCommunity != true {
            issues.append(.init(code: "indicator.filter.contradiction",
                chinese: "优秀案例数下限须与“有融合试点社区”同时使用",
                english: "a minimum of good-practice cases needs withPilotCommunity = true"))
        }
        if f.baseLevels != nil, subject == .countyUnits, f.withPracticeBase != true {
            issues.append(.init(code: "indicator.filter.contradiction",
                chinese: "基地级别须与“有实践基地”同时使用",
                english: "a base level needs withPracticeBase = true"))
        }
        if f.pilotTiers != nil, subject == .countyUnits, f.withPilotCommunity != true {
            issues.append(.init(code: "indicator.filter.contradiction",
                chinese: "试点层级须与“有融合试点社区”同时使用",
                english: "a pilot tier needs withPilotCommunity = true"))
        }
        if f.trainingTiers != nil || f.trainingAudiences != nil, subject == .people, f.trainedIn == nil {
            issues.append(.init(code: "indicator.filter.contradiction",
                chinese: "培训层级或培训对象须与“参加培训”（trainedIn）同时使用",
                english: "a training tier or audience needs trainedIn"))
        }
        return issues
    }

    public var chineseDescription: String {
        let f = filter
        var parts: [String] = []
        if let categories = f.postCategories { parts.append(categories.map(\.rawValue).joined(separator: "或")) }
        if let fields = f.serviceFields { parts.append("服务领域为" + fields.map(\.rawValue).joined(separator: "或")) }
        if let kinds = f.employerKinds { parts.append("就职于" + kinds.map(\.rawValue).joined(separator: "或")) }
        if let levels = f.levels { parts.append("持" + levels.map(\.rawValue).joined(separator: "或") + "证书") }
        else if f.certificateHeld == true { parts.append("持证") }
        else if f.certificateHeld == false { parts.append("未持证") }
        if let p = f.issuedIn { parts.append("\(p.chineseDescription)发证") }
        if let p = f.firstCertifiedIn { parts.append("\(p.chineseDescription)首次取证") }
        if let p = f.trainedIn { parts.append("\(p.chineseDescription)参加培训") }
        if let tiers = f.trainingTiers { parts.append("课程层级为" + tiers.map(\.chineseIndicatorName).joined(separator: "或")) }
        if let audiences = f.trainingAudiences { parts.append("面向" + audiences.map(\.chineseIndicatorName).joined(separator: "或") + "的课程") }
        let baseLevels = f.baseLevels.map { $0.map(\.chineseName).joined(separator: "或") }
        let pilotTiers = f.pilotTiers.map { $0.map(\.chineseName).joined(separator: "或") }
        if subject == .practiceBases, let baseLevels { parts.append(baseLevels) }
        if subject == .pilotCommunities, let pilotTiers { parts.append(pilotTiers) }
        if f.withPracticeBase == true { parts.append("有\(baseLevels ?? "")实践基地") }
        if f.withPracticeBase == false { parts.append("无\(baseLevels ?? "")实践基地") }
        if f.withPilotCommunity == true { parts.append(pilotTiers.map { "有\($0)社区" } ?? "有融合试点社区") }
        if f.withPilotCommunity == false { parts.append(pilotTiers.map { "无\($0)社区" } ?? "无融合试点社区") }
        if let minimum = f.minimumGoodPracticeCases { parts.append("优秀案例至少\(minimum)个") }
        return parts.isEmpty ? subject.chineseName : "\(subject.chineseName)（\(parts.joined(separator: "，"))）"
    }

    public var englishDescription: String {
        let f = filter
        var parts: [String] = []
        if let categories = f.postCategories { parts.append(categories.map(\.englishName).joined(separator: " or ")) }
        if let fields = f.serviceFields { parts.append("serving in " + fields.map(\.englishName).joined(separator: " or ")) }
        if let kinds = f.employerKinds { parts.append("employed by " + kinds.map(\.rawValue).joined(separator: " or ")) }
        if let levels = f.levels { parts.append("holding " + levels.map(\.englishName).joined(separator: " or ")) }
        else if f.certificateHeld == true { parts.append("certified") }
        else if f.certificateHeld == false { parts.append("not certified") }
        if let p = f.issuedIn { parts.append("certificate issued \(p.englishDescription)") }
        if let p = f.firstCertifiedIn { parts.append("first certified \(p.englishDescription)") }
        if let p = f.trainedIn { parts.append("trained \(p.englishDescription)") }
        if let tiers = f.trainingTiers { parts.append("tier " + tiers.map(\.englishIndicatorName).joined(separator: " or ")) }
        if let audiences = f.trainingAudiences { parts.append("courses for " + audiences.map(\.englishIndicatorName).joined(separator: " or ")) }
        let baseLevels = f.baseLevels.map { $0.map(\.englishName).joined(separator: " or ") }
        let pilotTiers = f.pilotTiers.map { $0.map(\.englishName).joined(separator: " or ") }
        if subject == .practiceBases, let baseLevels { parts.append(baseLevels + " level") }
        if subject == .pilotCommunities, let pilotTiers { parts.append(pilotTiers) }
        if f.withPracticeBase == true { parts.append("with a \(baseLevels.map { "\($0)-level " } ?? "")practice base") }
        if f.withPracticeBase == false { parts.append("without a \(baseLevels.map { "\($0)-level " } ?? "")practice base") }
        if f.withPilotCommunity == true { parts.append("with a \(pilotTiers ?? "pilot community")") }
        if f.withPilotCommunity == false { parts.append("without a \(pilotTiers ?? "pilot community")") }
        if let minimum = f.minimumGoodPracticeCases { parts.append("at least \(minimum) good-practice case(s)") }
        return parts.isEmpty ? subject.englishName : "\(subject.englishName) (\(parts.joined(separator: ", ")))"
    }
}
