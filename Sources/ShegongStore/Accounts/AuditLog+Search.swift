import FluentKit
import Foundation
import SQLKit

/// What the audit administrator searches by (issue #3 §3).
public struct AuditQuery: Sendable, Equatable {
    public var since: Date?
    /// Exclusive.
    public var until: Date?
    public var actor: String?
    /// An action (`session.login`) or an area (`session`: every `session.*` action).
    public var action: String?
    public var objectType: String?
    public var objectID: String?
    public var result: AuditResult?
    /// Newest first; entries with an id below this one (for the next page).
    public var beforeID: Int64?
    public var limit: Int = 100

    public init(since: Date? = nil, until: Date? = nil, actor: String? = nil, action: String? = nil, objectType: String? = nil,
                objectID: String? = nil, result: AuditResult? = nil, beforeID: Int64? = nil, limit: Int = 100) {
        self.since = since
        self.until = until
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.result = result
        self.beforeID = beforeID
        self.limit = limit
    }
}

extension AuditLog {
    /// Newest first. Reads only; the caller audits the search itself (`AuditAction.auditSearch`).
    /// Pages by keyset on id (`beforeID`, the last id shown): the log only grows at the top, so
    /// entries written while someone pages never shift a page. An actor, action or object filter
    /// walks its `audit_log_*_id` index newest first (migration 0068; docs/lists.md).
    public func search(sql: any SQLDatabase, _ query: AuditQuery) async throws -> [AuditRecord] {
        let rows = try await searchQuery(sql: sql, query).all()
        return try rows.map { row in
            let at: String = try row.decode(column: "at")
            let entry = AuditEntry(at: Timestamp.date(at) ?? Date(timeIntervalSince1970: 0), actor: try row.decode(column: "actor"),
                                   ip: try row.decode(column: "ip"), action: AuditAction(rawValue: try row.decode(column: "action")),
                                   objectType: try row.decode(column: "object_type"), objectID: try row.decode(column: "object_id"),
                                   result: AuditResult(rawValue: try row.decode(column: "result")) ?? .failure,
                                   details: try row.decode(column: "details"))
            return AuditRecord(id: try row.decode(column: "id"), entry: entry, at: at,
                               prevHash: try row.decode(column: "prev_hash"), hash: try row.decode(column: "hash"))
        }
    }

    /// The plan of a search's page (tests and docs/lists.md).
    public func searchPlan(sql: any SQLDatabase, _ query: AuditQuery) async throws -> String {
        try await Keyset.plan(searchQuery(sql: sql, query).query, on: sql)
    }

    func searchQuery(sql: any SQLDatabase, _ query: AuditQuery) -> SQLSelectBuilder {
        var select = sql.select()
            .columns("id", "at", "actor", "ip", "action", "object_type", "object_id", "result", "details", "prev_hash", "hash")
            .from("audit_log")
        if let since = query.since { select = select.where("at", .greaterThanOrEqual, Timestamp.string(since)) }
        if let until = query.until { select = select.where("at", .lessThan, Timestamp.string(until)) }
        if let actor = query.actor { select = select.where("actor", .equal, actor) }
        if let action = query.action {
            if action.contains(".") {
                select = select.where("action", .equal, action)
            } else {
                // An area: `session` is every `session.*`. Range comparison, not LIKE, so `_` in a name
                // is not a wildcard and both engines use the index.
                select = select.where("action", .greaterThan, action + ".").where("action", .lessThan, action + "/")
            }
        }
        if let type = query.objectType { select = select.where("object_type", .equal, type) }
        if let object = query.objectID { select = select.where("object_id", .equal, object) }
        if let result = query.result { select = select.where("result", .equal, result.rawValue) }
        if let before = query.beforeID { select = select.where("id", .lessThan, before) }
        return select.orderBy("id", .descending).limit(max(1, min(query.limit, 1_000)))
    }
}

extension Timestamp {
    /// Parses what `string(_:)` writes.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
