import FluentKit
import Foundation
import SQLKit
import ShegongDomain

extension PolicyStore {
    /// The policies that concern an official of `subtree`, in one query: those that apply there
    /// (the jurisdiction is the official's region or one above it, the nation included) and those
    /// of a part of it (a county's policy for a city official). `ownPath` is the official's region's path.
    public func list(concerning subtree: RegionSubtree, ownPath: RegionPath) async throws -> [PolicySummary] {
        let above = [RegionPath.nationCode] + RegionLevel.allCases.compactMap { $0 <= subtree.level ? ownPath[$0] : nil }
        let inside: any SQLExpression = subtree.level == .nation
            ? SQLRaw("1 = 1") : subtree.condition(table: "r", leafColumn: "code")
        let rows = try await db.sql.select()
            .columns(["id", "name", "kind", "jurisdiction", "placeholder", "active", "loaded_at", "loaded_by", "yaml"].map { SQLColumn($0, table: "p") })
            .from(SQLAlias(SQLIdentifier("incentive_policies"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                  on: SQLColumn("jurisdiction", table: "p"), .equal, SQLColumn("code", table: "r"))
            .where(SQLBinaryExpression(SQLBinaryExpression(SQLColumn("jurisdiction", table: "p"), .in, SQLBind.group(above)), .or, inside))
            .orderBy(SQLColumn("jurisdiction", table: "p")).orderBy(SQLColumn("id", table: "p")).all()
        return try rows.map(Self.summary(from:))
    }

    static func summary(from row: any SQLRow) throws -> PolicySummary {
        let yaml = try row.decode(column: "yaml", as: String?.self)
        let english = yaml.flatMap { try? IncentivePolicy.parse(yaml: $0).get().englishName }
        return PolicySummary(id: try row.decode(column: "id"), name: try row.decode(column: "name"), kind: try row.decode(column: "kind"),
                      jurisdiction: try row.decode(column: "jurisdiction"), placeholder: try row.decode(column: "placeholder"),
                      active: try row.decode(column: "active"), loadedAt: try row.decode(column: "loaded_at"),
                      loadedBy: try row.decode(column: "loaded_by"), englishName: english)
    }
}
