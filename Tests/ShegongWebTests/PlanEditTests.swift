import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
@testable import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Issue #18 §2: a plan's key tasks, measures and targets changed and deleted on screen by the
/// plan's owner — the plan page and the dashboard's figures follow; a delete that would lose
/// recorded work is refused with a message; nobody else changes anything.
final class PlanEditTests: XCTestCase {
    static func code(_ text: String) -> RegionCode { try! RegionCode.parse(text).get() }

    /// 酒泉市's plan (`jq`): key task 1 with measures 1.1 (民政局, due 2099) and 1.2 (财政局), and a
    /// target of 300 certificate holders by the end of 2030.
    static func setUp(_ app: Application) async throws {
        let plan = Plan(id: "jq", name: "酒泉方案", jurisdiction: code("620900"), jurisdictionName: "酒泉市",
                        period: PlanPeriod(from: CivilDate(iso: "2025-01-01"), to: CivilDate(iso: "2099-12-31")!), source: "test",
                        keyTasks: [KeyTask(id: "1", title: "重点任务", measures: [
                            Measure(id: "1.1", text: "建立基地", lead: "民政局", cooperating: [], deadline: CivilDate(iso: "2099-12-31")!),
                            Measure(id: "1.2", text: "开展培训", lead: "财政局", cooperating: [], deadline: CivilDate(iso: "2099-12-31")!)])])
        try await PlanStore(db: app.db).add(plan)
        let target = Target(id: "jq-holders", indicatorID: "certificate_holders", region: code("620900"), comparator: .atLeast, value: 300,
                            deadline: CivilDate(iso: "2030-12-31")!)
        try await PlanStore(db: app.db).addTarget(target, planID: "jq")
    }

