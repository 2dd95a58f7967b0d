import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The registry: regions, people, organisations, certificates and registrations, through the JSON
/// API and the pages.
struct RegistryFeature: WebFeature {
    var endpoints: [Endpoint] {
        [.regions, .regionChoices, .region, .regionCreate, .regionUpdate, .people, .peopleExport, .person, .personCreate, .personUpdate,
         .organizations, .organizationsExport, .organization, .organizationCreate, .organizationUpdate,
         .certificates, .certificate, .certificateCreate, .certificateUpdate, .registrationCreate]
    }

    var schemas: [String: JSONValue] { Endpoint.registrySchemas }

    func register(_ app: Application) throws {
        for collection: any RouteCollection in [RegionsController(), PeopleController(), OrganizationsController(), CertificatesController(),
                                                PeoplePages(), PeopleBulkPages(), PersonPrintPage(), OrganizationPages(), RegionPages()] {
            try app.register(collection: collection)
        }
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        var entries: [NavigationEntry] = []
        if principal.worksWithRegionFigures { entries.append(.init(order: 10, key: "nav.regions", path: "/regions")) }
        if principal.role == .official || principal.role == .organizationManager {
            entries += [.init(order: 20, key: "nav.people", path: "/people"), .init(order: 30, key: "nav.organizations", path: "/organizations")]
        }
        return entries
    }

    var auditActions: [AuditAction] {
        [.personCreate, .personUpdate, .personReveal, .organizationCreate, .organizationUpdate, .certificateCreate, .certificateUpdate,
         .registrationCreate, .regionCreate, .regionUpdate, .regionImport, .personExport, .personBulkTransfer, .personBulkLeftPost, .organizationExport]
    }

    var catalogue: [CatalogueEntry] {
        Catalogue.registryEntries + Catalogue.registryPageEntries + Catalogue.registryServiceEntries + Catalogue.pgRegistryEntries
            + Catalogue.printingEntries + Catalogue.plainNameEntries + Catalogue.listsEntries
            + Catalogue.keysetEntries
    }
}
