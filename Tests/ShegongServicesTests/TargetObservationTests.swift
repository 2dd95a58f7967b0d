import FluentKit
import Foundation
import Logging
import NIOCore
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The month-end values of many targets read together (`IndicatorStore.evaluate(series:)`,
/// `TargetProgress.assess(all:)`) against the one-by-one engine (`IndicatorStore.evaluate`,
/// `TargetProgress.assess`): the same value and the same terms for every indicator, region and
/// date, from a number of queries that does not grow with the targets.
@Suite struct TargetObservationTests {
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }
    static func code(_ text: String) -> RegionCode { try! RegionCode.parse(text).get() }

    /// Indicators beside the shipped ones that reach every filter the store counts by.
    static let probes: [IndicatorDefinition] = {
        func people(_ id: String, _ filter: RegistryFilter, over denominator: IndicatorTerm? = nil) -> IndicatorDefinition {
            IndicatorDefinition(id: id, chineseName: id, englishName: id, numerator: .count(.init(.people, filter)),
                                denominator: denominator, unit: "人")
        }
        func places(_ id: String, _ subject: RegistrySubject, _ filter: RegistryFilter) -> IndicatorDefinition {
            IndicatorDefinition(id: id, chineseName: id, englishName: id, numerator: .count(.init(subject, filter)), unit: "个")
        }
        return [
            people("intermediate_or_senior", RegistryFilter(levels: [.intermediate, .senior])),
            people("assistant_community_workers", RegistryFilter(levels: [.assistant], postCategories: [.communityWorker])),
            people("issued_in_period", RegistryFilter(certificateHeld: true, issuedIn: .evaluationPeriod)),
            people("issued_2024", RegistryFilter(issuedIn: .fixed(DatePeriod(from: date("2024-01-01"), to: date("2024-12-31"))!))),
            people("not_certified", RegistryFilter(certificateHeld: false)),
            people("not_certified_share", RegistryFilter(certificateHeld: false), over: .count(.init(.people))),
            people("first_certified_mid_2024", RegistryFilter(firstCertifiedIn: .fixed(DatePeriod(from: date("2024-03-15"), to: date("2025-06-30"))!))),
            people("first_certified_senior", RegistryFilter(levels: [.senior], firstCertifiedIn: .evaluationPeriod)),
            people("two_fields", RegistryFilter(serviceFields: [.elderly, .children])),
            people("certified_in_a_school", RegistryFilter(certificateHeld: true, employerKinds: [.school, .socialWorkOrganization])),
            people("elderly_workers_at_homes_certified", RegistryFilter(certificateHeld: true, serviceFields: [.elderly],
                                                                       employerKinds: [.elderlyCareInstitution])),
            people("trained", RegistryFilter(trainedIn: .evaluationPeriod)),
            // the demo trains in the current year: the tier and audience filters have figures at today's point
            people("trained_in_county_tier_this_year", RegistryFilter(trainedIn: .fixed(.year(CivilDate.today().year)), trainingTiers: [.county])),
            IndicatorDefinition(id: "minutes_for_new_entrants_this_year", chineseName: "m", englishName: "m",
                                numerator: .count(.init(.trainingMinutes, RegistryFilter(trainedIn: .fixed(.year(CivilDate.today().year)),
                                                                                         trainingAudiences: [.newEntrant, .transfer]))), unit: "分钟"),
            places("bases", .practiceBases, RegistryFilter()),
            places("county_bases", .practiceBases, RegistryFilter(baseLevels: [.county])),
            places("pilots_with_cases", .pilotCommunities, RegistryFilter(minimumGoodPracticeCases: 1)),
            places("city_pilots", .pilotCommunities, RegistryFilter(pilotTiers: [.city])),
            places("counties_without_pilot", .countyUnits, RegistryFilter(withPilotCommunity: false)),
            places("counties_with_a_case", .countyUnits, RegistryFilter(withPilotCommunity: true, minimumGoodPracticeCases: 1)),
            places("counties_with_any_base", .countyUnits, RegistryFilter(withPracticeBase: true)),
        ]
    }()

    /// The demo (people with certificates issued 2012–2025 across 湖北, 酒泉 and 宣城; Jiuquan's
    /// bases, pilots and region statistics; the seed plans and their targets) and practice sites
    /// established at dates inside the months observed, one without a date. Some certificates and
    /// sites date from a month end observed, where "on or before the date" must count them.
    static func load(_ context: ServiceContext) async throws {
        _ = try await DemoDataSet(people: 300, seed: 11, progressReports: false).load(db: context.db, cipher: context.cipher)
        let sites = PracticeSiteStore(db: context.db)
        _ = try await sites.createBase(.init(regionCode: "620902", name: "肃州区基地", level: "县级", established: "2025-01-15"))
        _ = try await sites.createBase(.init(regionCode: "620982", name: "敦煌市基地", level: "县级", established: "2025-03-31"))
        _ = try await sites.createBase(.init(regionCode: "620921", name: "金塔县基地", level: "县级"))
        _ = try await sites.createPilot(.init(regionCode: "620922", name: "瓜州县试点", tier: "city", goodPracticeCases: 2, established: "2025-05-31"))
        _ = try await sites.createPilot(.init(regionCode: "620923", name: "肃北县试点", tier: "city", goodPracticeCases: 0, established: "2024-11-02"))
        _ = try await sites.createPilot(.init(regionCode: "620924", name: "阿克塞县试点", tier: "county", goodPracticeCases: 1))
        for (n, day) in ["2024-07-31", "2024-11-30", "2025-01-31", "2025-05-31"].enumerated() {
            try await context.sql.update("certificates").set("issue_date", to: day)
                .where(SQLQueryString("id IN (SELECT id FROM certificates ORDER BY id LIMIT 6 OFFSET \(bind: n * 6))")).run()
        }
    }

    @Test func seriesGiveEvaluatesValueForEveryIndicatorRegionAndDate() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            try await Self.load(context)
            let codes = [RegionPath.nationCode, "620000", "620900", "620902", "620921", "620982", "341800", "422826", "420000"]
            let regions = try await RegionStore(context.db).regions(codes: codes)
            #expect(regions.count == codes.count)
            // Month ends over two years around the certificates' and sites' dates, and today (which
            // the maintained aggregates answer on both paths).
            var dates = stride(from: 0, to: 24, by: 2).map { Self.date("2024-01-31").addingMonths(endOfMonth: $0) }
            dates.append(CivilDate.today())
            let periods: [DatePeriod?] = [nil, DatePeriod(from: Self.date("2025-01-01"), to: Self.date("2025-12-31")),
                                          DatePeriod(from: Self.date("2024-04-10"), to: Self.date("2025-02-20"))]
            var requests: [IndicatorSeriesRequest] = []
            for definition in IndicatorCatalogue.shipped + Self.probes {
                for code in codes {
                    for period in definition.needsPeriod ? periods : [nil, periods[1]] {
                        requests.append(IndicatorSeriesRequest(definition: definition, region: regions[code]!, dates: dates, period: period))
                    }
                }
            }
            let store = IndicatorStore(context.db)
            // act
            let series = try await store.evaluate(series: requests)
            // check
            var compared = 0, counted = 0, changing = Set<String>()
            // The training breakdowns are mostly 0 here (no exam or other course, most audiences
            // named by none, the demo's sessions in the current year): compared, not counted below.
            let breakdowns = Set(IndicatorCatalogue.trainingBreakdown.map(\.id))
            var comparedOthers = 0
            for (request, results) in zip(requests, series) {
                try #require(results.count == request.dates.count)
                var seen = Set<Double>()
                for (date, result) in zip(request.dates, results) {
                    let one = try await store.evaluate(request.definition, region: request.region, asOf: date, period: request.period)
                    let what = "\(request.definition.id) at \(request.region.code) on \(date) over \(String(describing: request.period))"
                    #expect(result.value == one.value, "\(what)")
                    #expect(result.terms == one.terms, "\(what)")
                    #expect(result.asOf == date && result.region.code == request.region.code)
                    compared += 1
                    if !breakdowns.contains(request.definition.id) { comparedOthers += 1 }
                    if let number = one.value.number, number > 0, !breakdowns.contains(request.definition.id) { counted += 1; seen.insert(number) }
                }
                if seen.count > 1 { changing.insert(request.definition.id) }
            }
            // Not a comparison of zeros: most points have a value, and most indicators move over the dates.
            #expect(compared == requests.count * dates.count)
            #expect(counted > comparedOthers / 3)
            #expect(changing.isSuperset(of: ["certificate_holders", "new_certificate_holders", "intermediate_or_senior", "issued_2024",
                                             "not_certified", "first_certified_mid_2024", "county_bases", "city_pilots",
                                             "counties_without_pilot", "counties_with_any_base", "community_worker_certification_rate"]),
                    "\(changing.sorted())")
        }
    }

    @Test func manyTargetsAreAssessedAsEachAloneFromTheQueriesOfAFew() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: the seed plans' targets, and 30 more over the city, its counties, other regions and every indicator
            try await Self.load(context)
            let seeded = try await PlanStore(db: context.db).targets().map(\.target)
            #expect(seeded.count >= 9)
            let regions = ["620900", "620902", "620921", "620982", "341800", "422826", "620000", RegionPath.nationCode, "620999"]
            let indicators = IndicatorCatalogue.shipped.map(\.id) + ["unknown_indicator"]
            var extra: [Target] = []
            for i in 0..<30 {
                let baseline = i % 3 == 0 ? TargetObservation(date: Self.date("2024-06-30"), value: Double(i)) : nil
                let period = i % 2 == 0 ? DatePeriod(from: Self.date("2025-01-01"), to: Self.date("2025-12-31")) : nil
                extra.append(Target(id: "t\(i)", indicatorID: indicators[i % indicators.count],
                                    region: try RegionCode.parse(regions[i % regions.count]).get(), comparator: .atLeast,
                                    value: Double(10 * i), baseline: baseline, deadline: Self.date(i % 4 == 0 ? "2026-12-31" : "2025-12-31"),
                                    period: period))
            }
            let items = (seeded + extra).enumerated().map { i, target in
                TargetProgress.Item(target, planStart: i % 5 == 0 ? nil : Self.date("2025-01-01"))
            }
            let asOf = Self.date("2025-11-24")
            let counter = QueryCounter(context.sql)
            let progress = TargetProgress(sql: counter)
            // act
            let all = try await progress.assess(all: items, asOf: asOf)
            let queries = counter.count
            counter.count = 0
            _ = try await progress.assess(all: items + items + items, asOf: asOf)
            let queriesForThrice = counter.count
            counter.count = 0
            // check: each as it is alone
            try #require(all.count == items.count)
            var observed = 0
            for (item, (assessment, observations)) in zip(items, all) {
                let (alone, aloneObservations) = try await progress.assess(item.target, planStart: item.planStart, asOf: asOf)
                #expect(observations == aloneObservations, "\(item.target.id)")
                #expect(assessment == alone, "\(item.target.id)")
                observed += observations.count
            }
            let oneByOne = counter.count
            #expect(observed > 200)
            // …from a number of queries that does not grow with the targets: one for the regions,
            // one for the statistics, one per distinct registry count of the catalogue, one for the
            // maintained aggregates.
            let counts = Set(IndicatorCatalogue.shipped.flatMap(\.terms).filter { if case .count = $0 { true } else { false } })
            #expect(queriesForThrice == queries)
            #expect(queries <= 3 + counts.count, "\(queries) queries for \(items.count) targets")
            #expect(oneByOne > 20 * queries, "one by one: \(oneByOne) queries, together: \(queries)")
        }
    }

    @Test func theTargetListAssessesEveryTargetAsItWouldBeAlone() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            try await Self.load(context)
            let reader = try await context.caller(.official("620900", .read), username: "jiuquan")
            let city = try #require(try await context.regions.region(code: "620900"))
            let asOf = Self.date("2025-11-24")
            let plans = try await PlanStore(db: context.db).list()
            // act
            let lines = try await TargetService(context: context, caller: reader).targets(in: city, asOf: asOf)
            // check
            #expect(lines.count == 9)
            for line in lines {
                let start = line.planID.flatMap { id in plans.first { $0.id == id }?.periodFrom }.flatMap { CivilDate(iso: $0) }
                let (alone, observations) = try await TargetProgress(db: context.db).assess(line.target, planStart: start, asOf: asOf)
                #expect(line.assessment == alone, "\(line.target.id)")
                #expect(line.observations == observations, "\(line.target.id)")
            }
            #expect(lines.contains { $0.observations.count > 5 })
        }
    }
}

extension CivilDate {
    /// The last day of the month `months` after this date's month.
    func addingMonths(endOfMonth months: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)!.adding(months: months)
        return CivilDate(year: first.year, month: first.month, day: CivilDate.daysIn(month: first.month, year: first.year))!
    }
}

/// An SQL database that counts the statements run through it.
final class QueryCounter: SQLDatabase, @unchecked Sendable {
    let base: any SQLDatabase
    private let lock = NSLock()
    private var executed = 0

    init(_ base: any SQLDatabase) { self.base = base }

    var count: Int {
        get { lock.withLock { executed } }
        set { lock.withLock { executed = newValue } }
    }

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        count += 1
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        count += 1
        try await base.execute(sql: query, onRow)
    }
}
