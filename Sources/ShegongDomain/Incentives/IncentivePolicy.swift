import Foundation

/// A local incentive policy as data (docs/conventions.md §4.4): who pays what to whom, from when, and on which
/// document's authority. Written as a YAML file (`docs/policies.md`, `policies/*.yaml`) and read
/// with `IncentivePolicy.parse(yaml:)`; checked with `validationErrors()` when edited elsewhere.
///
/// Rules and amounts are date-versioned like OpenFisca parameters: each `PolicyVersion` holds
/// the complete rule set in force from `from` to `to`, so a change from a date leaves the
/// answers for earlier dates as they were.
public struct IncentivePolicy: Hashable, Codable, Sendable, Identifiable {
    /// Stable identifier: lower-case letters, digits and `-` (`jingzhou-one-time-support`).
    public var id: String
    /// The policy's name in Chinese, as officials call it.
    public var name: String
    public var englishName: String?
    /// The region whose government pays. The policy applies to people working in its subtree
    /// (unless `PolicyVersion.workRegions` narrows that). Whether the code exists is the region
    /// tree's business: the caller checks it before activating a policy.
    public var jurisdiction: RegionCode
    public var kind: IncentiveKind
    /// The review chain for applications and payment batches, lowest level first
    /// (e.g. `[.township, .county]`).
    public var reviewLevels: [RegionLevel]
    /// The documents the rules come from; versions and rules cite them by `PolicySource.id`.
    public var sources: [PolicySource]
    /// True when amounts are stand-ins because the source document states none (宣城市). Every
    /// decision under such a policy says so.
    public var placeholderAmounts: Bool
    public var notes: String?
    /// Oldest first, not overlapping.
    public var versions: [PolicyVersion]

    public init(id: String, name: String, englishName: String? = nil, jurisdiction: RegionCode,
                kind: IncentiveKind, reviewLevels: [RegionLevel], sources: [PolicySource],
                placeholderAmounts: Bool = false, notes: String? = nil, versions: [PolicyVersion]) {
        self.id = id
        self.name = name
        self.englishName = englishName
        self.jurisdiction = jurisdiction
        self.kind = kind
        self.reviewLevels = reviewLevels
        self.sources = sources
        self.placeholderAmounts = placeholderAmounts
        self.notes = notes
        self.versions = versions
    }

    /// The version in force on `date`, if any.
    public func version(on date: CivilDate) -> PolicyVersion? {
        versions.first { $0.isInForce(on: date) }
    }

    /// Whether any version is in force on some day of `month`.
    public func isInForce(during month: CivilMonth) -> Bool {
        versions.contains { $0.from <= month.lastDay && ($0.to.map { $0 >= month.firstDay } ?? true) }
    }

    public func source(id: String?) -> PolicySource? {
        guard let id else { return nil }
        return sources.first { $0.id == id }
    }

    /// The citation for `rule` under `version`: the rule's own source, else the version's.
    public func citation(for rule: PolicyRule, in version: PolicyVersion) -> PolicySource? {
        source(id: version.ruleSources[rule] ?? version.source)
    }

    public var displayName: PolicyText { PolicyText(zh: name, en: englishName ?? name) }

    /// The post categories someone must have held to qualify under any version, or nil when a
    /// version takes any post (or none): what a store may filter candidates by before asking the
    /// engine, without changing any answer.
    public var possiblePostCategories: Set<PostCategory>? {
        var categories: Set<PostCategory> = []
        for version in versions {
            guard let groups = version.qualifyingPosts, !groups.isEmpty else { return nil }
            for group in groups {
                guard let listed = group.postCategories else { return nil }
                categories.formUnion(listed)
            }
        }
        return categories
    }
}

public enum IncentiveKind: String, Codable, Sendable, CaseIterable {
    /// Paid once on obtaining a certificate (一次性奖励 / 一次性扶持资金), on application.
    case oneTimeAward = "one_time_award"
    /// Paid every month while the person qualifies (职业津贴 / 岗位补贴).
    case monthlyAllowance = "monthly_allowance"

