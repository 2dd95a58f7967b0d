import FluentKit

/// The facts an allowance line was decided on, for lines decided by shape in SQL
/// (`AllowanceShapes`): the certificate and the post as they stood on the month's first day,
/// and the policy revision applied. With them the engine re-derives the line's explanation
/// exactly (`IncentiveLedger.line(id:)`), so a line does not carry 3 KB of JSON of its own;
/// lines decided one by one keep their `explanation` JSON and leave these empty.
struct AddPaymentLineFacts: AsyncMigration {
    static let fields: [(String, DatabaseSchema.DataType)] = [
        ("certificate_number", .string), ("certificate_issue_date", .string), ("certificate_low_score_area", .bool),
        ("post_category", .string), ("post_organization_kind", .string), ("post_start", .string), ("post_end", .string),
        ("policy_revision", .int64),
    ]

    // One column a statement: SQLite's ALTER TABLE adds one at a time.
    func prepare(on db: any Database) async throws {
        for (name, type) in Self.fields {
            try await db.schema("payment_lines").field(FieldKey(stringLiteral: name), type).update()
        }
    }

    func revert(on db: any Database) async throws {
        for (name, _) in Self.fields {
            try await db.schema("payment_lines").deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
