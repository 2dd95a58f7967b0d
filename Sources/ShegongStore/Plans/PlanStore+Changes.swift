import Foundation
import SQLKit
import ShegongDomain

/// Key tasks, measures and targets changed or deleted on screens (issue #18 §2). A change is
/// checked as the object was when it was added; a delete refuses where it would lose recorded
/// work (docs/plans.md "Changing and deleting"): a key task that still has measures, a measure
/// with progress reports (and so with evidence files). A target is referenced by nothing stored —
/// its assessment is computed from the region's figures, which stay — so it is deleted outright.
/// The schema has no archived state for any of them. Each row is addressed by its plan and its
/// number in the query, so an object of another plan is never touched.
extension PlanStore {
    /// What a measure's form gave, checked against the plan: the text, a deadline within the
    /// plan's period, the lead and cooperating departments active records of the plan's region or
    /// a region above it (the lead not also cooperating). Every problem is named with its field.
    func checkedMeasure(plan: Plan, _ input: MeasureInput) async throws -> (text: String, deadline: CivilDate, lead: Department, cooperating: [Department]) {
        var details: [StoreError.Detail] = []
        let text = Self.text(input.text, field: "text", code: "plan.measure.text.invalid", max: 1000, into: &details)
        if !plan.keyTasks.contains(where: { $0.id == input.taskID }) { details.append(.init(field: "task", code: "plan.measure.task.unknown")) }
        let deadline = CivilDate(censusText: input.deadline)
        if let deadline {
            if let from = plan.period.from, deadline < from { details.append(.init(field: "deadline", code: "plan.measure.deadline.before_start", from.description)) }
            if deadline > plan.period.to { details.append(.init(field: "deadline", code: "plan.measure.deadline.after_end", plan.period.to.description)) }
        } else {
            details.append(.init(field: "deadline", code: "plan.date.invalid"))
        }
        let available = try await DepartmentStore(sql: db.sql).available(to: plan.jurisdiction)
        let byID = Dictionary(available.map { ($0.id, $0) }) { a, _ in a }
        let lead = byID[input.leadDepartmentID]
        if lead == nil { details.append(.init(field: "lead", code: "plan.measure.lead.invalid")) }
        var cooperating: [Department] = []
        for id in input.cooperatingDepartmentIDs where id != input.leadDepartmentID && !cooperating.contains(where: { $0.id == id }) {
            guard let department = byID[id] else { details.append(.init(field: "cooperating", code: "plan.measure.cooperating.invalid")); break }
            cooperating.append(department)
        }
        guard details.isEmpty, let lead, let deadline else { throw Self.invalid(details) }
        return (text, deadline, lead, cooperating)
    }

    /// The next free position in a plan's list of `table` (after the last, so a delete leaves no tie).
    func nextPosition(_ table: String, planID: String) async throws -> Int {
        let rows = try await db.sql.select().column("position").from(table).where("plan_id", .equal, planID).all()
        return try (rows.map { try $0.decode(column: "position", as: Int.self) }.max() ?? -1) + 1
    }

    /// Renames a key task of the plan.
    public func updateKeyTask(planID: String, taskID: String, title: String) async throws {
        var details: [StoreError.Detail] = []
        let title = Self.text(title, field: "title", code: "plan.task.title.invalid", max: 200, into: &details)
        guard details.isEmpty else { throw Self.invalid(details) }
        try await requireRow("plan_key_tasks", planID: planID, column: "task_id", id: taskID, record: .keyTask)
        try await db.sql.update("plan_key_tasks").set("title", to: title)
            .where("plan_id", .equal, planID).where("task_id", .equal, taskID).run()
    }

    /// Deletes a key task that has no measures; one with measures is refused (409), naming how many.
    public func deleteKeyTask(planID: String, taskID: String) async throws {
        try await requireRow("plan_key_tasks", planID: planID, column: "task_id", id: taskID, record: .keyTask)
        let measures = try await db.sql.select().column("id").from("plan_measures")
            .where("plan_id", .equal, planID).where("task_id", .equal, taskID).all().count
        guard measures == 0 else {
            throw StoreError(.conflict, code: "plan.task.has_measures", taskID, String(measures))
        }
        try await db.sql.delete(from: "plan_key_tasks").where("plan_id", .equal, planID).where("task_id", .equal, taskID).run()
    }

