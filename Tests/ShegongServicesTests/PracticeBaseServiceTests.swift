import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Practice bases through the service (issue #14 §1): the register's new fields, the regions a
/// base serves (inside its own province only), the people it hosts, the caller's scope, and the
/// migration that keeps every base registered before — and the indicators' values over them.
@Suite struct PracticeBaseServiceTests {
    static let dunhuang = "620982", jinta = "620921", yumen = "620981"

    static func person(_ context: ServiceContext, _ n: Int, name: String, county: String) async throws -> String {
        let id = try #require(ResidentID.make(addressCode: county, birthDate: CivilDate(year: 1995, month: 7, day: 1)!, sequence: n))
        return try await PersonStore(db: context.db, cipher: context.cipher)
            .save(CensusRecord(row: n, name: name, residentID: id, regionCode: county), target: nil, actor: "setup", source: "test").personID
    }

    static func count(_ context: ServiceContext, _ table: String) async throws -> Int {
        try await context.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from(table).first()!.decode(column: "n", as: Int.self)
    }

    static func dunhuangBase(servedRegions: [String] = ["620982", "620922", "620923", "620924"]) -> PracticeBaseInput {
        PracticeBaseInput(regionCode: dunhuang, name: "敦煌市社会工作专业人员实践基地", level: "县级", host: "敦煌国际会展中心", capacity: 50,
                          facilities: "培训厅", contactName: "李老师", contactPhone: "0937-8821234", contactMobile: "139 0000 0001",
                          periodFrom: "2025-06-01", periodTo: "2027-05-31", servedRegions: servedRegions)
    }

    @Test func dunhuangsBaseServesTheWesternCountiesKeepsItsContactsMobileSealedAndHostsPeople() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a read-write official of 酒泉市 and a person in 敦煌市
            let official = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let bases = PracticeBaseService(context: context, caller: official)
            let intern = try await Self.person(context, 1, name: "马小军", county: Self.dunhuang)
            // act
            let base = try await bases.create(Self.dunhuangBase())
            let placement = try await bases.addPlacement(base.id, PlacementInput(personID: intern, kind: "实习", from: "2025-07-01", to: "2025-08-31"))
            // check: the served regions, the masked mobile, the office phone as typed, the intern
            let detail = try await bases.base(base.id)
            #expect(detail.servedRegions == ["620922", "620923", "620924", "620982"])
            #expect(detail.contactMobile == "139****0001")
            #expect(detail.contactPhone == "0937-8821234")
            #expect(detail.capacity == 50)
            #expect(detail.placements.map { "\($0.personName) \($0.kind) \($0.from)–\($0.to ?? "")" } == ["马小军 internship 2025-07-01–2025-08-31"])
            #expect(placement.personName == "马小军")
            let stored = try await context.sql.select().columns("contact_mobile_cipher", "contact_mobile_masked").from("practice_bases").first()!
            #expect(try stored.decode(column: "contact_mobile_cipher", as: String.self).contains("13900000001") == false)
            #expect(try await PracticeBaseStore(db: context.db, cipher: context.cipher).revealContactMobile(id: base.id) == "13900000001")
            // an edit that leaves the mobile out keeps it
            var edited = Self.dunhuangBase()
            edited.contactMobile = nil
            edited.capacity = 60
            #expect(try await bases.update(base.id, edited).contactMobile == "139****0001")
            // the list of 酒泉市 counts what it serves and hosts (the placement ended: nobody today)
            let listed = try await bases.list(regionCode: nil).bases
            #expect(listed.map { "\($0.name) \($0.servedRegions) \($0.capacity ?? 0)" } == ["敦煌市社会工作专业人员实践基地 4 60"])
        }
    }

    @Test func aBaseServingARegionOutsideItsProvinceIsRefusedNamingTheRegionAndNothingIsWritten() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let official = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let bases = PracticeBaseService(context: context, caller: official)
            // act: 宣州区 is in 安徽省, 敦煌市 in 甘肃省
            let error = await #expect(throws: StoreError.self) { try await bases.create(Self.dunhuangBase(servedRegions: ["620922", "341802"])) }
            // check
            #expect(error?.details.map(\.field) == ["servedRegions"])
            #expect(error?.details.first?.message == "服务地区 宣州区（341802）不在基地所在的省份内，基地只能服务本省地区")
            #expect(try await Self.count(context, "practice_bases") == 0)
            #expect(try await Self.count(context, "practice_base_regions") == 0)
        }
    }

    @Test func aPeriodEndingBeforeItStartsAndANegativeCapacityAreRefusedTogetherWithNothingWritten() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a base to change, and a person to host
            let official = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let bases = PracticeBaseService(context: context, caller: official)
            let base = try await bases.create(Self.dunhuangBase())
            let trainee = try await Self.person(context, 2, name: "周培", county: Self.dunhuang)
            var bad = Self.dunhuangBase(servedRegions: ["620982"])
            bad.capacity = -5
            bad.periodFrom = "2025-09-01"
            bad.periodTo = "2025-08-01"
            // act
            let refused = await #expect(throws: StoreError.self) { try await bases.update(base.id, bad) }
            let placement = await #expect(throws: StoreError.self) {
                try await bases.addPlacement(base.id, PlacementInput(personID: trainee, kind: "培训", from: "2025-10-17", to: "2025-10-13"))
            }
            // check: every problem named; the base as it was, no placement
            #expect(refused?.details.map(\.field) == ["capacity", "periodTo"])
            #expect(refused?.details.map(\.code) == ["bases.number.negative", "bases.period.order"])
            #expect(refused?.details.last?.message == "结束日期 2025-08-01 早于开始日期 2025-09-01")
            #expect(placement?.details.map(\.field) == ["to"])
            let unchanged = try await bases.base(base.id)
            #expect(unchanged.capacity == 50)
            #expect(unchanged.servedRegions.count == 4)
            #expect(try await Self.count(context, "practice_base_placements") == 0)
        }
    }

    @Test func anotherCountysBaseIsTheAuditedNotFoundAndAReadOnlyOfficialMayNotChangeOne() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: Dunhuang's base; an official of 金塔县; a read-only official of 酒泉市; a person of 宣城
            let writer = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let base = try await PracticeBaseService(context: context, caller: writer).create(Self.dunhuangBase())
            let jinta = PracticeBaseService(context: context, caller: try await context.caller(.official(Self.jinta, .readWrite), username: "jinta"))
            let reader = PracticeBaseService(context: context, caller: try await context.caller(.official("620900", .read), username: "reader"))
            let stranger = try await Self.person(context, 3, name: "宣城人", county: "341802")
            // act + check
            #expect(try await jinta.list(regionCode: nil).bases.isEmpty)
            let hidden = await #expect(throws: StoreError.self) { try await jinta.base(base.id) }
            #expect(hidden?.kind == .notFound)
            #expect(try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied")).map(\.entry.actor) == ["jinta"])
            await #expect(throws: AccessDenied.self) { try await reader.update(base.id, Self.dunhuangBase()) }
            #expect(try await reader.base(base.id).name == "敦煌市社会工作专业人员实践基地")
            let outside = await #expect(throws: StoreError.self) {
                try await PracticeBaseService(context: context, caller: writer).addPlacement(base.id, PlacementInput(personID: stranger, kind: "实习", from: "2025-07-01"))
            }
            #expect(outside?.details.map(\.code) == ["bases.placement.person.unknown"])
        }
    }

    @Test func basesRegisteredBeforeMigration0052KeepTheirRowsAndTheIndicatorsTheirValues() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: the register as it stood before 0052/0053, with a county base in 玉门市 and a
            // college base in 金塔县 registered through the old store
            let details = try #require(ShegongMigrations.all.first { $0.name.hasSuffix("AddPracticeBaseDetails") })
            let posts = try #require(ShegongMigrations.all.first { $0.name.hasSuffix("CreatePosts") })
            try await posts.revert(on: context.db).get()
            try await details.revert(on: context.db).get()
            let sites = PracticeSiteStore(db: context.db)
            let yumen = try await sites.createBase(.init(regionCode: Self.yumen, name: "玉门市实践基地", level: "县级", host: "玉门市民政局", established: "2025-01-15"))
            _ = try await sites.createBase(.init(regionCode: Self.jinta, name: "金塔县院校基地", level: "院校", established: "2025-02-01"))
            let jiuquan = try #require(try await context.regions.region(code: "620900"))
            let asOf = CivilDate(iso: "2025-06-30")!
            let indicators = IndicatorStore(context.db)
            let allBases = IndicatorDefinition(id: "bases", chineseName: "实践基地数", englishName: "bases", numerator: .count(.init(.practiceBases)), unit: "个")
            let before = [try await indicators.evaluate(IndicatorCatalogue.countyUnitsWithPracticeBase, region: jiuquan, asOf: asOf).value,
                          try await indicators.evaluate(allBases, region: jiuquan, asOf: asOf).value]
            // act
            try await details.prepare(on: context.db).get()
            try await posts.prepare(on: context.db).get()
            // check: the same values; the old bases in the new register, as they were
            let after = [try await indicators.evaluate(IndicatorCatalogue.countyUnitsWithPracticeBase, region: jiuquan, asOf: asOf).value,
                         try await indicators.evaluate(allBases, region: jiuquan, asOf: asOf).value]
            #expect(after == before)
            #expect(after.first?.number.map { ($0 * 7).rounded() } == 100)
            let official = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let bases = PracticeBaseService(context: context, caller: official)
            #expect(try await bases.list(regionCode: nil).bases.map { "\($0.name) \($0.level) \($0.servedRegions)" }
                    == ["金塔县院校基地 college 0", "玉门市实践基地 county 0"])
            let old = try await bases.base(yumen.id)
            #expect(old.host == "玉门市民政局")
            #expect(old.established == "2025-01-15")
            #expect(old.capacity == nil)
            // the old base takes the new fields and still counts
            _ = try await bases.update(yumen.id, PracticeBaseInput(regionCode: Self.yumen, name: "玉门市实践基地", level: "county", host: "玉门市民政局",
                                                                   capacity: 12, established: "2025-01-15", servedRegions: [Self.yumen]))
            #expect(try await indicators.evaluate(IndicatorCatalogue.countyUnitsWithPracticeBase, region: jiuquan, asOf: asOf).value == before[0])
        }
    }
}
