import FluentKit
import SQLKit

/// The tamper-evident audit log (issue #3 §3). Ids are assigned by the appender (previous id + 1,
/// never a sequence: a rolled-back transaction would leave a gap in a sequence that `verify`
/// would report as a deletion). The primary key on id means two appenders that read the same
/// last entry cannot both insert: the chain cannot fork. Triggers refuse UPDATE and DELETE, so
/// only someone who drops them first can change history, and `AuditLog.verify` catches that.
struct CreateAuditLog: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("audit_log")
            .field("id", .int64, .identifier(auto: false))
            .field("at", .string, .required)
            .field("actor", .string, .required)
            .field("ip", .string)
            .field("action", .string, .required)
            .field("object_type", .string)
            .field("object_id", .string)
            .field("result", .string, .required)
            .field("details", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await createIndex(db, "audit_log_at", on: "audit_log", "at")
        try await createIndex(db, "audit_log_actor", on: "audit_log", "actor", "at")
        try await createIndex(db, "audit_log_action", on: "audit_log", "action", "at")
        try await createIndex(db, "audit_log_object", on: "audit_log", "object_type", "object_id")
        let sql = db.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """).run()
            try await sql.raw("CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()").run()
            try await sql.raw("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()").run()
        } else {
            try await sql.raw("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END").run()
            try await sql.raw("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_log").delete()
        if db.sql.dialect.name == "postgresql" {
            try await db.sql.raw("DROP FUNCTION IF EXISTS audit_log_append_only()").run()
        }
    }
}
