import Foundation
import SQLKit
import ShegongDomain

/// Plans made on screens (issue #18 §2): a plan's header, then its key tasks, measures and targets
/// one at a time. Every problem is named with its field; nothing is written when there is one.
extension PlanStore {
    /// A new plan's header as typed on the form.
    public struct PlanInput: Sendable {
        public var name: String
        public var jurisdiction: RegionCode
        public var jurisdictionName: String
        public var periodFrom: String
        public var periodTo: String
        public var issuedBy: String?

        public init(name: String, jurisdiction: RegionCode, jurisdictionName: String, periodFrom: String, periodTo: String, issuedBy: String? = nil) {
            self.name = name; self.jurisdiction = jurisdiction; self.jurisdictionName = jurisdictionName
            self.periodFrom = periodFrom; self.periodTo = periodTo; self.issuedBy = issuedBy
        }
    }

    /// A new measure as chosen on the form: its key task, text, deadline and department records.
    public struct MeasureInput: Sendable {
        public var taskID: String
        public var text: String
        public var deadline: String
        public var leadDepartmentID: String
        public var cooperatingDepartmentIDs: [String]

        public init(taskID: String, text: String, deadline: String, leadDepartmentID: String, cooperatingDepartmentIDs: [String] = []) {
            self.taskID = taskID; self.text = text; self.deadline = deadline
            self.leadDepartmentID = leadDepartmentID; self.cooperatingDepartmentIDs = cooperatingDepartmentIDs
        }
    }

    static func invalid(_ details: [StoreError.Detail]) -> StoreError {
        StoreError(.invalid, code: "validation", text: .init("validation.plan"), details: details)
    }

