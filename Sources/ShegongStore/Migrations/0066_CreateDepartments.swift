import FluentKit
import Foundation
import SQLKit

/// Departments as records (issue #18 §2): a department belongs to a jurisdiction (a region), has a
/// name unique in it and can be deactivated (kept for the accounts and measures that name it, no
/// longer offered). An operator's account (`users.department_id`) and a measure's lead and
/// cooperating departments (`plan_measures.lead_department_id`, `cooperating_department_ids`, a JSON
/// list) point at records; the name columns stay as the name at the time, rewritten on a rename.
///
/// The free text on file becomes records: each measure's departments in its plan's jurisdiction,
/// then each operator's department — the record of that name nearest above or at the operator's
/// region (a county's 民政局 operator reports on the city plan's 民政局 measures as before), else a
/// new record in the operator's region (`DepartmentStore.resolve`).
struct CreateDepartments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("departments")
            .field("id", .string, .identifier(auto: false))
            .field("region_code", .string, .required)
            .field("name", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .string, .required)
            .field("updated_at", .string, .required)
            .create()
        try await createIndex(db, "departments_region_name", on: "departments", "region_code", "name", unique: true)
        try await db.schema("users").field("department_id", .string).update()
        try await db.schema("plan_measures").field("lead_department_id", .string).update()
        try await db.schema("plan_measures").field("cooperating_department_ids", .string).update()
        try await DepartmentStore.recordExistingValues(on: db.sql)
    }

    func revert(on db: any Database) async throws {
        try await db.schema("plan_measures").deleteField("cooperating_department_ids").update()
        try await db.schema("plan_measures").deleteField("lead_department_id").update()
        try await db.schema("users").deleteField("department_id").update()
        try await db.schema("departments").delete()
    }
}
