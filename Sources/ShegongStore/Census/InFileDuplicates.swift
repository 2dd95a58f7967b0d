import Foundation
import SQLKit

/// The census import's in-file duplicate check (an ID number or a certificate number seen on an
/// earlier row of the same file) with bounded memory. Up to `budget` keys of each kind are kept in
/// memory; once that is full, new keys go to a temporary table on the import's own connection,
/// written in bulk after each window of rows, and the keys of the next window that memory does not
/// hold are looked up there in one query. The answer is the same either way: the row where the
/// key was first seen. A class so that the importer's nested functions can share it.
final class InFileDuplicates {
    enum Kind: Int, CaseIterable {
        case residentID = 0
        case certificate = 1
    }

    static let table = "census_import_keys"
    /// Keys per kind bound in one lookup (two kinds stay under SQLite's 32,766 parameters).
    static let keysPerLookup = 10_000

    let budget: Int
    /// First row per key, kept in memory (at most `budget` per kind).
    private var memory: [[UInt64: Int32]] = [[:], [:]]
    /// Keys first seen in the current window that memory had no room for: written to the table after it.
    private var pending: [[UInt64: Int32]] = [[:], [:]]
    /// The table's answers for the current window's keys.
    private var found: [[UInt64: Int32]] = [[:], [:]]
    /// Whether the temporary table exists (and holds keys).
    private(set) var spilled = false

    init(budget: Int) {
        self.budget = max(0, budget)
    }

    /// Before a window is walked: looks up in the table, in one query, the window's keys that
    /// memory does not hold. Nothing to do until the first spill.
    func prepare(_ keys: [Kind: [UInt64]], on sql: any SQLDatabase) async throws {
        found = [[:], [:]]
        guard spilled else { return }
        var wanted: [[Int64]] = [[], []]
        for (kind, list) in keys {
            var seen = Set<UInt64>()
            for key in list where memory[kind.rawValue][key] == nil && seen.insert(key).inserted {
                wanted[kind.rawValue].append(Int64(bitPattern: key))
            }
        }
        var offsets = [0, 0]
        while offsets[0] < wanted[0].count || offsets[1] < wanted[1].count {
            let ids = wanted[0][offsets[0]..<min(wanted[0].count, offsets[0] + Self.keysPerLookup)]
            let certificates = wanted[1][offsets[1]..<min(wanted[1].count, offsets[1] + Self.keysPerLookup)]
            offsets[0] += ids.count
            offsets[1] += certificates.count
            var query = sql.select().columns("kind", "fingerprint", "first_row").from(Self.table)
            if !ids.isEmpty {
                query = query.orWhere { $0.where("kind", .equal, Kind.residentID.rawValue).where("fingerprint", .in, Array(ids)) }
            }
            if !certificates.isEmpty {
                query = query.orWhere { $0.where("kind", .equal, Kind.certificate.rawValue).where("fingerprint", .in, Array(certificates)) }
            }
            for row in try await query.all() {
                let kind = try row.decode(column: "kind", as: Int.self)
                let key = UInt64(bitPattern: try row.decode(column: "fingerprint", as: Int64.self))
                found[kind][key] = Int32(try row.decode(column: "first_row", as: Int.self))
            }
        }
    }

    /// The row where `key` was first seen, or nil when this is its first row (which is then kept).
    /// Only for keys of the window last prepared, in file order.
    func firstRow(_ kind: Kind, _ key: UInt64, row: Int) -> Int32? {
        let k = kind.rawValue
        if let first = memory[k][key] ?? pending[k][key] ?? found[k][key] { return first }
        if memory[k].count < budget {
            memory[k][key] = Int32(row)
        } else {
            pending[k][key] = Int32(row)
        }
        return nil
    }

    /// After a window: its keys memory had no room for go to the table, in bulk.
    func finishWindow(on sql: any SQLDatabase) async throws {
        guard !pending[0].isEmpty || !pending[1].isEmpty else { return }
        if !spilled {
            try await sql.raw("DROP TABLE IF EXISTS census_import_keys").run()
            if sql.dialect.name == "sqlite" {
                try await sql.raw("""
                    CREATE TEMP TABLE census_import_keys (kind INTEGER NOT NULL, fingerprint INTEGER NOT NULL,
                    first_row INTEGER NOT NULL, PRIMARY KEY (kind, fingerprint)) WITHOUT ROWID
                    """).run()
            } else {
                try await sql.raw("""
                    CREATE TEMP TABLE census_import_keys (kind SMALLINT NOT NULL, fingerprint BIGINT NOT NULL,
                    first_row INTEGER NOT NULL, PRIMARY KEY (kind, fingerprint)) ON COMMIT DROP
                    """).run()
            }
            spilled = true
        }
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(pending[0].count + pending[1].count)
        for kind in Kind.allCases {
            for (key, first) in pending[kind.rawValue] {
                rows.append([kind.rawValue, Int64(bitPattern: key), Int(first)])
            }
        }
        try await sql.insertChunked(into: Self.table, columns: ["kind", "fingerprint", "first_row"], rows: rows)
        pending = [[:], [:]]
    }

    /// Drops the table (PostgreSQL would drop it at commit; SQLite keeps it for the connection's life).
    func drop(on sql: any SQLDatabase) async throws {
        guard spilled else { return }
        try await sql.raw("DROP TABLE IF EXISTS census_import_keys").run()
        spilled = false
    }
}
