import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore

extension ServiceContext {
    /// Runs a change and its audit entry in one transaction, through the write queue: if the entry
    /// cannot be written the change is rolled back (docs/security.md, "Audit log"). `body` gets the
    /// transaction's database and must do all its writes on it; `object` names what changed, from
    /// the result (e.g. a new record's id). The transaction is run again after a deadlock or a
    /// lost lock (`WriteRetry`) unless `once` says the body cannot run twice (it reads a file).
    public func audited<T: Sendable>(_ caller: Caller, _ action: AuditAction, _ objectType: String, details: String? = nil,
                                     once: Bool = false, object: @Sendable @escaping (T) -> String?,
                                     _ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        let log = auditLog, at = now()
        let change: @Sendable (any Database) async throws -> T = { tx in
            let result = try await body(tx)
            try await log.append(on: tx.sql, AuditEntry(at: at, actor: caller.username, ip: caller.address, action: action,
                                                        objectType: objectType, objectID: object(result), details: details))
            return result
        }
        let result = once ? try await writes.transactionOnce(on: db, change) : try await writes.transaction(on: db, change)
        await noteWrite(by: caller)
        return result
    }

    /// `audited` whose details are written from the result (an amount, a line count known only
    /// after the change).
    public func audited<T: Sendable>(_ caller: Caller, _ action: AuditAction, _ objectType: String,
                                     describe: @Sendable @escaping (T) -> String?, object: @Sendable @escaping (T) -> String?,
                                     _ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        let log = auditLog, at = now()
        let result = try await writes.transaction(on: db) { tx in
            let result = try await body(tx)
            try await log.append(on: tx.sql, AuditEntry(at: at, actor: caller.username, ip: caller.address, action: action,
                                                        objectType: objectType, objectID: object(result), details: describe(result)))
            return result
        }
        await noteWrite(by: caller)
        return result
    }

    /// An event that changes nothing else (an export, a reveal, a download): an entry of its own,
    /// through the write queue like every other write.
    public func record(_ caller: Caller, _ action: AuditAction, _ objectType: String, _ objectID: String?, details: String? = nil,
                       result: AuditResult = .success) async throws {
        let log = auditLog
        let entry = AuditEntry(at: now(), actor: caller.username, ip: caller.address, action: action, objectType: objectType,
                               objectID: objectID, result: result, details: details)
        _ = try await writes.transaction(on: db) { tx in try await log.append(on: tx.sql, entry) }
    }

    /// A record outside the caller's scope: audited as denied and answered exactly like a record
    /// that does not exist, so scope cannot be probed (docs/security.md, "Roles and scopes").
    public func outOfScope(_ caller: Caller, _ objectType: String, _ objectID: String, what kind: StoreError.Record,
                           _ recordID: String? = nil) async throws -> any Error {
        try await record(caller, .accessDenied, objectType, objectID, details: caller.origin, result: .denied)
        return StoreError.notFound(kind, recordID)
    }

    /// An action the caller's role or access level does not allow: audited, answered 403.
    public func forbidden(_ caller: Caller, _ objectType: String, _ objectID: String?, _ denial: AccessDenied) async throws -> any Error {
        try await record(caller, .accessDenied, objectType, objectID, details: "\(caller.origin) \(denial.code)", result: .denied)
        return denial
    }
}

/// The caller may not do this (403): a stable code and a message from the catalogue.
public struct AccessDenied: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var text: CatalogueMessage

    public init(code: String, _ arguments: String...) {
        self.code = code
        self.text = CatalogueMessage(code, arguments: arguments)
    }

    public var message: String { text.chinese }
    public var description: String { "\(code): \(message)" }
}
