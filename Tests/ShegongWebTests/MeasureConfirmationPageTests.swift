import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The plan page with issue #18 §2's confirmation: a measure the lead department marked done shows
/// "awaiting confirmation"; the plan's read-write official confirms it there and it is done; a
/// read-write official gets the report form on every measure.
final class MeasureConfirmationPageTests: XCTestCase {
    func testTheOwnerConfirmsADoneMeasureOnThePlanPage() async throws {
        try await withApp { app in
            // setup: 酒泉市's plan; 民政局 marked its measure done
            let city = try RegionCode.parse("620900").get()
            let plan = Plan(id: "jq", name: "酒泉方案", jurisdiction: city, jurisdictionName: "酒泉市",
                            period: PlanPeriod(from: CivilDate(iso: "2025-01-01"), to: CivilDate(iso: "2099-12-31")!), source: "test",
                            keyTasks: [KeyTask(id: "1", title: "重点任务", measures: [
                                Measure(id: "1.1", text: "建立基地", lead: "民政局", deadline: CivilDate(iso: "2099-12-31")!)])])
            try await PlanStore(db: app.db).add(plan)
            try await PlanStore(db: app.db).addReport(measureKey: "jq:1.1", .init(date: CivilDate.today().description, text: "已建成", completes: true),
                                                      uploadedBy: "mz", confirmation: .awaiting)
            let owner = BrowserSession(app)
            try await owner.signIn(as: .official(region: city, access: .readWrite), username: "jq.rw")
            // act
            let page = try await owner.send(.GET, "/plans/jq")
            // check: waiting, with the owner's buttons and a report form for the official
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertTrue(html.contains(#"class="status awaiting_confirmation">待确认"#))
            XCTAssertTrue(html.contains(#"action="/plans/jq/measures/1%2E1/confirmation""#) || html.contains(#"action="/plans/jq/measures/1.1/confirmation""#))
            XCTAssertTrue(html.contains(Catalogue.text("plans.report_submit", .zhHans)), "a read-write official may report")

            // act: a return without a reason is refused, then the owner confirms
            let noReason = try await owner.send(.POST, "/plans/jq/measures/1.1/confirmation", form: ["action": "return", "reason": ""])
            XCTAssertEqual(noReason.status, .unprocessableEntity)
            let confirmed = try await owner.send(.POST, "/plans/jq/measures/1.1/confirmation", form: ["action": "confirm"])
            // check
            XCTAssertEqual(confirmed.status, .ok)
            XCTAssertTrue(confirmed.body.string.contains(#"class="status done">已完成"#))
            let audit = try await app.sql.select().column("id").from("audit_log").where("action", .equal, "measure.confirm").all()
            XCTAssertEqual(audit.count, 1)

            // A department operator may not confirm (the page gate).
            let mz = try await BrowserSession.signIn(app, grant: .departmentOperator(department: "民政局", region: city), username: "mz.op")
            let refused = try await mz.send(.POST, "/plans/jq/measures/1.1/confirmation", form: ["action": "confirm"])
            XCTAssertEqual(refused.status, .forbidden)
        }
    }
}