    public var text: PolicyText {
        switch self {
        case .oneTimeAward: return PolicyText(zh: "一次性奖励", en: "one-time award")
        case .monthlyAllowance: return PolicyText(zh: "按月津贴", en: "monthly allowance")
        }
    }
}

/// A document a rule comes from.
public struct PolicySource: Hashable, Codable, Sendable, Identifiable {
    /// Short key the file uses to cite it (`hubei-article`).
    public var id: String
    /// Title of the document or article.
    public var document: String
    /// Article, section or paragraph (`第三条`, `“一是突出党建引领，强化政策激励”段`).
    public var article: String?
    /// The words the rule rests on, quoted.
    public var quote: String?
    public var url: String?

    public init(id: String, document: String, article: String? = nil, quote: String? = nil, url: String? = nil) {
        self.id = id
        self.document = document
        self.article = article
        self.quote = quote
        self.url = url
    }

    /// `《…》“…”段`
    public var citationText: String {
        [document, article].compactMap { $0 }.joined(separator: " ")
    }
}

/// The rules a policy can state; also the keys `rule_sources` cites them by and the
/// `RuleCheck.rule` of an explanation.
public enum PolicyRule: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    /// The person works in the jurisdiction (or in one of `work_regions`).
    case workRegions = "work_regions"
    /// A version is in force on the date that matters.
    case effectivePeriod = "effective_period"
    /// The person holds a certificate (issued by the date).
    case certificate = "certificate"
    /// The certificate's level has an amount.
    case amounts = "amounts"
    case lowScoreAreaCertificates = "low_score_area_certificates"
    case qualifyingPosts = "qualifying_posts"
    case minimumMonthsInPost = "minimum_months_in_post"
    case applicationWindow = "application_window"
    case upgrade = "upgrade"
    case proRata = "pro_rata"
    case budgetCap = "budget_cap"

    /// Rules a file may cite a source for in `rule_sources` (the others are engine checks).
    public static let citable: [PolicyRule] = [.amounts, .workRegions, .lowScoreAreaCertificates, .qualifyingPosts,
                                               .minimumMonthsInPost, .applicationWindow, .upgrade, .proRata, .budgetCap]

    public var title: PolicyText {
        switch self {
        case .workRegions: return PolicyText(zh: "工作地区", en: "Place of work")
        case .effectivePeriod: return PolicyText(zh: "政策有效期", en: "Period in force")
        case .certificate: return PolicyText(zh: "持有证书", en: "Certificate held")
        case .amounts: return PolicyText(zh: "证书等级与金额", en: "Certificate level and amount")
        case .lowScoreAreaCertificates: return PolicyText(zh: "单独划线地区证书", en: "Low-score-area certificate")
        case .qualifyingPosts: return PolicyText(zh: "人员类别与用人单位", en: "Post category and employer")
        case .minimumMonthsInPost: return PolicyText(zh: "在岗时间", en: "Time in post")
        case .applicationWindow: return PolicyText(zh: "申请期限", en: "Application window")
        case .upgrade: return PolicyText(zh: "晋级与重复领取", en: "Upgrade and repeat awards")
        case .proRata: return PolicyText(zh: "当月折算", en: "Pro-rata for the month")
        case .budgetCap: return PolicyText(zh: "预算上限", en: "Budget cap")
        }
    }
}

/// The complete rule set of a policy for one period.
public struct PolicyVersion: Hashable, Codable, Sendable {
    /// First day in force.
    public var from: CivilDate
    /// Last day in force (included); nil while open-ended.
    public var to: CivilDate?
    /// Amount per certificate level in fen: per award for one-time awards, per month for
    /// allowances. A level without an amount does not qualify.
    public var amounts: [CertificateLevel: Int]
    /// Work-place regions the policy is limited to; nil means the whole jurisdiction.
    public var workRegions: [RegionCode]?
    /// Whether certificates from designated low-score areas (单独划线) count.
    public var lowScoreAreaCertificatesCount: Bool
    /// The person must hold a post matching one of these; nil means no post is required.
    public var qualifyingPosts: [PostQualification]?
    /// Whole months the qualifying post must have been held (0: none).
    public var minimumMonthsInPost: Int
    /// One-time awards: how long after the issue date one may apply; nil means no deadline.
    public var applicationWindow: ApplicationWindow?
    /// One-time awards: what a higher certificate gets after a lower one was awarded.
    public var upgrade: UpgradeRule?
    /// Monthly allowances: how a month in which the person qualifies only partly is paid.
    public var proRata: ProRataRule?
    public var budgetCap: BudgetCap?
    /// `PolicySource.id` cited by every rule of the version unless `ruleSources` says otherwise.
    public var source: String?
    public var ruleSources: [PolicyRule: String]
    public var notes: String?

