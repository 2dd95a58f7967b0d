import Foundation
import ShegongStore

/// The web's features, each registering its own routes, navigation entries, audit actions and
/// catalogue texts; `configure` loops over them (docs/architecture.md "Adding a feature").
enum WebFeatures {
    struct NavItem {
        var key: String
        var path: String
    }

    static func navigation(for principal: Principal) -> [NavItem] {
        switch principal.role {
        case .systemAdministrator: return [.init(key: "admin.users", path: "/admin/users")]
        case .securityAdministrator: return [.init(key: "admin.roles", path: "/admin/users")]
        case .auditAdministrator: return [.init(key: "nav.audit", path: "/admin/audit")]
        case .official:
            var items: [NavItem] = [.init(key: "nav.home", path: "/"), .init(key: "nav.regions", path: "/regions"),
                                    .init(key: "nav.people", path: "/people"), .init(key: "nav.organizations", path: "/organizations")]
            if principal.isReadWriteOfficial { items.append(.init(key: "nav.import", path: "/import")) }
            items += [.init(key: "nav.export", path: "/export"), .init(key: "nav.statistics", path: "/statistics"),
                      .init(key: "nav.figures", path: "/figures"), .init(key: "nav.plans", path: "/dashboard"),
                      .init(key: "nav.incentives", path: "/incentives")]
            return items
        case .departmentOperator:
            return [.init(key: "nav.home", path: "/"), .init(key: "nav.regions", path: "/regions"),
                    .init(key: "nav.statistics", path: "/statistics"), .init(key: "nav.figures", path: "/figures"),
                    .init(key: "nav.plans", path: "/dashboard")]
        case .organizationManager:
            return [.init(key: "nav.home", path: "/"), .init(key: "nav.people", path: "/people"),
                    .init(key: "nav.organizations", path: "/organizations"), .init(key: "nav.incentives", path: "/incentives")]
        case .socialWorker:
            return [.init(key: "nav.home", path: "/"), .init(key: "nav.incentives", path: "/incentives")]
        }
    }
}
