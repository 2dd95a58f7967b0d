import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Training coverage and hours per worker by course tier and by audience (issue #13 §7,
/// docs/training.md "Coverage by tier and audience"), by hand-computed figures: each breakdown
/// indicator's value in two counties and their city, the coverage report of the page, and a target
/// set on a per-tier indicator.
@Suite struct TrainingBreakdownTests {
    static let suzhou = RegistryServiceTests.suzhou, jinta = RegistryServiceTests.jinta
    typealias Breakdown = IndicatorCatalogue.TrainingBreakdown

    /// Community workers s0–s3 in Suzhou and j0, j1 in Jinta; courses organised by the city:
    /// A 县级骨干 for 新入职, C 县级骨干 for 社区工作者, B 乡镇全员 for 社区工作者 and 转岗.
    /// - A, 2025-03-10/11, 3 h a day: s0 180 + 180, s1 180, j0 120 (completed: credited 2025-03-11)
    /// - C, 2025-05-06, 4 h: s0 240, j1 120 — s0's second county-tier session (completed)
    /// - B, 2025-06-02/03, 3 h a day: s2 180 + 180, s0 90 (completed)
    /// - B, 2024-09-09, 3 h: s3 180 — trained last year only (completed)
    static func fixture(_ context: ServiceContext) async throws -> (suzhou: [String], jinta: [String]) {
        var s: [String] = [], j: [String] = []
        for n in 1...4 { s.append(try await RegistryServiceTests.person(context, try RegistryServiceTests.record(n, name: "肃州\(n)", county: suzhou))) }
        for n in 1...2 { j.append(try await RegistryServiceTests.person(context, try RegistryServiceTests.record(n, name: "金塔\(n)", county: jinta))) }
        let city = TrainingService(context: context, caller: try await context.caller(.official("620900", .readWrite), username: "city"))
        func course(_ title: String, _ tier: String, _ audiences: [String]) async throws -> String {
            try await city.createCourse(CourseInput(title: title, tier: tier, audiences: audiences, topics: ["practice"], creditHours: "6")).id
        }
        let a = try await course("新入职社区工作者骨干培训", "county", ["new_entrant"])
        let c = try await course("社区工作者县级骨干培训", "county", ["community_worker"])
        let b = try await course("社区工作者全员培训", "township", ["community_worker", "transfer"])
        func session(_ course: String, _ from: String, _ to: String, hours: String, _ attendance: [(String, String, Int)]) async throws {
            let session = try await city.createSession(course: course, SessionInput(startsOn: from, endsOn: to, hoursPerDay: hours,
                                                                                    address: "酒泉市社会工作服务中心", capacity: 10))
            for person in Set(attendance.map(\.0)).sorted() { _ = try await city.enrol(session: session.id, person: person, waitingList: false) }
            _ = try await city.recordAttendance(session: session.id, attendance.map { AttendanceEntry(personID: $0.0, day: $0.1, minutes: $0.2) })
            _ = try await city.complete(session: session.id)
        }
        try await session(a, "2025-03-10", "2025-03-11", hours: "3",
                          [(s[0], "2025-03-10", 180), (s[0], "2025-03-11", 180), (s[1], "2025-03-10", 180), (j[0], "2025-03-11", 120)])
        try await session(c, "2025-05-06", "2025-05-06", hours: "4", [(s[0], "2025-05-06", 240), (j[1], "2025-05-06", 120)])
        try await session(b, "2025-06-02", "2025-06-03", hours: "3",
                          [(s[2], "2025-06-02", 180), (s[2], "2025-06-03", 180), (s[0], "2025-06-02", 90)])
        try await session(b, "2024-09-09", "2024-09-09", hours: "3", [(s[3], "2024-09-09", 180)])
        return (s, j)
    }

    static func indicator(_ measure: Breakdown.Measure, _ dimension: Breakdown.Dimension) -> IndicatorDefinition {
        IndicatorCatalogue.definition(id: Breakdown(measure: measure, dimension: dimension).id)!
    }

    /// The value must be numerator × factor ÷ denominator (÷ 60 for hours) with these counts.
    static func expect(_ value: IndicatorValue, _ expected: Double, numerator: Int, denominator: Int, _ what: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .value(let v, let n, let d) = value else {
            Issue.record("\(what): no value \(value)", sourceLocation: sourceLocation)
            return
        }
        #expect(n == numerator && d == denominator, "\(what): \(n) ÷ \(d)", sourceLocation: sourceLocation)
        #expect(abs(v - expected) < 1e-9, "\(what): \(v) ≠ \(expected)", sourceLocation: sourceLocation)
    }

    static func value(_ context: ServiceContext, _ definition: IndicatorDefinition, _ code: String, year: Int) async throws -> IndicatorValue {
        try await TrainingCoverageTests.value(context, definition, code, year: year)
    }

    @Test func coverageByTierCountsAWorkerOncePerTierAndOnlyThisYear() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await Self.fixture(context)
            let county = Self.indicator(.coverage, .tier(.county)), township = Self.indicator(.coverage, .tier(.township))
            // act, check: 县级骨干 — Suzhou s0 (twice: A and C, counted once) and s1 of 4; Jinta j0 and j1 of 2; the city 4 of 6
            Self.expect(try await Self.value(context, county, Self.suzhou, year: 2025), 50, numerator: 2, denominator: 4, "county tier, Suzhou")
            Self.expect(try await Self.value(context, county, Self.jinta, year: 2025), 100, numerator: 2, denominator: 2, "county tier, Jinta")
            Self.expect(try await Self.value(context, county, "620900", year: 2025), 400.0 / 6, numerator: 4, denominator: 6, "county tier, city")
            // 乡镇全员 — s2 and s0 in 2025; s3, trained in 2024, counts for 2024 only
            Self.expect(try await Self.value(context, township, Self.suzhou, year: 2025), 50, numerator: 2, denominator: 4, "township tier, Suzhou")
            Self.expect(try await Self.value(context, township, Self.jinta, year: 2025), 0, numerator: 0, denominator: 2, "township tier, Jinta")
            Self.expect(try await Self.value(context, township, "620900", year: 2025), 200.0 / 6, numerator: 2, denominator: 6, "township tier, city")
            Self.expect(try await Self.value(context, township, Self.suzhou, year: 2024), 25, numerator: 1, denominator: 4, "township tier, Suzhou 2024")
            // 市级示范: nobody; the tiers add up to more than the overall 3 of 4 (s0 is in two tiers)
            Self.expect(try await Self.value(context, Self.indicator(.coverage, .tier(.city)), Self.suzhou, year: 2025), 0,
                        numerator: 0, denominator: 4, "city tier, Suzhou")
            Self.expect(try await Self.value(context, IndicatorCatalogue.trainingCoverage, Self.suzhou, year: 2025), 75,
                        numerator: 3, denominator: 4, "overall, Suzhou")
        }
    }

    @Test func hoursPerWorkerByTierCountTheMinutesOfTheSessionsOfThatTier() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await Self.fixture(context)
            let county = Self.indicator(.hours, .tier(.county)), township = Self.indicator(.hours, .tier(.township))
            // act, check: 县级骨干 Suzhou s0 360 + 240, s1 180 = 780 min = 13 h over 4; Jinta 120 + 120 = 4 h over 2; city 17 h over 6
            Self.expect(try await Self.value(context, county, Self.suzhou, year: 2025), 3.25, numerator: 780, denominator: 4, "county hours, Suzhou")
            Self.expect(try await Self.value(context, county, Self.jinta, year: 2025), 2, numerator: 240, denominator: 2, "county hours, Jinta")
            Self.expect(try await Self.value(context, county, "620900", year: 2025), 17.0 / 6, numerator: 1020, denominator: 6, "county hours, city")
            // 乡镇全员 Suzhou 2025: s2 360 + s0 90 = 7.5 h over 4; 2024: s3 180 = 3 h over 4
            Self.expect(try await Self.value(context, township, Self.suzhou, year: 2025), 1.875, numerator: 450, denominator: 4, "township hours, Suzhou")
            Self.expect(try await Self.value(context, township, Self.suzhou, year: 2024), 0.75, numerator: 180, denominator: 4, "township hours, 2024")
            Self.expect(try await Self.value(context, township, Self.jinta, year: 2025), 0, numerator: 0, denominator: 2, "township hours, Jinta")
        }
    }

    @Test func coverageAndHoursByAudienceFollowTheAudiencesTheCourseNames() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await Self.fixture(context)
            // act, check: 新入职 (course A only): Suzhou s0, s1 of 4 with 540 min; Jinta j0 of 2 with 120 min; city 3 of 6
            Self.expect(try await Self.value(context, Self.indicator(.coverage, .audience(.newEntrant)), Self.suzhou, year: 2025), 50,
                        numerator: 2, denominator: 4, "new entrants, Suzhou")
            Self.expect(try await Self.value(context, Self.indicator(.coverage, .audience(.newEntrant)), "620900", year: 2025), 50,
                        numerator: 3, denominator: 6, "new entrants, city")
            Self.expect(try await Self.value(context, Self.indicator(.hours, .audience(.newEntrant)), Self.suzhou, year: 2025), 2.25,
                        numerator: 540, denominator: 4, "new-entrant hours, Suzhou")
            Self.expect(try await Self.value(context, Self.indicator(.hours, .audience(.newEntrant)), Self.jinta, year: 2025), 1,
                        numerator: 120, denominator: 2, "new-entrant hours, Jinta")
            // 社区工作者 (courses C and B): Suzhou s0 (C and B, once) and s2, with 240 + 360 + 90 = 690 min; Jinta j1 with 120
            Self.expect(try await Self.value(context, Self.indicator(.coverage, .audience(.communityWorker)), Self.suzhou, year: 2025), 50,
                        numerator: 2, denominator: 4, "community workers, Suzhou")
            Self.expect(try await Self.value(context, Self.indicator(.hours, .audience(.communityWorker)), Self.suzhou, year: 2025), 2.875,
                        numerator: 690, denominator: 4, "community-worker hours, Suzhou")
            Self.expect(try await Self.value(context, Self.indicator(.hours, .audience(.communityWorker)), "620900", year: 2025), 13.5 / 6,
                        numerator: 810, denominator: 6, "community-worker hours, city")
            // 转岗 (course B, which also names 社区工作者): Suzhou s2 and s0; nobody in Jinta
            Self.expect(try await Self.value(context, Self.indicator(.coverage, .audience(.transfer)), Self.suzhou, year: 2025), 50,
                        numerator: 2, denominator: 4, "transfers, Suzhou")
            Self.expect(try await Self.value(context, Self.indicator(.coverage, .audience(.transfer)), Self.jinta, year: 2025), 0,
                        numerator: 0, denominator: 2, "transfers, Jinta")
            // 机关事业单位人员 and 全体: no course names them
            Self.expect(try await Self.value(context, Self.indicator(.coverage, .audience(.institutionStaff)), "620900", year: 2025), 0,
                        numerator: 0, denominator: 6, "institution staff, city")
            Self.expect(try await Self.value(context, Self.indicator(.hours, .audience(.all)), "620900", year: 2025), 0,
                        numerator: 0, denominator: 6, "everyone, city")
        }
    }

    @Test func theCoverageReportGivesTheRegionAndEachCountyEveryBreakdown() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await Self.fixture(context)
            let reader = try await context.caller(.official("620900", .read), username: "jiuquan")
            let city = try #require(try await context.regions.region(code: "620900"))
            // act
            let report = try await IndicatorService(context: context, caller: reader)
                .trainingCoverage(in: city, asOf: CivilDate(year: 2025, month: 12, day: 31)!)
            // check: this year, the city's figures, and each county's by name
            #expect(report.period == .year(2025))
            #expect(report.total.communityWorkers == 6)
            Self.expect(report.total.coverage()!.value, 500.0 / 6, numerator: 5, denominator: 6, "report overall, city")
            Self.expect(report.total.coverage(.tier(.county))!.value, 400.0 / 6, numerator: 4, denominator: 6, "report county tier, city")
            let suzhou = try #require(report.children.first { $0.region.code == Self.suzhou })
            let jinta = try #require(report.children.first { $0.region.code == Self.jinta })
            #expect(suzhou.region.name == "肃州区" && jinta.region.name == "金塔县")
            Self.expect(suzhou.coverage(.tier(.township))!.value, 50, numerator: 2, denominator: 4, "report township tier, Suzhou")
            Self.expect(suzhou.hours(.tier(.county))!.value, 3.25, numerator: 780, denominator: 4, "report county hours, Suzhou")
            Self.expect(jinta.coverage(.audience(.newEntrant))!.value, 50, numerator: 1, denominator: 2, "report new entrants, Jinta")
            Self.expect(jinta.hours()!.value, 2, numerator: 240, denominator: 2, "report overall hours, Jinta")
            #expect(suzhou.results.count == IndicatorService.trainingCoverageIndicators.count)
            // a county official cannot read the city's report
            let county = try await context.caller(.official(Self.jinta, .read), username: "jinta")
            await #expect(throws: StoreError.self) {
                try await IndicatorService(context: context, caller: county).trainingCoverage(in: city, asOf: CivilDate(year: 2025, month: 12, day: 31)!)
            }
        }
    }

    @Test func aTargetOnAPerTierIndicatorIsAssessedFromItsMonthEndValues() async throws {
        try await ServiceTestDatabase.with { context in   // today: 2025-11-24
            // setup
            _ = try await Self.fixture(context)
            let official = try await context.caller(.official("620900", .readWrite), username: "city-planner")
            let targets = TargetService(context: context, caller: official)
            let id = Breakdown(measure: .coverage, dimension: .tier(.county)).id
            #expect(id == "training_coverage_tier_county")
            func target(_ name: String, _ code: String, _ value: Double) throws -> Target {
                Target(id: name, indicatorID: id, region: try RegionCode.parse(code).get(), comparator: .atLeast, value: value,
                       deadline: CivilDate(year: 2025, month: 12, day: 31)!, period: .year(2025))
            }
            // act
            let met = try #require(try await targets.create(try target("jinta-county-tier", Self.jinta, 100)))
            let short = try #require(try await targets.create(try target("suzhou-county-tier", Self.suzhou, 80)))
            // check: Jinta reached 100% when j1 attended on 2025-05-06 (50% from j0 on 2025-03-11)
            #expect(met.assessment.status == .met)
            #expect(met.assessment.current?.value == 100)
            let byDate = Dictionary(met.observations.map { ($0.date.description, $0.value) }, uniquingKeysWith: { $1 })
            #expect(byDate["2025-02-28"] == 0 && byDate["2025-03-31"] == 50 && byDate["2025-05-31"] == 100, "\(byDate)")
            // Suzhou stands at 50% of ≥ 80%, not met, progress from the first observation (0 on 2025-01-31): 50 ÷ 80
            #expect(short.assessment.status != .met)
            #expect(short.assessment.current?.value == 50)
            #expect(abs((short.assessment.progress ?? 0) - 0.625) < 1e-9)
        }
    }

    @Test func theDemoGivesJiuquanFiguresInThreeTiersAndSeveralAudiences() async throws {
        let now = Date(timeIntervalSince1970: 1_764_000_000)   // 2025-11-24
        try await ServiceTestDatabase.with(now: now) { context in
            // setup
            _ = try await DemoDataSet(people: 300, seed: 11, progressReports: false).load(db: context.db, cipher: context.cipher, now: now)
            let reader = try await context.caller(.official("620900", .read), username: "jiuquan")
            let city = try #require(try await context.regions.region(code: "620900"))
            // act
            let report = try await IndicatorService(context: context, caller: reader).trainingCoverage(in: city, asOf: CivilDate(year: 2025, month: 11, day: 24)!)
            // check: 市级示范, 县级骨干 and 乡镇全员 each trained someone and credited hours this year; so did courses for 新入职 and 转岗
            for dimension: Breakdown.Dimension in [.tier(.city), .tier(.county), .tier(.township), .audience(.newEntrant), .audience(.transfer),
                                                   .audience(.communityWorker)] {
                #expect((report.total.coverage(dimension)?.value.number ?? 0) > 0, "\(dimension)")
                #expect((report.total.hours(dimension)?.value.number ?? 0) > 0, "\(dimension)")
            }
            #expect(report.total.coverage(.tier(.exam))?.value.number == 0)
            #expect(report.children.contains { ($0.coverage(.tier(.county))?.value.number ?? 0) > 0 })
        }
    }
}
