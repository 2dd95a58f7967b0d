import FluentKit
import SQLKit

/// The people list reads a page by walking an index in list order (issue #15 §1, docs/lists.md):
/// for each region-path column (and none, for the nation) one index on (column, name, id) and one
/// on (column, updated_at, id), so "county 620902 by name, after 张三/…" is a range of one index
/// on both engines with no sort. They replace the single-column path and name indexes of
/// CreatePeople, which are their leading columns. On PostgreSQL the text keys use the "C"
/// collation, the code-point order SQLite's BINARY keeps, so both engines sort alike and a name
/// prefix is one range of the index.
struct AddPeopleListIndexes: AsyncMigration {
    static let pathColumns = ["province_code", "city_code", "county_code", "township_code", "region_code"]
    static let replaced = ["people_region", "people_province_code", "people_city_code", "people_county_code",
                           "people_township_code", "people_name"]

    static func indexes(postgres: Bool) -> [(name: String, columns: String)] {
        let c = postgres ? " COLLATE \"C\"" : ""
        var list: [(String, String)] = [("people_list_name", "name\(c), id\(c)"), ("people_list_updated", "updated_at\(c), id\(c)")]
        for column in pathColumns {
            let short = column.replacingOccurrences(of: "_code", with: "")
            list.append(("people_list_\(short)_name", "\(column), name\(c), id\(c)"))
            list.append(("people_list_\(short)_updated", "\(column), updated_at\(c), id\(c)"))
        }
        return list
    }

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        for (name, columns) in Self.indexes(postgres: sql.dialect.name == "postgresql") {
            // Names and columns are the constants above, never data.
            try await sql.execute(sql: SQLRaw("CREATE INDEX \(name) ON people (\(columns))")) { _ in }
        }
        for name in Self.replaced { try await sql.drop(index: name).run() }
    }

    func revert(on db: any Database) async throws {
        let sql = db.sql
        try await createIndex(db, "people_region", on: "people", "region_code")
        for column in ["province_code", "city_code", "county_code", "township_code"] {
            try await createIndex(db, "people_\(column)", on: "people", column)
        }
        try await createIndex(db, "people_name", on: "people", "name")
        for (name, _) in Self.indexes(postgres: false) { try await sql.drop(index: name).run() }
    }
}
