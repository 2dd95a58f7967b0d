import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The department records a form offers (`<select>` options: the record's id, "民政局（酒泉市）"),
/// as `DepartmentService` gives them to the signed-in caller.
enum DepartmentChoices {
    /// The active departments the caller may give an account (the administrators' account forms:
    /// an operator of any region).
    static func options(_ ctx: PageContext) async throws -> [(value: String, label: String)] {
        label(try await ctx.request.departments.activeChoices(), ctx)
    }

    /// The active departments of `region` and the regions above it, nearest first (a measure of a
    /// plan there).
    static func options(_ ctx: PageContext, availableTo region: RegionCode) async throws -> [(value: String, label: String)] {
        label(try await ctx.request.departments.choices(availableTo: region.value), ctx)
    }

    static func label(_ departments: [DepartmentChoice], _ ctx: PageContext) -> [(value: String, label: String)] {
        departments.map { d in
            let region = d.regionCode == RegionCode.nation.value ? ctx.t("departments.nation") : (d.regionName ?? d.regionCode)
            return (d.id, ctx.t("departments.option", d.name, region))
        }
    }
}
