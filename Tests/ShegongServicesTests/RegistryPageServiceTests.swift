import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// What the registry pages ask the services for besides the records: the names of the regions a
/// record carries, and a region's base-figures sheet — both inside the caller's scope.
@Suite struct RegistryPageServiceTests {
    static let suzhou = "620902", jinta = "620921", jiuquan = "620900"

    @Test func aPageGetsTheNamesOfRegionsInScopeOnlyAndAsksForNothingElse() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let official = try await context.caller(.official(Self.suzhou, .read), username: "suzhou")
            // act
            let names = try await RegionService(context: context, caller: official).names(of: [Self.suzhou, Self.jinta, "999999", " ", Self.suzhou])
            // check: Suzhou by its name; Jinta (outside the county) and an unknown code left to show as codes, and no denial audited
            #expect(names == [Self.suzhou: "肃州区"])
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.isEmpty)
        }
    }

    @Test func theFiguresSheetSaysWhichStatisticsTheCallerMayEnterAndKeepsToTheScope() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let writer = try await context.caller(.official(Self.jiuquan, .readWrite), username: "jq-rw")
            let reader = try await context.caller(.official(Self.suzhou, .read), username: "sz-ro")
            let suzhou = try #require(try await context.regions.region(code: Self.suzhou))
            let jinta = try #require(try await context.regions.region(code: Self.jinta))
            _ = try await StatisticsService(context: context, caller: writer).save(region: suzhou, year: 2025, values: [.schools: 118],
                                                                                   department: nil, source: "web")
            // act
            let written = try await StatisticsService(context: context, caller: writer).figures(region: suzhou, year: 2025)
            let read = try await StatisticsService(context: context, caller: reader).figures(region: suzhou, year: 2025)
            let elsewhere = await #expect(throws: StoreError.self) {
                try await StatisticsService(context: context, caller: reader).figures(region: jinta, year: 2025)
            }
            // check: the read-write official may enter every statistic, the read-only one none; both see the entry and its history
            #expect(written.enterable == Set(RegionStatistic.allCases))
            #expect(read.enterable.isEmpty)
            #expect(read.entries[.schools]?.value == 118)
            #expect(read.history.map(\.after) == [118])
            #expect(written.takesFigures)
            // a region outside the scope is the audited 404
            #expect(elsewhere?.kind == .notFound)
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied")).map(\.entry)
            #expect(denied.map(\.objectID) == [Self.jinta])
        }
    }
}
