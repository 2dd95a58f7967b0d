import Foundation

/// What the eligibility engine knows about a person: the registry as it stood on the date or in
/// the month being decided. The store fills it; the engine reads nothing else.
public struct PersonSnapshot: Hashable, Codable, Sendable, Identifiable {
    /// The store's key for the person (opaque to the engine; simulations count by it).
    public var id: String
    /// The region where the person works, from the top of the tree down to the place itself
    /// (`[420000, 421000, 421002, 421002001]`), as the region tree stood: the store gives real
    /// ancestors, which need not follow the code's structure. A policy applies when its
    /// jurisdiction (or one of its work regions) is on this path.
    public var regionPath: [RegionCode]
    /// Posts held, current and past (a past post has `end`).
    public var posts: [PostTenure]
    public var certificates: [HeldCertificate]
    /// One-time awards already granted (approved or paid), for upgrade and never-twice rules.
    public var awards: [GrantedAward]

    public init(id: String, regionPath: [RegionCode], posts: [PostTenure] = [], certificates: [HeldCertificate] = [],
                awards: [GrantedAward] = []) {
        self.id = id
        self.regionPath = regionPath
        self.posts = posts
        self.certificates = certificates
        self.awards = awards
    }

    /// The place of work: the last code of the path.
    public var workRegion: RegionCode? { regionPath.last }

    /// The structural path of a code (`421002001` → `[420000, 421000, 421002, 421002001]`), for
    /// callers without the region tree at hand; the nation is left out.
    public static func structuralPath(to code: RegionCode) -> [RegionCode] {
        var path: [RegionCode] = []
        var current: RegionCode? = code
        while let c = current, c != .nation {
            path.insert(c, at: 0)
            current = c.parent
        }
        return path
    }

    /// Posts held on `date`.
    public func posts(on date: CivilDate) -> [PostTenure] { posts.filter { $0.isHeld(on: date) } }
}

/// A post at an employer over a period.
public struct PostTenure: Hashable, Codable, Sendable {
    public var category: PostCategory
    /// nil when the registry does not know it; a policy limited to employer kinds then refuses.
    public var employerKind: EmployerKind?
    /// First day in the post.
    public var start: CivilDate
    /// Last day in the post; nil while held.
    public var end: CivilDate?

    public init(category: PostCategory, employerKind: EmployerKind? = nil, start: CivilDate, end: CivilDate? = nil) {
        self.category = category
        self.employerKind = employerKind
        self.start = start
        self.end = end
    }

    public func isHeld(on date: CivilDate) -> Bool { start <= date && (end.map { date <= $0 } ?? true) }

    /// 社区工作者（村（居）民委员会，2020-03-01 起）
    public var text: PolicyText {
        let employer = employerKind.map { "，\($0.rawValue)" } ?? ""
        let employerEn = employerKind.map { ", \($0.englishName)" } ?? ""
        let period = end.map { "\(start) 至 \($0)" } ?? "\(start) 起"
        let periodEn = end.map { "\(start) to \($0)" } ?? "since \(start)"
        return PolicyText(zh: "\(category.rawValue)（\(period)\(employer)）", en: "\(category.englishName) (\(periodEn)\(employerEn))")
    }
}

/// A social-work qualification certificate (社会工作者职业资格证书).
public struct HeldCertificate: Hashable, Codable, Sendable {
    public var level: CertificateLevel
    public var number: String
    public var issueDate: CivilDate
    /// Issued under the designated low-score-area line (单独划线): valid only in those areas.
    public var lowScoreArea: Bool

    public init(level: CertificateLevel, number: String, issueDate: CivilDate, lowScoreArea: Bool = false) {
        self.level = level
        self.number = number
        self.issueDate = issueDate
        self.lowScoreArea = lowScoreArea
    }

    public var text: PolicyText {
        PolicyText(zh: "\(level.rawValue)（编号 \(number)，\(issueDate) 发证\(lowScoreArea ? "，单独划线" : "")）",
                   en: "\(level.englishName) (no. \(number), issued \(issueDate)\(lowScoreArea ? ", low-score area" : ""))")
    }
}

/// A one-time award already granted to the person.
public struct GrantedAward: Hashable, Codable, Sendable {
    public var policyID: String
    public var level: CertificateLevel
    public var amountFen: Int
    public var certificateNumber: String?
    public var grantedOn: CivilDate?

    public init(policyID: String, level: CertificateLevel, amountFen: Int, certificateNumber: String? = nil, grantedOn: CivilDate? = nil) {
        self.policyID = policyID
        self.level = level
        self.amountFen = amountFen
        self.certificateNumber = certificateNumber
        self.grantedOn = grantedOn
    }
}
