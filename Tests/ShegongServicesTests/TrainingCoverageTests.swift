import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The training indicators (issue #13 §7): community workers who attended in the period over those
/// on file, and credited hours per worker, from attendance and completed sessions, by hand-computed
/// figures.
@Suite struct TrainingCoverageTests {
    /// Four Suzhou community workers and one in Jinta. Two 2025 Suzhou sessions' worth of
    /// attendance: worker 0 360 minutes, worker 1 90 minutes (completed, credited 2025-06-03);
    /// worker 2 120 minutes in a completed 2024 session; worker 3 enrolled, never attended.
    static func fixture(_ context: ServiceContext) async throws -> [String] {
        let s = try await TrainingServiceTests.setup(context, count: 4)
        let jinta = try await RegistryServiceTests.person(context, try RegistryServiceTests.record(9, name: "金塔学员", county: TrainingServiceTests.jinta))
        let session = try await TrainingServiceTests.session(s, capacity: 4)
        for person in s.people { _ = try await s.official.enrol(session: session.id, person: person, waitingList: false) }
        _ = try await s.official.recordAttendance(session: session.id, [
            AttendanceEntry(personID: s.people[0], day: "2025-06-02", minutes: 180),
            AttendanceEntry(personID: s.people[0], day: "2025-06-03", minutes: 180),
            AttendanceEntry(personID: s.people[1], day: "2025-06-03", minutes: 90),
        ])
        _ = try await s.official.complete(session: session.id)
        let earlier = try await TrainingServiceTests.session(s, capacity: 4, from: "2024-05-06", to: "2024-05-06")
        _ = try await s.official.enrol(session: earlier.id, person: s.people[2], waitingList: false)
        _ = try await s.official.recordAttendance(session: earlier.id, [AttendanceEntry(personID: s.people[2], day: "2024-05-06", minutes: 120)])
        _ = try await s.official.complete(session: earlier.id)
        return s.people + [jinta]
    }

    static func value(_ context: ServiceContext, _ definition: IndicatorDefinition, _ code: String, year: Int) async throws -> IndicatorValue {
        let region = try #require(try await RegionStore(context.db).region(code: code))
        return try await IndicatorStore(sql: context.sql).evaluate(definition, region: region, asOf: CivilDate(year: year, month: 12, day: 31)!,
                                                                   period: .year(year)).value
    }

    @Test func coverageIsTheShareOfCommunityWorkersOnFileWhoAttendedInTheYear() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await Self.fixture(context)
            // act, check: Suzhou 2025: workers 0 and 1 of 4; 2024: worker 2 of 4; the city adds Jinta's untrained worker
            #expect(try await Self.value(context, IndicatorCatalogue.trainingCoverage, TrainingServiceTests.suzhou, year: 2025)
                    == .value(50, numerator: 2, denominator: 4))
            #expect(try await Self.value(context, IndicatorCatalogue.trainingCoverage, TrainingServiceTests.suzhou, year: 2024)
                    == .value(25, numerator: 1, denominator: 4))
            #expect(try await Self.value(context, IndicatorCatalogue.trainingCoverage, "620900", year: 2025)
                    == .value(40, numerator: 2, denominator: 5))
            #expect(try await Self.value(context, IndicatorCatalogue.trainingCoverage, TrainingServiceTests.jinta, year: 2025)
                    == .value(0, numerator: 0, denominator: 1))
        }
    }

    @Test func hoursPerWorkerAreTheCreditedMinutesOfTheYearInHoursOverTheWorkersOnFile() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            _ = try await Self.fixture(context)
            // act, check: (360 + 90) ÷ 60 ÷ 4 = 1.875 h in Suzhou 2025; 120 ÷ 60 ÷ 4 = 0.5 h in 2024; 450 ÷ 60 ÷ 5 = 1.5 h in the city
            #expect(try await Self.value(context, IndicatorCatalogue.trainingHoursPerWorker, TrainingServiceTests.suzhou, year: 2025)
                    == .value(1.875, numerator: 450, denominator: 4))
            #expect(try await Self.value(context, IndicatorCatalogue.trainingHoursPerWorker, TrainingServiceTests.suzhou, year: 2024)
                    == .value(0.5, numerator: 120, denominator: 4))
            #expect(try await Self.value(context, IndicatorCatalogue.trainingHoursPerWorker, "620900", year: 2025)
                    == .value(1.5, numerator: 450, denominator: 5))
            #expect(IndicatorCatalogue.trainingHoursPerWorker.valueText(1.875, .en) == "1.9 hours per worker")
        }
    }

    static func trainingRows(_ context: ServiceContext) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["training_courses", "training_sessions", "trainers", "training_enrolments", "training_attendance", "education_credits"] {
            counts.append(try await context.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from(table).first()!
                .decode(column: "n", as: Int.self))
        }
        return counts
    }

    @Test func theDemoTrainsJiuquanCommunityWorkersThisYearAndLoadingTwiceAddsNothing() async throws {
        let now = Date(timeIntervalSince1970: 1_764_000_000)   // 2025-11-24
        try await ServiceTestDatabase.with(now: now) { context in
            // setup
            _ = try await DemoDataSet(people: 300, seed: 11, progressReports: false).load(db: context.db, cipher: context.cipher, now: now)
            let first = try await Self.trainingRows(context)
            // act
            _ = try await DemoDataSet(people: 300, seed: 11, progressReports: false).load(db: context.db, cipher: context.cipher, now: now)
            // check: three tiers of courses, sessions, trainers, enrolments, attendance and credits, once
            #expect(first[0] == 5 && first[1] == 6 && first[2] == 3)
            #expect(first[3] > 0 && first[4] > 0)
            let credits = try await context.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from("education_credits")
                .where("source", .equal, "session").first()!.decode(column: "n", as: Int.self)
            #expect(credits > 0)
            #expect(try await Self.trainingRows(context) == first)
            let official = try await context.caller(.official("620900", .read), username: "jiuquan")
            let jiuquan = try #require(try await RegionStore(context.db).region(code: "620900"))
            let result = try await IndicatorService(context: context, caller: official)
                .value(IndicatorCatalogue.trainingCoverage, in: jiuquan, asOf: CivilDate(year: 2025, month: 11, day: 24)!, period: .year(2025))
            #expect((result.value.number ?? 0) > 0)
        }
    }
}
