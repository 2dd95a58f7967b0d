import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Plans, targets and region statistics through their services, without a web server: the scope
/// is the query's condition (a county official lists exactly the plans on its jurisdiction chain,
/// each with its own measures), targets are chosen by region, and a department operator's
/// out-of-field statistic is refused and audited.
@Suite struct PlanServiceTests {
    static func code(_ text: String) -> RegionCode { try! RegionCode.parse(text).get() }
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    /// A plan of `jurisdiction` with one key task of two measures that name the plan.
    static func plan(_ id: String, _ jurisdiction: String) -> Plan {
        let measures = (1...2).map { n in
            Measure(id: "1.\(n)", text: "\(id) 措施 \(n)", lead: "市委社会工作部", deadline: date("2025-12-31"))
        }
        return Plan(id: id, name: "方案 \(id)", jurisdiction: code(jurisdiction), jurisdictionName: jurisdiction,
                    period: PlanPeriod(from: date("2025-01-01"), to: date("2025-12-31")), source: "test",
                    keyTasks: [KeyTask(id: "1", title: "重点任务", measures: measures)])
    }

    @Test func aCountyOfficialListsExactlyThePlansOfItsJurisdictionChainWithTheirMeasures() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: plans across the nation — on 肃州区's chain (nation, province, city, itself, a
            // township inside it) and off it (a sibling county, another province, its city)
            let chain = ["000000", "620000", "620900", "620902", "620902001"]
            let off = ["620903", "620921", "620100", "340000", "341800", "341802", "629000"]
            let store = PlanStore(db: context.db)
            var expected: [String] = []
            for (i, jurisdiction) in (chain + off + chain + off).enumerated() {
                let id = String(format: "plan-%02d", i)
                try await store.add(Self.plan(id, jurisdiction))
                if chain.contains(jurisdiction) { expected.append(id) }
            }
            let county = try await context.caller(.official("620902", .read), username: "suzhou")
            // act
            let plans = try await PlanService(context: context, caller: county).plans()
            // check
            #expect(plans.map(\.id).sorted() == expected.sorted())
            for plan in plans {
                #expect(plan.measures.map(\.text) == ["\(plan.id) 措施 1", "\(plan.id) 措施 2"])
            }
        }
    }

    @Test func thePlansAroundARegionAreThoseOnBothChains() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let store = PlanStore(db: context.db)
            for (id, jurisdiction) in [("city", "620900"), ("suzhou", "620902"), ("guazhou", "620922"), ("anhui", "340000")] {
                try await store.add(Self.plan(id, jurisdiction))
            }
            let city = try await context.caller(.official("620900", .read), username: "jiuquan")
            // act
            let around = try await PlanService(context: context, caller: city).plans(around: Self.code("620902"))
            // check: the city's and 肃州区's, not 瓜州县's nor another province's
            #expect(around.map(\.id) == ["city", "suzhou"])
        }
    }

    @Test func aPlanOutOfSightIsAnsweredLikeAMissingOneAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            try await PlanStore(db: context.db).add(Self.plan("anhui", "341800"))
            let county = try await context.caller(.official("620902", .readWrite), username: "suzhou")
            // act
            await #expect(throws: StoreError.self) { _ = try await PlanService(context: context, caller: county).plan(id: "anhui") }
            // check
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.map(\.entry.objectID) == ["anhui"])
        }
    }

    @Test func aTargetListOverManyTargetsHoldsExactlyTheRegionsTargets() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: 30 targets over the city, its counties and other regions
            let store = PlanStore(db: context.db)
            let regions = ["620900", "620902", "620921", "620922", "620000", "340000", "341800", "629000", "620100", "620902001"]
            var expected: Set<String> = []
            for i in 0..<30 {
                let region = regions[i % regions.count]
                let target = Target(id: "t\(i)", indicatorID: IndicatorCatalogue.certificateHolders.id, region: Self.code(region),
                                    comparator: .atLeast, value: Double(100 + i), deadline: Self.date("2025-12-31"))
                try await store.addTarget(target)
                if Self.code("620900").contains(Self.code(region)) { expected.insert(target.id) }
            }
            let reader = try await context.caller(.official("620900", .read), username: "jiuquan")
            let city = try #require(try await context.regions.region(code: "620900"))
            // act
            let lines = try await TargetService(context: context, caller: reader).targets(in: city, asOf: Self.date("2025-11-24"))
            // check: every target of the city and the regions inside it, once, and no other
            #expect(Set(lines.map(\.target.id)) == expected)
            #expect(lines.count == expected.count)
            // the city's targets sit beside the sum of its counties' targets
            let cityLine = try #require(lines.first { $0.target.region.value == "620900" })
            #expect(cityLine.countySum?.counties.count == lines.filter { $0.target.region.level == .county }.count)
        }
    }

    @Test func aTargetOutsideTheScopeOrByAReaderIsRefused() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let target = Target(id: "anhui", indicatorID: IndicatorCatalogue.certificateHolders.id, region: Self.code("341800"),
                                comparator: .atLeast, value: 100, deadline: Self.date("2025-12-31"))
            let writer = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let reader = try await context.caller(.official("620900", .read), username: "reader")
            // act + check: another city's region is unknown to Jiuquan; a reader may set none
            await #expect(throws: StoreError.self) { _ = try await TargetService(context: context, caller: writer).create(target) }
            var own = target
            own.id = "own"
            own.region = Self.code("620902")
            await #expect(throws: AccessDenied.self) { _ = try await TargetService(context: context, caller: reader).create(own) }
            let created = try await TargetService(context: context, caller: writer).create(own)
            #expect(created?.target.id == "own")
            #expect(try await PlanStore(db: context.db).targets().map(\.target.id) == ["own"])
            let entries = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "target.create"))
            #expect(entries.map(\.entry.actor) == ["jiuquan"])
        }
    }

    @Test func aDepartmentOperatorsOutOfFieldStatisticIsRefusedAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: the education bureau of 酒泉市 enters schools, not older people (民政's)
            let education = try await context.caller(.departmentOperator(department: "市教育局", region: Self.code("620900")),
                                                     username: "jq-education")
            let suzhou = try #require(try await context.regions.region(code: "620902"))
            let service = StatisticsService(context: context, caller: education)
            // act
            await #expect(throws: StatisticsOutOfField.self) {
                _ = try await service.save(region: suzhou, year: 2024, values: [.schools: 41, .population60Plus: 90_000],
                                           department: nil, source: "test")
            }
            let saved = try await service.save(region: suzhou, year: 2024, values: [.schools: 41], department: "别的部门", source: "test")
            // check: nothing of the refused change was written; the refusal and the change are audited
            let entries = try await RegionStatisticStore(context.db).entries(region: "620902", year: 2024)
            #expect(entries.map(\.statistic) == ["schools"])
            #expect(saved.created == 1)
            let history = try await RegionStatisticStore(context.db).history(region: "620902", year: 2024)
            #expect(history.map(\.actor) == ["市教育局"])
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied"))
            #expect(denied.map(\.entry.objectID) == ["620902"])
            #expect(denied.first?.entry.details?.contains("population_60_plus") == true)
            let updates = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "statistics.update"))
            #expect(updates.map(\.entry.actor) == ["jq-education"])
        }
    }

    @Test func examFiguresAreThoseOfTheRegionAndAreEnteredOnlyWhereTheCallerMayChange() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: figures of 酒泉市's counties, of 酒泉市 itself and of other regions
            let jiuquan = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let reader = try await context.caller(.official("620900", .read), username: "reader")
            let nation = try await context.caller(.official("000000", .readWrite), username: "nation")
            for region in ["620900", "620902", "620921", "620100", "341800", "620000"] {
                _ = try await ExamService(context: context, caller: nation).save(ExamFigure(year: 2025, region: Self.code(region), registrants: 100))
            }
            let exams = ExamService(context: context, caller: jiuquan)
            // act + check: a region outside the scope is unknown to the caller, a reader enters nothing
            await #expect(throws: StoreError.self) {
                _ = try await exams.save(ExamFigure(year: 2025, region: Self.code("341800"), registrants: 1))
            }
            await #expect(throws: AccessDenied.self) {
                _ = try await ExamService(context: context, caller: reader).save(ExamFigure(year: 2025, region: Self.code("620902"), registrants: 1))
            }
            let city = try #require(try await context.regions.region(code: "620900"))
            let figures = try await ExamService(context: context, caller: reader).figures(in: city).figures
            #expect(figures.map(\.region.value) == ["620900", "620902", "620921"])
            #expect(figures.allSatisfy { $0.registrants == 100 })
        }
    }
}
