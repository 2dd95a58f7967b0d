import Foundation
import ShegongDomain
import ShegongStore

extension RegionService {
    /// The names of the regions of `codes` the caller may read, by code, in one query: what a page
    /// shows instead of the codes its records carry. A code outside the scope or unknown is left
    /// out (the page then shows the code), and is not a denial: nothing was asked of it but a name.
    public func names(of codes: some Sequence<String>) async throws -> [String: String] {
        let wanted = Set(codes.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        guard !wanted.isEmpty else { return [:] }
        let scope = caller.scope
        let regions = try await context.regions.regions(codes: Array(wanted)).values.filter { ServiceContext.mayRead(scope, $0) }
        return Dictionary(regions.map { ($0.code, $0.name) }) { first, _ in first }
    }

    /// The way from the caller's own region (the nation for callers not drawn over regions) down
    /// to `region`, a region of the caller's scope: each step a region, in one read. A code the
    /// table does not hold (a placeholder level) is left out; so is any step above the caller's own.
    public func trail(to region: Region) async throws -> [Region] {
        let codes = region.path.codesFromRoot
        let trail = Array(codes[(codes.firstIndex(of: homeRegionCode) ?? 0)...])
        var known = try await context.regions.regions(codes: trail.filter { $0 != region.code })
        known[region.code] = region
        return trail.compactMap { known[$0] }
    }
}
