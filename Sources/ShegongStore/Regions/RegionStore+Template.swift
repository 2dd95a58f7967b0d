import Foundation
import SQLKit
import ShegongDomain

extension RegionStore {
    /// The current regions of a subtree (nil: the nation) in code order, placeholders and
    /// abolished codes left out: the blank template's sheet of region codes (issue #18).
    public func current(within subtree: RegionSubtree?) async throws -> [Region] {
        var query = sql.select().column("*").from("regions").where("placeholder", .equal, false).where("valid_to", .is, SQLLiteral.null)
        if let subtree { query = query.where(subtree.condition(table: "regions", leafColumn: "code")) }
        return try await query.orderBy("code").all().map(Self.region(from:))
    }
}
