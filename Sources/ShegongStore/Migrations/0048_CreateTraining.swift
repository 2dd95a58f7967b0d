import FluentKit

/// Training (issue #13 §1, §2, §6; docs/training.md "Training"): courses by tier and audience,
/// their sessions with trainers, enrolments with a waiting list, attendance per day, the trainer
/// pool with ratings, and the resource library. A completed session's hours go to the
/// continuing-education ledger (`education_credits`, migration 0047), not here.
///
/// A course carries the region path of its organiser (a region's office, or an organisation's
/// region) as columns like `people`, so "courses organised in 酒泉市" is one indexed equality.
/// `training_sessions.seats_taken` is the guard of the last seat: an enrolment takes a seat with
/// `UPDATE … SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity`, which two
/// concurrent transactions cannot both pass.
struct CreateTraining: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("training_courses")
            .field("id", .string, .identifier(auto: false))
            .field("title", .string, .required)
            .field("tier", .string, .required)
            .field("audiences", .string, .required)          // JSON list of TrainingAudience codes
            .field("topics", .string, .required)             // JSON list of topic codes
            .field("credit_minutes", .int, .required)
            .field("fee_fen", .int, .required)               // 0: free
            .field("organizer_region_code", .string)
            .field("organizer_organization_id", .string, .references("organizations", "id"))
            .field("province_code", .string)
            .field("city_code", .string)
            .field("county_code", .string)
            .field("township_code", .string)
            .field("region_code", .string)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "training_course_city", on: "training_courses", "city_code")
        try await createIndex(db, "training_course_county", on: "training_courses", "county_code")
        try await createIndex(db, "training_course_org", on: "training_courses", "organizer_organization_id")

        try await db.schema("training_sessions")
            .field("id", .string, .identifier(auto: false))
            .field("course_id", .string, .required, .references("training_courses", "id"))
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("minutes_per_day", .int, .required)
            .field("practice_base_id", .string)
            .field("address", .string)
            .field("capacity", .int, .required)
            .field("seats_taken", .int, .required)
            .field("status", .string, .required)             // open | completed
            .field("completed_at", .string)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "training_session_course", on: "training_sessions", "course_id", "starts_on")

        try await db.schema("trainers")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("person_id", .string, .references("people", "id"))
            .field("fields", .string, .required)             // JSON list of topic codes
            .field("level", .string, .required)
            .field("region_code", .string, .required)
            .field("province_code", .string)
            .field("city_code", .string)
            .field("county_code", .string)
            .field("township_code", .string)
            .field("organization_id", .string, .references("organizations", "id"))
            .field("organization_name", .string)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "trainer_city", on: "trainers", "city_code")

        try await db.schema("training_session_trainers")
            .field("session_id", .string, .required, .references("training_sessions", "id"))
            .field("trainer_id", .string, .required, .references("trainers", "id"))
            .create()
        try await createIndex(db, "training_session_trainer", on: "training_session_trainers", "trainer_id", "session_id", unique: true)

        try await db.schema("training_enrolments")
            .field("id", .string, .identifier(auto: false))
            .field("session_id", .string, .required, .references("training_sessions", "id"))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("status", .string, .required)             // enrolled | waiting | withdrawn
            .field("queued_at", .string, .required)          // first come, first served on the waiting list
            .field("enrolled_by", .string, .required)
            .field("created_at", .string, .required)
            .field("updated_at", .string, .required)
            .create()
        try await createIndex(db, "training_enrolment_person", on: "training_enrolments", "session_id", "person_id", unique: true)
        try await createIndex(db, "training_enrolment_of_person", on: "training_enrolments", "person_id")

        try await db.schema("training_attendance")
            .field("session_id", .string, .required, .references("training_sessions", "id"))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("day", .string, .required)
            .field("minutes", .int, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .create()
        try await createIndex(db, "training_attendance_day", on: "training_attendance", "session_id", "person_id", "day", unique: true)

        try await db.schema("trainer_ratings")
            .field("session_id", .string, .required, .references("training_sessions", "id"))
            .field("trainer_id", .string, .required, .references("trainers", "id"))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("rating", .int, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "trainer_rating_once", on: "trainer_ratings", "session_id", "trainer_id", "person_id", unique: true)

        try await db.schema("training_materials")
            .field("id", .string, .identifier(auto: false))
            .field("title", .string, .required)
            .field("topics", .string, .required)
            .field("audiences", .string, .required)
            .field("url", .string)
            .field("file_name", .string)
            .field("content_type", .string)
            .field("byte_size", .int)
            .field("sha256", .string)
            .field("content", .data)
            .field("organization_id", .string, .references("organizations", "id"))
            .field("province_code", .string)
            .field("city_code", .string)
            .field("county_code", .string)
            .field("township_code", .string)
            .field("region_code", .string)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "training_material_city", on: "training_materials", "city_code")
    }

    func revert(on db: any Database) async throws {
        for table in ["training_materials", "trainer_ratings", "training_attendance", "training_enrolments", "training_session_trainers",
                      "trainers", "training_sessions", "training_courses"] {
            try await db.schema(table).delete()
        }
    }
}
