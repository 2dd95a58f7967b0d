import Fluent
import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

extension Request {
    /// The services' context of this application, on this request's database.
    var services: ServiceContext {
        ServiceContext(db: db, cipher: cipher, auditLog: auditLog, writes: application.shegong.writeQueue, reads: readRoute,
                       principalCache: application.shegong.principalCache)
    }

    /// The signed-in account as the services see it (401 without one).
    var caller: Caller {
        get throws { Caller(principal: try requirePrincipal(), address: clientIP, origin: "\(method.rawValue) \(url.path)") }
    }

    /// An event that changes nothing else (an export, a reveal, a denial): its own entry, through
    /// the write queue. The actor is "anonymous" before sign-in.
    func audit(_ action: AuditAction, _ objectType: String, _ objectID: String?, details: String? = nil,
               result: AuditResult = .success) async throws {
        let log = auditLog
        let entry = AuditEntry(at: Date(), actor: actorName, ip: clientIP, action: action, objectType: objectType,
                               objectID: objectID, result: result, details: details)
        _ = try await application.shegong.writeQueue.transaction(on: db) { tx in try await log.append(on: tx.sql, entry) }
    }
}
