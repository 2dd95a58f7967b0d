import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Continuing education and registration (issue #13 §3–§5, docs/training.md "Registration and
/// renewal"): a worker's ledger explained per registration period, recognised learning with
/// evidence, degree study, first registrations and renewals, and the registration lists.
struct ContinuingEducationFeature: WebFeature {
    var endpoints: [Endpoint] {
        [.personLedger, .recognitionCreate, .educationEvidence, .degreeStudies, .degreeStudyCreate, .degreeStudyComplete,
         .registrationFirst, .registrationRenew, .registrationList, .registrationExport]
    }

    var schemas: [String: JSONValue] { Endpoint.continuingEducationSchemas }

    func register(_ app: Application) throws {
        try app.register(collection: ContinuingEducationController())
        try app.register(collection: ContinuingEducationPages())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        switch principal.role {
        case .official, .organizationManager:
            return [.init(order: 92, key: "nav.registrations", path: "/registrations"), .init(order: 94, key: "nav.degrees", path: "/degree-studies")]
        default:
            return []
        }
    }

    var auditActions: [AuditAction] {
        [.educationRecognise, .educationEvidenceDownload, .degreeStudyCreate, .degreeStudyComplete, .registrationFirst, .registrationRenew,
         .registrationExport]
    }

    var catalogue: [CatalogueEntry] { Catalogue.continuingEducationEntries }

    var commands: [(name: String, command: any AnyAsyncCommand)] { [("registration", RegistrationCommands.group)] }
}
