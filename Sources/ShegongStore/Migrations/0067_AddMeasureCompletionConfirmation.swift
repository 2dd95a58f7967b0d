import FluentKit
import Foundation
import SQLKit

/// A measure marked done waits for the plan owner (issue #18 §2; docs/architecture.md "Plans"):
/// `measure_reports.confirmation` is `awaiting`, `confirmed` or `returned` for a "done" report
/// that needed the owner's answer, and NULL for every other report — those on file before this
/// migration included, which stay as they were (done stays done). `confirmed_by` and
/// `confirmed_at` say who answered and when; `return_reason` why a report was returned.
struct AddMeasureCompletionConfirmation: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("measure_reports").field("confirmation", .string).update()
        try await db.schema("measure_reports").field("confirmed_by", .string).update()
        try await db.schema("measure_reports").field("confirmed_at", .string).update()
        try await db.schema("measure_reports").field("return_reason", .string).update()
    }

    func revert(on db: any Database) async throws {
        for column in ["return_reason", "confirmed_at", "confirmed_by", "confirmation"] {
            try await db.schema("measure_reports").deleteField(.string(column)).update()
        }
    }
}
