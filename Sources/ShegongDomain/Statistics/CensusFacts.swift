import Foundation

/// The facts about one person that census statistics count. Each person adds 1 to every
/// (dimension, value) pair of `dimensions` in their region and every region above it.
public struct CensusFacts: Equatable, Sendable {
    public var level: CertificateLevel?
    public var category: PostCategory?
    public var fields: [ServiceField]
    public var education: EducationLevel?
    public var degree: Bool?
    public var birthYear: Int
    public var sex: Sex
    /// The year of the person's first certificate of any level ("new holders" count by it).
    public var firstCertifiedYear: Int?

    public init(level: CertificateLevel?, category: PostCategory?, fields: [ServiceField], education: EducationLevel?,
                degree: Bool?, birthYear: Int, sex: Sex, firstCertifiedYear: Int? = nil) {
        self.level = level
        self.category = category
        self.fields = fields
        self.education = education
        self.degree = degree
        self.birthYear = birthYear
        self.sex = sex
        self.firstCertifiedYear = firstCertifiedYear
    }

    public static let none = "无"
    public static let unknown = "未填"

    public var dimensions: [CensusCount.Key] {
        var keys: [CensusCount.Key] = [
            .init(.total, ""),
            .init(.level, level?.rawValue ?? CensusFacts.none),
            .init(.category, category?.rawValue ?? CensusFacts.unknown),
            .init(.education, education?.rawValue ?? CensusFacts.unknown),
            .init(.degree, degree.map { $0 ? "是" : "否" } ?? CensusFacts.unknown),
            .init(.birthYear, String(birthYear)),
            .init(.sex, sex.rawValue),
        ]
        keys += fields.map { .init(.field, $0.rawValue) }
        if level != nil {
            keys.append(.init(.certifiedCategory, category?.rawValue ?? CensusFacts.unknown))
        }
        if let firstCertifiedYear {
            keys.append(.init(.firstCertifiedYear, String(firstCertifiedYear)))
        }
        return keys
    }
}

public enum CensusDimension: String, CaseIterable, Codable, Sendable {
    case total, level, category, field, education, degree, sex
    case birthYear = "birth_year"
    /// Certificate holders by post category: the numerator of the community-worker certification rate.
    case certifiedCategory = "certified_category"
    /// People by the year of their first certificate: new holders per year.
    case firstCertifiedYear = "first_certified_year"
}

public struct CensusCount: Equatable, Sendable {
    public struct Key: Hashable, Sendable {
        public var dimension: CensusDimension
        public var value: String
        public init(_ dimension: CensusDimension, _ value: String) {
            self.dimension = dimension
            self.value = value
        }
    }
    public var key: Key
    public var count: Int
    public init(_ dimension: CensusDimension, _ value: String, _ count: Int) {
        key = Key(dimension, value)
        self.count = count
    }
}
