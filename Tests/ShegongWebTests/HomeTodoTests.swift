import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #18 §4: the home page lists what waits for the signed-in account, counted in its scope —
/// a reviewing official's applications, a finance officer's batches (four eyes: not the ones they
/// ran or approved), the measures due or overdue of an official's region or an operator's
/// department, one's own imports waiting for their commit — and says so when nothing waits.
final class HomeTodoTests: XCTestCase {
    func region(_ code: String) -> RegionCode { try! RegionCode.parse(code).get() }

    func loadPolicy(_ app: Application, _ name: String) async throws {
        _ = try await PolicyStore(db: app.db).load(yaml: try PolicyStore.seedFiles().first { $0.name == name + ".yaml" }!.yaml, actor: "test")
    }

    /// The `data-count` of the to-do item `id` on the home page, nil when the item is not there.
    func count(_ html: String, _ id: String) -> Int? {
        guard let range = html.range(of: #"<li id="\#(id)" data-count=""#) else { return nil }
        return Int(html[range.upperBound...].prefix { $0.isNumber })
    }

    func testFinanceSeesTheBatchesItMayApproveOrRecordPaidButNotItsOwn() async throws {
        try await withApp { app in
            // setup: two 村干部 of 咸丰县; the clerk runs this month's allowance
            try await loadPolicy(app, "xianfeng-monthly-allowance")
            let rows = (0..<2).map { i -> CensusRow in
                var row = CensusRow(); row.name = "村干部\(i)"; row.id = CensusRow.makeID(300 + i); row.region = "422826"
                row.category = "村干部"; row.employer = ""; row.number = "XF-\(i)"
                return row
            }
            _ = try await importFile(app, try writeTemp(CensusRow.csv(rows)))
            let month = CivilMonth(CivilDate.today())
            try await app.sql.update("employments").set("start_date", to: month.firstDay.description).run()
            let clerk = try await BrowserSession.signIn(app, grant: .official(region: region("422826"), access: .readWrite), username: "xf.clerk")
            let finance = try await BrowserSession.signIn(app, grant: .official(region: region("422826"), access: .readWrite), username: "xf.finance")
            let run = try await clerk.post("/incentives/allowance-runs", form: ["policy": "xianfeng-monthly-allowance", "month": month.description])
            XCTAssertEqual(run.status, .ok, run.body.string)
            let batch = try await app.sql.select().column("id").from("payment_batches").first()!.decode(column: "id", as: String.self)
            // act + check: the clerk who ran it has nothing to do; the finance officer has it to approve
            let clerkHome = try await clerk.get("/").body.string
            XCTAssertNil(count(clerkHome, "todo-batches-approve"), "four eyes: not the batch one ran")
            XCTAssertTrue(clerkHome.contains(#"id="todos-none""#) && clerkHome.contains("目前没有待办事项"), clerkHome)
            let financeHome = try await finance.get("/").body.string
            XCTAssertEqual(count(financeHome, "todo-batches-approve"), 1, financeHome)
            XCTAssertTrue(financeHome.contains(#"href="/incentives#batches""#))
            XCTAssertFalse(financeHome.contains(#"id="todos-none""#))
            // the finance officer approves: now the clerk records it paid, not its approver
            let approved = try await finance.post("/incentives/batches/\(batch)/approve", form: ["confirm": "1", "lines": "2", "totalFen": "20000"])
            XCTAssertEqual(approved.status, .seeOther, approved.body.string)
            let afterApproval = try await finance.get("/").body.string
            XCTAssertNil(count(afterApproval, "todo-batches-approve"))
            XCTAssertNil(count(afterApproval, "todo-batches-paid"), "four eyes: not the batch one approved")
            let clerkAfter = try await clerk.get("/").body.string
            XCTAssertEqual(count(clerkAfter, "todo-batches-paid"), 1, clerkAfter)
            // a read-only official of the county approves nothing
            let reader = try await BrowserSession.signIn(app, grant: .official(region: region("422826"), access: .read), username: "xf.reader")
            let readerHome = try await reader.get("/").body.string
            XCTAssertNil(count(readerHome, "todo-batches-paid"))
        }
    }

    func testAnOfficialSeesTheApplicationsAwaitingTheirLevelOnly() async throws {
        try await withApp { app in
            // setup: 甲 of 沙市区 applies for 荆州市's support fund, reviewed by the county, then the city
            try await loadPolicy(app, "jingzhou-one-time-support")
            var row = CensusRow(); row.name = "甲"; row.region = "421002"; row.level = "社会工作师"; row.employer = ""
            row.issued = CivilDate.today().adding(months: -5).description
            _ = try await importFile(app, try writeTemp(CensusRow.csv([row])))
            let person = try await app.sql.select().column("id").from("people").first()!.decode(column: "id", as: String.self)
            let application = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
                .apply(personID: person, policyID: "jingzhou-one-time-support", certificateNumber: nil, applicant: "本人", on: .today())
            let county = try await BrowserSession.signIn(app, grant: .official(region: region("421002"), access: .readWrite), username: "shashi.rw")
            let city = try await BrowserSession.signIn(app, grant: .official(region: region("421000"), access: .readWrite), username: "jingzhou.rw")
            let other = try await BrowserSession.signIn(app, grant: .official(region: region("421003"), access: .readWrite), username: "jingzhou.other")
            // act + check: the county's level first
            let countyHome = try await county.get("/").body.string
            XCTAssertEqual(count(countyHome, "todo-applications"), 1, countyHome)
            XCTAssertTrue(countyHome.contains(#"href="/incentives#applications""#))
            let cityHome = try await city.get("/").body.string, otherHome = try await other.get("/").body.string
            XCTAssertNil(count(cityHome, "todo-applications"), "not yet the city's level")
            XCTAssertNil(count(otherHome, "todo-applications"), "another county's person")
            // after the county's approval, the city's
            let reviewed = try await county.post("/incentives/applications/\(application.id)/review", form: ["action": "approve"])
            XCTAssertEqual(reviewed.status, .ok, reviewed.body.string)
            let countyAfter = try await county.get("/").body.string, cityAfter = try await city.get("/").body.string
            XCTAssertNil(count(countyAfter, "todo-applications"))
            XCTAssertEqual(count(cityAfter, "todo-applications"), 1)
        }
    }

    func testMeasuresDueOrOverdueForTheOfficialsRegionAndTheOperatorsDepartment() async throws {
        try await withApp { app in
            // setup: a plan of 肃州区 with measures overdue, due within 30 days, due later, done, and another department's
            let today = CivilDate.today()
            func measure(_ id: String, _ lead: String, _ days: Int) -> Measure {
                Measure(id: id, text: "措施\(id)", lead: lead, deadline: today.adding(days: days))
            }
            let plan = Plan(id: "suzhou-todo", name: "肃州区待办测试方案", jurisdiction: region("620902"), jurisdictionName: "肃州区",
                            period: PlanPeriod(from: today.adding(days: -60), to: today.adding(days: 365)), source: "test",
                            keyTasks: [KeyTask(id: "1", title: "任务", measures: [
                                measure("1.1", "肃州区民政局", -1), measure("1.2", "肃州区民政局", 10), measure("1.3", "肃州区民政局", 90),
                                measure("1.4", "肃州区民政局", -5), measure("1.5", "肃州区教育局", -1),
                            ])])
            try await PlanStore(db: app.db).add(plan)
            try await PlanStore(db: app.db).addReport(measureKey: "suzhou-todo:1.4", .init(date: today.description, text: "已完成", completes: true))
            let operatorSession = try await BrowserSession.signIn(app, grant: .departmentOperator(department: "肃州区民政局", region: region("620902")),
                                                                  username: "suzhou.mz")
            let official = try await BrowserSession.signIn(app, grant: .official(region: region("620902"), access: .read), username: "suzhou.r")
            let elsewhere = try await BrowserSession.signIn(app, grant: .official(region: region("620921"), access: .read), username: "jinta.r")
            // act
            let operatorHome = try await operatorSession.get("/").body.string
            let officialHome = try await official.get("/").body.string
            let elsewhereHome = try await elsewhere.get("/").body.string
            // check: the operator's department's two (one overdue, one due), not done, not later, not another's
            XCTAssertTrue(operatorHome.contains(#"data-plan="suzhou-todo" data-overdue="1" data-due="1""#), operatorHome)
            XCTAssertTrue(operatorHome.contains(#"href="/plans/suzhou-todo""#))
            XCTAssertTrue(operatorHome.contains("肃州区待办测试方案：已逾期 1 项，30 天内到期 1 项"), operatorHome)
            XCTAssertFalse(operatorHome.contains(#"data-plan="jiuquan-2025""#), "the city's plan has no measure the department leads")
            // the official's region: every department's
            XCTAssertTrue(officialHome.contains(#"data-plan="suzhou-todo" data-overdue="2" data-due="1""#), officialHome)
            XCTAssertFalse(officialHome.contains(#"data-plan="jiuquan-2025""#), "the city's plan is the city's to-do")
            XCTAssertFalse(elsewhereHome.contains(#"data-plan="suzhou-todo""#), "another county's plan")
        }
    }

    func testMyImportWaitingForItsCommitIsATodoOfMineOnly() async throws {
        try await withApp { app in
            // setup: a clerk uploads a clean file; its dry run passes
            let clerk = try await BrowserSession.signIn(app, grant: .official(region: region(CensusRow.county), access: .readWrite), username: "import.clerk")
            let colleague = try await BrowserSession.signIn(app, grant: .official(region: region(CensusRow.county), access: .readWrite), username: "import.colleague")
            let uploaded = try await clerk.upload("/import", fileName: "肃州区名单.csv", file: Data(CensusRow.csv([CensusRow()]).utf8))
            let path = try XCTUnwrap(uploaded.headers.first(name: .location))
            _ = try await RegistryPageTests.statusPage(clerk, path)
            // act
            let mine = try await clerk.get("/").body.string
            let theirs = try await colleague.get("/").body.string
            // check
            XCTAssertTrue(mine.contains(#"<li class="todo-import"><a href="\#(path)">待提交的导入：肃州区名单.csv</a>"#), mine)
            XCTAssertFalse(theirs.contains("todo-import"), "another account's upload")
            XCTAssertTrue(theirs.contains("目前没有待办事项"))
        }
    }
}
