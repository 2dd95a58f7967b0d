import Foundation
import ShegongStore

/// Who is asking a service: the account (its principal, with the one grant and scope it holds)
/// and where the request came from. Every use case takes one; none reads it from a request.
public struct Caller: Sendable {
    public var principal: Principal
    /// The client address for the web, nil for an operator command on the server.
    public var address: String?
    /// How the call arrived, for denials in the audit log: `GET /api/v1/people/…`, `cli allowance run`.
    public var origin: String

    public init(principal: Principal, address: String?, origin: String) {
        self.principal = principal
        self.address = address
        self.origin = origin
    }

    public var username: String { principal.username }
    public var scope: Scope { principal.scope }
}
