import Foundation
import SQLKit
@testable import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #15 item 5: multi-row inserts bind their values on SQLite without SQLKit's encoder; what
/// is stored must be what SQLKit stores (values and, on SQLite, their storage classes).
final class InsertBindTests: XCTestCase {
    static let columns = ["n", "t", "o", "b", "ob", "i", "d", "oi"]

    func testMultiRowInsertsStoreWhatSQLKitsOwnInsertStores() async throws {
        try await withApp { app in
            // setup: two tables of the same shape
            for table in ["bind_direct", "bind_sqlkit"] {
                try await app.sql.create(table: table)
                    .column("n", type: .int).column("t", type: .text).column("o", type: .text)
                    .column("b", type: .custom(SQLRaw("BOOLEAN"))).column("ob", type: .custom(SQLRaw("BOOLEAN")))
                    .column("i", type: .bigint).column("d", type: .real).column("oi", type: .bigint).run()
            }
            let rows: [[any Encodable & Sendable]] = [
                [1, "社工", nil as String?, true, nil as Bool?, Int64(1) << 40, 2.5, 7 as Int?],
                [2, "", "x" as String?, false, true as Bool?, Int64(-3), 0.0, nil as Int?],
                [3, "'; --", nil as String?, true, false as Bool?, Int64.max, -1.25, nil as Int?],
            ]
            // act
            try await app.sql.insertChunked(into: "bind_direct", columns: Self.columns, rows: rows)
            var builder = app.sql.insert(into: "bind_sqlkit").columns(Self.columns)
            for row in rows { builder = builder.values(row) }
            try await builder.run()
            // check
            let direct = try await Self.read(app, "bind_direct")
            let sqlkit = try await Self.read(app, "bind_sqlkit")
            XCTAssertEqual(direct, sqlkit)
            XCTAssertEqual(direct.count, 3)
        }
    }

    static func read(_ app: Application, _ table: String) async throws -> [String] {
        let sqlite = app.sql.dialect.name == "sqlite"
        var query = app.sql.select().columns(columns.map { SQLColumn($0) }).from(table).orderBy("n")
        if sqlite {
            for column in columns { query = query.column(SQLFunction("typeof", args: SQLColumn(column)), as: "type_\(column)") }
        }
        return try await query.all().map { row in
            var text = [
                "\(try row.decode(column: "n", as: Int.self))", try row.decode(column: "t", as: String.self),
                "\(try row.decode(column: "o", as: String?.self) ?? "nil")", "\(try row.decode(column: "b", as: Bool.self))",
                "\(try row.decode(column: "ob", as: Bool?.self).map(String.init) ?? "nil")", "\(try row.decode(column: "i", as: Int64.self))",
                "\(try row.decode(column: "d", as: Double.self))", "\(try row.decode(column: "oi", as: Int?.self).map(String.init) ?? "nil")",
            ]
            if sqlite { text += try columns.map { try row.decode(column: "type_\($0)", as: String.self) } }
            return text.joined(separator: "|")
        }
    }
}
