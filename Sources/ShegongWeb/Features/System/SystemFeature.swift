import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// What every other feature stands on: health, the OpenAPI document, the stylesheet, the home
/// page, the shared texts (frame, actions, statuses, charts, errors), the security events, the demo
/// and the backup.
struct SystemFeature: WebFeature {
    var endpoints: [Endpoint] { [.health, .ready, .openAPI] }
    var schemas: [String: JSONValue] { Endpoint.systemSchemas }

    func register(_ app: Application) throws {
        try app.register(collection: HealthController())
        try app.register(collection: OpenAPIController())
        try app.register(collection: StaticAssets())
        try app.register(collection: HomePage())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        // The administrators see no business data: their one link is their admin page (AccountsFeature).
        principal.role.isAdministrator ? [] : [.init(order: 0, key: "nav.home", path: "/")]
    }

    var auditActions: [AuditAction] { [.accessDenied, .csrfRejected, .loginRateLimited, .tokenInvalid] }

    var catalogue: [CatalogueEntry] {
        Catalogue.navigationEntries + Catalogue.actionEntries + Catalogue.statusEntries + Catalogue.chartEntries + Catalogue.errorEntries
            + Catalogue.messageEntries + Catalogue.apiEntries + Catalogue.fileEntries + Catalogue.serviceEntries
            + Catalogue.reliabilityEntries
            + Catalogue.operationsEntries
            + Catalogue.todoEntries
    }

    var commands: [(name: String, command: any AnyAsyncCommand)] { [("demo", DemoCommand()), ("backup", BackupCommand()), ("restore", RestoreCommand())] }
}
