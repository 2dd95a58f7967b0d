import FluentKit

/// Exam mobilisation aggregates (issue 5 §3): registrants and passes per year, level and region.
/// `level` is the certificate level's name, or `全部等级` for a figure over all levels (a NULL
/// would not take part in the unique key on either engine).
struct CreateExamFigures: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("exam_figures")
            .field("id", .string, .identifier(auto: false))
            .field("year", .int, .required)
            .field("level", .string, .required)
            .field("region_code", .string, .required)           // 000000 = the nation, which has no row in regions
            .field("registrants", .int64)
            .field("registrants_at_least", .bool, .required)
            .field("passes", .int64)
            .field("provenance", .string, .required)
            .field("note", .string)
            .field("updated_at", .string, .required)
            .field("updated_by", .string, .required)
            .unique(on: "year", "level", "region_code")
            .create()
        try await createIndex(db, "exam_figures_region", on: "exam_figures", "region_code")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("exam_figures").delete()
    }
}
