import Foundation
import ShegongDomain
import ShegongStore

/// What the 申请审批表 prints: the application, every review step taken, and the levels the
/// policy names (a level not reached yet prints as empty boxes to fill in by hand).
public struct ApplicationForm: Sendable {
    public var application: ApplicationInfo
    public var reviews: [ApplicationReviewRow]
    public var reviewLevels: [RegionLevel]
}

/// What the 发放花名册 prints: the batch, its policy's name, and the lines of the payment list in
/// the caller's scope with their total.
public struct BatchRoster: Sendable {
    public var batch: PaymentBatchInfo
    public var policyName: PolicyText
    public var lines: [RosterLine]
    public var totalFen: Int { lines.reduce(0) { $0 + $1.amountFen } }
}

public extension AuditAction {
    /// The 发放花名册 printed: the same personal data as the payment list's export, so audited like it.
    static let batchPrint: AuditAction = "payment_batch.print"
}

extension IncentiveService {
    /// An application in the caller's scope (otherwise the audited 404) with its review steps.
    /// Not audited, like the person's 人员信息表: it shows what the application page shows.
    public func applicationForm(_ id: String) async throws -> ApplicationForm {
        let application = try await application(id)
        let levels = try await policies.policy(id: application.policyID)?.reviewLevels ?? []
        return ApplicationForm(application: application, reviews: try await ledger.reviews(applicationID: application.id), reviewLevels: levels)
    }

    /// A batch of a policy the caller may see, with every line of the payment list in the caller's
    /// scope (the export's lines: rejected ones left out). Recorded in the audit log like the export.
    public func roster(batchID: String) async throws -> BatchRoster {
        let batch = try await batch(batchID)
        let name = try await policies.policy(id: batch.policyID)?.displayName ?? PolicyText(zh: batch.policyID, en: batch.policyID)
        let roster = BatchRoster(batch: batch, policyName: name, lines: try await ledger.roster(batchID: batch.id, scope: caller.scope))
        try await context.record(caller, .batchPrint, "payment_batch", batch.id, details: "lines=\(roster.lines.count) total_fen=\(roster.totalFen)")
        return roster
    }
}
