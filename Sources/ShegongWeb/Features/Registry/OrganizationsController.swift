import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Employers, inside the caller's scope (`OrganizationService`): officials see and (read-write)
/// change the organisations registered in their subtree, an organisation manager their own.
struct OrganizationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.organizations) { req in
            let page = try await req.organizationService.list(
                regionCode: req.queryString("region"), name: req.queryString("name"), after: try req.organizationCursor(),
                page: try req.queryInt("page", default: 1), perPage: try req.queryInt("perPage", default: 50))
            return try JSONResponse.make(page)
        }
        routes.on(.organizationsExport) { req in try await Self.export(req) }
        routes.on(.organization) { req in
            try JSONResponse.make(try await req.organizationService.organization(try req.parameter("id")))
        }
        routes.on(.organizationCreate) { req in
            try JSONResponse.make(try await req.organizationService.create(try req.content.decode(OrganizationStore.Input.self)), status: .created)
        }
        routes.on(.organizationUpdate) { req in
            let id = try req.parameter("id")
            let organizations = try req.organizationService
            try await organizations.requireVisible(id)
            return try JSONResponse.make(try await organizations.update(id, try req.content.decode(OrganizationStore.Input.self)))
        }
    }

    /// The organisations of the list's filters (`?region=`, `?name=`), every page, as XLSX or CSV
    /// in the request's language.
    static func export(_ req: Request) async throws -> Response {
        let format = try CensusController.sheetFormat(req)
        let table = try await req.organizationService.export(regionCode: req.queryString("region"), name: req.queryString("name"),
                                                             format: format, language: req.language)
        return try await req.download(table, format: format)
    }
}

extension Request {
    /// `?after=`: the `nextCursor` of the previous page of the organisations list; text no such
    /// page wrote is the client's error (400).
    func organizationCursor() throws -> ListCursor? {
        guard let token = queryString("after") else { return nil }
        guard let cursor = ListCursor(token: token, list: OrganizationStore.listName) else {
            throw APIError.badRequest("request.query", "after 须为上一页答复中的 nextCursor", field: "after")
        }
        return cursor
    }
}
