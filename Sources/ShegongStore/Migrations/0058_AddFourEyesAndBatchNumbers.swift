import FluentKit
import Foundation
import SQLKit

/// Four eyes on money and readable batch numbers (issue #17 §1, §3; docs/policies.md).
///
/// - `award_applications.submitted_by`: the account that submitted, which may not approve it.
///   Applications entered before this migration have none (nobody is held back from them).
/// - `payment_batch_runners`: every account that put lines into a batch (an allowance run, or the
///   final approval of an award application), which may not approve the batch.
/// - `payment_batches.number`: `<jurisdiction>-<YYYYMM>-<NN>`, the sequence among the batches of
///   the same jurisdiction and month in creation order; unique. Existing batches are numbered here.
/// - `payment_batches.paid_by`: who recorded the payment (the approver may not).
/// - `four_eyes_settings`: a region's choice (on by default: no row is on); the nearest row on the
///   path from a policy's jurisdiction up to the nation decides.
struct AddFourEyesAndBatchNumbers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("award_applications").field("submitted_by", .string).update()
        try await db.schema("payment_batches").field("number", .string).update()
        try await db.schema("payment_batches").field("paid_by", .string).update()
        try await db.schema("payment_batch_runners")
            .field("batch_id", .string, .required, .references("payment_batches", "id"))
            .field("username", .string, .required)
            .field("first_at", .string, .required)
            .unique(on: "batch_id", "username")
            .create()
        try await db.schema("four_eyes_settings")
            .field("region_code", .string, .identifier(auto: false))
            .field("enabled", .bool, .required)
            .field("reason", .string, .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .string, .required)
            .create()

        // Number the batches already on file, per jurisdiction and month, oldest first.
        let rows = try await db.sql.raw("""
            SELECT b.id, b.month, p.jurisdiction FROM payment_batches b JOIN incentive_policies p ON p.id = b.policy_id
            ORDER BY p.jurisdiction, b.month, b.created_at, b.id
            """).all()
        var sequence: [String: Int] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: String.self), month = try row.decode(column: "month", as: String.self)
            let jurisdiction = try row.decode(column: "jurisdiction", as: String.self)
            let key = "\(jurisdiction)-\(month)"
            sequence[key, default: 0] += 1
            try await db.sql.update("payment_batches")
                .set("number", to: BatchNumberFormat.number(jurisdiction: jurisdiction, month: month, sequence: sequence[key]!))
                .where("id", .equal, id).run()
        }
        try await createIndex(db, "payment_batches_number", on: "payment_batches", "number", unique: true)
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "payment_batches_number").run()
        try await db.schema("four_eyes_settings").delete()
        try await db.schema("payment_batch_runners").delete()
        try await db.schema("payment_batches").deleteField("paid_by").update()
        try await db.schema("payment_batches").deleteField("number").update()
        try await db.schema("award_applications").deleteField("submitted_by").update()
    }
}

/// `422826-202611-01`: the jurisdiction's code, the month without its dash, and the batch's
/// sequence among that jurisdiction's batches of the month (two digits, more when needed).
enum BatchNumberFormat {
    static func number(jurisdiction: String, month: String, sequence: Int) -> String {
        let seq = sequence < 10 ? "0\(sequence)" : String(sequence)
        return "\(jurisdiction)-\(month.replacingOccurrences(of: "-", with: ""))-\(seq)"
    }
}
