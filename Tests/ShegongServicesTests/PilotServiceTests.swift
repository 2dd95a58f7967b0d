import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The fusion pilots' use cases on both databases (docs/pilots.md): hour totals summed in SQL,
/// bad activities refused whole, and the case workflow with who may take each step.
@Suite struct PilotServiceTests {
    static let suzhou = "620902", jiuquan = "620900"

    struct Setup {
        var pilotID: String
        var county: Caller
        var city: Caller
        var volunteers: [String]
    }

    /// A pilot in 肃州区 with two volunteers, its county official (editor) and the city's (reviewer).
    static func setup(_ context: ServiceContext, typedCases: Int = 0) async throws -> Setup {
        let pilot = try await PracticeSiteStore(db: context.db).createPilot(
            .init(regionCode: suzhou, name: "肃州区试点社区", tier: "city", goodPracticeCases: typedCases))
        let county = try await context.caller(.official(suzhou, .readWrite), username: "suzhou")
        let city = try await context.caller(.official(jiuquan, .readWrite), username: "jiuquan")
        let service = PilotService(context: context, caller: county)
        let a = try await service.addVolunteer(pilot.id, .init(name: "李志愿", mobile: "13900001111", skills: "陪伴老人"))
        let b = try await service.addVolunteer(pilot.id, .init(name: "王热心", mobile: "13900002222",
                                                                idNumber: ResidentID.make(addressCode: suzhou, birthDate: CivilDate(year: 1990, month: 3, day: 3)!, sequence: 21)!.value))
        return Setup(pilotID: pilot.id, county: county, city: city, volunteers: [a.id, b.id])
    }

    static func activity(_ title: String, date: String = "2025-06-01", start: String, end: String, _ hours: [(String, Double)]) -> PilotInput.Activity {
        PilotInput.Activity(title: title, kind: "elderly", date: date, startTime: start, endTime: end, beneficiaries: 12,
                            participants: hours.map { .init(volunteerID: $0.0, hours: $0.1) })
    }

    static func count(_ context: ServiceContext, _ table: String) async throws -> Int {
        try await context.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }

