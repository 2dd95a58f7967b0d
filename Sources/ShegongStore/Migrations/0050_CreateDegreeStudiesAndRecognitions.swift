import FluentKit

/// Degree study and recognised learning (issue #13 §3–§4, docs/training.md): enrolments in
/// social-work degree programmes, whose completion writes the one `degree` credit; learning an
/// office recognised, whose `recognised` credit it writes, with its evidence files kept in the
/// database like measure evidence (`.data` is BLOB on SQLite, BYTEA on PostgreSQL).
struct CreateDegreeStudiesAndRecognitions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("degree_studies")
            .field("id", .string, .identifier(auto: false))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("institution", .string, .required)
            .field("level", .string, .required)                 // 专科 | 本科 | 硕士
            .field("mode", .string, .required)                  // full_time | part_time | distance
            .field("start_date", .string, .required)
            .field("expected_completion", .string, .required)
            .field("completed_on", .string)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .field("updated_at", .string, .required)
            .create()
        try await createIndex(db, "degree_studies_person", on: "degree_studies", "person_id")

        try await db.schema("education_recognitions")
            .field("id", .string, .identifier(auto: false))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("title", .string, .required)
            .field("minutes", .int, .required)
            .field("learned_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "education_recognitions_person", on: "education_recognitions", "person_id")

        try await db.schema("education_evidence")
            .field("id", .string, .identifier(auto: false))
            .field("recognition_id", .string, .required, .references("education_recognitions", "id"))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("position", .int, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("byte_size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "education_evidence_recognition", on: "education_evidence", "recognition_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("education_evidence").delete()
        try await db.schema("education_recognitions").delete()
        try await db.schema("degree_studies").delete()
    }
}
