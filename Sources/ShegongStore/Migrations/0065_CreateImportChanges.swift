import FluentKit

/// What a census dry run would change, per person (issue #18): created or changed, with each
/// field's value before and after, so the wizard and the API can page through it after the dry
/// run's transaction was rolled back. ID and mobile values appear here masked.
struct CreateImportChanges: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("census_import_changes")
            .field("id", .int64, .identifier(auto: true))
            .field("import_id", .string, .required, .references("census_imports", "id"))
            .field("row", .int, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("id_masked", .string, .required)
            // JSON list of {field, before, after}: the registry's stored values (codes), named when shown.
            .field("fields", .string, .required)
            .create()
        try await createIndex(db, "census_import_changes_import", on: "census_import_changes", "import_id", "row")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("census_import_changes").delete()
    }
}
