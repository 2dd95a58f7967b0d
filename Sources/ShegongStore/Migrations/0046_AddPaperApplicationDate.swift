import FluentKit

/// An application's date is the server's (docs/security.md): an office that enters a paper
/// application late records the date written on the paper, and why, in fields of their own.
/// The window is then checked against the paper's date; `submitted_on` stays the day of entry.
struct AddPaperApplicationDate: AsyncMigration {
    static let fields: [String] = ["paper_date", "paper_reason"]

    // One column a statement: SQLite's ALTER TABLE adds one at a time.
    func prepare(on db: any Database) async throws {
        for name in Self.fields {
            try await db.schema("award_applications").field(FieldKey(stringLiteral: name), .string).update()
        }
    }

    func revert(on db: any Database) async throws {
        for name in Self.fields {
            try await db.schema("award_applications").deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