    public init(from: CivilDate, to: CivilDate? = nil, amounts: [CertificateLevel: Int],
                workRegions: [RegionCode]? = nil, lowScoreAreaCertificatesCount: Bool = true,
                qualifyingPosts: [PostQualification]? = nil, minimumMonthsInPost: Int = 0,
                applicationWindow: ApplicationWindow? = nil, upgrade: UpgradeRule? = nil,
                proRata: ProRataRule? = nil, budgetCap: BudgetCap? = nil, source: String? = nil,
                ruleSources: [PolicyRule: String] = [:], notes: String? = nil) {
        self.from = from
        self.to = to
        self.amounts = amounts
        self.workRegions = workRegions
        self.lowScoreAreaCertificatesCount = lowScoreAreaCertificatesCount
        self.qualifyingPosts = qualifyingPosts
        self.minimumMonthsInPost = minimumMonthsInPost
        self.applicationWindow = applicationWindow
        self.upgrade = upgrade
        self.proRata = proRata
        self.budgetCap = budgetCap
        self.source = source
        self.ruleSources = ruleSources
        self.notes = notes
    }

    public func isInForce(on date: CivilDate) -> Bool {
        from <= date && (to.map { date <= $0 } ?? true)
    }

    /// `2025-01-01 起` / `2025-01-01 至 2025-12-31`
    public var periodText: PolicyText {
        if let to {
            return PolicyText(zh: "\(from) 至 \(to)", en: "\(from) to \(to)")
        }
        return PolicyText(zh: "\(from) 起", en: "from \(from)")
    }
}

/// One group of posts that qualify: every stated condition must hold; an absent list means
/// any. 咸丰县's allowance has two groups: 村干部/社区工作者 at any employer, and
/// 劳务派遣/公益性岗位人员 at 机关, 事业单位 or 企业.
public struct PostQualification: Hashable, Codable, Sendable {
    public var postCategories: [PostCategory]?
    public var employerKinds: [EmployerKind]?

    public init(postCategories: [PostCategory]? = nil, employerKinds: [EmployerKind]? = nil) {
        self.postCategories = postCategories
        self.employerKinds = employerKinds
    }

    public func matches(category: PostCategory, employerKind: EmployerKind?) -> Bool {
        if let postCategories, !postCategories.contains(category) { return false }
        if let employerKinds {
            guard let employerKind, employerKinds.contains(employerKind) else { return false }
        }
        return true
    }

    public var text: PolicyText {
        let categories = postCategories.map { $0.map(\.rawValue).joined(separator: "、") } ?? "任何人员类别"
        let categoriesEn = postCategories.map { $0.map(\.englishName).joined(separator: ", ") } ?? "any post category"
        guard let employerKinds else { return PolicyText(zh: categories, en: categoriesEn) }
        return PolicyText(zh: "\(categories)（用人单位为\(employerKinds.map(\.rawValue).joined(separator: "、"))）",
                          en: "\(categoriesEn) (employer: \(employerKinds.map(\.englishName).joined(separator: ", ")))")
    }
}

/// How long after a certificate's issue date an application is accepted.
public struct ApplicationWindow: Hashable, Codable, Sendable {
    public var length: Int
    public var unit: WindowUnit
    /// Whether an application on the last day (issue date + length) is still in time.
    /// 民法典 第二百零一条: a period counted in years, months or days starts the day after the
    /// event, and its last day is the deadline, so "一年内" from 2025-03-01 ends on 2026-03-01 and
    /// that day is included.
    public var inclusive: Bool

