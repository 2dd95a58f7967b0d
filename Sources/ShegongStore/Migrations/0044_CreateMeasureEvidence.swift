import FluentKit

/// The evidence files of progress reports (issue #5 §4), kept in the database itself: one backup
/// (`shegong backup`) holds them with the reports, and SQLite and PostgreSQL behave alike
/// (`.data` is BLOB on SQLite, BYTEA on PostgreSQL). `measure_reports.evidence` keeps listing the
/// names, so reports made before files were kept still show what they claimed.
struct CreateMeasureEvidence: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("measure_evidence")
            .field("id", .string, .identifier(auto: false))
            .field("report_id", .string, .required, .references("measure_reports", "id"))
            .field("measure_id", .string, .required, .references("plan_measures", "id"))
            .field("position", .int, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("byte_size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await createIndex(db, "measure_evidence_report", on: "measure_evidence", "report_id")
        try await createIndex(db, "measure_evidence_measure", on: "measure_evidence", "measure_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("measure_evidence").delete()
    }
}
