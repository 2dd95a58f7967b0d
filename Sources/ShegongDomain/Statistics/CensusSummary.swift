import Foundation

/// Census statistics of one region subtree as a person reads them (docs/conventions.md §4.2, issue "census
/// statistics"): totals, holders, breakdowns, and the community-worker certification rate.
public struct CensusSummary: Codable, Equatable, Sendable {
    public struct Bucket: Codable, Equatable, Sendable {
        public var value: String
        public var count: Int
    }

    public var total: Int
    public var certificateHolders: Int
    public var byLevel: [Bucket]
    public var byPostCategory: [Bucket]
    public var byServiceField: [Bucket]
    public var byEducation: [Bucket]
    public var bySocialWorkDegree: [Bucket]
    public var byAgeBand: [Bucket]
    public var bySex: [Bucket]
    public var communityWorkers: Int
    public var certifiedCommunityWorkers: Int
    /// 社区工作者 holding any level ÷ all 社区工作者; nil when there are none (no data, not 0%).
    public var communityWorkerCertificationRate: Double?
    /// Age is the age reached during the year of `asOf` (birth years are what is aggregated).
    public var asOf: CivilDate

    public static let ageBands: [(label: String, range: ClosedRange<Int>)] = [
        ("30岁以下", 0...29), ("30–39岁", 30...39), ("40–49岁", 40...49), ("50–59岁", 50...59), ("60岁及以上", 60...200),
    ]

    /// The dimensions a summary is made of. The first-certificate years and the employer kinds by
    /// field are kept for the indicators and are three fifths of a province's counts: a summary
    /// need not read them.
    public static let dimensions: [CensusDimension] = [.total, .level, .category, .field, .education, .degree, .sex, .birthYear, .certifiedCategory]

    public init(counts: [CensusCount], asOf: CivilDate) {
        var table: [CensusDimension: [String: Int]] = [:]
        for c in counts where c.count != 0 { table[c.key.dimension, default: [:]][c.key.value, default: 0] += c.count }
        func buckets(_ d: CensusDimension, order: [String]) -> [Bucket] {
            let values = table[d] ?? [:]
            let known = order.map { Bucket(value: $0, count: values[$0] ?? 0) }
            let others = values.keys.filter { !order.contains($0) }.sorted().map { Bucket(value: $0, count: values[$0]!) }
            return known + others
        }
        total = table[.total]?[""] ?? 0
        byLevel = buckets(.level, order: CertificateLevel.allCases.map(\.rawValue) + [CensusFacts.none])
        certificateHolders = byLevel.filter { $0.value != CensusFacts.none }.reduce(0) { $0 + $1.count }
        byPostCategory = buckets(.category, order: PostCategory.allCases.map(\.rawValue))
        byServiceField = buckets(.field, order: ServiceField.allCases.map(\.rawValue))
        byEducation = buckets(.education, order: EducationLevel.allCases.map(\.rawValue))
        bySocialWorkDegree = buckets(.degree, order: ["是", "否"])
        bySex = buckets(.sex, order: Sex.allCases.map(\.rawValue))
        var bands = Array(repeating: 0, count: CensusSummary.ageBands.count)
        for (year, count) in table[.birthYear] ?? [:] {
            guard let y = Int(year) else { continue }
            let age = asOf.year - y
            if let i = CensusSummary.ageBands.firstIndex(where: { $0.range.contains(age) }) { bands[i] += count }
        }
        byAgeBand = zip(CensusSummary.ageBands, bands).map { Bucket(value: $0.label, count: $1) }
        communityWorkers = table[.category]?[PostCategory.communityWorker.rawValue] ?? 0
        certifiedCommunityWorkers = table[.certifiedCategory]?[PostCategory.communityWorker.rawValue] ?? 0
        communityWorkerCertificationRate = communityWorkers == 0 ? nil : Double(certifiedCommunityWorkers) / Double(communityWorkers)
        self.asOf = asOf
    }
}