    /// Changes a measure's text, deadline and departments (its key task, and so its number, stay:
    /// reports and evidence files are filed under the number).
    public func updateMeasure(plan: Plan, measureID: String, _ input: MeasureInput) async throws {
        let key = Self.measureKey(plan: plan.id, measure: measureID)
        try await requireRow("plan_measures", planID: plan.id, column: "measure_id", id: measureID, record: .measure, shown: key)
        var input = input
        if let task = plan.keyTasks.first(where: { $0.measures.contains { $0.id == measureID } }) { input.taskID = task.id }
        let (text, deadline, lead, cooperating) = try await checkedMeasure(plan: plan, input)
        try await db.sql.update("plan_measures").set("text", to: text).set("deadline", to: deadline.description)
            .set("lead", to: lead.name).set("lead_department_id", to: lead.id)
            .set("cooperating", to: JSONList.text(cooperating.map(\.name))).set("cooperating_department_ids", to: JSONList.text(cooperating.map(\.id)))
            .set("departments_inferred", to: false)
            .where("plan_id", .equal, plan.id).where("measure_id", .equal, measureID).run()
    }

    /// Deletes a measure nobody has reported on; one with progress reports (with or without
    /// evidence files) is refused (409), naming how many.
    public func deleteMeasure(planID: String, measureID: String) async throws {
        let key = Self.measureKey(plan: planID, measure: measureID)
        try await requireRow("plan_measures", planID: planID, column: "measure_id", id: measureID, record: .measure, shown: key)
        let reports = try await db.sql.select().column("id").from("measure_reports").where("measure_id", .equal, key).all().count
        let files = try await db.sql.select().column("id").from("measure_evidence").where("measure_id", .equal, key).all().count
        guard reports == 0, files == 0 else {
            throw StoreError(.conflict, code: "plan.measure.has_reports", measureID, String(reports))
        }
        do {
            try await db.sql.delete(from: "plan_measures").where("plan_id", .equal, planID).where("measure_id", .equal, measureID).run()
        } catch where WriteQueue.isForeignKeyViolation(error) {
            // A report arrived between the count above and the delete: refused as if counted.
            throw StoreError(.conflict, code: "plan.measure.has_reports", measureID, "1")
        }
    }

    /// Replaces a target of the plan (same id), validated as every target is (`Target.validate`).
    public func updateTarget(_ target: Target, planID: String) async throws {
        try await requireRow("targets", planID: planID, column: "id", id: target.id, record: .target)
        let issues = target.validate()
        guard issues.isEmpty else {
            throw StoreError(.invalid, code: "target.invalid",
                             text: .bilingual(chinese: issues.map(\.chinese).joined(separator: "；"), english: issues.map(\.english).joined(separator: "; ")),
                             details: issues.map { .init(field: Self.field(of: $0.code), code: $0.code, text: .bilingual($0)) })
        }
        try await db.sql.update("targets").set("indicator_id", to: target.indicatorID).set("region_code", to: target.region.value)
            .set("comparator", to: target.comparator.rawValue).set("value", to: target.value).set("tolerance", to: target.tolerance)
            .set("baseline_date", to: target.baseline?.date.description).set("baseline_value", to: target.baseline?.value)
            .set("deadline", to: target.deadline.description)
            .set("period_from", to: target.period?.from.description).set("period_to", to: target.period?.to.description)
            .set("note", to: target.note)
            .where("plan_id", .equal, planID).where("id", .equal, target.id).run()
    }

    /// Deletes a target of the plan.
    public func deleteTarget(planID: String, targetID: String) async throws {
        try await requireRow("targets", planID: planID, column: "id", id: targetID, record: .target)
        try await db.sql.delete(from: "targets").where("plan_id", .equal, planID).where("id", .equal, targetID).run()
    }

    /// The row of the plan in `table` whose `column` is `id`, else a 404 naming it.
    func requireRow(_ table: String, planID: String, column: String, id: String, record: StoreError.Record, shown: String? = nil) async throws {
        guard try await db.sql.select().column(column).from(table).where("plan_id", .equal, planID).where(column, .equal, id).first() != nil else {
            throw StoreError.notFound(record, shown ?? id)
        }
    }
}
