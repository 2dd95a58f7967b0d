import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The incentive features return only what lies in the caller's scope, whatever the route: payment
/// lists, totals, simulations and application lists are cut in their queries, and a record of
/// another region is the audited 404 (issue #10 §3, issue #11 §5). On SQLite and PostgreSQL.
final class IncentiveScopeTests: XCTestCase {
    static func grant(_ code: String, _ access: Access) -> Grant {
        .official(region: try! RegionCode.parse(code).get(), access: access)
    }

    func row(_ name: String, _ n: Int, region: String, issued: String = "2024-05-01", birth: CivilDate = CivilDate(year: 1988, month: 5, day: 20)!) -> CensusRow {
        var r = CensusRow()
        r.name = name; r.id = CensusRow.makeID(n, birth: birth); r.region = region; r.category = "社区工作者"
        r.level = "助理社会工作师"; r.issued = issued; r.number = "CERT-\(n)-\(birth)"; r.employer = ""
        return r
    }

    func importPeople(_ app: Application, _ rows: [CensusRow]) async throws {
        var importer = CensusImporter(db: app.db, cipher: app.shegong.cipher)
        importer.postsSince = CivilDate(iso: "2025-01-01")
        let report = try await importer.run(reader: try Spreadsheet.openReader(url: try writeTemp(CensusRow.csv(rows))),
                                            fileName: "t.csv", format: "csv", dryRun: false, actor: "test")
        XCTAssertTrue(report.committed, "\(report.issues.prefix(3))")
    }

    func loadSeed(_ app: Application, _ name: String) async throws {
        let yaml = try PolicyStore.seedFiles().first { $0.name == name + ".yaml" }!.yaml
        _ = try await PolicyStore(db: app.db).load(yaml: yaml, actor: "test")
    }

    func denials(_ app: Application, actor: String) async throws -> [AuditRecord] {
        try await app.shegong.auditLog.search(sql: app.sql, AuditQuery(actor: actor, action: "access.denied"))
    }

    func testAPaymentListTotalsAndTheLedgerHoldOnlyTheCallersPeopleAndAnotherRegionsBatchIs404() async throws {
        try await withApp { app in
            // setup: Xuancheng's allowance paid to two people of 宣州区 and one of 郎溪县
            try await loadSeed(app, "xuancheng-community-allowance")
            try await importPeople(app, [row("宣州甲", 1, region: "341802"), row("宣州乙", 2, region: "341802"), row("郎溪丙", 3, region: "341821")])
            let run = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
                .runAllowance(policyID: "xuancheng-community-allowance", month: CivilMonth(iso: "2025-03")!)
            XCTAssertEqual(run.batch.lines, 9, "March and, in arrears, January and February")
            let xuanzhou = try await app.token(Self.grant("341802", .read), username: "xuanzhou")
            let jiuquan = try await app.token(Self.grant("620900", .read), username: "jiuquan")
            let path = "/api/v1/payment-batches/\(run.batch.id)"

            // act and check: the county's list has its two people and no one else
            try await app.api(.GET, "\(path)/export?format=csv", token: xuanzhou) { res in
                XCTAssertEqual(res.status, .ok)
                let text = res.body.string
                XCTAssertTrue(text.contains("宣州甲") && text.contains("宣州乙"), text)
                XCTAssertFalse(text.contains("郎溪丙"), "a person outside 宣州区 is in its payment list")
                XCTAssertTrue(text.contains("6 笔"), text)
            }
            try await app.api(.GET, "/api/v1/payment-batches", token: xuanzhou) { res in
                let batches = try res.content.decode([PaymentBatchInfo].self)
                XCTAssertEqual(batches.map(\.lines), [6], "the county's part of the batch")
            }
            try await app.api(.GET, "/api/v1/ledger?byRegion=true", token: xuanzhou) { res in
                let totals = try res.content.decode([LedgerTotal].self)
                XCTAssertEqual(Set(totals.compactMap(\.regionCode)), ["341802"])
                XCTAssertEqual(totals.map(\.lines).reduce(0, +), 6)
            }
            // another region's official: the batch does not exist for them, and the attempt is audited
            try await app.api(.GET, "\(path)/export?format=csv", token: jiuquan) { res in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertFalse(res.body.string.contains("宣州甲"))
            }
            let denied = try await denials(app, actor: "jiuquan")
            XCTAssertEqual(denied.count, 1)
        }
    }

