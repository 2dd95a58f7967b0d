import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
@testable import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Issue #18 §2: departments as records (the page, the account form's select, the report form
/// offered by record), the plan owner's confirm/return through the API, and the screens that
/// create a plan, its key tasks, measures and targets.
final class PlanFormsTests: XCTestCase {
    static func code(_ text: String) -> RegionCode { try! RegionCode.parse(text).get() }

    /// 酒泉市's plan with one measure led by 民政局 (resolved to 酒泉市's record), due 2099.
    static func cityPlan() -> Plan {
        Plan(id: "jq", name: "酒泉方案", jurisdiction: code("620900"), jurisdictionName: "酒泉市",
             period: PlanPeriod(from: CivilDate(iso: "2025-01-01"), to: CivilDate(iso: "2099-12-31")!), source: "test",
             keyTasks: [KeyTask(id: "1", title: "重点任务", measures: [
                 Measure(id: "1.1", text: "建立基地", lead: "民政局", cooperating: ["财政局"], deadline: CivilDate(iso: "2099-12-31")!)])])
    }

    // MARK: departments

    func testFreeTextDepartmentsOnFileBecomeRecordsThatAccountsAndMeasuresPointAt() async throws {
        try await withApp { app in
            // setup: rows as they stood before migration 0066 (names only, no record ids)
            try await PlanStore(db: app.db).add(Self.cityPlan())
            _ = try await app.shegong.accounts().create(username: "mz.county", grant: .departmentOperator(department: "民政局", region: Self.code("620902")),
                                                        actor: "test")
            _ = try await app.shegong.accounts().create(username: "jy.county", grant: .departmentOperator(department: "教育局", region: Self.code("620902")),
                                                        actor: "test")
            try await app.sql.update("plan_measures").set("lead_department_id", to: nil as String?).set("cooperating_department_ids", to: nil as String?).run()
            try await app.sql.update("users").set("department_id", to: nil as String?).run()
            try await app.sql.delete(from: "departments").run()
            // act
            try await DepartmentStore.recordExistingValues(on: app.sql)
            // check: the measure's departments are 酒泉市's records; the county's 民政局 operator
            // points at the city's 民政局 (nearest above), 教育局 became a record of the county
            let departments = try await DepartmentStore(sql: app.sql).list(inside: nil)
            XCTAssertEqual(Set(departments.map { "\($0.regionCode) \($0.name)" }), ["620900 民政局", "620900 财政局", "620902 教育局"])
            let minzheng = departments.first { $0.name == "民政局" }!
            let measure = try await PlanStore(db: app.db).plan(id: "jq")!.measures[0]
            XCTAssertEqual(measure.leadDepartmentID, minzheng.id)
            XCTAssertEqual(measure.cooperatingDepartmentIDs, [departments.first { $0.name == "财政局" }!.id])
            let operatorAccount = try await app.shegong.accounts().account(username: "mz.county")
            XCTAssertEqual(operatorAccount?.departmentID, minzheng.id)
        }
    }

