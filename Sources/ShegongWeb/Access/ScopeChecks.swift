import Foundation
import ShegongDomain
import ShegongServices
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

    /// The incentive use cases as the signed-in account may take them; the API and the pages both
    /// go through the same service, so scope and audit are the same whichever way a user comes.
    var incentives: IncentiveService {
        get throws { IncentiveService(context: services, caller: try caller) }
    }
}
