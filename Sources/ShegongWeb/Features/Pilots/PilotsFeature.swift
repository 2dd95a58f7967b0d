import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The "专业社工+志愿服务" fusion pilots (issue #14 §3): social workers, volunteers, teams,
/// activities with hours, practice cases with their workflow; pages, API and the hours export.
struct PilotsFeature: WebFeature {
    var endpoints: [Endpoint] {
        [.pilots, .pilot, .pilotUpdate, .pilotMemberAdd, .pilotVolunteerAdd, .pilotTeamCreate, .pilotActivityCreate, .pilotVolunteerHours,
         .pilotCaseCreate, .pilotCase, .pilotCaseUpdate, .pilotCaseStep, .pilotCaseEvidenceAdd, .pilotEvidence]
    }
    var schemas: [String: JSONValue] { Endpoint.pilotSchemas }

    func register(_ app: Application) throws {
        try app.register(collection: PilotsController())
        try app.register(collection: PilotPages())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        PilotPages.allowed(principal) ? [.init(order: 77, key: "nav.pilots", path: "/pilots")] : []
    }

    var auditActions: [AuditAction] {
        [.pilotUpdate, .pilotMemberAdd, .pilotVolunteerAdd, .pilotTeamCreate, .pilotActivityRecord, .pilotCaseCreate, .pilotCaseUpdate,
         .pilotCaseStep, .pilotHoursExport, .pilotEvidenceDownload, .pilotCaseEvidenceAdd]
    }
    var catalogue: [CatalogueEntry] { Catalogue.pilotEntries + Catalogue.gapsEntries }
}
