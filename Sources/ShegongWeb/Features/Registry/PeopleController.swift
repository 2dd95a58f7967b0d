import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// People of the registry, inside the caller's scope (`PersonService`). Answers show ID and mobile
/// numbers masked; `?reveal=true` shows them in full to a scope that may see personal data, and is
/// audited.
struct PeopleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.people) { req in
            let (filter, regionCode) = try req.personFilter()
            return try JSONResponse.make(try await req.personService.list(filter, regionCode: regionCode))
        }
        routes.on(.peopleExport) { req in try await Self.export(req) }
        routes.on(.person) { req in
            let id = try req.parameter("id")
            let people = try req.personService
            return try JSONResponse.make(req.queryString("reveal") == "true" ? try await people.reveal(id) : try await people.person(id))
        }
        routes.on(.personCreate) { req in
            let record = try req.content.decode(PersonInput.self).record(today: CivilDate.today())
            return try JSONResponse.make(try await req.personService.save(record, target: nil, source: "api"), status: .created)
        }
        routes.on(.personUpdate) { req in
            let id = try req.parameter("id")
            let people = try req.personService
            try await people.requireVisible(id)
            let record = try req.content.decode(PersonInput.self).record(today: CivilDate.today())
            return try JSONResponse.make(try await people.save(record, target: id, source: "api"))
        }
    }

    /// The filtered people as XLSX or CSV in the request's language (the list's filters, every page).
    /// `regionCode` overrides `?region=` (the page's region picker resolves its own fields).
    static func export(_ req: Request, regionCode: String? = nil) async throws -> Response {
        let format = try CensusController.sheetFormat(req)
        let (filter, queried) = try req.personFilter()
        let table = try await req.personService.export(filter, regionCode: regionCode ?? queried, format: format, language: req.language)
        return try await req.download(table, format: format)
    }
}
