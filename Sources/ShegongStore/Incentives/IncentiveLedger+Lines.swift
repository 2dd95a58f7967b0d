import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// One payment line with the decision that justified it (issue #4 §6).
public struct PaymentLineInfo: Codable, Sendable, Equatable {
    public var id: String
    public var batchID: String
    public var policyID: String
    public var personID: String
    public var regionCode: String
    public var kind: String
    public var month: String?
    public var level: String?
    public var amountFen: Int
    public var state: PaymentLineState
    public var decision: EligibilityDecision
}

extension IncentiveLedger {
    /// A line and its explanation. Lines decided one by one carry the engine's decision as JSON;
    /// lines decided by shape (`AllowanceShapes`) carry the facts of the month's first day and
    /// the policy revision, and the engine derives the same decision from them again — it is
    /// pure, so the explanation is exactly the one the run acted on.
    public func line(id: String) async throws -> PaymentLineInfo? {
        guard let row = try await db.sql.select().column("*").from("payment_lines").where("id", .equal, id).first() else { return nil }
        let explanation: String = try row.decode(column: "explanation")
        let decision: EligibilityDecision
        if !explanation.isEmpty {
            decision = try JSONDecoder().decode(EligibilityDecision.self, from: Data(explanation.utf8))
        } else {
            decision = try await Self.rederived(row, on: db.sql)
        }
        return PaymentLineInfo(id: id, batchID: try row.decode(column: "batch_id"), policyID: try row.decode(column: "policy_id"),
                               personID: try row.decode(column: "person_id"), regionCode: try row.decode(column: "region_code"),
                               kind: try row.decode(column: "kind"), month: try row.decode(column: "month", as: String?.self),
                               level: try row.decode(column: "level", as: String?.self), amountFen: try row.decode(column: "amount_fen", as: Int.self),
                               state: try row.decode(column: "state"), decision: decision)
    }

    /// The decision of a line written by shape, from its stored facts and policy revision.
    static func rederived(_ row: any SQLRow, on sql: any SQLDatabase) async throws -> EligibilityDecision {
        let broken = StoreError(.conflict, code: "ledger.line_facts")
        guard let revision = try row.decode(column: "policy_revision", as: Int?.self),
              let yaml = try await sql.select().column("yaml").from("incentive_policy_revisions").where("id", .equal, revision).first()?
                .decode(column: "yaml", as: String.self),
              let month = CivilMonth(iso: try row.decode(column: "month", as: String?.self) ?? ""),
              let level = CertificateLevel(rawValue: try row.decode(column: "level", as: String?.self) ?? ""),
              let issued = CivilDate(iso: try row.decode(column: "certificate_issue_date", as: String?.self) ?? ""),
              case .success(let region) = RegionCode.parse(try row.decode(column: "region_code", as: String.self)) else { throw broken }
        let policy = try PolicyStore.parse(yaml, id: try row.decode(column: "policy_id"))
        var person = PersonSnapshot(id: try row.decode(column: "person_id"), regionPath: [.nation] + PersonSnapshot.structuralPath(to: region),
                                    certificates: [HeldCertificate(level: level, number: try row.decode(column: "certificate_number", as: String?.self) ?? "",
                                                                   issueDate: issued,
                                                                   lowScoreArea: try row.decode(column: "certificate_low_score_area", as: Bool?.self) ?? false)])
        if let category = PostCategory(rawValue: try row.decode(column: "post_category", as: String?.self) ?? "") {
            guard let start = CivilDate(iso: try row.decode(column: "post_start", as: String?.self) ?? "") else { throw broken }
            person.posts = [PostTenure(category: category, employerKind: EmployerKind(organizationKind: try row.decode(column: "post_organization_kind", as: String?.self)),
                                       start: start, end: try row.decode(column: "post_end", as: String?.self).flatMap(CivilDate.init(iso:)))]
        }
        return IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: month)
    }
}

/// A line of a batch as the batch page lists it.
public struct PaymentLineRow: Codable, Sendable, Equatable {
    public var id: String
    public var personName: String
    public var idMasked: String
    public var regionCode: String
    public var kind: String
    public var month: String?
    public var level: String?
    public var amountFen: Int
    public var state: PaymentLineState
}

extension IncentiveLedger {
    /// A page of a batch's lines, of people inside `scope` only, by region and id.
    public func lines(batchID: String, scope: Scope, page: Int, perPage: Int = 100) async throws -> (rows: [PaymentLineRow], total: Int) {
        func base() -> SQLSelectBuilder {
            db.sql.select()
                .from(SQLAlias(SQLIdentifier("payment_lines"), as: SQLIdentifier("l")))
                .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "l"), .equal, SQLColumn("id", table: "p"))
                .where(SQLColumn("batch_id", table: "l"), .equal, SQLBind(batchID))
                .where(scope.peopleCondition(table: "p"))
        }
        let total = try await base().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()!.decode(column: "n", as: Int.self)
        let rows = try await base()
            .column(SQLRaw("l.id, p.name, p.id_masked, l.region_code, l.kind, l.month, l.level, l.amount_fen, l.state"))
            .orderBy(SQLColumn("region_code", table: "l")).orderBy(SQLColumn("id", table: "l"))
            .limit(perPage).offset(max(0, page - 1) * perPage).all()
            .map { row in
                PaymentLineRow(id: try row.decode(column: "id"), personName: try row.decode(column: "name"), idMasked: try row.decode(column: "id_masked"),
                               regionCode: try row.decode(column: "region_code"), kind: try row.decode(column: "kind"),
                               month: try row.decode(column: "month", as: String?.self), level: try row.decode(column: "level", as: String?.self),
                               amountFen: try row.decode(column: "amount_fen", as: Int.self), state: try row.decode(column: "state"))
            }
        return (rows, total)
    }
}
