import SQLKit

/// A census import into an empty registry on SQLite builds the people list's indexes once, at the
/// end, instead of row by row (docs/benchmarks.md, "National scale at 1,000,000 people").
///
/// The list keeps twelve indexes on `people` (migration 0064), each keyed by a name or a time that
/// arrives in no order: a first load of a million rows touched pages of all twelve for every row,
/// far more than the import's page cache holds, and spent most of its time writing them out again.
/// Dropped inside the import's transaction and created again before it commits, they are built by
/// one sort each. SQLite's schema changes are part of the transaction: a dry run, a rejected file
/// or a crash leaves the indexes as they were, and readers keep seeing them until the commit.
///
/// Only when `people` is empty, because a rebuild costs the whole table, not the file; and not on
/// PostgreSQL, where `DROP INDEX` would keep every reader of `people` waiting until the commit.
enum FirstLoadIndexes {
    /// Drops the list indexes of a first load (the caller found `people` empty); true when it did.
    static func setAside(on sql: any SQLDatabase) async throws -> Bool {
        guard sql.dialect.name == "sqlite" else { return false }
        for (name, _) in AddPeopleListIndexes.indexes(postgres: false) { try await sql.drop(index: name).run() }
        return true
    }

    /// Creates again what `setAside` dropped, in the same transaction.
    static func rebuild(on sql: any SQLDatabase) async throws {
        for (name, columns) in AddPeopleListIndexes.indexes(postgres: false) {
            // Names and columns are the migration's constants, never data (as in migration 0064).
            try await sql.execute(sql: SQLRaw("CREATE INDEX \(name) ON people (\(columns))")) { _ in }
        }
    }
}