    static func owner(_ app: Application) async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: code("620900"), access: .readWrite), username: "jq.rw")
    }

    static func audited(_ app: Application, like pattern: String) async throws -> [String] {
        try await app.sql.select().column("action").from("audit_log").where("action", .like, pattern).all()
            .map { try $0.decode(column: "action", as: String.self) }.sorted()
    }

    func testEditingAMeasureAndATargetChangesThePlanPageAndTheProgressFigures() async throws {
        try await withApp { app in
            // setup
            try await Self.setUp(app)
            let official = try await Self.owner(app)
            let lead = try await DepartmentStore(sql: app.sql).available(to: Self.code("620900")).first { $0.name == "民政局" }!
            let before = try await official.send(.GET, "/plans/jq?asOf=2026-01-01").body.string
            XCTAssertTrue(before.contains("/plans/jq/measures/1.1/edit"), "the owner finds the change link on the plan page")
            XCTAssertTrue(before.contains(MeasureStatus.overdue.chineseName + " 0"), before)
            let form = try await official.send(.GET, "/plans/jq/measures/1.1/edit")
            XCTAssertEqual(form.status, .ok)
            XCTAssertTrue(form.body.string.contains("建立基地") && form.body.string.contains(#"<option value="\#(lead.id)" selected"#), form.body.string)

            // act: a deadline past the plan's end is named; then the measure gets a new text and a deadline already past
            let late = try await official.send(.POST, "/plans/jq/measures/1.1/edit", form: ["text": "建立实训基地", "deadline": "2100-01-01", "lead": lead.id])
            XCTAssertEqual(late.status, .unprocessableEntity)
            XCTAssertTrue(late.body.string.contains(Catalogue.text("plan.measure.deadline.after_end", .zhHans, "2099-12-31")))
            let saved = try await official.send(.POST, "/plans/jq/measures/1.1/edit", form: ["text": "建立实训基地", "deadline": "2025-06-30", "lead": lead.id])
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            let target = try await official.send(.POST, "/plans/jq/targets/jq-holders/edit",
                                                 form: ["indicator": "certificate_holders", "comparator": "≥", "value": "500", "deadline": "2030-12-31"])
            XCTAssertEqual(target.status, .seeOther, target.body.string)

            // check: the plan page shows the new text and the measure overdue; the dashboard the new target
            let after = try await official.send(.GET, "/plans/jq?asOf=2026-01-01").body.string
            XCTAssertTrue(after.contains("1.1 建立实训基地") && !after.contains("建立基地"), after)
            XCTAssertTrue(after.contains(MeasureStatus.overdue.chineseName + " 1"), after)
            XCTAssertTrue(after.contains(#"id="late""#), "民政局 is now late")
            let dashboard = try await official.send(.GET, "/dashboard?region=620900").body.string
            XCTAssertTrue(dashboard.contains("≥ 500") && !dashboard.contains("≥ 300"), dashboard)
            let stored = try await PlanStore(db: app.db).plan(id: "jq")!
            XCTAssertEqual(stored.targets.map(\.id), ["jq-holders"], "the target keeps its id")
            XCTAssertEqual(stored.measures.first?.leadDepartmentID, lead.id)
            let audited = try await Self.audited(app, like: "%update")
            XCTAssertEqual(audited, ["plan.measure_update", "target.update"])
        }
    }

    func testDeletesThatWouldLoseWorkAreRefusedAndTheOthersAreAudited() async throws {
        try await withApp { app in
            // setup: 民政局 has reported on 1.1
            try await Self.setUp(app)
            try await PlanStore(db: app.db).addReport(measureKey: "jq:1.1", .init(date: "2025-06-01", text: "已选址"))
            let official = try await Self.owner(app)

            // act + check: a measure with a report — the confirm page already says why, the POST is refused
            let page = try await official.send(.GET, "/plans/jq/measures/1.1/delete")
            let message = Catalogue.text("plan.measure.has_reports", .zhHans, "1.1", "1")
            XCTAssertTrue(page.body.string.contains(message) && !page.body.string.contains(#"id="delete-form""#), page.body.string)
            let refused = try await official.send(.POST, "/plans/jq/measures/1.1/delete", form: [:])
            XCTAssertEqual(refused.status, .conflict)
            XCTAssertTrue(refused.body.string.contains(message), refused.body.string)
            let reports = try await app.count("measure_reports")
            XCTAssertEqual(reports, 1)
            // a key task with measures
            let task = try await official.send(.POST, "/plans/jq/tasks/1/delete", form: [:])
            XCTAssertEqual(task.status, .conflict)
            XCTAssertTrue(task.body.string.contains(Catalogue.text("plan.task.has_measures", .zhHans, "1", "2")))

            // an empty measure: the confirm page asks, the POST deletes
            let confirm = try await official.send(.GET, "/plans/jq/measures/1.2/delete")
            XCTAssertTrue(confirm.body.string.contains(#"id="delete-form""#) && confirm.body.string.contains("开展培训"))
            let deleted = try await official.send(.POST, "/plans/jq/measures/1.2/delete", form: [:])
            XCTAssertEqual(deleted.status, .seeOther, deleted.body.string)
            let targetDeleted = try await official.send(.POST, "/plans/jq/targets/jq-holders/delete", form: [:])
            XCTAssertEqual(targetDeleted.status, .seeOther)
            // a new empty key task, renamed, then deleted
            _ = try await official.send(.POST, "/plans/jq/tasks", form: ["title": "临时任务"])
            let renamed = try await official.send(.POST, "/plans/jq/tasks/2/edit", form: ["title": "完善制度"])
            XCTAssertEqual(renamed.status, .seeOther)
            let titles = try await PlanStore(db: app.db).plan(id: "jq")!.keyTasks.map(\.title)
            XCTAssertEqual(titles, ["重点任务", "完善制度"])
            let taskDeleted = try await official.send(.POST, "/plans/jq/tasks/2/delete", form: [:])
            XCTAssertEqual(taskDeleted.status, .seeOther)

            let plan = try await PlanStore(db: app.db).plan(id: "jq")!
            XCTAssertEqual(plan.measures.map(\.id), ["1.1"])
            XCTAssertEqual(plan.keyTasks.map(\.id), ["1"])
            XCTAssertTrue(plan.targets.isEmpty)
            let shown = try await official.send(.GET, "/plans/jq").body.string
            XCTAssertFalse(shown.contains("开展培训"))
            let audited = try await Self.audited(app, like: "%delete")
            XCTAssertEqual(audited, ["plan.measure_delete", "plan.task_delete", "target.delete"])
        }
    }

    /// A report saved (on another server) after the delete counted none: the database's foreign key
    /// refuses the delete, and that refusal is recognised on either engine and told as "has
    /// reports", not a 500.
    func testTheDatabasesRefusalOfAMeasureWithAReportIsRecognised() async throws {
        try await withApp { app in
            // setup
            try await Self.setUp(app)
            try await PlanStore(db: app.db).addReport(measureKey: "jq:1.1", .init(date: "2025-06-01", text: "已选址"))
            // act: the delete alone, without the store's count before it
            var caught: (any Error)?
            do {
                try await app.sql.delete(from: "plan_measures").where("id", .equal, "jq:1.1").run()
            } catch { caught = error }
            // check
            let error = try XCTUnwrap(caught, "the report's foreign key refuses the delete")
            XCTAssertTrue(WriteQueue.isForeignKeyViolation(error))
            XCTAssertFalse(WriteQueue.isUniqueViolation(error))
            let measures = try await app.count("plan_measures")
            XCTAssertEqual(measures, 2)
        }
    }

    func testAnotherRegionsOfficialAndAReadOnlyOfficialChangeNothing() async throws {
        try await withApp { app in
            // setup
            try await Self.setUp(app)
            let stranger = try await BrowserSession.signIn(app, grant: .official(region: Self.code("421000"), access: .readWrite), username: "jz.rw")
            let reader = try await BrowserSession.signIn(app, grant: .official(region: Self.code("620900"), access: .read), username: "jq.read")
            let before = try await PlanStore(db: app.db).plan(id: "jq")!
            let changes: [(String, [String: String])] = [
                ("/plans/jq/tasks/1/edit", ["title": "越权"]),
                ("/plans/jq/measures/1.2/edit", ["text": "越权", "deadline": "2030-01-01", "lead": ""]),
                ("/plans/jq/measures/1.2/delete", [:]),
                ("/plans/jq/targets/jq-holders/edit", ["indicator": "certificate_holders", "comparator": "≥", "value": "1", "deadline": "2030-12-31"]),
                ("/plans/jq/targets/jq-holders/delete", [:]),
            ]
            // act + check: another region's plan reads like a missing one, a read-only official is refused
            for (path, form) in changes {
                let foreign = try await stranger.send(.POST, path, form: form)
                XCTAssertEqual(foreign.status, .notFound, path)
                let readOnly = try await reader.send(.POST, path, form: form)
                XCTAssertEqual(readOnly.status, .forbidden, path)
            }
            let page = try await stranger.send(.GET, "/plans/jq/measures/1.2/delete")
            XCTAssertEqual(page.status, .notFound)
            let after = try await PlanStore(db: app.db).plan(id: "jq")!
            XCTAssertEqual(after.keyTasks.map(\.title), before.keyTasks.map(\.title))
            XCTAssertEqual(after.measures.map(\.text), before.measures.map(\.text))
            XCTAssertEqual(after.targets.map(\.statement), ["≥ 300"])
            let changed = try await Self.audited(app, like: "plan.%") + Self.audited(app, like: "target.%")
            XCTAssertEqual(changed, [])
            let denied = try await Self.audited(app, like: "access.denied")
            XCTAssertEqual(denied.count, 2 * changes.count + 1, "every refusal is audited")
        }
    }

    func testTheServiceRefusesAnotherRegionsOfficial() async throws {
        try await withApp { app in
            // setup
            try await Self.setUp(app)
            let accounts = try app.shegong.accounts()
            _ = try await accounts.create(username: "jz.rw", grant: .official(region: Self.code("421000"), access: .readWrite), actor: "test")
            let found = try await accounts.commandLinePrincipal(username: "jz.rw")
            let principal = try XCTUnwrap(found)
            let context = ServiceContext(db: app.db, cipher: app.shegong.cipher, auditLog: app.shegong.auditLog, writes: app.shegong.writeQueue)
            let service = PlanService(context: context, caller: Caller(principal: principal, address: nil, origin: "test"))
            // act + check
            do {
                try await service.deleteMeasure(planID: "jq", measureID: "1.2")
                XCTFail("deleted another region's measure")
            } catch let error as StoreError {
                XCTAssertEqual(error.kind, .notFound)
            }
            let measures = try await app.count("plan_measures")
            XCTAssertEqual(measures, 2)
        }
    }
}
