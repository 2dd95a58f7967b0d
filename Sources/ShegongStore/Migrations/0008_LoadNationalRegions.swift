import FluentKit
import Foundation

/// Loads the national GB/T 2260 list shipped in Resources/regions/gbt2260.tsv
/// (made by scripts/make-regions.py; see docs/regions.md).
struct LoadNationalRegions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let text = try String(contentsOf: NationalRegionList.url, encoding: .utf8)
        let (regions, names) = try RegionDirectory.nationalRegions(tsv: text)
        let store = RegionStore(db)
        try await store.insert(regions, now: Date())
        try await store.insert(names: names)
    }

    func revert(on db: any Database) async throws {
        try await db.sql.delete(from: "region_names").run()
        try await db.sql.delete(from: "regions").run()
    }
}

public enum NationalRegionList {
    public static var url: URL {
        Bundle.module.url(forResource: "gbt2260", withExtension: "tsv", subdirectory: "Resources/regions")!
    }
}