    static func text(_ value: String, field: String, code: String, max: Int, into details: inout [StoreError.Detail]) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...max).contains(trimmed.count) { details.append(.init(field: field, code: code, "\(max)")) }
        return trimmed
    }

    /// Writes a new plan's header (no key tasks yet) with a new id (`plan-…`); the period's end
    /// must come after its start.
    public func create(_ input: PlanInput, now: Date = Date()) async throws -> String {
        var details: [StoreError.Detail] = []
        let name = Self.text(input.name, field: "name", code: "plan.name.invalid", max: 100, into: &details)
        let from = CivilDate(censusText: input.periodFrom), to = CivilDate(censusText: input.periodTo)
        if from == nil { details.append(.init(field: "periodFrom", code: "plan.date.invalid")) }
        if to == nil { details.append(.init(field: "periodTo", code: "plan.date.invalid")) }
        if let from, let to, to <= from { details.append(.init(field: "periodTo", code: "plan.period.order")) }
        let issuedBy = input.issuedBy?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let issuedBy, issuedBy.count > 100 { details.append(.init(field: "issuedBy", code: "plan.issued_by.invalid", "100")) }
        guard details.isEmpty, let to else { throw Self.invalid(details) }
        let id = "plan-" + RecordID.make(now: now).suffix(12)
        try await db.sql.insert(into: "plans")
            .columns("id", "name", "jurisdiction", "jurisdiction_name", "issued_by", "issued", "period_from", "period_to", "source", "source_note", "created_at")
            .values(id, name, input.jurisdiction.value, input.jurisdictionName, (issuedBy?.isEmpty ?? true) ? nil : issuedBy, nil as String?,
                    from?.description, to.description, name, nil as String?, Timestamp.string(now))
            .run()
        return id
    }

    /// Changes a plan's name, period and issuing office, checked as when it was created; a period
    /// that would leave a measure's deadline outside it is refused, naming the measure.
    public func update(_ plan: Plan, name: String, periodFrom: String, periodTo: String, issuedBy: String?) async throws {
        var details: [StoreError.Detail] = []
        let name = Self.text(name, field: "name", code: "plan.name.invalid", max: 100, into: &details)
        let from = CivilDate(censusText: periodFrom), to = CivilDate(censusText: periodTo)
        if from == nil { details.append(.init(field: "periodFrom", code: "plan.date.invalid")) }
        if to == nil { details.append(.init(field: "periodTo", code: "plan.date.invalid")) }
        if let from, let to, to <= from { details.append(.init(field: "periodTo", code: "plan.period.order")) }
        if let from, let to, let outside = plan.measures.first(where: { $0.deadline < from || $0.deadline > to }) {
            details.append(.init(field: "periodTo", code: "plan.period.excludes_measure", outside.id, outside.deadline.description))
        }
        let issuedBy = issuedBy?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let issuedBy, issuedBy.count > 100 { details.append(.init(field: "issuedBy", code: "plan.issued_by.invalid", "100")) }
        guard details.isEmpty, let from, let to else { throw Self.invalid(details) }
        try await db.sql.update("plans").set("name", to: name).set("period_from", to: from.description).set("period_to", to: to.description)
            .set("issued_by", to: (issuedBy?.isEmpty ?? true) ? nil : issuedBy).where("id", .equal, plan.id).run()
    }

    /// Adds a key task at the end of the plan's list, numbered after the last (`1`, `2` …).
    public func addKeyTask(planID: String, title: String) async throws -> String {
        var details: [StoreError.Detail] = []
        let title = Self.text(title, field: "title", code: "plan.task.title.invalid", max: 200, into: &details)
        guard details.isEmpty else { throw Self.invalid(details) }
        let rows = try await db.sql.select().column("task_id").from("plan_key_tasks").where("plan_id", .equal, planID).all()
        let numbers = try rows.compactMap { Int(try $0.decode(column: "task_id", as: String.self)) }
        let id = String((numbers.max() ?? 0) + 1)
        try await db.sql.insert(into: "plan_key_tasks").columns("id", "plan_id", "task_id", "position", "title")
            .values("\(planID):\(id)", planID, id, try await nextPosition("plan_key_tasks", planID: planID), title).run()
        return id
    }

    /// Adds a measure to a key task of the plan (`task.n`): the deadline a date within the plan's
    /// period (not before its start), the departments active records of the plan's region or a
    /// region above it, the lead not also cooperating.
    public func addMeasure(plan: Plan, _ input: MeasureInput) async throws -> String {
        let (text, deadline, lead, cooperating) = try await checkedMeasure(plan: plan, input)
        let existing = plan.keyTasks.first { $0.id == input.taskID }?.measures ?? []
        let numbers = existing.compactMap { Int($0.id.split(separator: ".").last ?? "") }
        let id = "\(input.taskID).\((numbers.max() ?? 0) + 1)"
        let position = try await nextPosition("plan_measures", planID: plan.id)
        try await db.sql.insert(into: "plan_measures")
            .columns("id", "plan_id", "task_id", "measure_id", "position", "text", "lead", "cooperating", "deadline", "departments_inferred", "note",
                     "lead_department_id", "cooperating_department_ids")
            .values(Self.measureKey(plan: plan.id, measure: id), plan.id, input.taskID, id, position, text, lead.name,
                    JSONList.text(cooperating.map(\.name)), deadline.description, false, nil as String?, lead.id, JSONList.text(cooperating.map(\.id)))
            .run()
        return id
    }

    /// Adds a target to the plan (validated as every target is, `Target.validate`); a duplicate id is a conflict.
    public func addTarget(_ target: Target, planID: String) async throws {
        let issues = target.validate()
        guard issues.isEmpty else {
            throw StoreError(.invalid, code: "target.invalid",
                             text: .bilingual(chinese: issues.map(\.chinese).joined(separator: "；"), english: issues.map(\.english).joined(separator: "; ")),
                             details: issues.map { .init(field: Self.field(of: $0.code), code: $0.code, text: .bilingual($0)) })
        }
        let position = try await nextPosition("targets", planID: planID)
        try await Self.insert(target, plan: planID, position: position, on: db.sql)
    }
}