    public init(length: Int, unit: WindowUnit, inclusive: Bool) {
        self.length = length
        self.unit = unit
        self.inclusive = inclusive
    }

    public enum WindowUnit: String, Codable, Sendable, CaseIterable {
        case days, months, years

        public var chineseName: String {
            switch self {
            case .days: return "天"
            case .months: return "个月"
            case .years: return "年"
            }
        }
    }

    /// The last day of the window when inclusive, the first day after it when exclusive:
    /// issue date + length (months and years keep the day of month, clamped to the month's end:
    /// 2024-02-29 + 1 year = 2025-02-28).
    public func deadline(issuedOn issueDate: CivilDate) -> CivilDate {
        switch unit {
        case .days: return issueDate.adding(days: length)
        case .months: return issueDate.adding(months: length)
        case .years: return issueDate.adding(months: 12 * length)
        }
    }

    /// The last day an application is accepted.
    public func lastDay(issuedOn issueDate: CivilDate) -> CivilDate {
        let deadline = deadline(issuedOn: issueDate)
        return inclusive ? deadline : deadline.adding(days: -1)
    }

    public func accepts(applicationDate: CivilDate, issuedOn issueDate: CivilDate) -> Bool {
        applicationDate >= issueDate && applicationDate <= lastDay(issuedOn: issueDate)
    }

    /// `12 months` as the file writes it.
    public var lengthText: String { "\(length) \(length == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue)" }

    public var text: PolicyText {
        PolicyText(zh: "发证之日起 \(length) \(unit.chineseName)内（\(inclusive ? "含" : "不含")期满当日）",
                   en: "within \(lengthText) of the issue date (last day \(inclusive ? "included" : "excluded"))")
    }
}

/// What a person gets for a higher certificate when a lower one was already awarded under the
/// same policy. A certificate at or below a level already awarded never gets anything
/// (one award per person, policy and level).
public enum UpgradeRule: String, Codable, Sendable, CaseIterable {
    /// The higher level's full amount.
    case full
    /// The higher level's amount minus what this policy already paid the person.
    case difference
    /// Nothing: only the first certificate is rewarded.
    case none

    public var text: PolicyText {
        switch self {
        case .full: return PolicyText(zh: "晋级后按新等级全额发放", en: "an upgrade gets the new level's full amount")
        case .difference: return PolicyText(zh: "晋级后补发差额", en: "an upgrade gets the difference")
        case .none: return PolicyText(zh: "晋级不再发放", en: "an upgrade gets nothing")
        }
    }
}

/// How a monthly allowance treats a month in which the person qualifies on some days only.
public enum ProRataRule: String, Codable, Sendable, CaseIterable {
    /// Whoever qualifies on the 1st gets the whole month; whoever starts qualifying later gets
    /// nothing that month and the full amount from the next (次月起发放). Leaving mid-month keeps
    /// that month and stops from the next.
    case eligibleOnFirstDay = "eligible_on_first_day"
    /// amount × days qualifying ÷ days in the month, rounded half up to a whole fen (四舍五入到分).
    case byDays = "by_days"

    public var text: PolicyText {
        switch self {
        case .eligibleOnFirstDay:
            return PolicyText(zh: "当月1日符合条件的发放全月，否则次月起发放", en: "the whole month if qualifying on the 1st, otherwise from the next month")
        case .byDays:
            return PolicyText(zh: "按符合条件天数折算：月标准 × 天数 ÷ 当月天数，四舍五入到分",
                              en: "by days: monthly amount × qualifying days ÷ days in month, rounded half up to the fen")
        }
    }
}

/// A spending limit the ledger warns before crossing (the engine does not enforce it: it needs
/// the committed totals the store holds).
public struct BudgetCap: Hashable, Codable, Sendable {
    public var amountFen: Int
    public var period: Period

    public init(amountFen: Int, period: Period) {
        self.amountFen = amountFen
        self.period = period
    }

    public enum Period: String, Codable, Sendable, CaseIterable {
        /// Per calendar year.
        case year
        /// For the whole period the version is in force.
        case version
    }
}
