import FluentKit

/// Registrations record how they came (docs/training.md, "Registration and renewal"): `kind`
/// (`first` or `renewal`), the day it was registered and the account that recorded it. Rows made
/// before keep NULLs (shown as recorded). `registrations` stays the record of periods that the
/// public certificate check reads.
struct AddRegistrationRecordFields: AsyncMigration {
    static let fields: [String] = ["kind", "registered_on", "registered_by"]

    // One column a statement: SQLite's ALTER TABLE adds one at a time.
    func prepare(on db: any Database) async throws {
        for name in Self.fields {
            try await db.schema("registrations").field(FieldKey(stringLiteral: name), .string).update()
        }
        try await createIndex(db, "registrations_end", on: "registrations", "period_end")
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "registrations_end").run()
        for name in Self.fields {
            try await db.schema("registrations").deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
