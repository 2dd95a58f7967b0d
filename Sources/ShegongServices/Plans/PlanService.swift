import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Plans, their measures and progress reports with evidence files (docs/security.md, "Region
/// scope of the aggregate API and the dashboard pages"): a plan is in sight of an account whose
/// region lies on the plan's jurisdiction chain — inside it or above it (a county official follows
/// the city's plan too). The condition is in the query, and a list of plans is loaded in a fixed
/// number of queries.
public struct PlanService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .departmentOperator)
    public static let reporters = Permission.write(.official, .departmentOperator)

    /// The caller's own region, the root of what is in sight; nil for accounts whose scope is not
    /// drawn over regions (they see no plan).
    var ownRegion: RegionCode? {
        guard let subtree = caller.scope.regionSubtree, case .success(let code) = RegionCode.parse(subtree.code) else { return nil }
        return code
    }

    /// The plans in sight; `around` keeps only those whose jurisdiction contains that region or lies in it.
    public func plans(around region: RegionCode? = nil) async throws -> [Plan] {
        try await context.require(caller, Self.readers, "plan")
        guard let own = ownRegion else { return [] }
        return try await PlanStore(db: context.db).plans(inChainOf: own, around: region)
    }

    /// Whether a plan of `jurisdiction` (and so its evidence files) is in sight.
    func mayRead(jurisdiction: RegionCode) -> Bool {
        guard let own = ownRegion else { return false }
        return own.contains(jurisdiction) || jurisdiction.contains(own)
    }

    /// A plan in sight; one out of sight answers like a missing one (audited).
    public func plan(id: String) async throws -> Plan {
        try await context.require(caller, Self.readers, "plan", id)
        guard let plan = try await PlanStore(db: context.db).plan(id: id) else { throw StoreError.notFound(.plan, id) }
        guard mayRead(jurisdiction: plan.jurisdiction) else { throw try await context.outOfScope(caller, "plan", id, what: .plan, id) }
        return plan
    }

    /// Adds a progress report to a measure of a plan in sight: a department operator reports only
    /// on the measures their department leads (an audited 403 otherwise), under that department's
    /// name; a read-write official reports on any plan of their region — its own plans, those of
    /// regions inside it, and those of the regions above it that cover it (issue #18 §2). Audited
    /// with the report and its evidence files in one transaction. A report marking the measure done
    /// waits for the plan owner's confirmation (`decideCompletion`) unless the reporter is an owner.
    /// Returns the measure as it stands afterwards.
    @discardableResult
    public func addReport(planID: String, measureID: String, _ input: PlanStore.ReportInput,
                          files: [EvidenceUpload] = []) async throws -> Measure {
        let key = PlanStore.measureKey(plan: planID, measure: measureID)
        try await context.require(caller, Self.reporters, "measure", key)
        let plan = try await plan(id: planID)
        guard let measure = plan.measures.first(where: { $0.id == measureID }) else { throw StoreError.notFound(.measure, key) }
        var input = input
        let owner = try await isOwner(of: plan)
        if case .department(let department, _) = caller.scope {
            guard Self.leads(measure, departmentID: caller.principal.departmentID) else {
                throw try await context.forbidden(caller, "measure", key, AccessDenied(code: "plan.measure.not_lead", key, department))
            }
            input.department = department
        } else {
            guard case .region(_, .readWrite) = caller.scope, owner || mayRead(jurisdiction: plan.jurisdiction) else {
                throw try await context.forbidden(caller, "measure", key, AccessDenied(code: "plan.measure.read_only", key))
            }
            if (input.department ?? "").trimmingCharacters(in: .whitespaces).isEmpty { input.department = caller.username }
        }
        let confirmation: CompletionConfirmation? = (input.completes ?? false) && !owner ? .awaiting : nil
        let report = input, uploader = caller.username, today = context.today, now = context.now()
        let names = files.map(\.fileName).joined(separator: "、")
        _ = try await context.audited(caller, .measureReport, "measure", details: names.isEmpty ? nil : "佐证材料：\(names)",
                                  object: { (_: ProgressReport) in key }) { tx in
            try await PlanStore(db: tx).addReport(measureKey: key, report, files: files, uploadedBy: uploader, today: today, now: now,
                                                  confirmation: confirmation)
        }
        guard let updated = try await PlanStore(db: context.db).plan(id: planID)?.measures.first(where: { $0.id == measureID }) else {
            throw StoreError.notFound(.measure, key)
        }
        return updated
    }

    /// Whether the operator's department record leads `measure` (records, never names: two
    /// offices' 民政局 are different departments; migration 0066).
    public static func leads(_ measure: Measure, departmentID: String?) -> Bool {
        guard let departmentID, let lead = measure.leadDepartmentID else { return false }
        return lead == departmentID
    }

    /// Whether the caller owns `plan`: a read-write official whose region contains the plan's
    /// jurisdiction (the plan's own office, or one above it). Owners confirm or return measures
    /// marked done.
    public func isOwner(of plan: Plan) async throws -> Bool {
        guard case .region(_, .readWrite) = caller.scope,
              let jurisdiction = try await context.regions.region(code: plan.jurisdiction.value) else { return false }
        return caller.scope.mayWrite(region: jurisdiction.path)
    }

    /// The plan owner's answer to a measure marked done: confirm (done from the report's date), or
    /// return with a reason (required, at most 500 characters; the measure is not done and the
    /// department sees why). Anyone but an owner gets the audited 403 (`plan.measure.not_owner`);
    /// a measure with nothing waiting is a conflict. Audited as `measure.confirm` or
    /// `measure.return` (with the reason). Returns the measure as it stands afterwards.
    @discardableResult
    public func decideCompletion(planID: String, measureID: String, confirm: Bool, reason: String?) async throws -> Measure {
        let key = PlanStore.measureKey(plan: planID, measure: measureID)
        try await context.require(caller, Self.reporters, "measure", key)
        let plan = try await plan(id: planID)
        guard plan.measures.contains(where: { $0.id == measureID }) else { throw StoreError.notFound(.measure, key) }
        guard try await isOwner(of: plan) else {
            throw try await context.forbidden(caller, "measure", key, AccessDenied(code: "plan.measure.not_owner", key))
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !confirm, !(1...500).contains(reason.count) {
            throw StoreError(.invalid, code: "validation", text: .init("validation.report"),
                             details: [.init(field: "reason", code: "measure.return_reason", text: .init("measure.return_reason"))])
        }
        let username = caller.username, now = context.now()
        _ = try await context.audited(caller, confirm ? .measureConfirm : .measureReturn, "measure", details: confirm ? nil : reason,
                                      object: { (_: Int) in key }) { tx in
            try await PlanStore(db: tx).decideCompletion(measureKey: key, confirm: confirm, reason: confirm ? nil : reason, by: username, now: now)
        }
        guard let updated = try await PlanStore(db: context.db).plan(id: planID)?.measures.first(where: { $0.id == measureID }) else {
            throw StoreError.notFound(.measure, key)
        }
        return updated
    }

    /// An evidence file with its bytes for whoever may read its plan, audited like an export; one
    /// out of sight answers exactly like a missing one, and the attempt is audited as denied.
    public func evidence(id: String) async throws -> StoredEvidence {
        try await context.require(caller, Self.readers, "evidence", id)
        guard let evidence = try await PlanStore(db: context.db).evidence(id: id) else { throw StoreError.notFound(.evidence, id) }
        guard mayRead(jurisdiction: evidence.jurisdiction) else { throw try await context.outOfScope(caller, "evidence", id, what: .evidence, id) }
        try await context.record(caller, .evidenceDownload, "evidence", id, details: "\(evidence.measureKey) \(evidence.file.fileName)")
        return evidence
    }
}

public extension AuditAction {
    static let evidenceDownload: AuditAction = "evidence.download"
    static let measureConfirm: AuditAction = "measure.confirm"
    static let measureReturn: AuditAction = "measure.return"
}
