import FluentKit
import SQLKit

/// The other lists read a page by walking an index in list order, as the people list does
/// (issue #15 §1, docs/lists.md "The other lists"):
/// - organisations get their region's path (province … township code, copied from `regions` by a
///   trigger whenever `region_code` is written, so every writer — the form, the census import,
///   the demo — keeps it without knowing), and one index on (path column, name, id) per level, so
///   a county's organisations by name are a range of one index instead of `region_code IN (…)`
///   sorted;
/// - applications by (created_at, id), alone and after status or policy (newest first);
/// - a batch's lines by (batch_id, region_code, id), the batch page's order;
/// - the audit log by id after actor, action or object, so a filtered search walks newest first.
/// On PostgreSQL the text keys use the "C" collation, as the people list's do (migration 0064).
struct AddListIndexes: AsyncMigration {
    static let organizationPath = ["province_code", "city_code", "county_code", "township_code"]
    /// Indexes whose columns lead a new one.
    static let replaced = ["organizations_region", "award_applications_status", "payment_lines_batch"]

    static func indexes(postgres: Bool) -> [(name: String, table: String, columns: String)] {
        let c = postgres ? " COLLATE \"C\"" : ""
        var list: [(String, String, String)] = [("organizations_list_name", "organizations", "name\(c), id\(c)")]
        for column in organizationPath + ["region_code"] {
            let short = column == "region_code" ? "community" : column.replacingOccurrences(of: "_code", with: "")
            list.append(("organizations_list_\(short)_name", "organizations", "\(column), name\(c), id\(c)"))
        }
        list += [
            ("award_applications_list", "award_applications", "created_at\(c), id\(c)"),
            ("award_applications_list_status", "award_applications", "status, created_at\(c), id\(c)"),
            ("award_applications_list_policy", "award_applications", "policy_id, created_at\(c), id\(c)"),
            ("payment_lines_list", "payment_lines", "batch_id, region_code\(c), id\(c)"),
            ("audit_log_actor_id", "audit_log", "actor, id"),
            ("audit_log_action_id", "audit_log", "action, id"),
            ("audit_log_object_id", "audit_log", "object_type, object_id, id"),
        ]
        return list
    }

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        let postgres = sql.dialect.name == "postgresql"
        for column in Self.organizationPath {
            try await sql.alter(table: "organizations").column(column, type: .text).run()
        }
        // Names, tables and columns here are the constants above, never data.
        let copy = Self.organizationPath.map { "\($0) = (SELECT r.\($0) FROM regions r WHERE r.code = organizations.region_code)" }
            .joined(separator: ", ")
        try await sql.execute(sql: SQLRaw("UPDATE organizations SET \(copy)")) { _ in }
        if postgres {
            let targets = Self.organizationPath.map { "NEW.\($0)" }.joined(separator: ", ")
            let sources = Self.organizationPath.map { "r.\($0)" }.joined(separator: ", ")
            try await sql.execute(sql: SQLRaw("""
                CREATE FUNCTION organizations_region_path() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    SELECT \(sources) INTO \(targets) FROM regions r WHERE r.code = NEW.region_code;
                    RETURN NEW;
                END $$
                """)) { _ in }
            try await sql.execute(sql: SQLRaw("""
                CREATE TRIGGER organizations_region_path BEFORE INSERT OR UPDATE OF region_code ON organizations
                FOR EACH ROW EXECUTE FUNCTION organizations_region_path()
                """)) { _ in }
        } else {
            let set = Self.organizationPath.map { "\($0) = (SELECT r.\($0) FROM regions r WHERE r.code = NEW.region_code)" }
                .joined(separator: ", ")
            for (name, event) in [("organizations_region_path_insert", "INSERT"), ("organizations_region_path_update", "UPDATE OF region_code")] {
                try await sql.execute(sql: SQLRaw("""
                    CREATE TRIGGER \(name) AFTER \(event) ON organizations
                    BEGIN UPDATE organizations SET \(set) WHERE id = NEW.id; END
                    """)) { _ in }
            }
        }
        for (name, table, columns) in Self.indexes(postgres: postgres) {
            try await sql.execute(sql: SQLRaw("CREATE INDEX \(name) ON \(table) (\(columns))")) { _ in }
        }
        for name in Self.replaced { try await sql.drop(index: name).run() }
    }

    func revert(on db: any Database) async throws {
        let sql = db.sql
        try await createIndex(db, "organizations_region", on: "organizations", "region_code")
        try await createIndex(db, "award_applications_status", on: "award_applications", "status")
        try await createIndex(db, "payment_lines_batch", on: "payment_lines", "batch_id")
        for (name, _, _) in Self.indexes(postgres: false) { try await sql.drop(index: name).run() }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS organizations_region_path ON organizations").run()
            try await sql.raw("DROP FUNCTION IF EXISTS organizations_region_path()").run()
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS organizations_region_path_insert").run()
            try await sql.raw("DROP TRIGGER IF EXISTS organizations_region_path_update").run()
        }
        for column in Self.organizationPath {
            try await sql.alter(table: "organizations").dropColumn(column).run()
        }
    }
}
