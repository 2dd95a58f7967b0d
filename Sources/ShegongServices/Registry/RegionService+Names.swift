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
        let regions = try await context.regions.regions(codes: wanted).filter { ServiceContext.mayRead(scope, $0) }
        return Dictionary(regions.map { ($0.code, $0.name) }) { first, _ in first }
    }
}
