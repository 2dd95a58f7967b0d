import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

extension Request {
    /// The person, when inside the principal's scope; otherwise the same 404 as a person who does
    /// not exist, with the denial audited. Whether the principal may change them is the route's
    /// gate: within a scope, every role that may write may write every person it sees.
    func scopedPerson(_ id: String) async throws -> PersonSummary {
        try await requireVisiblePerson(id)
        guard let person = try await people.summary(id: id) else { throw StoreError.notFound(.person) }
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
