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

/// A page of a batch's lines: `total` is exact when `totalIsExact`, otherwise the part of the
/// batch in scope holds more than `total` (the cap) lines; `nextCursor` is the next page's `after`.
public struct PaymentLinePage: Codable, Sendable {
    public var rows: [PaymentLineRow]
    public var total: Int
    public var totalIsExact: Bool
    public var page: Int
    public var perPage: Int
    public var nextCursor: String?
}

extension IncentiveLedger {
    /// The list's name in its cursors.
    public static let linesListName = "paymentLines"

    /// A page of a batch's lines, of people inside `scope` only, by region and id: the page after
    /// `after`, or page `page` by offset (up to `PersonStore.maxOffset` rows in). The lines are a
    /// range of `payment_lines_list` (batch, region, id); the total is counted up to
    /// `PersonStore.totalCap` (the batch's own figures are on its page; docs/lists.md).
    public func lines(batchID: String, scope: Scope, after: ListCursor? = nil, page: Int, perPage: Int = 100) async throws -> PaymentLinePage {
        let perPage = min(max(perPage, 1), 500)
        var page = max(page, 1)
        if after == nil, (page - 1) * perPage > PersonStore.maxOffset { page = PersonStore.maxOffset / perPage + 1 }
        var rows = try await linesQuery(batchID: batchID, scope: scope, after: after, page: page, perPage: perPage).all()
            .map { row in
                PaymentLineRow(id: try row.decode(column: "id"), personName: try row.decode(column: "name"), idMasked: try row.decode(column: "id_masked"),
                               regionCode: try row.decode(column: "region_code"), kind: try row.decode(column: "kind"),
                               month: try row.decode(column: "month", as: String?.self), level: try row.decode(column: "level", as: String?.self),
                               amountFen: try row.decode(column: "amount_fen", as: Int.self), state: try row.decode(column: "state"))
            }
        var next: String?
        if rows.count > perPage {
            rows.removeLast()
            next = rows.last.map { ListCursor(list: Self.linesListName, key: $0.regionCode, id: $0.id).token }
        }
        let total = try await Keyset.cappedCount(linesBase(batchID: batchID, scope: scope).column(SQLLiteral.numeric("1")), on: db.sql)
        return PaymentLinePage(rows: rows, total: total.count, totalIsExact: total.exact, page: page, perPage: perPage, nextCursor: next)
    }

    func linesBase(batchID: String, scope: Scope) -> SQLSelectBuilder {
        db.sql.select()
            .from(SQLAlias(SQLIdentifier("payment_lines"), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "l"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("batch_id", table: "l"), .equal, SQLBind(batchID))
            .where(scope.peopleCondition(table: "p"))
    }

    /// One page's lines in (region, id) order, one more than `perPage` (whether a next page exists).
    func linesQuery(batchID: String, scope: Scope, after: ListCursor?, page: Int, perPage: Int) -> SQLSelectBuilder {
        let key = Keyset.textKey(SQLColumn("region_code", table: "l"), on: db.sql), id = Keyset.textKey(SQLColumn("id", table: "l"), on: db.sql)
        var query = linesBase(batchID: batchID, scope: scope)
            .column(SQLRaw("l.id, p.name, p.id_masked, l.region_code, l.kind, l.month, l.level, l.amount_fen, l.state"))
        if let after {
            query = Keyset.after(query, key: key, id: id, keyValue: SQLBind(after.key), idValue: SQLBind(after.id))
        } else {
            query = query.offset((page - 1) * perPage)
        }
        return query.orderBy(key).orderBy(id).limit(perPage + 1)
    }

    /// The plan of a first page (tests and docs/lists.md).
    public func linesPlan(batchID: String, scope: Scope, perPage: Int = 100) async throws -> String {
        try await Keyset.plan(linesQuery(batchID: batchID, scope: scope, after: nil, page: 1, perPage: perPage).query, on: db.sql)
    }
}
