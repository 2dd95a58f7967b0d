import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #18 §3, beside the 人员信息表 (PrintableFormTests): the 申请审批表 of an application with
/// each review level's reviewer, date, opinion and seal box, and the 发放花名册 of a payment batch
/// twenty lines to a printed page with its header on each, totals in figures and 大写, and the
/// preparer's, reviewer's and approver's signature lines; both scoped like their pages.
final class IncentivePrintFormTests: XCTestCase {
    func region(_ code: String) -> RegionCode { try! RegionCode.parse(code).get() }

    func loadPolicy(_ app: Application, _ name: String) async throws {
        _ = try await PolicyStore(db: app.db).load(yaml: try PolicyStore.seedFiles().first { $0.name == name + ".yaml" }!.yaml, actor: "test")
    }

    func personID(_ app: Application, named name: String) async throws -> String {
        try await app.sql.select().column("id").from("people").where("name", .equal, name).first()!.decode(column: "id", as: String.self)
    }

    func testTheApplicationFormPrintsEachReviewLevelWithItsReviewerDateOpinionAndSealBox() async throws {
        try await withApp { app in
            // setup: 甲 of 沙市区 applies for 荆州市's support fund (reviewed by the county, then the city);
            // the county approves with an opinion
            try await loadPolicy(app, "jingzhou-one-time-support")
            var row = CensusRow(); row.name = "甲"; row.region = "421002"; row.level = "社会工作师"; row.employer = "沙市区阳光社工服务中心"
            row.issued = CivilDate.today().adding(months: -5).description
            _ = try await importFile(app, try writeTemp(CensusRow.csv([row])))
            let worker = try await personID(app, named: "甲")
            let application = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
                .apply(personID: worker, policyID: "jingzhou-one-time-support", certificateNumber: nil, applicant: "本人", on: .today())
            let county = try await BrowserSession.signIn(app, grant: .official(region: region("421002"), access: .readWrite), username: "shashi.rw")
            let reviewed = try await county.post("/incentives/applications/\(application.id)/review", form: ["action": "approve", "reason": "材料齐全"])
            XCTAssertEqual(reviewed.status, .ok, reviewed.body.string)
            let elsewhere = try await BrowserSession.signIn(app, grant: .official(region: region("620902"), access: .read), username: "suzhou.r")
            // act
            let form = try await county.get("/incentives/applications/\(application.id)/print")
            let page = try await county.get("/incentives/applications/\(application.id)")
            let outside = try await elsewhere.get("/incentives/applications/\(application.id)/print")
            // check: who, what, how much in figures and 大写, no navigation
            XCTAssertEqual(form.status, .ok)
            let html = form.body.string
            XCTAssertTrue(html.contains("社会工作人才激励资金申请审批表"))
            XCTAssertTrue(html.contains(#"class="print-form""#) && !html.contains(#"<nav class="main""#))
            XCTAssertTrue(html.contains("甲") && html.contains("沙市区阳光社工服务中心"))
            XCTAssertTrue(html.contains("荆州市社会工作者职业资格证书一次性扶持资金"), "the policy by name")
            XCTAssertFalse(html.contains("jingzhou-one-time-support"), "never the policy's id")
            XCTAssertTrue(html.contains("1,000.00 元") && html.contains("壹仟元整"), html)
            // each level the policy names, the county's filled in, the city's left to fill by hand
            XCTAssertTrue(html.contains(#"data-level="county""#) && html.contains(#"data-level="city""#))
            XCTAssertTrue(html.contains("县级审核") && html.contains("市级审核"), html)
            XCTAssertTrue(html.contains("同意：材料齐全") && html.contains("shashi.rw"), "the county's opinion and reviewer")
            XCTAssertTrue(html.contains(CivilDate.today().description), "the day of the county's review")
            XCTAssertEqual(html.components(separatedBy: #"class="seal""#).count - 1, 2, "a signature and seal box for each level")
            XCTAssertTrue(html.contains("申请人签字"))
            XCTAssertTrue(page.body.string.contains(#"href="/incentives/applications/\#(application.id)/print""#), "the application page links to it")
            XCTAssertEqual(outside.status, .notFound, "another county's application is not printable")
        }
    }

    func testTheApplicationFormIsEnglishOnAnEnglishPage() async throws {
        try await withApp { app in
            try await loadPolicy(app, "jingzhou-one-time-support")
            var row = CensusRow(); row.name = "Jia"; row.region = "421002"; row.level = "社会工作师"; row.employer = ""
            row.issued = CivilDate.today().adding(months: -5).description
            _ = try await importFile(app, try writeTemp(CensusRow.csv([row])))
            let application = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
                .apply(personID: try await personID(app, named: "Jia"), policyID: "jingzhou-one-time-support", certificateNumber: nil,
                       applicant: "self", on: .today())
            let county = try await BrowserSession.signIn(app, grant: .official(region: region("421002"), access: .read), username: "shashi.en",
                                                         language: .en)
            let html = try await county.get("/incentives/applications/\(application.id)/print").body.string
            XCTAssertTrue(html.contains("Incentive application and approval form"))
            XCTAssertTrue(html.contains("County review") && html.contains("City review"), html)
            XCTAssertTrue(html.contains("CNY 1,000.00"), html)
            XCTAssertFalse(html.contains("申请人签字") || html.contains("壹仟元整"))
        }
    }

    /// 60 村干部 of 咸丰县 holding the assistant certificate: this month's allowance is one
    /// batch of 60 lines of 100 yuan.
    func sixtyLineBatch(_ app: Application) async throws -> (batch: String, county: BrowserSession) {
        try await loadPolicy(app, "xianfeng-monthly-allowance")
        let rows = (0..<60).map { i -> CensusRow in
            var row = CensusRow()
            row.name = "村干部\(i + 1)"; row.id = CensusRow.makeID(100 + i); row.region = "422826"; row.category = "村干部"
            row.employer = ""; row.number = "XF2024\(1000 + i)"
            return row
        }
        _ = try await importFile(app, try writeTemp(CensusRow.csv(rows)))
        let month = CivilMonth(CivilDate.today())
        try await app.sql.update("employments").set("start_date", to: month.firstDay.description).run()
        let county = try await BrowserSession.signIn(app, grant: .official(region: region("422826"), access: .readWrite), username: "xianfeng.clerk")
        let run = try await county.post("/incentives/allowance-runs", form: ["policy": "xianfeng-monthly-allowance", "month": month.description])
        XCTAssertEqual(run.status, .ok, run.body.string)
        let batch = try await app.sql.select().column("id").from("payment_batches").first()!.decode(column: "id", as: String.self)
        return (batch, county)
    }

    func testTheRosterPrintsTwentyLinesAPageWithHeadersTotalsInCapitalsAndSignatureLines() async throws {
        try await withApp { app in
            // setup
            let (batch, county) = try await sixtyLineBatch(app)
            let elsewhere = try await BrowserSession.signIn(app, grant: .official(region: region("421000"), access: .read), username: "jingzhou.r")
            // act
            let roster = try await county.get("/incentives/batches/\(batch)/print")
            let page = try await county.get("/incentives/batches/\(batch)")
            let outside = try await elsewhere.get("/incentives/batches/\(batch)/print")
            // check: three pages of twenty, each a table with its own header row and subtotal
            XCTAssertEqual(roster.status, .ok)
            let html = roster.body.string
            XCTAssertTrue(html.contains("社会工作人才激励资金发放花名册") && html.contains("咸丰县社工证职业津贴"))
            XCTAssertEqual(html.components(separatedBy: #"<section class="roster-page""#).count - 1, 3)
            XCTAssertEqual(html.components(separatedBy: "<thead>").count - 1, 3, "the column headers on every page")
            XCTAssertTrue(html.contains("第 1 页，共 3 页") && html.contains("第 3 页，共 3 页"))
            XCTAssertEqual(html.components(separatedBy: "本页小计（20 笔）").count - 1, 3)
            XCTAssertEqual(html.components(separatedBy: "2,000.00 元").count - 1, 3, "each page's subtotal")
            XCTAssertTrue(html.contains("村干部60") && html.contains(#"<td class="num">60</td>"#), "numbered on across pages")
            // masked IDs only, the total in figures and 大写, the three signature lines
            XCTAssertFalse(html.contains(CensusRow.makeID(100)), "the ID number is masked")
            XCTAssertTrue(html.contains(#"id="roster-total">6,000.00 元"#), html)
            XCTAssertTrue(html.contains(#"id="roster-capital">陆仟元整"#), html)
            for line in ["制表人：", "审核人：", "审批人："] { XCTAssertTrue(html.contains(line), line) }
            XCTAssertTrue(page.body.string.contains(#"href="/incentives/batches/\#(batch)/print""#), "the batch page links to it")
            XCTAssertEqual(outside.status, .notFound, "another city's official does not see the batch")
            // printed like the export: recorded in the audit log with its count and total
            let printed = try await app.sql.select().column("details").from("audit_log").where("action", .equal, "payment_batch.print").all()
            XCTAssertEqual(printed.count, 1)
            XCTAssertEqual(try printed.first?.decode(column: "details", as: String.self), "lines=60 total_fen=600000")
        }
    }
}
