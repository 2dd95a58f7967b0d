import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// A measure marked done waits for the plan owner (issue #18 §2): the lead department's "done"
/// makes it "awaiting confirmation"; an official of the plan's region confirms it (done) or returns
/// it with a reason (not done); both audited. Read-write officials of a region the plan covers
/// report on it too.
@Suite struct MeasureConfirmationTests {
    static func code(_ text: String) -> RegionCode { try! RegionCode.parse(text).get() }
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    /// 酒泉市's plan with one measure led by 民政局, due at the end of 2099 (never overdue in a test).
    static func plan() -> Plan {
        Plan(id: "jq", name: "酒泉方案", jurisdiction: code("620900"), jurisdictionName: "酒泉市",
             period: PlanPeriod(from: date("2025-01-01"), to: date("2099-12-31")), source: "test",
             keyTasks: [KeyTask(id: "1", title: "重点任务", measures: [Measure(id: "1.1", text: "建立基地", lead: "民政局", deadline: date("2099-12-31"))])])
    }

    static func done(_ today: CivilDate) -> PlanStore.ReportInput {
        PlanStore.ReportInput(date: today.description, text: "已完成建设", completes: true)
    }

    func actions(_ context: ServiceContext, _ action: String) async throws -> [AuditRecord] {
        try await context.auditLog.search(sql: context.sql, AuditQuery(action: action))
    }

    @Test func anOperatorsDoneWaitsAndTheOwnersConfirmationMakesItDone() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            try await PlanStore(db: context.db).add(Self.plan())
            let operatorCaller = try await context.caller(.departmentOperator(department: "民政局", region: Self.code("620900")), username: "mz.op")
            let owner = try await context.caller(.official("620900", .readWrite), username: "jq.rw")
            // act: the operator marks it done
            let marked = try await PlanService(context: context, caller: operatorCaller).addReport(planID: "jq", measureID: "1.1", Self.done(context.today))
            // check: awaiting, not done
            #expect(marked.status(asOf: context.today) == .awaitingConfirmation)
            // act: the owner confirms
            let confirmed = try await PlanService(context: context, caller: owner).decideCompletion(planID: "jq", measureID: "1.1", confirm: true, reason: nil)
            // check: done from the report's date, audited
            #expect(confirmed.status(asOf: context.today) == .done)
            #expect(confirmed.completedOn(asOf: context.today) == context.today)
            #expect(try await actions(context, "measure.confirm").map(\.entry.objectID) == ["jq:1.1"])
            // Nothing waits any more: a second answer is a conflict.
            await #expect(throws: StoreError.self) {
                try await PlanService(context: context, caller: owner).decideCompletion(planID: "jq", measureID: "1.1", confirm: true, reason: nil)
            }
        }
    }

    @Test func aReturnedDoneIsNotDoneAndSaysWhy() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            try await PlanStore(db: context.db).add(Self.plan())
            let operatorCaller = try await context.caller(.departmentOperator(department: "民政局", region: Self.code("620900")), username: "mz.op")
            let owner = try await context.caller(.official("620900", .readWrite), username: "jq.rw")
            try await PlanService(context: context, caller: operatorCaller).addReport(planID: "jq", measureID: "1.1", Self.done(context.today))
            let service = PlanService(context: context, caller: owner)
            // act: a return without a reason is refused, one with a reason taken
            await #expect(throws: StoreError.self) { try await service.decideCompletion(planID: "jq", measureID: "1.1", confirm: false, reason: "  ") }
            let returned = try await service.decideCompletion(planID: "jq", measureID: "1.1", confirm: false, reason: "缺少验收材料")
            // check
            #expect(returned.status(asOf: context.today) == .inProgress)
            #expect(returned.reports.first?.returnReason == "缺少验收材料")
            let audit = try await actions(context, "measure.return")
            #expect(audit.map(\.entry.details) == ["缺少验收材料"])
        }
    }

    @Test func onlyTheOwnerConfirmsAndTheOwnersOwnDoneNeedsNoConfirmation() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: 肃州区's read-write official reports on the city's plan (it covers 肃州区)
            try await PlanStore(db: context.db).add(Self.plan())
            let county = try await context.caller(.official("620902", .readWrite), username: "sz.rw")
            let reader = try await context.caller(.official("620900", .read), username: "jq.read")
            let owner = try await context.caller(.official("620900", .readWrite), username: "jq.rw")
            // act
            let byCounty = try await PlanService(context: context, caller: county).addReport(planID: "jq", measureID: "1.1", Self.done(context.today))
            // check: the county may report, but its "done" waits, and neither it nor a reader may confirm
            #expect(byCounty.status(asOf: context.today) == .awaitingConfirmation)
            await #expect(throws: AccessDenied.self) {
                try await PlanService(context: context, caller: county).decideCompletion(planID: "jq", measureID: "1.1", confirm: true, reason: nil)
            }
            await #expect(throws: AccessDenied.self) {
                try await PlanService(context: context, caller: reader).addReport(planID: "jq", measureID: "1.1", Self.done(context.today))
            }
            // The owner's own "done" is done at once.
            try await PlanService(context: context, caller: owner).decideCompletion(planID: "jq", measureID: "1.1", confirm: false, reason: "再核实")
            let byOwner = try await PlanService(context: context, caller: owner).addReport(planID: "jq", measureID: "1.1", Self.done(context.today))
            #expect(byOwner.status(asOf: context.today) == .done)
        }
    }
}