    func testASimulationCountsOnlyTheCallersPeopleAndAnotherRegionsDraftIs404() async throws {
        try await withApp { app in
            // setup: holders in Xuancheng and in Jiuquan
            try await importPeople(app, [row("宣州甲", 1, region: "341802"), row("肃州乙", 2, region: "620902"), row("金塔丙", 3, region: "620921")])
            let jiuquan = try await app.token(Self.grant("620900", .read), username: "jiuquan")
            let xuancheng = try PolicyStore.seedFiles().first { $0.name == "xuancheng-community-allowance.yaml" }!.yaml
            let national = xuancheng.replacingOccurrences(of: "jurisdiction: \"341800\"", with: "jurisdiction: \"000000\"")
                .replacingOccurrences(of: "id: xuancheng-community-allowance", with: "id: national-draft")

            // act
            try await app.api(.POST, "/api/v1/policies/simulate?by=county&month=2025-03", token: jiuquan,
                              beforeRequest: { $0.body = ByteBuffer(string: xuancheng) }) { res in
                XCTAssertEqual(res.status, .notFound, res.body.string)
            }
            try await app.api(.POST, "/api/v1/policies/simulate?by=county&month=2025-03", token: jiuquan,
                              beforeRequest: { $0.body = ByteBuffer(string: national) }) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let rows = try res.content.decode([PolicyComparisonRow].self)
                // check: Jiuquan's two counties only, one holder each
                XCTAssertEqual(Set(rows.compactMap { $0.region?.value }), ["620902", "620921"])
                XCTAssertEqual(rows.map(\.draft.peopleInMonth).reduce(0, +), 2)
            }
            let denied = try await denials(app, actor: "jiuquan")
            XCTAssertEqual(denied.count, 1)
        }
    }

    func testTheApplicationDateIsTheServersAndAPaperApplicationIsRecordedWithItsDateAndReason() async throws {
        try await withApp { app in
            // setup: a 荆州 holder whose one-year window closed on 2026-02-01 (issued 2025-02-01)
            try await loadSeed(app, "jingzhou-one-time-support")
            try await importPeople(app, [row("荆州甲", 1, region: "421003", issued: "2025-02-01")])
            let person = try await app.sql.select().column("id").from("people").first()!.decode(column: "id", as: String.self)
            let worker = try await app.token(.socialWorker(person: person), username: "worker")
            let office = try await app.token(Self.grant("421000", .readWrite), username: "jingzhou")
            func body(_ extra: String) -> String {
                #"{"personID":"\#(person)","policyID":"jingzhou-one-time-support","applicant":"本人"\#(extra)}"#
            }
            func post(_ json: String, _ token: String, _ check: @escaping (XCTHTTPResponse) throws -> Void) async throws {
                try await app.api(.POST, "/api/v1/applications", token: token, headers: ["Content-Type": "application/json"],
                                  beforeRequest: { $0.body = ByteBuffer(string: json) }) { try check($0) }
            }

            // act and check: a back-dated application is refused, naming the field
            try await post(body(#","date":"2025-06-01""#), worker) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("application.date_server_set"), res.body.string)
            }
            // without a date it is today's, and the window has closed
            try await post(body(""), worker) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("application.ineligible"), res.body.string)
            }
            // a worker cannot enter a paper date; the office can, with the reason, and it is recorded
            try await post(body(#","paperDate":"2025-06-01","paperReason":"纸质申请""#), worker) { res in
                XCTAssertEqual(res.status, .forbidden, res.body.string)
            }
            try await post(body(#","paperDate":"2025-06-01","paperReason":"2025年6月1日递交纸质申请，系统当时未开通""#), office) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let info = try res.content.decode(ApplicationInfo.self)
                XCTAssertEqual(info.paperDate, "2025-06-01")
                XCTAssertEqual(info.submittedOn, CivilDate.today().description)
            }
            let created = try await app.shegong.auditLog.search(sql: app.sql, AuditQuery(actor: "jingzhou", action: "application.create"))
            XCTAssertTrue(created.first?.entry.details?.contains("paper_date=2025-06-01") == true)
        }
    }

    func testACountySeesItsNewestApplicationWhenTheCountryHasMoreThanAThousand() async throws {
        try await withApp { app in
            // setup: 1,000 older applications in 沙市区 and one person in 荆州区, certified last month
            try await loadSeed(app, "jingzhou-one-time-support")
            let issued = CivilDate(daysSinceEpoch: CivilDate.today().daysSinceEpoch - 30).description
            let others = (0..<1_000).map { i in
                row("沙市\(i)", i % 900 + 1, region: "421002", issued: issued,
                    birth: CivilDate(year: 1980 + i / 900, month: 3, day: 3)!)
            }
            try await importPeople(app, others + [row("荆州新", 950, region: "421003", issued: issued, birth: CivilDate(year: 1990, month: 1, day: 1)!)])
            let ids = try await app.sql.select().column("id").from("people").where("region_code", .equal, "421002").all()
                .map { try $0.decode(column: "id", as: String.self) }
            let stamp = "2025-07-01T00:00:00Z"
            for chunk in stride(from: 0, to: ids.count, by: 200).map({ Array(ids[$0..<min($0 + 200, ids.count)]) }) {
                var insert = app.sql.insert(into: "award_applications")
                    .columns("id", "person_id", "policy_id", "level", "certificate_number", "amount_fen", "status", "review_step",
                             "applicant", "submitted_on", "decision", "reason", "created_at", "updated_at")
                for id in chunk {
                    insert = insert.values(UUID().uuidString.lowercased(), id, "jingzhou-one-time-support", "助理社会工作师", "N-\(id)", 50_000,
                                           "submitted", 0, "本人", "2025-07-01", #"{"policyID":"x"}"#, nil as String?, stamp, stamp)
                }
                try await insert.run()
            }
            let newcomer = try await app.sql.select().column("id").from("people").where("region_code", .equal, "421003").first()!
                .decode(column: "id", as: String.self)
            let county = try await app.token(Self.grant("421003", .readWrite), username: "jingzhouqu")
            try await app.api(.POST, "/api/v1/applications", token: county, headers: ["Content-Type": "application/json"], beforeRequest: {
                $0.body = ByteBuffer(string: #"{"personID":"\#(newcomer)","policyID":"jingzhou-one-time-support","applicant":"区社工部"}"#)
            }) { XCTAssertEqual($0.status, .created, $0.body.string) }

            // act and check
            try await app.api(.GET, "/api/v1/applications", token: county) { res in
                XCTAssertEqual(res.status, .ok)
                let listed = try res.content.decode([ApplicationInfo].self)
                XCTAssertEqual(listed.map(\.personID), [newcomer])
            }
        }
    }

    func testABudgetWarningIsWordedInTheReadersLanguage() async throws {
        try await withApp { app in
            // setup: Xuancheng's allowance with a cap of 100 yuan a year, and three holders
            let yaml = try PolicyStore.seedFiles().first { $0.name == "xuancheng-community-allowance.yaml" }!.yaml
                .replacingOccurrences(of: "amount: 3000000", with: "amount: 100")
            _ = try await PolicyStore(db: app.db).load(yaml: yaml, actor: "test")
            try await importPeople(app, [row("宣州甲", 1, region: "341802"), row("宣州乙", 2, region: "341802"), row("郎溪丙", 3, region: "341821")])
            // act
            let run = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
                .runAllowance(policyID: "xuancheng-community-allowance", month: CivilMonth(iso: "2025-01")!)
            // check: the same warning in Chinese (API, CLI) and in English (an English page)
            let warning = try XCTUnwrap(run.budgetWarning)
            XCTAssertEqual(warning.chinese, "预算警告：2025 年已承诺 0.00 元，加上本批 300.00 元，超过预算上限 100.00 元")
            XCTAssertEqual(warning.text(.en), "Budget warning: 0.00 yuan committed in 2025; with this batch's 300.00 yuan it exceeds the cap of 100.00 yuan")
        }
    }
}