    func testTheReportFormIsOfferedByDepartmentRecordNotByName() async throws {
        try await withApp { app in
            // setup: 酒泉市's 民政局 leads the measure; 肃州区 has a 民政局 of its own
            try await PlanStore(db: app.db).add(Self.cityPlan())
            let county = try await DepartmentStore(sql: app.sql).add(name: "民政局", region: Self.code("620902"))
            let city = try await DepartmentStore(sql: app.sql).available(to: Self.code("620900")).first { $0.name == "民政局" }!
            let cityOperator = try await BrowserSession.signIn(app, grant: .departmentOperator(department: city.id, region: Self.code("620900")),
                                                               username: "mz.city")
            let countyOperator = try await BrowserSession.signIn(app, grant: .departmentOperator(department: county.id, region: Self.code("620902")),
                                                                 username: "mz.county")
            // act
            let offered = try await cityOperator.send(.GET, "/plans/jq")
            let notOffered = try await countyOperator.send(.GET, "/plans/jq")
            // check: the same name, another record: no form, and the page says why
            XCTAssertTrue(offered.body.string.contains("/plans/jq/measures/1.1/reports?"), offered.body.string)
            XCTAssertFalse(notOffered.body.string.contains("/plans/jq/measures/1.1/reports?"))
            XCTAssertTrue(notOffered.body.string.contains(Catalogue.text("plans.report_not_offered", .zhHans, "民政局", "民政局")), notOffered.body.string)
            // and the service refuses the county's report too
            let refused = try await countyOperator.send(.POST, "/plans/jq/measures/1.1/reports?_csrf=\(countyOperator.csrf)",
                                                        headers: ["Content-Type": "application/json"],
                                                        body: ByteBuffer(string: #"{"date":"2025-06-01","text":"进展"}"#))
            XCTAssertEqual(refused.status, .forbidden)
            let reports = try await app.count("measure_reports")
            XCTAssertEqual(reports, 0)
        }
    }

    func testAnOfficialAddsRenamesAndDeactivatesDepartmentsAndTheAccountFormOffersThem() async throws {
        try await withApp { app in
            // setup
            let official = try await BrowserSession.signIn(app, grant: .official(region: Self.code("620900"), access: .readWrite), username: "jq.rw")
            let other = try await BrowserSession.signIn(app, grant: .official(region: Self.code("421000"), access: .readWrite), username: "jz.rw")
            // act: add, a duplicate, a rename, a deactivation
            let added = try await official.send(.POST, "/departments", form: ["region": "620900", "name": "民政局"])
            XCTAssertEqual(added.status, .ok, added.body.string)
            let duplicate = try await official.send(.POST, "/departments", form: ["region": "620900", "name": "民政局"])
            XCTAssertEqual(duplicate.status, .conflict)
            let record = try await DepartmentStore(sql: app.sql).list(inside: Self.code("620900")).first!
            let foreign = try await other.send(.POST, "/departments/\(record.id)/rename", form: ["name": "别人的"])
            XCTAssertEqual(foreign.status, .notFound, "another region's department reads like a missing one")
            let renamed = try await official.send(.POST, "/departments/\(record.id)/rename", form: ["name": "民政局（社会事务）"])
            XCTAssertEqual(renamed.status, .ok)
            // check: the list, and the system administrator's account form offers the record
            let admin = try await BrowserSession.signIn(app, grant: .systemAdministrator, username: "sys.admin")
            let form = try await admin.send(.GET, "/admin/users").body.string
            XCTAssertTrue(form.contains(#"<option value="\#(record.id)">民政局（社会事务）（酒泉市）</option>"#), form)
            _ = try await official.send(.POST, "/departments/\(record.id)/active", form: ["active": "false"])
            let afterDeactivation = try await admin.send(.GET, "/admin/users").body.string
            XCTAssertFalse(afterDeactivation.contains(#"<option value="\#(record.id)""#))
            let audited = try await app.sql.select().column("action").from("audit_log").where("action", .like, "department.%").all()
                .map { try $0.decode(column: "action", as: String.self) }
            XCTAssertEqual(audited.sorted(), ["department.create", "department.deactivate", "department.rename"])
        }
    }

    // MARK: confirm / return through the API

    func testThePlanOwnerConfirmsOrReturnsAMeasureThroughTheAPI() async throws {
        try await withApp { app in
            // setup: the city's operator marked the measure done
            try await PlanStore(db: app.db).add(Self.cityPlan())
            try await PlanStore(db: app.db).addReport(measureKey: "jq:1.1", .init(date: "2025-06-01", text: "已建成", completes: true),
                                                      confirmation: .awaiting)
            let owner = try await app.token(.official(region: Self.code("620900"), access: .readWrite), username: "jq.rw")
            let reader = try await app.token(.official(region: Self.code("620900"), access: .read), username: "jq.read")
            let stranger = try await app.token(.official(region: Self.code("421000"), access: .readWrite), username: "jz.rw")
            func post(_ path: String, _ body: String?, token: String, check: @escaping (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.api(.POST, path, token: token, beforeRequest: { req in
                    if let body { req.headers.contentType = .json; req.body = ByteBuffer(string: body) }
                }, afterResponse: check)
            }
            // act + check: who may not; a return needs its reason
            try await post("/api/v1/measures/jq:1.1/confirm", nil, token: reader) { XCTAssertEqual($0.status, .forbidden) }
            try await post("/api/v1/measures/jq:1.1/confirm", nil, token: stranger) { XCTAssertEqual($0.status, .notFound) }
            try await post("/api/v1/measures/jq:1.1/return", #"{"reason":""}"#, token: owner) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#""field":"reason""#), res.body.string)
            }
            try await post("/api/v1/measures/jq:1.1/return", #"{"reason":"缺少佐证材料"}"#, token: owner) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertTrue(res.body.string.contains(#""status":"in_progress""#) || !res.body.string.contains(#""status":"done""#), res.body.string)
            }
            // nothing waits any more
            try await post("/api/v1/measures/jq:1.1/confirm", nil, token: owner) { XCTAssertEqual($0.status, .conflict) }
            try await PlanStore(db: app.db).addReport(measureKey: "jq:1.1", .init(date: "2025-07-01", text: "已补充材料", completes: true),
                                                      confirmation: .awaiting)
            try await post("/api/v1/measures/jq:1.1/confirm", nil, token: owner) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertTrue(res.body.string.contains(#""status":"done""#), res.body.string)
            }
            let audited = try await app.sql.select().column("action").from("audit_log").where("action", .like, "measure.%").all()
                .map { try $0.decode(column: "action", as: String.self) }
            XCTAssertEqual(audited.sorted(), ["measure.confirm", "measure.return"])
        }
    }

    // MARK: the plan screens

    func testAnOfficialCreatesAPlanWithATaskAMeasureAndATarget() async throws {
        try await withApp { app in
            // setup
            let departments = DepartmentStore(sql: app.sql)
            let lead = try await departments.add(name: "民政局", region: Self.code("620900"))
            let cooperating = try await departments.add(name: "财政局", region: Self.code("620900"))
            let official = try await BrowserSession.signIn(app, grant: .official(region: Self.code("620900"), access: .readWrite), username: "jq.rw")

            // act + check: the plan — an end before the start is refused, naming the field, and nothing is written
            let badPlan = try await official.send(.POST, "/plans", form: ["name": "2026 行动方案", "region": "620900",
                                                                          "periodFrom": "2026-12-31", "periodTo": "2026-01-01"])
            XCTAssertEqual(badPlan.status, .unprocessableEntity)
            XCTAssertTrue(badPlan.body.string.contains(Catalogue.text("plan.period.order", .zhHans)))
            let plans = try await app.count("plans")
            XCTAssertEqual(plans, 0)
            let created = try await official.send(.POST, "/plans", form: ["name": "2026 行动方案", "region": "620900",
                                                                          "periodFrom": "2026-01-01", "periodTo": "2026-12-31"])
            XCTAssertEqual(created.status, .seeOther, created.body.string)
            let edit = created.headers.first(name: .location) ?? ""
            let planID = String(edit.dropFirst("/plans/".count).prefix { $0 != "/" })
            XCTAssertTrue(planID.hasPrefix("plan-"), edit)

            // the key task
            let badTask = try await official.send(.POST, "/plans/\(planID)/tasks", form: ["title": " "])
            XCTAssertEqual(badTask.status, .unprocessableEntity)
            let task = try await official.send(.POST, "/plans/\(planID)/tasks", form: ["title": "壮大人才队伍"])
            XCTAssertEqual(task.status, .seeOther)

            // the measure: no lead and a deadline after the plan's end are each named
            let badMeasure = try await official.send(.POST, "/plans/\(planID)/measures",
                                                     form: ["task": "1", "text": "开展培训", "deadline": "2027-06-30", "lead": ""])
            XCTAssertEqual(badMeasure.status, .unprocessableEntity)
            XCTAssertTrue(badMeasure.body.string.contains(Catalogue.text("plan.measure.lead.invalid", .zhHans)))
            XCTAssertTrue(badMeasure.body.string.contains(Catalogue.text("plan.measure.deadline.after_end", .zhHans, "2026-12-31")))
            let measure = try await official.send(.POST, "/plans/\(planID)/measures",
                                                  form: ["task": "1", "text": "开展培训", "deadline": "2026-06-30", "lead": lead.id,
                                                         "cooperating[]": cooperating.id])
            XCTAssertEqual(measure.status, .seeOther, measure.body.string)

            // the target: an indicator must be chosen, a baseline after the deadline is the target check's
            let badTarget = try await official.send(.POST, "/plans/\(planID)/targets",
                                                    form: ["region": "620900", "indicator": "", "comparator": "≥", "value": "x", "deadline": "2026-12-31"])
            XCTAssertEqual(badTarget.status, .unprocessableEntity)
            XCTAssertTrue(badTarget.body.string.contains(Catalogue.text("planForm.indicator_required", .zhHans)))
            XCTAssertTrue(badTarget.body.string.contains(Catalogue.text("planForm.number_invalid", .zhHans)))
            let lateBaseline = try await official.send(.POST, "/plans/\(planID)/targets",
                                                       form: ["region": "620900", "indicator": "certificate_holders", "comparator": "≥", "value": "300",
                                                              "deadline": "2026-12-31", "baselineDate": "2027-01-01", "baselineValue": "100"])
            XCTAssertEqual(lateBaseline.status, .unprocessableEntity)
            let targets = try await app.count("targets")
            XCTAssertEqual(targets, 0)
            let target = try await official.send(.POST, "/plans/\(planID)/targets",
                                                 form: ["region": "620900", "indicator": "certificate_holders", "comparator": "≥", "value": "300",
                                                        "deadline": "2026-12-31", "baselineDate": "2026-01-01", "baselineValue": "100"])
            XCTAssertEqual(target.status, .seeOther, target.body.string)

            // the plan's own fields are edited; a period that would leave the measure outside is refused
            let shrunk = try await official.send(.POST, "/plans/\(planID)/header",
                                                 form: ["name": "2026 行动方案", "periodFrom": "2026-01-01", "periodTo": "2026-03-31"])
            XCTAssertEqual(shrunk.status, .unprocessableEntity)
            XCTAssertTrue(shrunk.body.string.contains(Catalogue.text("plan.period.excludes_measure", .zhHans, "1.1", "2026-06-30")))
            let renamed = try await official.send(.POST, "/plans/\(planID)/header",
                                                  form: ["name": "2026 年社会工作人才行动方案", "periodFrom": "2026-01-01", "periodTo": "2026-12-31"])
            XCTAssertEqual(renamed.status, .seeOther, renamed.body.string)

            // check: the plan page, the plans list and the dashboard show it
            let page = try await official.send(.GET, "/plans/\(planID)").body.string
            XCTAssertTrue(page.contains("壮大人才队伍") && page.contains("开展培训") && page.contains("民政局"), page)
            let stored = try await PlanStore(db: app.db).plan(id: planID)!
            XCTAssertEqual(stored.measures.first?.leadDepartmentID, lead.id)
            XCTAssertEqual(stored.measures.first?.cooperating, ["财政局"])
            XCTAssertEqual(stored.targets.map(\.statement), ["≥ 300"])
            let list = try await PlanStore(db: app.db).list().map(\.id)
            XCTAssertEqual(list, [planID])
            let dashboard = try await official.send(.GET, "/dashboard?region=620900").body.string
            XCTAssertTrue(dashboard.contains("2026 年社会工作人才行动方案"))
            let audited = try await app.sql.select().column("action").from("audit_log").where("action", .like, "plan.%").all()
                .map { try $0.decode(column: "action", as: String.self) }
            XCTAssertEqual(audited.sorted(), ["plan.create", "plan.measure_create", "plan.task_create", "plan.update"])
        }
    }

    func testAnotherRegionsOfficialCannotCreateOrChangeAPlanAndNothingIsWritten() async throws {
        try await withApp { app in
            // setup: 酒泉市's plan; 荆州市's and a read-only official
            try await PlanStore(db: app.db).add(Self.cityPlan())
            let stranger = try await BrowserSession.signIn(app, grant: .official(region: Self.code("421000"), access: .readWrite), username: "jz.rw")
            let reader = try await BrowserSession.signIn(app, grant: .official(region: Self.code("620900"), access: .read), username: "jq.read")
            let before = try await (app.count("plans"), app.count("plan_key_tasks"), app.count("targets"))
            // act + check
            let plan = try await stranger.send(.POST, "/plans", form: ["name": "越权", "region": "620900", "periodFrom": "2026-01-01", "periodTo": "2026-12-31"])
            XCTAssertEqual(plan.status, .unprocessableEntity, "a region out of sight reads like an unknown one")
            let task = try await stranger.send(.POST, "/plans/jq/tasks", form: ["title": "越权"])
            XCTAssertEqual(task.status, .notFound)
            let readOnly = try await reader.send(.POST, "/plans/jq/tasks", form: ["title": "只读"])
            XCTAssertEqual(readOnly.status, .forbidden)
            let target = try await stranger.send(.POST, "/plans/jq/targets",
                                                 form: ["region": "620900", "indicator": "certificate_holders", "comparator": "≥", "value": "1", "deadline": "2026-12-31"])
            XCTAssertEqual(target.status, .notFound)
            let after = try await (app.count("plans"), app.count("plan_key_tasks"), app.count("targets"))
            XCTAssertTrue(before == after, "nothing written")
        }
    }
}
