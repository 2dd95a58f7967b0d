import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The dashboard's ranking of child regions through `IndicatorService`: only a region in the
/// caller's scope is ranked (another answers like an unknown region and is audited), and only the
/// roles that read plans and figures may ask (an administrator sees no business data).
@Suite struct IndicatorServiceTests {
    @Test func aCountyOfficialRanksItsTownshipsButNotAnotherCountys() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: two townships of 肃州区; a sibling county
            for (code, name) in [("620902901", "North Town"), ("620902902", "South Town")] {
                _ = try await context.regions.addLocal(code: code, name: name, now: context.now())
            }
            let suzhou = try #require(try await context.regions.region(code: "620902"))
            let guazhou = try #require(try await context.regions.region(code: "620922"))
            let county = try await context.caller(.official("620902", .read), username: "suzhou")
            let service = IndicatorService(context: context, caller: county)
            let asOf = CivilDate(iso: "2026-01-05")!
            // act
            let ranking = try await service.ranking(IndicatorCatalogue.certificateHolders, in: suzhou, asOf: asOf, period: nil)
            // check: both townships, tied at no holders; the sibling county is refused like a missing region, and audited
            #expect(ranking.children.map(\.result.region.name).sorted() == ["North Town", "South Town"])
            #expect(ranking.children.map(\.rank) == [1, 1])
            await #expect(throws: StoreError.self) {
                _ = try await service.ranking(IndicatorCatalogue.certificateHolders, in: guazhou, asOf: asOf, period: nil)
            }
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.map(\.entry.objectID) == ["620922"])
        }
    }

    @Test func theSystemAdministratorMayNotRankRegions() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let suzhou = try #require(try await context.regions.region(code: "620902"))
            let admin = try await context.caller(.systemAdministrator, username: "sysadmin")
            // act + check: refused for the role, and audited
            await #expect(throws: AccessDenied.self) {
                _ = try await IndicatorService(context: context, caller: admin)
                    .ranking(IndicatorCatalogue.certificateHolders, in: suzhou, asOf: CivilDate(iso: "2026-01-05")!, period: nil)
            }
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.map(\.entry.objectType) == ["indicator"])
        }
    }
}
