import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

extension Request {
    /// The person, when the principal may read them (or, with `write`, change them); otherwise the
    /// same 404 as a person who does not exist, with the denial audited.
    func scopedPerson(_ id: String, write: Bool = false) async throws -> PersonSummary {
        let principal = try requirePrincipal()
        guard let person = try await people.summary(id: id) else { throw StoreError.notFound("人员") }
        let path = try await regions.region(code: person.regionCode)?.path ?? RegionPath()
        let allowed = write ? principal.scope.mayWrite(person: id, region: path, organization: person.organizationID)
                            : principal.scope.mayRead(person: id, region: path, organization: person.organizationID)
        guard allowed else { throw try await outOfScope("person", id, what: "人员") }
        return person
    }

    /// Whether an incentive policy of `jurisdiction` concerns the principal: it applies in their
    /// region (an ancestor's or their own policy) or in part of it (a county policy for a city).
    func policyConcernsPrincipal(jurisdiction code: String) async throws -> Bool {
        guard case .region(let subtree, _)? = principal?.scope else { return false }
        guard let region = try await regions.region(code: code) else { return false }
        if subtree.contains(region.path) { return true }
        guard let own = try await regions.region(code: subtree.code) else { return false }
        return own.path[region.level] == region.code
    }

    /// Whether the principal may run, load or approve for a policy of `jurisdiction`: a
    /// read-write official whose region contains the jurisdiction.
    func mayManagePolicy(jurisdiction code: String) async throws -> Bool {
        guard let region = try await regions.region(code: code) else { return false }
        return principal?.scope.mayWrite(region: region.path) ?? false
    }
}

extension Request {
    /// Of `ids`, the people inside the principal's scope (one query).
    func peopleInScope(_ ids: [String]) async throws -> Set<String> {
        let principal = try requirePrincipal()
        guard !ids.isEmpty else { return [] }
        var found: Set<String> = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let rows = try await sql.select().column("id").from("people")
                .where(SQLColumn("id"), .in, SQLBind.group(chunk))
                .where(principal.scope.peopleCondition(table: "people")).all()
            for row in rows { found.insert(try row.decode(column: "id", as: String.self)) }
        }
        return found
    }
}
