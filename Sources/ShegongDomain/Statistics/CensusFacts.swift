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
    /// The kind of the employer (`OrganizationKind` raw value), nil without employer or kind.
    public var employerKind: String?

    public init(level: CertificateLevel?, category: PostCategory?, fields: [ServiceField], education: EducationLevel?,
                degree: Bool?, birthYear: Int, sex: Sex, firstCertifiedYear: Int? = nil, employerKind: String? = nil) {
        self.level = level
        self.category = category
        self.fields = fields
        self.education = education
        self.degree = degree
        self.birthYear = birthYear
        self.sex = sex
        self.firstCertifiedYear = firstCertifiedYear
        self.employerKind = employerKind
    }

    /// The value of the employer-kind × field dimension: `养老机构|养老`.
    public static func employerField(kind: String?, field: ServiceField) -> String {
        "\(kind ?? unknown)|\(field.rawValue)"
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
        keys += fields.map { .init(.employerField, Self.employerField(kind: employerKind, field: $0)) }
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
    /// People by their employer's kind and each service field (`养老机构|养老`): "social workers
    /// in the elderly field at elderly-care institutions" without a scan.
    case employerField = "employer_field"
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
