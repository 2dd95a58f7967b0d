import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

extension Request {
    /// The incentive use cases as the signed-in account may take them; the API and the pages both
    /// go through the same service, so scope and audit are the same whichever way a user comes.
    var incentives: IncentiveService {
        get throws { IncentiveService(context: services, caller: try caller) }
    }
}
