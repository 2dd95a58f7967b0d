import Foundation
import SQLKit
import SQLiteKit
import Synchronization

extension SQLDatabase {
    /// Multi-row INSERT in chunks that stay under both engines' bind-parameter limits
    /// (PostgreSQL 65,535 per statement; SQLite 32,766 since 3.32).
    /// On SQLite the statement text is built once per shape and the values are bound as `SQLiteData`
    /// directly (`SQLiteBinds`), not through SQLKit's serializer and its `Encodable` encoder: the
    /// census import writes every person through here, and those were a sixth of its CPU time.
    func insertChunked(into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        let perChunk = max(1, 30_000 / columns.count)
        let sqlite = self as? any SQLiteDatabase
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perChunk)
            if let sqlite {
                let text = SQLiteBinds.insertStatement(into: table, columns: columns, rows: end - start)
                var binds: [SQLiteData] = []
                binds.reserveCapacity((end - start) * columns.count)
                for row in rows[start..<end] {
                    for value in row { binds.append(try SQLiteBinds.data(value)) }
                }
                try await sqlite.query(text, binds) { _ in }
            } else {
                var builder = self.insert(into: table).columns(columns)
                for row in rows[start..<end] { builder = builder.values(row) }
                try await builder.run()
            }
            start = end
        }
    }
}

/// Values bound on SQLite without the `Encodable` round trip, as SQLiteKit's encoder would bind them.
enum SQLiteBinds {
    private static let encoder = SQLiteDataEncoder()

    /// The common column types first; anything else (and a nil of another type) through SQLiteKit's encoder.
    static func data(_ value: any Encodable & Sendable) throws -> SQLiteData {
        switch value {
        case let text as String: return .text(text)
        case let optional as String?: return optional.map { .text($0) } ?? .null
        case let number as Int: return .integer(number)
        case let optional as Int?: return optional.map { .integer($0) } ?? .null
        case let flag as Bool: return .integer(flag ? 1 : 0)
        case let optional as Bool?: return optional.map { .integer($0 ? 1 : 0) } ?? .null
        case let number as Int64: return .integer(Int(number))
        default: return try encoder.encode(value)
        }
    }

    /// `INSERT INTO "table" ("a", "b") VALUES (?, ?), (?, ?)…`, built once per shape. Table and
    /// column names are the store's own constants, never data.
    static func insertStatement(into table: String, columns: [String], rows: Int) -> String {
        let key = "\(table)|\(columns.joined(separator: ","))|\(rows)"
        if let text = statements.withLock({ $0[key] }) { return text }
        let quoted = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let text = "INSERT INTO \"\(table)\" (\(quoted)) VALUES " + Array(repeating: tuple, count: rows).joined(separator: ", ")
        statements.withLock { cache in
            if cache.count > 64 { cache.removeAll() }
            cache[key] = text
        }
        return text
    }

    private static let statements = Mutex<[String: String]>([:])
}

/// Timestamps are stored as ISO 8601 UTC text: the same on both engines and sortable.
enum Timestamp {
    static func string(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
