import ShegongDomain
import ShegongStore
import Vapor

/// Employers, inside the principal's scope: officials see and (read-write) change the
/// organisations registered in their subtree, an organisation manager their own.
struct OrganizationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.organizations) { req in
            let page = try await OrganizationStore(db: req.db).list(
                region: try await req.scopedRegionFilter(), name: req.queryString("name"), scope: try req.scope,
                page: try req.queryInt("page", default: 1), perPage: try req.queryInt("perPage", default: 50))
            return try JSONResponse.make(page)
        }
        routes.on(.organization) { req in
            let id = try req.parameter("id")
            try await req.requireVisibleOrganization(id)
            guard let info = try await OrganizationStore(db: req.db).get(id: id) else { throw StoreError.notFound(.organization) }
            return try JSONResponse.make(info)
        }
        routes.on(.organizationCreate) { req in
            try JSONResponse.make(try await Self.save(req, try req.content.decode(OrganizationStore.Input.self), id: nil), status: .created)
        }
        routes.on(.organizationUpdate) { req in
            let id = try req.parameter("id")
            try await req.requireVisibleOrganization(id)
            return try JSONResponse.make(try await Self.save(req, try req.content.decode(OrganizationStore.Input.self), id: id))
        }
    }

    /// Creates (`id` nil) or updates an organisation inside the scope, audited in the same
    /// transaction; the API and the pages both save through here.
    static func save(_ req: Request, _ input: OrganizationStore.Input, id: String?) async throws -> OrganizationInfo {
        try await requireWritable(req, input, id: id ?? "")
        guard let id else {
            return try await req.audited(.organizationCreate, "organization", object: { (info: OrganizationInfo) in info.id }) { tx in
                try await OrganizationStore(db: tx).create(input)
            }
        }
        return try await req.audited(.organizationUpdate, "organization", object: { (_: OrganizationInfo) in id }) { tx in
            try await OrganizationStore(db: tx).update(id: id, input)
        }
    }

    /// The organisation as it would be saved must stay inside the scope (a field error otherwise).
    /// `id` is the organisation being updated ("" to create). An unknown region code is left to
    /// the store's validation, which names it.
    static func requireWritable(_ req: Request, _ input: OrganizationStore.Input, id: String) async throws {
        let scope = try req.scope
        let code = input.regionCode ?? ""
        let allowed: Bool
        if case .organization(let own) = scope {
            allowed = own == id
        } else if code.isEmpty {
            // No region: visible to national officials only, so only they may leave it out.
            if case .region(let subtree, .readWrite) = scope { allowed = subtree.level == .nation } else { allowed = false }
        } else if let region = try await req.regions.region(code: code) {
            allowed = scope.mayWrite(organization: id, region: region.path)
        } else {
            allowed = true
        }
        guard allowed else {
            throw APIError(status: .unprocessableEntity, code: "validation", message: "单位所在地区不在您的管辖范围内",
                           details: [.init(field: "regionCode", code: "organization.scope", message: "地区不在您的管辖范围内")])
        }
    }
}
