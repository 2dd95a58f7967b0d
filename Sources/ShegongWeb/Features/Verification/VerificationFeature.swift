import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The public certificate verification (issue #14 §4): the page `/verify` and its API endpoint,
/// both without login.
struct VerificationFeature: WebFeature {
    var endpoints: [Endpoint] { [.certificateVerify] }
    var schemas: [String: JSONValue] { Endpoint.verificationSchemas }
    func register(_ app: Application) throws { try app.register(collection: VerificationController()) }
    var auditActions: [AuditAction] { [.certificateVerify] }
    var catalogue: [CatalogueEntry] { Catalogue.verificationEntries }
}
