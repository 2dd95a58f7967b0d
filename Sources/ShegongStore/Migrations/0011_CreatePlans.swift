import FluentKit

/// Plans → key tasks → measures, progress reports, and targets (issue 5 §4, §5). A measure's
/// status is never stored: it is computed from its reports and the date (`Measure.status`).
/// Measures are addressed as `plan id:measure id` (`jiuquan-2025:2.2`), which stays readable and
/// unique across plans.
struct CreatePlans: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("plans")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("jurisdiction", .string, .required)
            .field("jurisdiction_name", .string, .required)
            .field("issued_by", .string)
            .field("issued", .string)
            .field("period_from", .string)
            .field("period_to", .string, .required)
            .field("source", .string, .required)
            .field("source_note", .string)
            .field("created_at", .string, .required)
            .create()
        try await db.schema("plan_key_tasks")
            .field("id", .string, .identifier(auto: false))
            .field("plan_id", .string, .required, .references("plans", "id"))
            .field("task_id", .string, .required)
            .field("position", .int, .required)
            .field("title", .string, .required)
            .create()
        try await createIndex(db, "plan_key_tasks_plan", on: "plan_key_tasks", "plan_id")
        try await db.schema("plan_measures")
            .field("id", .string, .identifier(auto: false))
            .field("plan_id", .string, .required, .references("plans", "id"))
            .field("task_id", .string, .required)
            .field("measure_id", .string, .required)
            .field("position", .int, .required)
            .field("text", .string, .required)
            .field("lead", .string, .required)
            .field("cooperating", .string, .required)      // JSON array of department names
            .field("deadline", .string, .required)
            .field("departments_inferred", .bool, .required)
            .field("note", .string)
            .create()
        try await createIndex(db, "plan_measures_plan", on: "plan_measures", "plan_id")
        try await db.schema("measure_reports")
            .field("id", .string, .identifier(auto: false))
            .field("measure_id", .string, .required, .references("plan_measures", "id"))
            .field("date", .string, .required)
            .field("text", .string, .required)
            .field("evidence", .string, .required)         // JSON array of file names
            .field("completes", .bool, .required)
            .field("reported_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "measure_reports_measure", on: "measure_reports", "measure_id")
        try await db.schema("targets")
            .field("id", .string, .identifier(auto: false))
            .field("plan_id", .string, .references("plans", "id"))
            .field("indicator_id", .string, .required)
            .field("region_code", .string, .required)
            .field("comparator", .string, .required)
            .field("value", .double, .required)
            .field("tolerance", .double)
            .field("baseline_date", .string)
            .field("baseline_value", .double)
            .field("deadline", .string, .required)
            .field("period_from", .string)
            .field("period_to", .string)
            .field("note", .string)
            .field("position", .int, .required)
            .create()
        try await createIndex(db, "targets_region", on: "targets", "region_code")
    }

    func revert(on db: any Database) async throws {
        for table in ["targets", "measure_reports", "plan_measures", "plan_key_tasks", "plans"] {
            try await db.schema(table).delete()
        }
    }
}
