import FluentKit

/// One row per import attempt, committed or not, with its counts.
struct CreateCensusImports: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("census_imports")
            .field("id", .string, .identifier(auto: false))
            .field("file_name", .string, .required)
            .field("format", .string, .required)
            .field("actor", .string, .required)
            .field("dry_run", .bool, .required)
            .field("status", .string, .required)
            .field("started_at", .string, .required)
            .field("finished_at", .string, .required)
            .field("rows", .int, .required)
            .field("created", .int, .required)
            .field("updated", .int, .required)
            .field("unchanged", .int, .required)
            .field("rejected", .int, .required)
            .create()
        // The row-level report of an import, kept so it can be downloaded again. ID and mobile
        // values appear here masked.
        try await db.schema("census_import_issues")
            .field("id", .int64, .identifier(auto: true))
            .field("import_id", .string, .required, .references("census_imports", "id"))
            .field("row", .int, .required)
            .field("column_name", .string)
            .field("value", .string)
            .field("code", .string, .required)
            .field("message", .string, .required)
            .create()
        try await createIndex(db, "census_import_issues_import", on: "census_import_issues", "import_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("census_import_issues").delete()
        try await db.schema("census_imports").delete()
    }
}
