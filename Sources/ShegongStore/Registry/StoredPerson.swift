import Foundation
import SQLKit
import ShegongDomain

/// A person's row as stored, with the fields an import compares against.
struct StoredPerson: Sendable {
    var id: String
    var idIndex: String
    var name: String
    var sex: String
    var birthDate: String
    var mobileIndex: String?
    var mobileMasked: String?
    var regionCode: String
    var organizationID: String?
    var postCategory: String?
    var serviceFields: String
    var education: String?
    var socialWorkDegree: Bool?
    var certificateLevel: String?
    var firstCertifiedOn: String?
    var version: Int

    static let columns = ["id", "id_index", "name", "sex", "birth_date", "mobile_index", "mobile_masked", "region_code",
                          "organization_id", "post_category", "service_fields", "education", "social_work_degree",
                          "certificate_level", "first_certified_on", "version"]

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id")
        idIndex = try row.decode(column: "id_index")
        name = try row.decode(column: "name")
        sex = try row.decode(column: "sex")
        birthDate = try row.decode(column: "birth_date")
        mobileIndex = try row.decode(column: "mobile_index")
        mobileMasked = try row.decode(column: "mobile_masked")
        regionCode = try row.decode(column: "region_code")
        organizationID = try row.decode(column: "organization_id")
        postCategory = try row.decode(column: "post_category")
        serviceFields = try row.decode(column: "service_fields")
        education = try row.decode(column: "education")
        socialWorkDegree = try row.decode(column: "social_work_degree")
        certificateLevel = try row.decode(column: "certificate_level")
        firstCertifiedOn = try row.decode(column: "first_certified_on")
        version = try row.decode(column: "version")
    }

    /// The counted facts, with the kind of the employer on file (`employerKind`).
    func facts(employerKind: String?) -> CensusFacts {
        CensusFacts(
            level: certificateLevel.flatMap(CertificateLevel.init(rawValue:)),
            category: postCategory.flatMap(PostCategory.init(rawValue:)),
            fields: serviceFields.split(separator: "、").compactMap { ServiceField(rawValue: String($0)) },
            education: education.flatMap(EducationLevel.init(rawValue:)),
            degree: socialWorkDegree,
            birthYear: Int(birthDate.prefix(4)) ?? 0,
            sex: Sex(rawValue: sex) ?? .female,
            firstCertifiedYear: firstCertifiedOn.flatMap { Int($0.prefix(4)) }, employerKind: employerKind)
    }
}

extension Array where Element == ServiceField {
    /// How service fields are stored in one column: 、-joined, in the template's order.
    var stored: String { map(\.rawValue).joined(separator: "、") }
}
