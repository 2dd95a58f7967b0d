import Foundation

/// A certificate as the census template describes it.
public struct CensusCertificate: Equatable, Sendable {
    public var level: CertificateLevel
    public var number: String
    public var issueDate: CivilDate

    public init(level: CertificateLevel, number: String, issueDate: CivilDate) {
        self.level = level
        self.number = number
        self.issueDate = issueDate
    }
}

/// One valid row of the census template: what an import writes into the registry and what an
/// export reads out of it.
public struct CensusRecord: Equatable, Sendable {
    /// Row number in the source file (header = 1); 0 for records not read from a file.
    public var row: Int
    public var name: String
    public var residentID: ResidentID
    /// Always the ID's sex (a 性别 cell that disagrees is rejected).
    public var sex: Sex
    public var mobile: MobileNumber?
    /// 6, 9 or 12 digits; only the format is checked here, existence by the caller.
    public var regionCode: String
    public var employerName: String?
    public var employerCode: SocialCreditCode?
    public var postCategory: PostCategory?
    /// De-duplicated, in `ServiceField.allCases` order.
    public var serviceFields: [ServiceField]
    public var education: EducationLevel?
    public var socialWorkDegree: Bool?
    /// nil for 无 or an empty 证书等级.
    public var certificate: CensusCertificate?

    public init(row: Int, name: String, residentID: ResidentID, sex: Sex? = nil, mobile: MobileNumber? = nil,
                regionCode: String, employerName: String? = nil, employerCode: SocialCreditCode? = nil,
                postCategory: PostCategory? = nil, serviceFields: [ServiceField] = [],
                education: EducationLevel? = nil, socialWorkDegree: Bool? = nil,
                certificate: CensusCertificate? = nil) {
        self.row = row
        self.name = name
        self.residentID = residentID
        self.sex = sex ?? residentID.sex
        self.mobile = mobile
        self.regionCode = regionCode
        self.employerName = employerName
        self.employerCode = employerCode
        self.postCategory = postCategory
        self.serviceFields = ServiceField.allCases.filter(serviceFields.contains)
        self.education = education
        self.socialWorkDegree = socialWorkDegree
        self.certificate = certificate
    }

    /// The row as an export writes it, in `CensusColumn.allCases` order: the full ID (the caller
    /// masks it when the viewer may not see it), service fields joined with 、, 无 for no
    /// certificate, the issue date as a date cell. Reading these cells back gives the same record.
    public func cells() -> [SpreadsheetCell] {
        CensusColumn.allCases.map { column in
            switch column {
            case .name: return .text(name)
            case .residentID: return .text(residentID.value)
            case .sex: return .text(sex.rawValue)
            case .mobile: return mobile.map { .text($0.value) } ?? .empty
            case .regionCode: return .text(regionCode)
            case .employerName: return employerName.map { .text($0) } ?? .empty
            case .employerCode: return employerCode.map { .text($0.value) } ?? .empty
            case .postCategory: return postCategory.map { .text($0.rawValue) } ?? .empty
            case .serviceFields:
                return serviceFields.isEmpty ? .empty : .text(serviceFields.map(\.rawValue).joined(separator: "、"))
            case .education: return education.map { .text($0.rawValue) } ?? .empty
            case .socialWorkDegree: return socialWorkDegree.map { .text($0 ? "是" : "否") } ?? .empty
            case .certificateLevel: return .text(certificate?.level.rawValue ?? CensusHeader.noCertificate)
            case .certificateNumber: return certificate.map { .text($0.number) } ?? .empty
            case .issueDate: return certificate.map { .date($0.issueDate) } ?? .empty
            }
        }
    }
}
