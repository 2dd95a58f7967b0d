import Foundation
import ShegongDomain
import ShegongStore
import Vapor

extension Request {
    /// The incentive actions as the signed-in account may take them; the API and the pages both
    /// go through here, so scope and audit are the same whichever way a user comes.
    var incentives: IncentiveService { IncentiveService(req: self) }
}

/// Scoped, audited incentive actions (issue #4 under issue #3's rules): officials see the policies
/// that apply in their region or part of it and run, load and approve only those whose
/// jurisdiction lies inside their read-write region; workers and employers see and make
/// applications for themselves and their staff. Each change and its audit entry share one
/// transaction; the account is the reviewer, approver or loader named in the ledger.
struct IncentiveService {
    let req: Request

    var ledger: IncentiveLedger { IncentiveLedger(db: req.db, cipher: req.cipher) }

    // MARK: policies

    func visiblePolicies() async throws -> [PolicySummary] {
        var visible: [PolicySummary] = []
        for policy in try await PolicyStore(db: req.db).list() where try await req.policyConcernsPrincipal(jurisdiction: policy.jurisdiction) {
            visible.append(policy)
        }
        return visible
    }

    /// A policy the principal may see (404 otherwise, audited), or with `manage` one it may run.
    func policy(_ id: String, manage: Bool = false) async throws -> IncentivePolicy {
        guard let policy = try await PolicyStore(db: req.db).policy(id: id) else { throw StoreError.notFound(.policy, id) }
        guard try await req.policyConcernsPrincipal(jurisdiction: policy.jurisdiction.value) else {
            throw try await req.outOfScope("policy", id, what: .policy, id)
        }
        if manage, !(try await req.mayManagePolicy(jurisdiction: policy.jurisdiction.value)) {
            throw APIError(status: .forbidden, code: "policy.jurisdiction_outside_scope", message: "政策 \(id) 的适用地区不在您有读写权限的管辖范围内")
        }
        return policy
    }

    /// The ids of the policies the principal may see (from the list: no policy file is parsed).
    func visiblePolicyIDs() async throws -> Set<String> {
        Set(try await visiblePolicies().map(\.id))
    }

    /// A policy file with every error reported (422, line and key) and nothing activated.
    func check(yaml: String) async throws -> IncentivePolicy {
        switch try await PolicyStore(db: req.db).check(yaml: yaml) {
        case .success(let policy): return policy
        case .failure(let errors):
            throw APIError(status: .unprocessableEntity, code: "policy.invalid", message: "政策文件有 \(errors.errors.count) 处错误",
                           details: errors.errors.map { .init(field: $0.path, row: $0.line, code: $0.code, text: $0.text) })
        }
    }

    /// Activates a policy file (a new policy, or a new version set of an existing one).
    func load(yaml: String) async throws -> IncentivePolicy {
        let checked = try await check(yaml: yaml)
        guard try await req.mayManagePolicy(jurisdiction: checked.jurisdiction.value) else {
            throw APIError(status: .forbidden, code: "policy.jurisdiction_outside_scope",
                           message: "政策的适用地区 \(checked.jurisdiction.value) 不在您的管辖范围内（须有该地区的读写权限）")
        }
        let actor = req.actorName
        return try await req.audited(.policyLoad, "policy", details: checked.name, object: { $0.id }) { tx in
            try await PolicyStore(db: tx).load(yaml: yaml, actor: actor)
        }
    }

    /// A draft beside the live policy of the same id, by region; nothing is paid or stored.
    func simulate(yaml: String, month: CivilMonth, by level: RegionLevel) async throws -> [PolicyComparisonRow] {
        let draft = try await check(yaml: yaml)
        return try await ledger.simulate(draft: draft, month: month, groupLevel: level)
    }

    // MARK: eligibility and applications

    func eligibility(personID: String, on date: CivilDate) async throws -> [EligibilityDecision] {
        let person = try await req.scopedPerson(personID)
        return try await ledger.eligibility(personID: person.id, on: date)
    }

    func applications(status: String?, policyID: String?) async throws -> [ApplicationInfo] {
        let all = try await ledger.applications(status: status, policyID: policyID)
        let visible = try await req.peopleInScope(Array(Set(all.map(\.personID))))
        return all.filter { visible.contains($0.personID) }
    }

