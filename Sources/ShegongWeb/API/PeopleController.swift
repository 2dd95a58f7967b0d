import ShegongDomain
import ShegongStore
import Vapor

/// People of the registry, inside the principal's scope (`RegistryScope.swift`). Answers show ID
/// and mobile numbers masked; `?reveal=true` shows them in full to a scope that may see personal
/// data, and is audited.
struct PeopleController: RouteCollection {
    struct Saved: Codable {
        var created: Bool
        var person: PersonDetail
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.people) { req in
            try JSONResponse.make(try await req.people.list(try await req.personFilter()))
        }
        routes.on(.person) { req in
            let id = try req.parameter("id")
            try await req.requireVisiblePerson(id)
            guard var detail = try await req.people.detail(id: id) else { throw StoreError.notFound(.person) }
            if req.queryString("reveal") == "true" { detail = try await req.revealed(detail) }
            return try JSONResponse.make(detail)
        }
        routes.on(.personCreate) { req in
            let record = try req.content.decode(PersonInput.self).record(today: CivilDate.today())
            let saved = try await req.savePerson(record, target: nil, source: "api")
            return try JSONResponse.make(Saved(created: true, person: try await req.people.detail(id: saved.personID)!), status: .created)
        }
        routes.on(.personUpdate) { req in
            let id = try req.parameter("id")
            try await req.requireVisiblePerson(id)
            let record = try req.content.decode(PersonInput.self).record(today: CivilDate.today())
            let saved = try await req.savePerson(record, target: id, source: "api")
            return try JSONResponse.make(Saved(created: false, person: try await req.people.detail(id: saved.personID)!))
        }
    }
}
