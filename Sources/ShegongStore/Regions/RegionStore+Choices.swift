import Foundation
import SQLKit
import ShegongDomain

/// A region as a picker offers it: its name, code and level, and the name of the region above it
/// (two 城关镇 are told apart by their county).
public struct RegionChoice: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    public var parentName: String?

    public init(code: String, name: String, level: RegionLevel, parentName: String?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentName = parentName
    }
}

extension RegionStore {
    /// The regions in force (no placeholder, not abolished) directly under `parent` (the nation:
    /// the provinces), or — with `search` — those whose name contains it, both kept inside
    /// `within` (nil: the nation) by the query itself. Ordered by level and code, at most `limit`.
    public func choices(parent: String?, search: String?, within: RegionSubtree?, limit: Int = 50) async throws -> [RegionChoice] {
        var query = sql.select()
            .column(SQLColumn("code", table: "r")).column(SQLColumn("name", table: "r")).column(SQLColumn("level", table: "r"))
            .column(SQLAlias(SQLColumn("name", table: "p"), as: SQLIdentifier("parent_name")))
            .from(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("p")), method: SQLJoinMethod.left,
                  on: SQLColumn("parent_code", table: "r"), .equal, SQLColumn("code", table: "p"))
            .where(SQLColumn("placeholder", table: "r"), .equal, SQLBind(false))
            .where(SQLColumn("valid_to", table: "r"), .is, SQLLiteral.null)
        if let within, within.level != .nation { query = query.where(within.condition(table: "r", leafColumn: "code")) }
        let text = (search ?? "").replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
            .trimmingCharacters(in: .whitespaces)
        if !text.isEmpty {
            query = query.where(SQLColumn("name", table: "r"), .like, SQLBind("%" + text + "%"))
        } else if let parent, parent != RegionPath.nationCode {
            query = query.where(SQLColumn("parent_code", table: "r"), .equal, SQLBind(parent))
        } else {
            query = query.where(SQLColumn("level", table: "r"), .equal, SQLBind(RegionLevel.province.rawValue))
        }
        return try await query.orderBy(SQLColumn("level", table: "r")).orderBy(SQLColumn("code", table: "r"))
            .limit(limit).all().map { row in
                RegionChoice(code: try row.decode(column: "code"), name: try row.decode(column: "name"),
                             level: RegionLevel(rawValue: try row.decode(column: "level", as: Int.self)) ?? .county,
                             parentName: try row.decodeNil(column: "parent_name") ? nil : row.decode(column: "parent_name", as: String.self))
            }
    }
}