    func application(_ id: String) async throws -> ApplicationInfo {
        guard let application = try await ledger.application(id: id) else { throw StoreError.notFound(.application) }
        try await req.requireVisiblePerson(application.personID)
        return application
    }

    /// A worker applies for themself, an employer for its staff, an official for people in its region.
    func apply(personID: String, policyID: String, certificateNumber: String?, applicant: String, on date: CivilDate) async throws -> ApplicationInfo {
        let person = try await req.scopedPerson(personID)
        let cipher = req.cipher
        return try await req.audited(.applicationCreate, "application", details: policyID, object: { $0.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).apply(personID: person.id, policyID: policyID, certificateNumber: certificateNumber,
                                                                    applicant: String(applicant.prefix(100)), on: date)
        }
    }

    func review(applicationID id: String, action: IncentiveLedger.ReviewAction, reason: String?) async throws -> ApplicationInfo {
        let application = try await application(id)
        let (cipher, reviewer) = (req.cipher, req.actorName)
        return try await req.audited(.applicationReview, "application", details: action.rawValue, object: { $0.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).review(applicationID: id, action: action, reviewer: reviewer, reason: reason)
        }
    }

    // MARK: allowance runs, batches, ledger

    func runAllowance(policyID: String, month: CivilMonth) async throws -> AllowanceRunResult {
        let policy = try await policy(policyID, manage: true)
        let cipher = req.cipher
        return try await req.audited(.allowanceRun, "policy", details: month.description, object: { _ in policy.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).runAllowance(policyID: policy.id, month: month)
        }
    }

    /// `visible`: the ids of the policies the principal may see, when the caller has them already.
    func batches(policyID: String?, visible: Set<String>? = nil) async throws -> [PaymentBatchInfo] {
        let ids: Set<String>
        if let visible { ids = visible } else { ids = try await visiblePolicyIDs() }
        return try await ledger.batches(policyID: policyID).filter { ids.contains($0.policyID) }
    }

    /// A payment batch of a policy the principal may see (or, with `manage`, run).
    func batch(_ id: String, manage: Bool = false) async throws -> PaymentBatchInfo {
        guard let batch = try await ledger.batch(id: id) else { throw StoreError.notFound(.batch) }
        _ = try await policy(batch.policyID, manage: manage)
        return batch
    }

    func approve(batchID: String) async throws -> PaymentBatchInfo {
        let batch = try await batch(batchID, manage: true)
        let (cipher, actor) = (req.cipher, req.actorName)
        return try await req.audited(.batchApprove, "payment_batch", object: { $0.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).approve(batchID: batch.id, approver: actor)
        }
    }

    func markPaid(batchID: String) async throws -> PaymentBatchInfo {
        let batch = try await batch(batchID, manage: true)
        let (cipher, actor) = (req.cipher, req.actorName)
        return try await req.audited(.batchPaid, "payment_batch", object: { $0.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).markPaid(batchID: batch.id, actor: actor)
        }
    }

    /// The payment list (masked IDs, total, checksum) as a temporary file; the export is audited.
    func export(batchID: String, format: SpreadsheetFormat) async throws -> URL {
        let id = try await batch(batchID).id
        let url = CensusController.tempFile(req, format)
        let written = try await ledger.exportBatch(batchID: id, to: url, format: format)
        try await req.audit(.batchExport, "payment_batch", id, details: "\(format.rawValue) lines=\(written.lines) total_fen=\(written.totalFen)")
        return url
    }

    /// One payment line with the decision that justified it: a policy the principal may see, a
    /// person in their scope (otherwise the audited 404).
    func line(id: String) async throws -> PaymentLineInfo {
        guard let line = try await ledger.line(id: id) else { throw StoreError.notFound(.paymentLine, id) }
        _ = try await policy(line.policyID)
        try await req.requireVisiblePerson(line.personID)
        return line
    }

    func ledger(policyID: String?, byRegion: Bool, visible: Set<String>? = nil) async throws -> [LedgerTotal] {
        let ids: Set<String>
        if let visible { ids = visible } else { ids = try await visiblePolicyIDs() }
        return try await ledger.totals(policyID: policyID, byRegion: byRegion).filter { ids.contains($0.policyID) }
    }
}
