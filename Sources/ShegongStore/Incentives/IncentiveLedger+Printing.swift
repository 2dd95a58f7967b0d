import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// One review step of an application as the 申请审批表 prints it: the level, who acted, on which
/// day, and the opinion (the reason given; an approval may have none).
public struct ApplicationReviewRow: Codable, Sendable, Equatable {
    public var step: Int
    /// The level's English name in lower case (`township`), as `ApplicationInfo.awaiting` gives it.
    public var level: String
    public var reviewer: String
    public var action: IncentiveLedger.ReviewAction
    public var reason: String?
    /// The instant of the step (UTC, as stored).
    public var at: String
}

/// One line of the 发放花名册: who is paid, masked, and how much.
public struct RosterLine: Codable, Sendable, Equatable {
    public var personName: String
    public var idMasked: String
    public var regionCode: String
    /// The region's name (empty when the code is unknown).
    public var regionName: String
    public var kind: String
    public var month: String?
    public var level: String?
    public var amountFen: Int
}

extension IncentiveLedger {
    /// Every review step of an application, in the order they were taken (a returned and
    /// resubmitted application shows both rounds).
    public func reviews(applicationID: String) async throws -> [ApplicationReviewRow] {
        try await db.sql.select().columns("step", "level", "reviewer", "action", "reason", "at").from("application_reviews")
            .where("application_id", .equal, applicationID).orderBy("id").all().map { row in
                ApplicationReviewRow(step: try row.decode(column: "step", as: Int.self), level: try row.decode(column: "level"),
                                     reviewer: try row.decode(column: "reviewer"),
                                     action: ReviewAction(rawValue: try row.decode(column: "action")) ?? .approve,
                                     reason: try row.decode(column: "reason", as: String?.self), at: try row.decode(column: "at"))
            }
    }

    /// The lines of a batch the payment list holds — every line but the rejected ones, of people
    /// inside `scope` only — in the list's order (region, then line), with the region's name.
    public func roster(batchID: String, scope: Scope) async throws -> [RosterLine] {
        try await payableLines(batchID: batchID, scope: scope).all()
            .map { row in
                RosterLine(personName: try row.decode(column: "name"), idMasked: try row.decode(column: "id_masked"),
                           regionCode: try row.decode(column: "region_code"), regionName: try row.decode(column: "region_name", as: String?.self) ?? "",
                           kind: try row.decode(column: "kind"), month: try row.decode(column: "month", as: String?.self),
                           level: try row.decode(column: "level", as: String?.self), amountFen: try row.decode(column: "amount_fen", as: Int.self))
            }
    }

    /// The query of the lines a payment list holds (every line but the rejected ones, of people
    /// inside `scope`, region then line), with the person's masked identity and the region's name:
    /// one query for the printed roster and the exported list.
    func payableLines(batchID: String, scope: Scope) -> SQLSelectBuilder {
        db.sql.select()
            .column(SQLRaw("l.id, p.name, p.id_masked, l.region_code, r.name AS region_name, l.kind, l.month, l.level, l.amount_fen, l.state"))
            .from(SQLAlias(SQLIdentifier("payment_lines"), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "l"), .equal, SQLColumn("id", table: "p"))
            .join(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "r"), .equal, SQLColumn("region_code", table: "l"))
            .where(SQLColumn("batch_id", table: "l"), .equal, SQLBind(batchID))
            .where(SQLColumn("state", table: "l"), .notEqual, SQLBind(PaymentLineState.rejected.rawValue))
            .where(scope.peopleCondition(table: "p"))
            .orderBy(SQLColumn("region_code", table: "l")).orderBy(SQLColumn("id", table: "l"))
    }
}
