import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The department records a form offers (`<select>` options: the record's id, "民政局（酒泉市）").
enum DepartmentChoices {
    /// Every active department (the administrators' account forms: an operator of any region).
    static func options(_ ctx: PageContext) async throws -> [(value: String, label: String)] {
        let departments = try await DepartmentStore(sql: ctx.request.db.sql).list(inside: nil, includeInactive: false)
        return try await label(departments, ctx)
    }

    /// The active departments of `region` and the regions above it, nearest first (a measure of a
    /// plan there).
    static func options(_ ctx: PageContext, availableTo region: RegionCode) async throws -> [(value: String, label: String)] {
        let departments = try await DepartmentStore(sql: ctx.request.db.sql).available(to: region)
        return try await label(departments, ctx)
    }

    static func label(_ departments: [Department], _ ctx: PageContext) async throws -> [(value: String, label: String)] {
        let names = try await RegionStore(ctx.request.db).regions(codes: Array(Set(departments.map(\.regionCode))))
        return departments.map { d in
            let region = d.regionCode == RegionCode.nation.value ? ctx.t("departments.nation") : (names[d.regionCode]?.name ?? d.regionCode)
            return (d.id, ctx.t("departments.option", d.name, region))
        }
    }
}
