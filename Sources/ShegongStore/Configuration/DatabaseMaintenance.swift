import Foundation
import SQLKit

/// The few statements about the database itself (not its records) that the server and the
/// operator's commands need, kept here so that the web module writes no SQL.
public struct DatabaseMaintenance: Sendable {
    let sql: any SQLDatabase

    public init(_ sql: any SQLDatabase) { self.sql = sql }

    /// Whether the database answers (the health check).
    public func ping() async throws {
        _ = try await sql.raw("SELECT 1 AS ok").first()
    }

    /// The migrations of this build not yet applied to the database, in order (all of them when
    /// Fluent's own table does not exist yet).
    public func pendingMigrations() async throws -> [String] {
        let applied: Set<String>
        do {
            applied = Set(try await sql.select().column("name").from("_fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) })
        } catch {
            applied = []
        }
        return ShegongMigrations.all.map(\.name).filter { !applied.contains($0) }
    }

    /// Durability on an SQLite file: write-ahead log with synchronous=FULL (SQLite's default), so a
    /// committed transaction survives power loss. WAL is a property of the file: setting it once suffices.
    public func useWriteAheadLog() async throws {
        _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
    }

    /// How long this connection waits for another process's lock before SQLITE_BUSY
    /// (`SQLiteSettings.busyTimeoutMilliseconds`); a per-connection setting.
    public func setBusyTimeout(milliseconds: Int = SQLiteSettings.busyTimeoutMilliseconds) async throws {
        _ = try await sql.raw("PRAGMA busy_timeout = \(literal: milliseconds)").all()
    }

    /// The busy timeout of this connection, in milliseconds.
    public func busyTimeout() async throws -> Int {
        try await sql.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self) ?? 0
    }

    /// A consistent copy of an SQLite database into a new file (`VACUUM INTO`), taken while the
    /// server runs.
    public func copySQLite(to file: String) async throws {
        try await sql.raw("VACUUM INTO \(bind: file)").run()
    }
}
