import Foundation
import SQLKit

extension SQLDatabase {
    /// Multi-row INSERT in chunks that stay under both engines' bind-parameter limits
    /// (PostgreSQL 65,535 per statement; SQLite 32,766 since 3.32).
    func insertChunked(into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        let perChunk = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perChunk)
            var builder = self.insert(into: table).columns(columns)
            for row in rows[start..<end] { builder = builder.values(row) }
            try await builder.run()
            start = end
        }
    }
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
