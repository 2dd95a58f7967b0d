import Foundation
import ShegongDomain
import ShegongStore

/// The JSON body that creates or replaces a person. It is validated by the census template's own
/// row rules (so the API and an import accept and refuse exactly the same values); errors name
/// the JSON field.
struct PersonInput: Codable, Sendable {
    struct Certificate: Codable, Sendable {
        var level: String
        var number: String?
        var issueDate: String?
    }
    var name: String?
    var idNumber: String?
    var sex: String?
    var mobile: String?
    var regionCode: String?
    var employerName: String?
    var employerCreditCode: String?
    var postCategory: String?
    var serviceFields: [String]?
    var education: String?
    var socialWorkDegree: Bool?
    var certificate: Certificate?

    static let fieldNames: [CensusColumn: String] = [
        .name: "name", .residentID: "idNumber", .sex: "sex", .mobile: "mobile", .regionCode: "regionCode",
        .employerName: "employerName", .employerCode: "employerCreditCode", .postCategory: "postCategory",
        .serviceFields: "serviceFields", .education: "education", .socialWorkDegree: "socialWorkDegree",
        .certificateLevel: "certificate.level", .certificateNumber: "certificate.number", .issueDate: "certificate.issueDate",
    ]

    init() {}

    init(record: CensusRecord) {
        name = record.name
        idNumber = record.residentID.value
        sex = record.sex.rawValue
        mobile = record.mobile?.value
        regionCode = record.regionCode
        employerName = record.employerName
        employerCreditCode = record.employerCode?.value
        postCategory = record.postCategory?.rawValue
        serviceFields = record.serviceFields.map(\.rawValue)
        education = record.education?.rawValue
        socialWorkDegree = record.socialWorkDegree
        certificate = record.certificate.map { Certificate(level: $0.level.rawValue, number: $0.number, issueDate: $0.issueDate.description) }
    }

    func record(today: CivilDate) throws -> CensusRecord {
        func text(_ value: String?) -> SpreadsheetCell { value.map { .text($0) } ?? .empty }
        let cells: [SpreadsheetCell] = CensusColumn.allCases.map { column in
            switch column {
            case .name: return text(name)
            case .residentID: return text(idNumber)
            case .sex: return text(sex)
            case .mobile: return text(mobile)
            case .regionCode: return text(regionCode)
            case .employerName: return text(employerName)
            case .employerCode: return text(employerCreditCode)
            case .postCategory: return text(postCategory)
            case .serviceFields: return text(serviceFields?.joined(separator: "、"))
            case .education: return text(education)
            case .socialWorkDegree: return socialWorkDegree.map { .text($0 ? "是" : "否") } ?? .empty
            case .certificateLevel: return text(certificate?.level)
            case .certificateNumber: return text(certificate?.number)
            case .issueDate: return text(certificate?.issueDate)
            }
        }
        switch CensusHeader.standard.record(from: SpreadsheetRow(number: 0, cells: cells), today: today) {
        case .success(let record): return record
        case .failure(let issues):
            // “人员信息有误：” and the first issue, each in its own language.
            func summary(_ language: Language) -> String { Catalogue.text("validation.person", language, issues.first?.message(language) ?? "") }
            let summary = CatalogueMessage.bilingual(chinese: summary(.zhHans), english: summary(.en))
            throw APIError(status: .unprocessableEntity, code: "validation", message: summary.chinese,
                           details: issues.map { issue in
                               let field = issue.column.flatMap(CensusColumn.init(rawValue:)).flatMap { Self.fieldNames[$0] }
                               return .init(field: field ?? issue.column, code: issue.code, text: issue.text)
                           }, text: summary)
        }
    }
}
