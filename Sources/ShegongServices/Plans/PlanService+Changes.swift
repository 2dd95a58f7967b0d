import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Key tasks, measures and targets changed or deleted on screens (issue #18 §2), by whoever may
/// add them: a read-write official who owns the plan (`owned`: a plan out of sight answers like a
/// missing one, in sight but not owned the audited 403). The object is addressed by its plan in the
/// store's query; each change is audited in its own transaction (before → after in the details),
/// and a delete that would lose recorded work is refused with a message saying why
/// (`PlanStore+Changes`; docs/plans.md).
extension PlanService {
    /// A plan in sight that the caller owns, for the pages that change its objects: out of sight
    /// the audited 404, in sight but not owned the audited 403 (`plan.not_owner`).
    public func ownedPlan(id: String) async throws -> Plan {
        try await context.require(caller, Self.editors, "plan", id)
        return try await owned(id)
    }

    /// The key task `taskID` of a plan the caller owns (else 404).
    func ownedTask(_ planID: String, _ taskID: String) async throws -> (Plan, KeyTask) {
        let plan = try await owned(planID)
        guard let task = plan.keyTasks.first(where: { $0.id == taskID }) else { throw StoreError.notFound(.keyTask, taskID) }
        return (plan, task)
    }

    /// The measure `measureID` of a plan the caller owns (else 404).
    func ownedMeasure(_ planID: String, _ measureID: String) async throws -> (Plan, Measure) {
        let plan = try await owned(planID)
        guard let measure = plan.measures.first(where: { $0.id == measureID }) else {
            throw StoreError.notFound(.measure, PlanStore.measureKey(plan: planID, measure: measureID))
        }
        return (plan, measure)
    }

    /// The target `targetID` of a plan the caller owns (else 404).
    func ownedTarget(_ planID: String, _ targetID: String) async throws -> (Plan, Target) {
        let plan = try await owned(planID)
        guard let target = plan.targets.first(where: { $0.id == targetID }) else { throw StoreError.notFound(.target, targetID) }
        return (plan, target)
    }

    /// Renames a key task of a plan the caller owns.
    public func updateKeyTask(planID: String, taskID: String, title: String) async throws {
        try await context.require(caller, Self.editors, "plan", planID)
        let (_, task) = try await ownedTask(planID, taskID)
        _ = try await context.audited(caller, .planTaskUpdate, "plan", details: "\(task.id) \(task.title) → \(title)",
                                      object: { (_: Bool) in "\(planID):\(taskID)" }) { tx in
            try await PlanStore(db: tx).updateKeyTask(planID: planID, taskID: taskID, title: title)
            return true
        }
    }

    /// Deletes a key task without measures from a plan the caller owns (409 while it has measures).
    public func deleteKeyTask(planID: String, taskID: String) async throws {
        try await context.require(caller, Self.editors, "plan", planID)
        let (_, task) = try await ownedTask(planID, taskID)
        _ = try await context.audited(caller, .planTaskDelete, "plan", details: "\(task.id) \(task.title)",
                                      object: { (_: Bool) in "\(planID):\(taskID)" }) { tx in
            try await PlanStore(db: tx).deleteKeyTask(planID: planID, taskID: taskID)
            return true
        }
    }

    /// Changes a measure's text, deadline and departments (records of the plan's region or above)
    /// on a plan the caller owns; its key task and number stay.
    public func updateMeasure(planID: String, measureID: String, _ input: PlanStore.MeasureInput) async throws {
        let key = PlanStore.measureKey(plan: planID, measure: measureID)
        try await context.require(caller, Self.editors, "measure", key)
        let (plan, measure) = try await ownedMeasure(planID, measureID)
        let before = "\(measure.text) \(measure.lead) \(measure.deadline)"
        _ = try await context.audited(caller, .planMeasureUpdate, "measure", details: "\(before) → \(input.text) \(input.deadline)",
                                      object: { (_: Bool) in key }) { tx in
            try await PlanStore(db: tx).updateMeasure(plan: plan, measureID: measureID, input)
            return true
        }
    }

    /// Deletes a measure nobody has reported on from a plan the caller owns (409 once it has a
    /// progress report: the reports and their evidence are recorded work).
    public func deleteMeasure(planID: String, measureID: String) async throws {
        let key = PlanStore.measureKey(plan: planID, measure: measureID)
        try await context.require(caller, Self.editors, "measure", key)
        let (_, measure) = try await ownedMeasure(planID, measureID)
        _ = try await context.audited(caller, .planMeasureDelete, "measure", details: "\(measure.text) \(measure.lead) \(measure.deadline)",
                                      object: { (_: Bool) in key }) { tx in
            try await PlanStore(db: tx).deleteMeasure(planID: planID, measureID: measureID)
            return true
        }
    }

    /// Replaces a target of a plan the caller owns (same id; for the plan's region or one inside it).
    public func updateTarget(planID: String, _ target: Target) async throws {
        try await context.require(caller, Self.editors, "target", target.id)
        let (plan, old) = try await ownedTarget(planID, target.id)
        guard plan.jurisdiction.contains(target.region) || plan.jurisdiction == target.region,
              try await context.regions.region(code: target.region.value) != nil else {
            throw StoreError(.invalid, code: "validation", text: .init("validation.target"),
                             details: [.init(field: "region", code: "plan.target.region", plan.jurisdictionName)])
        }
        _ = try await context.audited(caller, .targetUpdate, "target",
                                      details: "\(planID) \(old.indicatorID) \(old.statement) → \(target.indicatorID) \(target.statement)",
                                      object: { (_: Bool) in target.id }) { tx in
            try await PlanStore(db: tx).updateTarget(target, planID: planID)
            return true
        }
    }

    /// Deletes a target of a plan the caller owns.
    public func deleteTarget(planID: String, targetID: String) async throws {
        try await context.require(caller, Self.editors, "target", targetID)
        let (_, target) = try await ownedTarget(planID, targetID)
        _ = try await context.audited(caller, .targetDelete, "target", details: "\(planID) \(target.indicatorID) \(target.statement)",
                                      object: { (_: Bool) in targetID }) { tx in
            try await PlanStore(db: tx).deleteTarget(planID: planID, targetID: targetID)
            return true
        }
    }
}

public extension AuditAction {
    static let planTaskUpdate: AuditAction = "plan.task_update"
    static let planTaskDelete: AuditAction = "plan.task_delete"
    static let planMeasureUpdate: AuditAction = "plan.measure_update"
    static let planMeasureDelete: AuditAction = "plan.measure_delete"
    static let targetUpdate: AuditAction = "target.update"
    static let targetDelete: AuditAction = "target.delete"
}
