import Foundation
import SQLKit

/// Where a page of one of the other lists ended (organisations, a batch's lines; docs/lists.md
/// "The other lists"): the list it belongs to, the last row's sort key and id. Opaque to clients
/// (base64url JSON), so a page link is `?after=…`, as the people list's `PersonCursor` is.
public struct ListCursor: Sendable, Equatable, Codable {
    public var list: String
    public var key: String
    public var id: String

    public init(list: String, key: String, id: String) {
        self.list = list
        self.key = key
        self.id = id
    }

    public var token: String { Keyset.token(self) }

    /// nil for text that is not a cursor of `list`.
    public init?(token: String, list: String) {
        guard let cursor = Keyset.cursor(ListCursor.self, token: token), cursor.list == list else { return nil }
        self = cursor
    }
}

/// The keyset conditions and the capped count the lists share (docs/lists.md).
enum Keyset {
    /// A cursor as opaque text for a page link: base64url JSON without padding.
    static func token(_ cursor: some Encodable) -> String {
        let data = (try? JSONEncoder().encode(cursor)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The cursor `token` holds; nil for text that is not one (or is longer than any cursor a list writes).
    static func cursor<Cursor: Decodable>(_ type: Cursor.Type, token: String) -> Cursor? {
        var text = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard token.count <= 2_000, let data = Data(base64Encoded: text) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    /// `expression` compared by code point on both engines: SQLite's BINARY default, PostgreSQL's
    /// "C" collation (the list indexes are built with it).
    static func textKey(_ expression: any SQLExpression, on sql: any SQLDatabase) -> any SQLExpression {
        sql.dialect.name == "postgresql" ? SQLQueryString("\(expression) COLLATE \"C\"") : expression
    }

    /// The rows after (`descending`: before) (key, id) in (key, id) order, written so that the
    /// leading `key >=` is an index range on both engines (the row-value form is not used).
    static func after(_ query: SQLSelectBuilder, key: any SQLExpression, id: any SQLExpression,
                      keyValue: any SQLExpression, idValue: any SQLExpression, descending: Bool = false) -> SQLSelectBuilder {
        let (wide, strict): (SQLBinaryOperator, SQLBinaryOperator) = descending ? (.lessThanOrEqual, .lessThan) : (.greaterThanOrEqual, .greaterThan)
        return query.where(key, wide, keyValue)
            .where(SQLGroupExpression(SQLBinaryExpression(SQLBinaryExpression(key, strict, keyValue), .or,
                                                          SQLBinaryExpression(id, strict, idValue))))
    }

    /// The rows `filtered` finds, counted up to `cap`: `(cap, false)` means "more than `cap`"
    /// (`SELECT COUNT(*) FROM (SELECT 1 … LIMIT cap + 1)`, which stops reading after cap + 1 rows).
    static func cappedCount(_ filtered: SQLSelectBuilder, on sql: any SQLDatabase, cap: Int = PersonStore.totalCap) async throws -> (count: Int, exact: Bool) {
        let n = try await sql.select().column(SQLAlias(cappedCountExpression(filtered, on: sql, cap: cap), as: SQLIdentifier("n")))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return cappedTotal(n, cap: cap)
    }

    /// `cappedCount` as one scalar subquery, for a page's query to carry as a column.
    static func cappedCountExpression(_ filtered: SQLSelectBuilder, on sql: any SQLDatabase, cap: Int = PersonStore.totalCap) -> any SQLExpression {
        let capped = filtered.limit(cap + 1)
        return SQLGroupExpression(sql.select().column(SQLRaw("COUNT(*)"))
            .from(SQLAlias(SQLGroupExpression(capped.query), as: SQLIdentifier("capped"))).query)
    }

    /// A count made by `cappedCountExpression`: past `cap`, "more than `cap`".
    static func cappedTotal(_ n: Int, cap: Int = PersonStore.totalCap) -> (count: Int, exact: Bool) {
        n > cap ? (cap, false) : (n, true)
    }

    /// The engine's plan for `query` (tests and docs/lists.md: a list is read from an index).
    static func plan(_ query: any SQLExpression, on sql: any SQLDatabase) async throws -> String {
        let postgres = sql.dialect.name == "postgresql"
        var lines: [String] = []
        for row in try await sql.raw("\(SQLRaw(postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN "))\(query)").all() {
            lines.append(try row.decode(column: postgres ? "QUERY PLAN" : "detail", as: String.self))
        }
        return lines.joined(separator: "\n")
    }
}
