import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// A region's census figures with its children's (the home page, the region browser, the
/// statistics page): from `StatisticsService.figures`, in the caller's scope, every child's counts
/// read together.
@Suite struct RegionFiguresServiceTests {
    @Test func eachChildHasItsOwnCountsReadInOneQuery() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await DemoDataSet(people: 300, seed: 11, progressReports: false).load(db: context.db, cipher: context.cipher)
            let official = try await context.caller(.official("620900", .read), username: "jiuquan")
            let city = try #require(try await context.regions.region(code: "620900"))
            let asOf = CivilDate.today()
            let stats = CensusStatsStore(sql: context.sql)
            // act
            let figures = try await StatisticsService(context: context, caller: official).figures(of: city, asOf: asOf)
            let own = try await StatisticsService(context: context, caller: official).figures(of: city, asOf: asOf, children: false)
            // check: the city's own figures, and each child in force with the counts read for it alone
            let expected = try await context.regions.children(of: "620900").filter { $0.isValid(inYear: asOf.year) }
            #expect(figures.children.map(\.region.code) == expected.map(\.code))
            #expect(figures.children.count >= 7)
            for child in figures.children {
                let alone = CensusSummary(counts: try await stats.counts(region: child.region.code), asOf: asOf)
                #expect(child.summary == alone, "\(child.region.code)")
            }
            #expect(figures.children.reduce(0) { $0 + $1.summary.total } > 0)
            #expect(figures.summary == (try await stats.summary(region: city, asOf: asOf)))
            let year = DatePeriod(from: CivilDate(year: asOf.year, month: 1, day: 1)!, to: asOf)
            let newHolders = try await IndicatorStore(context.db).evaluate(IndicatorCatalogue.newCertificateHolders, region: city, asOf: asOf, period: year)
            #expect(figures.newHolders == newHolders.value)
            #expect(own.children.isEmpty && own.summary == figures.summary)
            // check: the children's counts are one read, however many children
            let counter = QueryCounter(context.sql)
            let together = try await CensusStatsStore(sql: counter).counts(regions: expected.map(\.code) + ["999999"])
            #expect(counter.count == 1)
            #expect(together["999999"] == [])
            for child in expected {
                #expect(together[child.code]?.count == (try await stats.counts(region: child.code)).count, "\(child.code)")
            }
        }
    }

    @Test func aRegionOutsideTheScopeIsAnsweredLikeAnUnknownOneAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let official = try await context.caller(.official("620900", .read), username: "jiuquan")
            let xuancheng = try #require(try await context.regions.region(code: "341800"))
            // act
            await #expect(throws: StoreError.self) {
                _ = try await StatisticsService(context: context, caller: official).figures(of: xuancheng, asOf: CivilDate.today())
            }
            // check
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.map(\.entry.objectID) == ["341800"])
        }
    }
}
