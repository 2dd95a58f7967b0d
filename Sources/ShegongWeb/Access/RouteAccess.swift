import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Which roles may call an API route at all (issue #3 §2). Record-level scope — which region,
/// organisation or person — is checked inside the handlers, where the record is known, and
/// answers 404; a role that may never use a route gets 403 here.
///
/// The administrators (system, security, audit) see no business data: they have no API route but
/// health and the OpenAPI document; their work is on the admin pages and the CLI.
///
/// Each endpoint's access is part of its declaration (`Endpoint+….swift` in each feature folder): registry reads
/// (personal data, narrowed to the scope in the handler) for officials, organisation managers and
/// social workers; aggregates and plans (no personal data) for officials and department
/// operators; incentive runs for officials; applications for workers and employers too.
struct RouteAccess: Sendable, Equatable {
    /// Roles that may call the route; nil = no login needed.
    var roles: Set<Role>?
    /// An official needs read-write access (department operators and organisation managers are
    /// write-capable within their own scope; the handler narrows it).
    var needsWrite: Bool

    static let open = RouteAccess(roles: nil, needsWrite: false)
    static func read(_ roles: Role...) -> RouteAccess { RouteAccess(roles: Set(roles), needsWrite: false) }
    static func write(_ roles: Role...) -> RouteAccess { RouteAccess(roles: Set(roles), needsWrite: true) }

    /// Whether the principal passes this route's gate.
    func admits(_ principal: Principal) -> Bool {
        guard let roles else { return true }
        guard roles.contains(principal.role) else { return false }
        if needsWrite, case .official(_, let access) = principal.grant, access != .readWrite { return false }
        return true
    }
}

extension Endpoint {
    /// The gate every API request passes before its handler: 401 without an account, 403 for a
    /// role the route is not for, for an account that must first change its password or enrol
    /// TOTP, and for a state change made with the session cookie but no CSRF token.
    func authorize(_ req: Request) async throws {
        guard access.roles != nil else { return }
        let principal = try req.requirePrincipal()
        if principal.mustChangePassword || principal.mustEnrolTOTP {
            throw APIError(status: .forbidden, code: principal.mustChangePassword ? "auth.password_change_required" : "auth.totp_enrolment_required",
                           message: principal.mustChangePassword ? "请先修改一次性或已过期的密码" : "管理员须先启用动态口令（TOTP）")
        }
        guard access.admits(principal) else {
            try await req.audit(.accessDenied, "route", name, details: "\(method.rawValue) \(req.url.path)", result: .denied)
            throw APIError(status: .forbidden, code: "auth.forbidden", message: "当前账号（\(principal.role.chineseName)）无权使用此功能")
        }
        if method != .GET, case .session = principal.credential {
            try await CSRF.require(req)
        }
    }
}
