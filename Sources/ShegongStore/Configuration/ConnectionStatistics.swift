import Foundation
import SQLKit

extension DatabaseMaintenance {
    /// PostgreSQL: the connections open to this database, by state (`active`, `idle`,
    /// `idle in transaction`, …), from `pg_stat_activity` (every client's, this server's pool
    /// included). Empty on SQLite, which has no server to ask.
    public func connectionsByState() async throws -> [String: Int] {
        guard sql.dialect.name == "postgresql" else { return [:] }
        let rows = try await sql.raw("""
            SELECT COALESCE(state, 'unknown') AS state, COUNT(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() GROUP BY 1
            """).all()
        var counts: [String: Int] = [:]
        for row in rows {
            counts[try row.decode(column: "state", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}
