import FluentKit

/// Import issues kept by catalogue key and arguments beside their Chinese message, so a report
/// downloaded again shows in the page's language (`CatalogueMessage`). Issues stored earlier have
/// neither and keep their Chinese text in every language.
struct AddImportIssueMessageKeys: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await db.schema("census_import_issues").field("message_key", .string).update()
        try await db.schema("census_import_issues").field("message_arguments", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("census_import_issues").deleteField("message_arguments").update()
        try await db.schema("census_import_issues").deleteField("message_key").update()
    }
}