    @Test func volunteerHoursAreTheSumOfTheirActivities() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context)
            let service = PilotService(context: context, caller: s.county)
            // act: two activities; the second volunteer only in the first
            _ = try await service.recordActivity(s.pilotID, Self.activity("重阳敬老", start: "09:00", end: "11:30", [(s.volunteers[0], 2.5), (s.volunteers[1], 1.5)]))
            _ = try await service.recordActivity(s.pilotID, Self.activity("午后读报", start: "14:00", end: "16:00", [(s.volunteers[0], 2)]))
            let (detail, _) = try await service.detail(s.pilotID)
            // check
            let byName = Dictionary(uniqueKeysWithValues: detail.volunteers.map { ($0.name, $0) })
            #expect(byName["李志愿"]?.minutes == 270)
            #expect(byName["李志愿"]?.activities == 2)
            #expect(byName["王热心"]?.minutes == 90)
            #expect(byName["王热心"]?.idNumber?.contains("*") == true)
            #expect(byName["李志愿"]?.mobile == "139****1111")
            #expect(detail.activities.count == 2)
        }
    }

    @Test func negativeHoursHoursLongerThanTheActivityAndOverlapsAreRefusedWhole() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context)
            let service = PilotService(context: context, caller: s.county)
            _ = try await service.recordActivity(s.pilotID, Self.activity("上午活动", start: "09:00", end: "11:00", [(s.volunteers[0], 2)]))
            let before = (try await Self.count(context, "pilot_activities"), try await Self.count(context, "pilot_activity_hours"))

            let negative = await #expect(throws: StoreError.self) {
                try await service.recordActivity(s.pilotID, Self.activity("负时长", start: "14:00", end: "15:00", [(s.volunteers[1], -1)]))
            }
            let tooLong = await #expect(throws: StoreError.self) {
                try await service.recordActivity(s.pilotID, Self.activity("超时长", start: "14:00", end: "15:00", [(s.volunteers[1], 2)]))
            }
            // the first volunteer is in 上午活动 09:00–11:00; the second's hours alone would be fine
            let overlap = await #expect(throws: StoreError.self) {
                try await service.recordActivity(s.pilotID, Self.activity("重叠", start: "10:30", end: "12:00", [(s.volunteers[1], 1), (s.volunteers[0], 1)]))
            }
            #expect(negative?.details.map(\.code) == ["pilot.hours.negative"])
            #expect(tooLong?.details.map(\.code) == ["pilot.hours.too_long"])
            #expect(overlap?.details.map(\.code) == ["pilot.activity.overlap"])
            #expect(overlap?.details.first?.message.contains("李志愿") == true)
            #expect(overlap?.details.first?.message.contains("上午活动") == true)
            let after = (try await Self.count(context, "pilot_activities"), try await Self.count(context, "pilot_activity_hours"))
            #expect(after == before)
            // touching, not overlapping: accepted
            _ = try await service.recordActivity(s.pilotID, Self.activity("接续", start: "11:00", end: "12:00", [(s.volunteers[0], 1)]))
        }
    }

    @Test func aCaseMovesThroughItsWorkflowAndTheIndicatorCountsSelectedCases() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context, typedCases: 2)
            let county = PilotService(context: context, caller: s.county), city = PilotService(context: context, caller: s.city)
            #expect(try await county.list().first?.goodPracticeCases == 2)
            // a draft: the typed number becomes the legacy figure, the workflow's count (0) takes over
            let caseID = try await county.createCase(s.pilotID, .init(title: "邻里守望", narrative: "社工带领志愿者结对探访独居老人。"),
                                                     files: [EvidenceUpload(fileName: "记录.txt", content: Data("探访记录".utf8))])
            var pilot = try #require(try await county.list().first)
            #expect(pilot.goodPracticeCases == 0)
            #expect(pilot.legacyGoodPracticeCases == 2)

            _ = try await county.move(caseID, .init(action: "submit", reason: nil))
            // the county's own official may not recommend: an audited 403
            await #expect(throws: AccessDenied.self) { try await county.move(caseID, .init(action: "recommend", reason: nil)) }
            _ = try await city.move(caseID, .init(action: "recommend", reason: nil))
            // backwards without a reason: refused, nothing written
            let steps = try await Self.count(context, "pilot_case_steps")
            let noReason = await #expect(throws: StoreError.self) { try await city.move(caseID, .init(action: "return", reason: " ")) }
            #expect(noReason?.details.map(\.code) == ["pilot.case.reason_required"])
            #expect(try await Self.count(context, "pilot_case_steps") == steps)
            #expect(try await city.practiceCase(caseID).practiceCase.state == "recommended")
            // a step from the wrong state: 409
            let wrong = await #expect(throws: StoreError.self) { try await city.move(caseID, .init(action: "recommend", reason: nil)) }
            #expect(wrong?.kind == .conflict)

            _ = try await city.move(caseID, .init(action: "return", reason: "请补充服务成效数据"))
            _ = try await county.updateCase(caseID, .init(title: "邻里守望（修订）", narrative: "补充了服务成效数据。"))
            _ = try await county.move(caseID, .init(action: "submit", reason: nil))
            _ = try await city.move(caseID, .init(action: "recommend", reason: nil))
            let selected = try await city.move(caseID, .init(action: "select", reason: "成效显著"))

            #expect(selected.state == "selected")
            #expect(selected.steps.map(\.action) == ["create", "submit", "recommend", "return", "submit", "recommend", "select"])
            #expect(selected.steps.map(\.reviewer) == ["suzhou", "suzhou", "jiuquan", "jiuquan", "suzhou", "jiuquan", "jiuquan"])
            #expect(selected.steps[3].reason == "请补充服务成效数据")
            #expect(selected.files.map(\.fileName) == ["记录.txt"])
            pilot = try #require(try await county.list().first)
            #expect(pilot.goodPracticeCases == 1)
            #expect(pilot.legacyGoodPracticeCases == 2)
            // a selected case is no longer editable
            let locked = await #expect(throws: StoreError.self) { try await county.updateCase(caseID, .init(title: "再改", narrative: "x")) }
            #expect(locked?.kind == .conflict)
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied")).map(\.entry)
            #expect(denied.contains { $0.actor == "suzhou" && $0.objectID == caseID })
        }
    }

    @Test func aPilotOutsideTheScopeReadsAsMissingAndAReadOnlyOfficialCannotRecord() async throws {
        try await ServiceTestDatabase.with { context in
            let s = try await Self.setup(context)
            let jinta = try await context.caller(.official("620921", .readWrite), username: "jinta")
            let reader = try await context.caller(.official(Self.suzhou, .read), username: "reader")
            let outside = await #expect(throws: StoreError.self) { try await PilotService(context: context, caller: jinta).detail(s.pilotID) }
            let missing = await #expect(throws: StoreError.self) { try await PilotService(context: context, caller: jinta).detail("no-such") }
            #expect(outside?.message == missing?.message)
            #expect(try await PilotService(context: context, caller: jinta).list().isEmpty)
            await #expect(throws: AccessDenied.self) {
                try await PilotService(context: context, caller: reader).recordActivity(s.pilotID, Self.activity("读者", start: "09:00", end: "10:00", [(s.volunteers[0], 1)]))
            }
            #expect(try await PilotService(context: context, caller: reader).detail(s.pilotID).detail.volunteers.count == 2)
        }
    }
}
