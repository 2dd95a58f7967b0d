import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// `PersonStore.save` reads only the regions a save touches (the record's and the edited person's
/// current one), not the region table: the person still gets the region's whole path, the census
/// counts of both regions' chains follow a move, and a code that cannot hold people is refused.
@Suite struct PersonSaveRegionTests {
    static let township = "620902901"  // a township of 肃州区 (酒泉市, 甘肃省)

    static func path(_ context: ServiceContext, _ id: String) async throws -> [String?] {
        let row = try #require(try await context.sql.select().columns("province_code", "city_code", "county_code", "township_code", "region_code")
            .from("people").where("id", .equal, id).first())
        return try ["province_code", "city_code", "county_code", "township_code", "region_code"].map { try row.decode(column: $0, as: String?.self) }
    }

    static func total(_ context: ServiceContext, _ code: String) async throws -> Int {
        try await context.sql.select().column("count").from("census_stats").where("region_code", .equal, code)
            .where("dimension", .equal, CensusDimension.total.rawValue).where("value", .equal, "").first()?
            .decode(column: "count", as: Int.self) ?? 0
    }

    @Test func aPersonSavedIntoATownshipGetsItsFullPathAndAMoveCountsInBothChains() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await context.regions.addLocal(code: Self.township, name: "北关街道", now: context.now())
            let store = PersonStore(db: context.db, cipher: context.cipher)
            var record = try RegistryServiceTests.record(1, name: "张三", county: RegistryServiceTests.suzhou)
            record.regionCode = Self.township

            // act
            let saved = try await store.save(record, target: nil, actor: "test", source: "test", now: context.now())

            // check: the township's whole path, and the counts of every region on it
            #expect(saved.created)
            #expect(try await Self.path(context, saved.personID) == ["620000", "620900", "620902", Self.township, Self.township])
            for code in [Self.township, "620902", "620900", "620000", RegionPath.nationCode] {
                #expect(try await Self.total(context, code) == 1, "\(code)")
            }

            // act: the person moves to 金塔县
            record.regionCode = RegistryServiceTests.jinta
            _ = try await store.save(record, target: saved.personID, actor: "test", source: "test", now: context.now())

            // check: the new path; the old township and county count nobody, the new county one, the city still one
            #expect(try await Self.path(context, saved.personID) == ["620000", "620900", RegistryServiceTests.jinta, nil, RegistryServiceTests.jinta])
            #expect(try await Self.total(context, Self.township) == 0)
            #expect(try await Self.total(context, RegistryServiceTests.suzhou) == 0)
            #expect(try await Self.total(context, RegistryServiceTests.jinta) == 1)
            #expect(try await Self.total(context, "620900") == 1)
        }
    }

    @Test func aCodeThatCannotHoldPeopleIsRefused() async throws {
        try await ServiceTestDatabase.with { context in
            let store = PersonStore(db: context.db, cipher: context.cipher)
            for (n, code) in [(2, "620902999"), (3, "620900"), (4, "999999")] {
                var record = try RegistryServiceTests.record(n, name: "李四", county: RegistryServiceTests.suzhou)
                record.regionCode = code
                let error = await #expect(throws: StoreError.self) {
                    _ = try await store.save(record, target: nil, actor: "test", source: "test", now: context.now())
                }
                #expect(error?.details.first?.field == CensusColumn.regionCode.rawValue, "\(code)")
            }
            #expect(try await context.sql.select().column("id").from("people").all().isEmpty)
        }
    }
}
