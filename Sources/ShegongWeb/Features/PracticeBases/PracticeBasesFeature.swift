import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Practice bases (实践基地: level, host, served regions, capacity, contact, period, interns and
/// trainees) and social-work posts (岗位开发与设置: posts per organisation, who fills them,
/// totals and their line over time), issue #14 §1–§2, docs/bases.md.
struct PracticeBasesFeature: WebFeature {
    var endpoints: [Endpoint] {
        [.practiceBase, .practiceBaseUpdate, .practiceBasePlacementCreate, .organizationPosts, .postCreate, .postUpdate, .postFill,
         .postVacate, .postTotals]
    }

    var schemas: [String: JSONValue] { Endpoint.practiceBaseSchemas }

    func register(_ app: Application) throws {
        try app.register(collection: PracticeBasesController())
        try app.register(collection: PracticeBasePages())
        try app.register(collection: PostPages())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        var entries: [NavigationEntry] = []
        if principal.role == .official { entries.append(.init(order: 86, key: "nav.bases", path: "/bases")) }
        if principal.role == .official || principal.role == .organizationManager { entries.append(.init(order: 87, key: "nav.posts", path: "/posts")) }
        return entries
    }

    var auditActions: [AuditAction] { [.practiceBaseUpdate, .practiceBasePlacement, .postCreate, .postUpdate, .postFill, .postVacate] }
    var catalogue: [CatalogueEntry] { Catalogue.practiceBaseEntries }
}
