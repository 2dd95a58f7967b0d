import Foundation
import SQLKit

/// The accounts' generation number (`auth_generation`, migration 0071; docs/security.md,
/// "Principal cache"). The one place that raises it: every write that changes what a session or
/// an API token stands for calls `raise(on:telling:)` inside its own transaction — disable, enable, a
/// grant or role set, a password changed, reset or issued, TOTP bound or removed, a token revoked,
/// a session ended by logout, password change or disable, a department with operators renamed
/// (the name decides which statistics they may enter) — so the change and the new number
/// commit together, and every server sees both or neither (`PrincipalCache`).
///
/// Not raised: logins (a new session is in no cache), failed attempts and locks (they do not touch
/// a signed-in session), and a session deleted because it had already expired (a cached principal
/// never outlives its session's end: `PrincipalCache`).
public enum AuthGeneration {
    /// Raises the number in the caller's transaction and tells `cache`, this server's, that its
    /// next request must read the number again.
    static func raise(on sql: any SQLDatabase, telling cache: PrincipalCache?) async throws {
        let raised = try await sql.update("auth_generation").set(SQLIdentifier("generation"), to: SQLRaw("generation + 1"))
            .where("id", .equal, SQLBind(1)).returning("generation").first()?.decode(column: "generation", as: Int64.self)
        // No row back (the migration's row gone): this server reads the number on every request
        // from now on rather than trust a lease it cannot check.
        cache?.changed(raisingTo: raised ?? .max)
    }

    /// The number now: one primary-key read of a one-row table.
    public static func current(on sql: any SQLDatabase) async throws -> Int64 {
        try await sql.select().column("generation").from("auth_generation").where("id", .equal, SQLBind(1)).first()?
            .decode(column: "generation", as: Int64.self) ?? 0
    }
}
