import FluentKit

/// The continuing-education ledger (issue #13, docs/training.md): one row per credit a worker
/// earned, whatever earned it — a completed training session, a completed social-work degree
/// (90 hours once), or other learning an office recognised. Training writes the session credits,
/// degree study and recognition write theirs; the registration rules only read this table, so a
/// renewal decision is explained from rows anyone can list.
///
/// Hours are kept in minutes (`minutes`), exact for half and quarter hours. One credit per
/// source record and person (`education_credit_source`), so a session completed twice, or a degree
/// completed twice, cannot count twice.
struct CreateEducationCredits: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("education_credits")
            .field("id", .string, .identifier(auto: false))
            .field("person_id", .string, .required, .references("people", "id"))
            .field("source", .string, .required)          // session | degree | recognised
            .field("reference_id", .string, .required)    // the session, degree study or recognition
            .field("minutes", .int, .required)
            .field("credited_on", .string, .required)     // yyyy-MM-dd, the day the hours count from
            .field("description", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "education_credit_source", on: "education_credits",
                              "source", "reference_id", "person_id", unique: true)
        try await createIndex(db, "education_credit_person", on: "education_credits", "person_id", "credited_on")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("education_credits").delete()
    }
}
