import ShegongStore
import Vapor

struct OrganizationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.organizations) { req in
            let region = req.queryString("region") != nil ? try await req.regionParameter() : nil
            let page = try await OrganizationStore(db: req.db).list(
                region: region, name: req.queryString("name"),
                page: try req.queryInt("page", default: 1), perPage: try req.queryInt("perPage", default: 50))
            return try JSONResponse.make(page)
        }
        routes.on(.organization) { req in
            guard let info = try await OrganizationStore(db: req.db).get(id: try req.parameter("id")) else { throw StoreError.notFound("单位") }
            return try JSONResponse.make(info)
        }
        routes.on(.organizationCreate) { req in
            let input = try req.content.decode(OrganizationStore.Input.self)
            return try JSONResponse.make(try await OrganizationStore(db: req.db).create(input), status: .created)
        }
        routes.on(.organizationUpdate) { req in
            let input = try req.content.decode(OrganizationStore.Input.self)
            return try JSONResponse.make(try await OrganizationStore(db: req.db).update(id: try req.parameter("id"), input))
        }
    }
}
