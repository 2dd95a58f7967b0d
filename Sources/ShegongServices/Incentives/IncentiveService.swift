import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// The incentive use cases (docs/policies.md) for one caller: officials see the policies that
/// apply in their region or a part of it, and run, load and approve only those whose jurisdiction
/// lies inside their read-write region; workers and employers see and make applications for
/// themselves and their staff. Every list, export and total is cut to the caller's scope in its
/// query; each change and its audit entry share one transaction; the caller is the reviewer,
/// approver or loader the ledger names.
/// What an approver confirmed: the batch's line count and total as the confirmation showed them.
public struct BatchConfirmation: Sendable, Equatable {
    public var lines: Int
    public var totalFen: Int

    public init(lines: Int, totalFen: Int) {
        self.lines = lines
        self.totalFen = totalFen
    }
}

public struct IncentiveService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    var ledger: IncentiveLedger { IncentiveLedger(db: context.db, cipher: context.cipher) }
    var policies: PolicyStore { PolicyStore(db: context.db) }

    // MARK: policies

    /// The policies that concern the caller, in one query (none for a caller without a region).
    public func visiblePolicies() async throws -> [PolicySummary] {
        guard case .region(let subtree, _) = caller.scope,
              let own = try await context.regions.region(code: subtree.code) else { return [] }
        return try await policies.list(concerning: subtree, ownPath: own.path)
    }

    /// The ids of the policies the caller may see.
    public func visiblePolicyIDs() async throws -> Set<String> {
        Set(try await visiblePolicies().map(\.id))
    }

    /// A policy the caller may see (otherwise the audited 404), or with `manage` one it may run.
    public func policy(_ id: String, manage: Bool = false) async throws -> IncentivePolicy {
        guard let policy = try await policies.policy(id: id) else { throw StoreError.notFound(.policy, id) }
        guard try await concernsCaller(jurisdiction: policy.jurisdiction.value) else {
            throw try await context.outOfScope(caller, "policy", id, what: .policy, id)
        }
        if manage, !(try await mayManage(jurisdiction: policy.jurisdiction.value)) {
            throw try await context.forbidden(caller, "policy", id, AccessDenied(code: "policy.jurisdiction_outside_scope", id))
        }
        return policy
    }

    /// A policy file with every error (line and key) reported, nothing activated.
    public func check(yaml: String) async throws -> IncentivePolicy {
        switch try await policies.check(yaml: yaml) {
        case .success(let policy): return policy
        case .failure(let errors): throw errors
        }
    }

    /// Activates a policy file (a new policy, or a new version set of an existing one).
    public func load(yaml: String) async throws -> IncentivePolicy {
        let checked = try await check(yaml: yaml)
        guard try await mayManage(jurisdiction: checked.jurisdiction.value) else {
            throw try await context.forbidden(caller, "policy", checked.id,
                                              AccessDenied(code: "policy.jurisdiction_outside_scope", checked.jurisdiction.value))
        }
        let actor = caller.username
        return try await context.audited(caller, .policyLoad, "policy", details: checked.name, object: { $0.id }) { tx in
            try await PolicyStore(db: tx).load(yaml: yaml, actor: actor)
        }
    }

    /// A draft beside the live policy of the same id, by region, counting only the people inside
    /// the caller's scope; a draft for a region that does not concern the caller is the audited
    /// 404. Nothing is paid or stored.
    public func simulate(yaml: String, month: CivilMonth, by level: RegionLevel) async throws -> [PolicyComparisonRow] {
        let draft = try await check(yaml: yaml)
        guard try await concernsCaller(jurisdiction: draft.jurisdiction.value) else {
            throw try await context.outOfScope(caller, "policy", draft.id, what: .region, draft.jurisdiction.value)
        }
        return try await ledger.simulate(draft: draft, month: month, groupLevel: level, scope: caller.scope)
    }

    /// Whether a policy of `jurisdiction` concerns the caller: it applies in their region (their
    /// own or an ancestor's) or in a part of it (a county policy for a city official).
    func concernsCaller(jurisdiction code: String) async throws -> Bool {
        guard case .region(let subtree, _) = caller.scope else { return false }
        guard let region = try await context.regions.region(code: code) else { return false }
        if subtree.contains(region.path) { return true }
        guard let own = try await context.regions.region(code: subtree.code) else { return false }
        return own.path[region.level] == region.code
    }

    /// Whether the caller may run, load or approve for a policy of `jurisdiction`: a read-write
    /// official whose region contains the jurisdiction.
    func mayManage(jurisdiction code: String) async throws -> Bool {
        guard let region = try await context.regions.region(code: code) else { return false }
        return caller.scope.mayWrite(region: region.path)
    }

    // MARK: eligibility and applications

    public func eligibility(personID: String, on date: CivilDate) async throws -> [EligibilityDecision] {
        let person = try await visiblePerson(personID)
        return try await ledger.eligibility(personID: person, on: date)
    }

    /// The applications of people in the caller's scope, newest first: those after application
    /// `after` (the last of the previous page), else page `page`.
    public func applications(status: String?, policyID: String?, after: String? = nil, page: Int = 1) async throws -> [ApplicationInfo] {
        try await ledger.applications(status: status, policyID: policyID, scope: caller.scope, after: after, page: page)
    }

    public func application(_ id: String) async throws -> ApplicationInfo {
        guard let application = try await ledger.application(id: id) else { throw StoreError.notFound(.application) }
        _ = try await visiblePerson(application.personID)
        return application
    }

    /// A worker applies for themself, an employer for its staff, an official for people in its
    /// region, always on the server's date. Only a read-write official enters a paper
    /// application late, with the paper's date and the reason, both audited.
    public func apply(personID: String, policyID: String, certificateNumber: String?, applicant: String,
                      paper: PaperApplication? = nil) async throws -> ApplicationInfo {
        let person = try await visiblePerson(personID)
        if let paper { try await checkPaper(paper) }
        let cipher = context.cipher, today = context.today, at = context.now()
        let details = paper.map { "\(policyID) paper_date=\($0.date) reason=\($0.reason)" } ?? policyID
        let submitter = caller.username
        return try await context.audited(caller, .applicationCreate, "application", describe: { "\(details) amount_fen=\($0.amountFen)" },
                                         object: { $0.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).apply(personID: person, policyID: policyID, certificateNumber: certificateNumber,
                                                                    applicant: String(applicant.prefix(100)), on: today, paper: paper, now: at,
                                                                    submittedBy: submitter)
        }
    }

    private func checkPaper(_ paper: PaperApplication) async throws {
        guard caller.principal.isReadWriteOfficial else {
            throw try await context.forbidden(caller, "application", nil, AccessDenied(code: "application.paper_date_officials_only"))
        }
        guard paper.date <= context.today else {
            throw StoreError(.invalid, code: "application.paper_date_future",
                             details: [.init(field: "paperDate", code: "application.paper_date_future", paper.date.description)])
        }
        guard !paper.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError(.invalid, code: "application.paper_reason_required",
                             details: [.init(field: "paperReason", code: "application.paper_reason_required")])
        }
    }

    public func review(applicationID id: String, action: IncentiveLedger.ReviewAction, reason: String?) async throws -> ApplicationInfo {
        let application = try await application(id)
        if action == .approve { try await checkFourEyes(approving: application) }
        let (cipher, reviewer, at) = (context.cipher, caller.username, context.now())
        let details = "\(action.rawValue) amount_fen=\(application.amountFen) lines=1"
        return try await context.audited(caller, .applicationReview, "application", details: details, object: { $0.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).review(applicationID: application.id, action: action, reviewer: reviewer,
                                                                     reason: reason, now: at)
        }
    }

    /// The person's id when inside the caller's scope; otherwise the 404 of a missing person
    /// (audited when out of scope).
    func visiblePerson(_ id: String) async throws -> String {
        switch try await context.people.visibility(id: id, scope: caller.scope) {
        case .visible: return id
        case .missing: throw StoreError.notFound(.person)
        case .outOfScope: throw try await context.outOfScope(caller, "person", id, what: .person)
        }
    }

    // MARK: allowance runs, batches, ledger

    /// A month's allowance run. A month after the current one (Beijing time, the context's clock)
    /// is refused: nobody is owed an allowance for a month that has not begun.
    public func runAllowance(policyID: String, month: CivilMonth) async throws -> AllowanceRunResult {
        let policy = try await policy(policyID, manage: true)
        let current = CivilMonth(context.today)
        guard month <= current else {
            throw StoreError(.invalid, code: "allowance.future_month", month.description, current.description,
                             details: [.init(field: "month", code: "allowance.future_month", month.description, current.description)])
        }
        let (cipher, at, runner) = (context.cipher, context.now(), caller.username)
        return try await context.audited(caller, .allowanceRun, "payment_batch", describe: { result in
            "\(policy.id) \(month) number=\(result.batch.number) added=\(result.added) arrears=\(result.arrearsAdded) lines=\(result.batch.lines) total_fen=\(result.batch.totalFen)"
        }, object: { $0.batch.id }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).runAllowance(policyID: policy.id, month: month, now: at, runBy: runner)
        }
    }

    /// The batches of the policies the caller may see (or of one of them), totalled over the
    /// lines of people in the caller's scope.
    public func batches(policyID: String?, visible: Set<String>? = nil) async throws -> [PaymentBatchInfo] {
        var ids: Set<String>
        if let visible { ids = visible } else { ids = try await visiblePolicyIDs() }
        if let policyID { ids = ids.intersection([policyID]) }
        return try await ledger.batches(policyIDs: ids, scope: caller.scope)
    }

    /// A payment batch of a policy the caller may see (or, with `manage`, run).
    public func batch(_ id: String, manage: Bool = false) async throws -> PaymentBatchInfo {
        guard let batch = try await ledger.batch(id: id) else { throw StoreError.notFound(.batch) }
        _ = try await policy(batch.policyID, manage: manage)
        if manage { return batch }
        return try await ledger.batches(policyIDs: [batch.policyID], scope: caller.scope, only: id).first ?? batch
    }

    /// A page of a batch's lines, of people in the caller's scope: the one after `after` (the
    /// previous page's `nextCursor`), else page `page`.
    public func lines(batchID: String, after: ListCursor? = nil, page: Int) async throws -> PaymentLinePage {
        try await ledger.lines(batchID: batchID, scope: caller.scope, after: after, page: page)
    }

    /// Approves a draft batch. `expected` is what the approver confirmed (the page's confirmation
    /// step shows the lines and the total): when the batch no longer holds exactly that, nothing is
    /// approved. Four eyes: an account that put lines into the batch may not approve it.
    public func approve(batchID: String, expected: BatchConfirmation?) async throws -> PaymentBatchInfo {
        let batch = try await batch(batchID, manage: true)
        if try await fourEyesApplies(to: batch), try await ledger.runners(batchID: batch.id).contains(caller.username) {
            throw try await context.forbidden(caller, "payment_batch", batch.id, AccessDenied(code: "four_eyes.batch_run", batch.number))
        }
        return try await transition(batch, expected: expected, action: .batchApprove) { ledger, id, actor, at in
            try await ledger.approve(batchID: id, approver: actor, now: at)
        }
    }

    /// Records an approved batch as paid, confirmed as `approve` is. Four eyes: its approver may not.
    public func markPaid(batchID: String, expected: BatchConfirmation?) async throws -> PaymentBatchInfo {
        let batch = try await batch(batchID, manage: true)
        if batch.approvedBy == caller.username, try await fourEyesApplies(to: batch) {
            throw try await context.forbidden(caller, "payment_batch", batch.id, AccessDenied(code: "four_eyes.batch_approved", batch.number))
        }
        return try await transition(batch, expected: expected, action: .batchPaid) { ledger, id, actor, at in
            try await ledger.markPaid(batchID: id, actor: actor, now: at)
        }
    }

    private func transition(_ batch: PaymentBatchInfo, expected: BatchConfirmation?, action: AuditAction,
                            _ change: @Sendable @escaping (IncentiveLedger, String, String, Date) async throws -> PaymentBatchInfo) async throws -> PaymentBatchInfo {
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        return try await context.audited(caller, action, "payment_batch", describe: { "\($0.number) lines=\($0.lines) total_fen=\($0.totalFen)" },
                                         object: { $0.id }) { tx in
            let ledger = IncentiveLedger(db: tx, cipher: cipher)
            // Read in the transaction that changes it: a run adding lines after the confirmation was shown is caught.
            if let expected, let now = try await ledger.batch(id: batch.id), now.lines != expected.lines || now.totalFen != expected.totalFen {
                throw StoreError(.conflict, code: "batch.confirmation_stale", now.number, String(expected.lines), MoneyText.plain(fen: expected.totalFen),
                                 String(now.lines), MoneyText.plain(fen: now.totalFen))
            }
            return try await change(ledger, batch.id, actor, at)
        }
    }

    // MARK: four eyes (docs/policies.md "Four eyes")

    /// Whether the four-eyes rule holds for a policy of `jurisdiction`: on unless the jurisdiction or
    /// the nearest region above it turned it off.
    public func fourEyesApplies(jurisdiction code: String) async throws -> Bool {
        guard let region = try await context.regions.region(code: code) else { return true }
        return try await ledger.fourEyesSetting(path: region.path.codesFromRoot)?.enabled ?? true
    }

    func fourEyesApplies(to batch: PaymentBatchInfo) async throws -> Bool {
        guard let policy = try await policies.policy(id: batch.policyID) else { return true }
        return try await fourEyesApplies(jurisdiction: policy.jurisdiction.value)
    }

    /// The submitter may not approve an application, nor may whoever approved another of its levels.
    func checkFourEyes(approving application: ApplicationInfo) async throws {
        guard let policy = try await policies.policy(id: application.policyID),
              try await fourEyesApplies(jurisdiction: policy.jurisdiction.value) else { return }
        let me = caller.username
        if application.submittedBy == me {
            throw try await context.forbidden(caller, "application", application.id, AccessDenied(code: "four_eyes.application_submitted"))
        }
        let step = try await ledger.reviewStep(applicationID: application.id) ?? 0
        if try await ledger.approvals(applicationID: application.id).contains(where: { $0.reviewer == me && $0.step != step }) {
            throw try await context.forbidden(caller, "application", application.id, AccessDenied(code: "four_eyes.application_level"))
        }
    }

    /// The setting that decides for a region (nil: none on file, the rule is on).
    public func fourEyesSetting(regionCode: String) async throws -> FourEyesSetting? {
        guard let region = try await context.regions.region(code: regionCode) else { throw StoreError.notFound(.region, regionCode) }
        return try await ledger.fourEyesSetting(path: region.path.codesFromRoot)
    }

    /// Every region's setting on file, for the administrators who may change them (the page
    /// `/admin/four-eyes`); others are refused like `setFourEyes`, audited.
    public func fourEyesSettings() async throws -> [FourEyesSetting] {
        guard [.securityAdministrator, .systemAdministrator].contains(caller.principal.role) else {
            throw try await context.forbidden(caller, "four_eyes", "settings", AccessDenied(code: "four_eyes.setting_admins_only"))
        }
        return try await ledger.fourEyesSettings()
    }

    /// Turns four eyes on or off for a region's policies. Only a security or system administrator
    /// may (on the command line, as such an account), with a reason; audited.
    public func setFourEyes(regionCode: String, enabled: Bool, reason: String) async throws -> FourEyesSetting {
        guard [.securityAdministrator, .systemAdministrator].contains(caller.principal.role) else {
            throw try await context.forbidden(caller, "four_eyes", regionCode, AccessDenied(code: "four_eyes.setting_admins_only"))
        }
        guard try await context.regions.region(code: regionCode) != nil else { throw StoreError.notFound(.region, regionCode) }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw StoreError(.invalid, code: "four_eyes.reason_required", details: [.init(field: "reason", code: "four_eyes.reason_required")])
        }
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        return try await context.audited(caller, .fourEyesSet, "four_eyes", details: "region=\(regionCode) enabled=\(enabled) reason=\(reason.prefix(200))",
                                         object: { $0.regionCode }) { tx in
            try await IncentiveLedger(db: tx, cipher: cipher).setFourEyes(regionCode: regionCode, enabled: enabled, reason: String(reason.prefix(200)),
                                                                          actor: actor, now: at)
        }
    }

    /// The payment list of the lines in the caller's scope (masked IDs, total, checksum) written
    /// to `url`, read from the standby when one may answer (like the other exports); the export
    /// is audited with its counts.
    @discardableResult
    public func export(batchID: String, to url: URL, format: SpreadsheetFormat) async throws -> (lines: Int, totalFen: Int, checksum: String) {
        let id = try await batch(batchID).id
        let reads = IncentiveLedger(db: await context.readDatabase(for: caller), cipher: context.cipher)
        let written: (lines: Int, totalFen: Int, checksum: String)
        do {
            written = try await reads.exportBatch(batchID: id, scope: caller.scope, to: url, format: format)
        } catch let error as StoreError where error.kind == .notFound {
            // A batch made a moment ago that the standby has not replayed yet: the primary has it.
            written = try await ledger.exportBatch(batchID: id, scope: caller.scope, to: url, format: format)
        }
        try await context.record(caller, .batchExport, "payment_batch", id,
                                 details: "\(format.rawValue) lines=\(written.lines) total_fen=\(written.totalFen)")
        return written
    }

    /// One payment line with the decision that justified it: a policy the caller may see, a
    /// person in their scope (otherwise the audited 404).
    public func line(id: String) async throws -> PaymentLineInfo {
        guard let line = try await ledger.line(id: id) else { throw StoreError.notFound(.paymentLine, id) }
        _ = try await policy(line.policyID)
        _ = try await visiblePerson(line.personID)
        return line
    }

    /// Totals of the policies the caller may see (or one of them), over people in the caller's scope.
    public func ledger(policyID: String?, byRegion: Bool, visible: Set<String>? = nil) async throws -> [LedgerTotal] {
        var ids: Set<String>
        if let visible { ids = visible } else { ids = try await visiblePolicyIDs() }
        if let policyID { ids = ids.intersection([policyID]) }
        return try await ledger.totals(policyIDs: ids, scope: caller.scope, byRegion: byRegion)
    }
}
