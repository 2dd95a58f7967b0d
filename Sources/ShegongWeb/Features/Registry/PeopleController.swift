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
}
