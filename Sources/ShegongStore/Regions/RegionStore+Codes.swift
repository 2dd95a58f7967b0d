import Foundation
import SQLKit
import ShegongDomain

extension RegionStore {
    /// The regions of `codes` that exist, in one query (a page naming the regions of the records
    /// it lists); the nation is answered without one.
    public func regions(codes: Set<String>) async throws -> [Region] {
        var found: [Region] = codes.contains(RegionPath.nationCode) ? [Self.nation] : []
        let wanted = codes.subtracting([RegionPath.nationCode]).sorted()
        guard !wanted.isEmpty else { return found }
        // A page asks for at most a page of records' regions; chunks keep a bound on bind parameters anyway.
        for chunk in stride(from: 0, to: wanted.count, by: 1_000).map({ Array(wanted[$0..<min($0 + 1_000, wanted.count)]) }) {
            found += try await sql.select().column("*").from("regions").where("code", .in, chunk).all().map(Self.region(from:))
        }
        return found
    }
}
