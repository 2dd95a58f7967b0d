import FluentKit
import SQLKit

/// The work of the "专业社工+志愿服务" fusion pilots (issue #14 §3, docs/pilots.md): a pilot's
/// period and lead organisation, its social workers, volunteers (identifiers sealed and masked as
/// a person's), teams, activities with each participant's minutes, and practice cases with their
/// workflow steps and evidence files (kept in the database, as measure evidence is).
///
/// `pilot_communities.good_practice_cases` stays what the indicators read. Until a pilot has a
/// case in the workflow it keeps the number typed in; from its first case it holds the pilot's
/// selected cases, maintained in each step's transaction, and the typed number moves to
/// `legacy_good_practice_cases` (NULL while the pilot has no workflow case).
struct CreatePilotWork: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.alter(table: "pilot_communities").column("period_start", type: .text).run()
        try await sql.alter(table: "pilot_communities").column("period_end", type: .text).run()
        try await sql.alter(table: "pilot_communities").column("lead_organization_id", type: .text).run()
        try await sql.alter(table: "pilot_communities").column("legacy_good_practice_cases", type: .bigint).run()

        try await db.schema("pilot_members")
            .field("pilot_id", .string, .required, .references("pilot_communities", "id"))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("created_at", .string, .required)
            .unique(on: "pilot_id", "person_id")
            .create()
        try await db.schema("pilot_volunteers")
            .field("id", .string, .identifier(auto: false))
            .field("pilot_id", .string, .required, .references("pilot_communities", "id"))
            .field("name", .string, .required)
            .field("mobile_cipher", .string)
            .field("mobile_masked", .string)
            .field("id_index", .string)
            .field("id_cipher", .string)
            .field("id_masked", .string)
            .field("skills", .string)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "pilot_volunteers_pilot", on: "pilot_volunteers", "pilot_id")
        try await db.schema("pilot_teams")
            .field("id", .string, .identifier(auto: false))
            .field("pilot_id", .string, .required, .references("pilot_communities", "id"))
            .field("name", .string, .required)
            .field("leader_person_id", .string, .required, .references("people", "id"))
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "pilot_teams_pilot", on: "pilot_teams", "pilot_id")
        try await db.schema("pilot_team_volunteers")
            .field("team_id", .string, .required, .references("pilot_teams", "id"))
            .field("volunteer_id", .string, .required, .references("pilot_volunteers", "id"))
            .unique(on: "team_id", "volunteer_id")
            .create()
        try await db.schema("pilot_activities")
            .field("id", .string, .identifier(auto: false))
            .field("pilot_id", .string, .required, .references("pilot_communities", "id"))
            .field("team_id", .string, .references("pilot_teams", "id"))
            .field("title", .string, .required)
            .field("kind", .string, .required)
            .field("activity_date", .string, .required)
            .field("start_minute", .int, .required)
            .field("end_minute", .int, .required)
            .field("beneficiaries", .int, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "pilot_activities_pilot_date", on: "pilot_activities", "pilot_id", "activity_date")
        try await db.schema("pilot_activity_hours")
            .field("activity_id", .string, .required, .references("pilot_activities", "id"))
            .field("volunteer_id", .string, .required, .references("pilot_volunteers", "id"))
            .field("minutes", .int, .required)
            .unique(on: "activity_id", "volunteer_id")
            .create()
        try await createIndex(db, "pilot_activity_hours_volunteer", on: "pilot_activity_hours", "volunteer_id")
        try await db.schema("pilot_cases")
            .field("id", .string, .identifier(auto: false))
            .field("pilot_id", .string, .required, .references("pilot_communities", "id"))
            .field("title", .string, .required)
            .field("narrative", .string, .required)
            .field("state", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .field("updated_at", .string, .required)
            .create()
        try await createIndex(db, "pilot_cases_pilot", on: "pilot_cases", "pilot_id")
        try await db.schema("pilot_case_steps")
            .field("id", .string, .identifier(auto: false))
            .field("case_id", .string, .required, .references("pilot_cases", "id"))
            .field("position", .int, .required)
            .field("action", .string, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("reviewer", .string, .required)
            .field("reason", .string)
            .field("at", .string, .required)
            .create()
        try await createIndex(db, "pilot_case_steps_case", on: "pilot_case_steps", "case_id")
        try await db.schema("pilot_case_evidence")
            .field("id", .string, .identifier(auto: false))
            .field("case_id", .string, .required, .references("pilot_cases", "id"))
            .field("position", .int, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("byte_size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "pilot_case_evidence_case", on: "pilot_case_evidence", "case_id")
    }

    func revert(on db: any Database) async throws {
        for table in ["pilot_case_evidence", "pilot_case_steps", "pilot_cases", "pilot_activity_hours", "pilot_activities",
                      "pilot_team_volunteers", "pilot_teams", "pilot_volunteers", "pilot_members"] {
            try await db.schema(table).delete()
        }
        for column in ["legacy_good_practice_cases", "lead_organization_id", "period_end", "period_start"] {
            try await db.schema("pilot_communities").deleteField(.string(column)).update()
        }
    }
}
