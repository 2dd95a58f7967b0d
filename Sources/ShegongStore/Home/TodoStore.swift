import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A plan's measures that are due soon or overdue and not done (no report marks them done).
public struct MeasureTodo: Codable, Sendable, Equatable {
    public var planID: String
    public var planName: String
    /// Due within the window and not yet overdue.
    public var due: Int
    /// The deadline has passed.
    public var overdue: Int
}

/// The counts of the home page's to-do list (issue #18 §4), each one query with the caller's
/// scope as its condition: nothing is loaded to be counted in memory.
public struct TodoStore: Sendable {
    let db: any Database

    public init(db: any Database) {
        self.db = db
    }

    /// Applications waiting at one of `steps` (a policy and the index of the reviewing level in its
    /// chain) for people inside `scope`. Under four eyes (`fourEyesPolicies`) the caller's own
    /// submissions are left out: they may not approve them.
    public func applicationsAwaiting(steps: [(policyID: String, step: Int)], scope: Scope, caller: String,
                                     fourEyesPolicies: Set<String>) async throws -> Int {
        guard let first = steps.first else { return 0 }
        func step(_ s: (policyID: String, step: Int)) -> any SQLExpression {
            SQLGroupExpression(SQLBinaryExpression(SQLBinaryExpression(SQLColumn("policy_id", table: "a"), .equal, SQLBind(s.policyID)), .and,
                                                   SQLBinaryExpression(SQLColumn("review_step", table: "a"), .equal, SQLBind(s.step))))
        }
        let anyStep = steps.dropFirst().reduce(step(first)) { SQLBinaryExpression($0, .or, step($1)) }
        var query = db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("award_applications"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "a"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("status", table: "a"), .equal, SQLBind(ApplicationStatus.submitted.rawValue))
            .where(SQLGroupExpression(anyStep))
            .where(scope.peopleCondition(table: "p"))
        if !fourEyesPolicies.isEmpty {
            query = query.where(SQLQueryString("NOT (a.policy_id IN (\(binds: fourEyesPolicies.sorted())) AND COALESCE(a.submitted_by, '') = \(bind: caller))"))
        }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Draft batches with lines of `policyIDs` the caller may approve: under four eyes, not those
    /// the caller put lines into.
    public func batchesToApprove(policyIDs: Set<String>, caller: String, fourEyesPolicies: Set<String>) async throws -> Int {
        try await batches(.draft, policyIDs: policyIDs, fourEyesPolicies: fourEyesPolicies,
                          having: SQLQueryString("EXISTS (SELECT 1 FROM payment_lines l WHERE l.batch_id = b.id)"),
                          notThe: SQLQueryString("EXISTS (SELECT 1 FROM payment_batch_runners r WHERE r.batch_id = b.id AND r.username = \(bind: caller))"))
    }

    /// Approved batches of `policyIDs` waiting to be recorded paid: under four eyes, not those the
    /// caller approved.
    public func batchesToMarkPaid(policyIDs: Set<String>, caller: String, fourEyesPolicies: Set<String>) async throws -> Int {
        try await batches(.approved, policyIDs: policyIDs, fourEyesPolicies: fourEyesPolicies,
                          notThe: SQLQueryString("COALESCE(b.approved_by, '') = \(bind: caller)"))
    }

    /// The batches (`b`) of `policyIDs` in `status` that meet `having`, less — for the policies under
    /// four eyes — those where the caller did the step before (`notThe`).
    func batches(_ status: PaymentBatchStatus, policyIDs: Set<String>, fourEyesPolicies: Set<String>,
                 having: SQLQueryString? = nil, notThe callersStep: SQLQueryString) async throws -> Int {
        guard !policyIDs.isEmpty else { return 0 }
        var query = db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("payment_batches"), as: SQLIdentifier("b")))
            .where(SQLColumn("status", table: "b"), .equal, SQLBind(status.rawValue))
            .where(SQLColumn("policy_id", table: "b"), .in, SQLBind.group(policyIDs.sorted()))
        if let having { query = query.where(having) }
        if !fourEyesPolicies.isEmpty {
            query = query.where(SQLQueryString("NOT (b.policy_id IN (\(binds: fourEyesPolicies.sorted())) AND \(callersStep))"))
        }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Measures not done whose deadline is on or before `dueBy`, by plan: of the plans whose
    /// jurisdiction is `region` or lies inside it, or — with `lead` — of the plans on the region's
    /// chain that the department leads (a department operator reports on those, docs/security.md).
    public func measures(region: RegionCode, lead: String?, today: CivilDate, dueBy: CivilDate) async throws -> [MeasureTodo] {
        let jurisdiction: any SQLExpression = lead == nil
            ? SQLBinaryExpression(SQLBinaryExpression(SQLColumn("jurisdiction"), .equal, SQLBind(region.value)), .or,
                                  PlanStore.inside(region, column: "jurisdiction"))
            : PlanStore.chainCondition(region)
        // `jurisdiction` is a column of `plans` only, so the plan conditions need no table name.
        var query = db.sql.select()
            .column(SQLColumn("plan_id", table: "m")).column(SQLColumn("name", table: "p"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLQueryString("SUM(CASE WHEN m.deadline < \(bind: today.description) THEN 1 ELSE 0 END)"), as: "overdue")
            .from(SQLAlias(SQLIdentifier("plan_measures"), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier("plans"), as: SQLIdentifier("p")), on: SQLColumn("plan_id", table: "m"), .equal, SQLColumn("id", table: "p"))
            .where(SQLGroupExpression(jurisdiction))
            .where(SQLColumn("deadline", table: "m"), .lessThanOrEqual, SQLBind(dueBy.description))
            .where(SQLQueryString("NOT EXISTS (SELECT 1 FROM measure_reports r WHERE r.measure_id = m.id AND r.completes = \(bind: true))"))
        if let lead { query = query.where(SQLColumn("lead", table: "m"), .equal, SQLBind(lead)) }
        return try await query.groupBy(SQLColumn("plan_id", table: "m")).groupBy(SQLColumn("name", table: "p"))
            .orderBy(SQLColumn("plan_id", table: "m")).all().map { row in
                let total = try row.decode(column: "n", as: Int.self), overdue = try row.decode(column: "overdue", as: Int?.self) ?? 0
                return MeasureTodo(planID: try row.decode(column: "plan_id"), planName: try row.decode(column: "name"), due: total - overdue, overdue: overdue)
            }
    }
}
