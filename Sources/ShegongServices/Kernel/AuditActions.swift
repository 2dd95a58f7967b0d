import ShegongStore

// The actions services write to the audit log, `area.verb` (the account and session actions are
// the store's own, in AuditLog.swift).
public extension AuditAction {
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
    static let fourEyesSet: AuditAction = "four_eyes.set"
    static let accessDenied: AuditAction = "access.denied"
    /// Security events, each with the client's address.
    static let csrfRejected: AuditAction = "security.csrf_rejected"
    static let loginRateLimited: AuditAction = "security.login_rate_limited"
}

