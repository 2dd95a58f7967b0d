import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

extension AuditAction {
    static let personCreate: AuditAction = "person.create"
    static let personUpdate: AuditAction = "person.update"
    static let personReveal: AuditAction = "person.reveal"
    static let organizationCreate: AuditAction = "organization.create"
    static let organizationUpdate: AuditAction = "organization.update"
    static let certificateCreate: AuditAction = "certificate.create"
    static let certificateUpdate: AuditAction = "certificate.update"
    static let registrationCreate: AuditAction = "certificate.registration"
    static let regionCreate: AuditAction = "region.create"
    static let regionUpdate: AuditAction = "region.update"
    static let censusImport: AuditAction = "census.import"
    static let censusExport: AuditAction = "census.export"
    static let statisticsUpdate: AuditAction = "statistics.update"
    static let statisticsImport: AuditAction = "statistics.import"
    static let practiceBaseCreate: AuditAction = "practice_base.create"
    static let pilotCommunityCreate: AuditAction = "pilot_community.create"
    static let measureReport: AuditAction = "measure.report"
    static let examCreate: AuditAction = "exam.create"
    static let targetCreate: AuditAction = "target.create"
    static let examPassImport: AuditAction = "exam.pass_import"
    static let policyLoad: AuditAction = "policy.load"
    static let applicationCreate: AuditAction = "application.create"
    static let applicationReview: AuditAction = "application.review"
    static let allowanceRun: AuditAction = "allowance.run"
    static let batchApprove: AuditAction = "payment_batch.approve"
    static let batchPaid: AuditAction = "payment_batch.paid"
    static let batchExport: AuditAction = "payment_batch.export"
    static let accessDenied: AuditAction = "access.denied"
    /// Security events (issue #10 item 9), each with the client's address.
    static let csrfRejected: AuditAction = "security.csrf_rejected"
    static let loginRateLimited: AuditAction = "security.login_rate_limited"
}

extension Request {
    /// Runs a change and its audit entry in one transaction: if the entry cannot be written, the
    /// change is rolled back (issue #3 §3). `body` gets the transaction's database and must do all
    /// its writes on it (stores' own `transaction` calls join it). `object` names what changed,
    /// from the result (e.g. a new record's id).
    func audited<T: Sendable>(_ action: AuditAction, _ objectType: String, details: String? = nil,
                              object: @Sendable @escaping (T) -> String?,
                              _ body: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        let actor = actorName, ip = clientIP, log = auditLog
        // SQLite has one writer at a time: queue this process's audited writes instead of letting
        // them collide (a transaction that read first cannot then write once another committed).
        let gate = application.shegong.sqliteWriteGate
        if let gate { await gate.acquire() }
        var attempt = 0
        while true {
            do {
                let result = try await db.transaction { tx in
                    let result = try await body(tx)
                    try await log.append(on: tx.sql, AuditEntry(at: Date(), actor: actor, ip: ip, action: action, objectType: objectType,
                                                                objectID: object(result), details: details))
                    return result
                }
                if let gate { await gate.release() }
                return result
            } catch let error as SQLiteError where Self.isBusy(error) && attempt < 8 {
                // Another process (a command) committed after this transaction first read:
                // everything was rolled back; run it again on a fresh snapshot after a short pause.
                attempt += 1
                try? await Task.sleep(nanoseconds: UInt64.random(in: 2_000_000...20_000_000) * UInt64(attempt))
            } catch {
                if let gate { await gate.release() }
                throw error
            }
        }
    }

    static func isBusy(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .busyInSnapshot, .busyTimeout, .locked: return true
        default: return false
        }
    }

    /// An event that changes nothing else (an export, a reveal): its own transaction.
    func audit(_ action: AuditAction, _ objectType: String, _ objectID: String?, details: String? = nil,
               result: AuditResult = .success) async throws {
        try await auditLog.append(db: db, AuditEntry(at: Date(), actor: actorName, ip: clientIP, action: action, objectType: objectType,
                                                     objectID: objectID, result: result, details: details))
    }

    /// A record outside the principal's scope: audited as denied and answered exactly like a
    /// record that does not exist, so scope cannot be probed (issue #3 §2).
    func outOfScope(_ objectType: String, _ objectID: String, what record: StoreError.Record, _ recordID: String? = nil) async throws -> any Error {
        try await audit(.accessDenied, objectType, objectID, details: "\(method.rawValue) \(url.path)", result: .denied)
        return StoreError.notFound(record, recordID)
    }
}

/// A first-come, first-served lock: the SQLite write queue of one process.
actor WriteGate {
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}
