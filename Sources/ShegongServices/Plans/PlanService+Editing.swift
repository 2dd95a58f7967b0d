import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Plans made on screens (issue #18 §2): whoever owns plans in a region today — a read-write
/// official whose region contains it (`isOwner`) — creates a plan there and adds its key tasks,
/// measures (lead and cooperating departments chosen among the records) and targets. A region out
/// of sight answers like an unknown one, a region in sight but not writable is an audited 403;
/// each change is audited in its own transaction, and an invalid one writes nothing.
extension PlanService {
    public static let editors = Permission.write(.official)

    /// Creates a plan of a region the caller may change; returns its id.
    public func create(name: String, region code: String, periodFrom: String, periodTo: String, issuedBy: String?) async throws -> String {
        try await context.require(caller, Self.editors, "plan")
        let region = try await context.region(caller, code: code, field: "region")
        guard caller.scope.mayWrite(region: region.path) else {
            throw try await context.forbidden(caller, "region", region.code, AccessDenied(code: "scope.read_only", region.code))
        }
        let jurisdiction = region.level == .nation ? RegionCode.nation : try RegionCode.parse(region.code).get()
        let input = PlanStore.PlanInput(name: name, jurisdiction: jurisdiction, jurisdictionName: region.name, periodFrom: periodFrom,
                                        periodTo: periodTo, issuedBy: issuedBy)
        let now = context.now()
        return try await context.audited(caller, .planCreate, "plan", details: "\(region.code) \(name)", object: { (id: String) in id }) { tx in
            try await PlanStore(db: tx).create(input, now: now)
        }
    }

    /// A plan in sight that the caller owns (else the audited 403 `plan.not_owner`).
    func owned(_ planID: String) async throws -> Plan {
        let plan = try await plan(id: planID)
        guard try await isOwner(of: plan) else {
            throw try await context.forbidden(caller, "plan", planID, AccessDenied(code: "plan.not_owner", plan.name))
        }
        return plan
    }

    /// Changes the name, period and issuing office of a plan the caller owns.
    public func update(planID: String, name: String, periodFrom: String, periodTo: String, issuedBy: String?) async throws {
        try await context.require(caller, Self.editors, "plan", planID)
        let plan = try await owned(planID)
        _ = try await context.audited(caller, .planUpdate, "plan", details: "\(plan.name) → \(name) \(periodFrom)–\(periodTo)",
                                      object: { (_: Bool) in planID }) { tx in
            try await PlanStore(db: tx).update(plan, name: name, periodFrom: periodFrom, periodTo: periodTo, issuedBy: issuedBy)
            return true
        }
    }

    /// Adds a key task to a plan the caller owns; returns its number.
    public func addKeyTask(planID: String, title: String) async throws -> String {
        try await context.require(caller, Self.editors, "plan", planID)
        _ = try await owned(planID)
        return try await context.audited(caller, .planTaskCreate, "plan", details: title, object: { (id: String) in "\(planID):\(id)" }) { tx in
            try await PlanStore(db: tx).addKeyTask(planID: planID, title: title)
        }
    }

    /// Adds a measure to a key task of a plan the caller owns; returns its number (`1.2`).
    public func addMeasure(planID: String, _ input: PlanStore.MeasureInput) async throws -> String {
        try await context.require(caller, Self.editors, "plan", planID)
        let plan = try await owned(planID)
        return try await context.audited(caller, .planMeasureCreate, "measure", details: input.text,
                                         object: { (id: String) in PlanStore.measureKey(plan: planID, measure: id) }) { tx in
            try await PlanStore(db: tx).addMeasure(plan: plan, input)
        }
    }

    /// Adds a target to a plan the caller owns, for the plan's region or one inside it.
    public func addTarget(planID: String, _ target: Target) async throws {
        try await context.require(caller, Self.editors, "plan", planID)
        let plan = try await owned(planID)
        guard plan.jurisdiction.contains(target.region) || plan.jurisdiction == target.region,
              try await context.regions.region(code: target.region.value) != nil else {
            throw StoreError(.invalid, code: "validation", text: .init("validation.target"),
                             details: [.init(field: "region", code: "plan.target.region", plan.jurisdictionName)])
        }
        _ = try await context.audited(caller, .targetCreate, "target", details: "\(planID) \(target.indicatorID) \(target.statement)",
                                      object: { (_: Bool) in target.id }) { tx in
            try await PlanStore(db: tx).addTarget(target, planID: planID)
            return true
        }
    }
}

public extension AuditAction {
    static let planCreate: AuditAction = "plan.create"
    static let planUpdate: AuditAction = "plan.update"
    static let planTaskCreate: AuditAction = "plan.task_create"
    static let planMeasureCreate: AuditAction = "plan.measure_create"
}
