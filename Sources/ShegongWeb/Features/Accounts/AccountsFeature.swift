import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Signing in, one's own account and tokens, and the three administrators' pages (accounts,
/// grants, the audit log), kept apart as 三员分立 asks (docs/security.md).
struct AccountsFeature: WebFeature {
    func register(_ app: Application) throws {
        try app.register(collection: SessionPages())
        try app.register(collection: AccountPages())
        try app.register(collection: AdminPages())
        try app.register(collection: AdminExportsController())
    }

    var endpoints: [Endpoint] { [.accountsExport, .auditExport] }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        switch principal.role {
        case .systemAdministrator: [.init(order: 0, key: "admin.users", path: "/admin/users")]
        case .securityAdministrator: [.init(order: 0, key: "admin.roles", path: "/admin/users")]
        case .auditAdministrator: [.init(order: 0, key: "nav.audit", path: "/admin/audit")]
        default: []
        }
    }

    var auditActions: [AuditAction] {
        [.login, .loginFailure, .logout, .sessionExpired, .accountLocked, .userCreate, .userDisable, .userEnable, .passwordChange,
         .passwordReset, .passwordIssue, .totpEnable, .totpDisable, .grant, .tokenCreate, .tokenRevoke, .auditVerify, .auditSearch,
         .userExport, .auditExport, .accountHolderSearch]
    }

    var catalogue: [CatalogueEntry] { Catalogue.accountEntries + Catalogue.accountPageEntries + Catalogue.accountPickEntries + Catalogue.securityEntries + Catalogue.adminPageEntries
        + Catalogue.exportsEntries }

    var commands: [(name: String, command: any AnyAsyncCommand)] {
        [("user", UserCommands.group), ("token", TokenCommands.group), ("audit", AuditCommands.group)]
    }
}
