import Foundation
import ShegongDomain
import ShegongStore

/// A department a form offers: its record id (the posted value), its name and its region's name
/// (nil for the nation's departments).
public struct DepartmentChoice: Sendable, Equatable {
    public var id: String
    public var name: String
    public var regionCode: String
    public var regionName: String?
}

extension DepartmentService {
    /// The active departments the caller's forms may offer: an administrator's (who gives
    /// operators their department) every region's; an official's those of their region and the
    /// regions inside it (the region condition in the query); nobody else's any.
    public func activeChoices() async throws -> [DepartmentChoice] {
        try await context.require(caller, Self.readers, "department")
        let store = DepartmentStore(sql: context.sql)
        if everywhere { return try await named(store.list(inside: nil, includeInactive: false)) }
        guard let own = ownRegion else { return [] }
        return try await named(store.list(inside: own, includeInactive: false))
    }

    /// The active departments that may lead a measure of a plan in `regionCode`: those of the
    /// region and of the regions above it, nearest first. The region must be in the caller's
    /// sight (else the audited 404), as the plan is.
    public func choices(availableTo regionCode: String) async throws -> [DepartmentChoice] {
        try await context.require(caller, Self.readers, "department")
        let code: RegionCode
        if everywhere {
            guard case .success(let parsed) = RegionCode.parse(regionCode) else { throw StoreError.notFound(.region, regionCode) }
            code = parsed
        } else {
            let region = try await context.region(caller, code: regionCode, field: "region")
            code = region.level == .nation ? .nation : try RegionCode.parse(region.code).get()
        }
        return try await named(DepartmentStore(sql: context.sql).available(to: code))
    }

    /// The departments with their regions' names, in one read of the regions.
    func named(_ departments: [Department]) async throws -> [DepartmentChoice] {
        let codes = Set(departments.map(\.regionCode)).subtracting([RegionCode.nation.value])
        let regions = try await context.regions.regions(codes: Array(codes))
        return departments.map { d in
            DepartmentChoice(id: d.id, name: d.name, regionCode: d.regionCode,
                             regionName: d.regionCode == RegionCode.nation.value ? nil : regions[d.regionCode]?.name)
        }
    }
}
