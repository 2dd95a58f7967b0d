import Foundation
import SQLKit

extension OrganizationStore {
    /// The organisation of a unified social credit code (its unique key), nil when none has it.
    public func get(creditCode: String) async throws -> OrganizationInfo? {
        try await db.sql.select().column(SQLRaw(Self.select)).from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))
            .where(SQLColumn("credit_code", table: "o"), .equal, SQLBind(creditCode)).first().map(Self.info(from:))
    }
}
