import FluentKit
import Foundation
import SQLKit

/// The first entry that breaks the chain.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The entry's fields no longer give its hash: edited, or forged without the key.
        case changed
        /// Ids are missing before this entry.
        case deleted
        /// The entry does not follow the one before it (its prev_hash is not that entry's hash):
        /// inserted, or the entries before it were removed and renumbered.
        case inserted
    }
    public var kind: Kind
    /// The entry where the break is seen.
    public var id: Int64
    /// For `.deleted`, the missing ids.
    public var missing: ClosedRange<Int64>?

    public init(kind: Kind, id: Int64, missing: ClosedRange<Int64>? = nil) {
        self.kind = kind
        self.id = id
        self.missing = missing
    }

    public var description: String {
        switch kind {
        case .changed: return "第 \(id) 条审计记录被修改（内容与哈希不符）"
        case .deleted:
            let range = missing.map { $0.lowerBound == $0.upperBound ? "第 \($0.lowerBound) 条" : "第 \($0.lowerBound)–\($0.upperBound) 条" } ?? ""
            return "审计记录\(range)被删除（第 \(id) 条之前缺失）"
        case .inserted: return "第 \(id) 条审计记录为插入（前序哈希与上一条不符）"
        }
    }
}

public struct AuditVerification: Sendable, Equatable {
    /// Entries read before the first problem (or all of them).
    public var checked: Int
    public var lastID: Int64?
    /// The head of the chain: record it elsewhere to detect removal of the newest entries later.
    public var lastHash: String?
    public var problem: AuditProblem?
    public var isIntact: Bool { problem == nil }
}

extension AuditLog {
    /// Walks the whole chain in id order, in pages, and stops at the first problem.
    public func verify(sql: any SQLDatabase, pageSize: Int = 2_000) async throws -> AuditVerification {
        var expectedID: Int64 = 1
        var previousHash = Self.genesis
        var checked = 0
        var lastID: Int64?
        while true {
            let rows = try await sql.select()
                .columns("id", "at", "actor", "ip", "action", "object_type", "object_id", "result", "details", "prev_hash", "hash")
                .from("audit_log").where("id", .greaterThan, lastID ?? Int64.min).orderBy("id").limit(pageSize).all()
            for row in rows {
                let id = try row.decode(column: "id", as: Int64.self)
                let prevHash = try row.decode(column: "prev_hash", as: String.self)
                let stored = try row.decode(column: "hash", as: String.self)
                func problem(_ kind: AuditProblem.Kind, missing: ClosedRange<Int64>? = nil) -> AuditVerification {
                    AuditVerification(checked: checked, lastID: lastID, lastHash: lastID == nil ? nil : previousHash,
                                      problem: AuditProblem(kind: kind, id: id, missing: missing))
                }
                if id > expectedID { return problem(.deleted, missing: expectedID...(id - 1)) }
                if id < expectedID { return problem(.inserted) }  // an id below 1
                if prevHash != previousHash { return problem(.inserted) }
                let computed = hash(id: id, at: try row.decode(column: "at"), actor: try row.decode(column: "actor"),
                                    ip: try row.decode(column: "ip"), action: try row.decode(column: "action"),
                                    objectType: try row.decode(column: "object_type"), objectID: try row.decode(column: "object_id"),
                                    result: try row.decode(column: "result"), details: try row.decode(column: "details"), prevHash: prevHash)
                if !constantTimeEqual(computed, stored) { return problem(.changed) }
                checked += 1
                lastID = id
                previousHash = stored
                expectedID = id + 1
            }
            if rows.count < pageSize { break }
        }
        return AuditVerification(checked: checked, lastID: lastID, lastHash: lastID == nil ? nil : previousHash, problem: nil)
    }
}
