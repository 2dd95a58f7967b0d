import Foundation
import ShegongDomain
import ShegongStore

/// Which roles may take an action at all, and whether an official needs read-write access
/// (department operators and organisation managers write within their own scope; the service
/// narrows it). Which record — region, organisation, person — is the scope's question, asked in
/// the query.
public struct Permission: Sendable, Equatable {
    public var roles: Set<Role>
    public var needsWrite: Bool

    public static func read(_ roles: Role...) -> Permission { Permission(roles: Set(roles), needsWrite: false) }
    public static func write(_ roles: Role...) -> Permission { Permission(roles: Set(roles), needsWrite: true) }

    public func admits(_ principal: Principal) -> Bool {
        guard roles.contains(principal.role) else { return false }
        if needsWrite, case .official(_, let access) = principal.grant, access != .readWrite { return false }
        return true
    }
}

extension ServiceContext {
    /// An audited 403 unless the caller's role (and access level) has `permission`.
    public func require(_ caller: Caller, _ permission: Permission, _ objectType: String, _ objectID: String? = nil) async throws {
        guard !permission.admits(caller.principal) else { return }
        throw try await forbidden(caller, objectType, objectID, AccessDenied(code: "auth.role_forbidden", CatalogueMessage.name(caller.principal.role)))
    }

    /// The region of `code`, when the caller's scope reaches it (scopes not drawn over regions —
    /// organisation managers, workers — are narrowed by their own condition elsewhere). Outside the
    /// scope it is answered exactly like an unknown code, and audited; `field` names the parameter.
    public func region(_ caller: Caller, code: String, field: String) async throws -> Region {
        let region = try await regions.region(code: code)
        if let region, Self.mayRead(caller.scope, region) { return region }
        if region != nil { try await record(caller, .accessDenied, "region", code, details: caller.origin, result: .denied) }
        throw StoreError(.notFound, code: "region.unknown", code,
                         details: [.init(field: field, code: "region.unknown", code)])
    }

    /// A region already looked up that the caller's scope does not reach: answered exactly like a
    /// region that does not exist (404), and audited.
    public func requireReadable(_ caller: Caller, _ region: Region) async throws {
        guard !Self.mayRead(caller.scope, region) else { return }
        throw try await outOfScope(caller, "region", region.code, what: .region, region.code)
    }

    static func mayRead(_ scope: Scope, _ region: Region) -> Bool {
        guard scope.regionSubtree != nil else { return true }
        return scope.mayRead(region: region.path)
    }
}
