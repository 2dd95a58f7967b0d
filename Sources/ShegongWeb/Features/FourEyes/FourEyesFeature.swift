import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The four-eyes rule on money as a page for the administrators who may change it (the same as
/// `shegong four-eyes set`: a security or system administrator), per region, audited by
/// `IncentiveService.setFourEyes` (docs/policies.md "Four eyes"). Its audit action is the
/// incentives feature's (`four_eyes.set`), which the command writes too.
struct FourEyesFeature: WebFeature {
    func register(_ app: Application) throws {
        try app.register(collection: FourEyesPages())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        FourEyesPages.admins.contains(principal.role) ? [.init(order: 5, key: "nav.four_eyes", path: "/admin/four-eyes")] : []
    }

    var auditActions: [AuditAction] { [] }
    var catalogue: [CatalogueEntry] { Catalogue.fourEyesPageEntries }
}
