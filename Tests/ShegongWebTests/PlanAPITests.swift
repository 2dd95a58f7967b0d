import Foundation
import NIOCore
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

final class PlanAPITests: XCTestCase {
    typealias API = IndicatorAPI

    func testJiuquanPlanLoadsWithFiveTasksAndTwentyTwoMeasuresAndOverdueFromTheDate() async throws {
        try await withApp { app in
            // setup: `shegong demo` loads the seed plans
            try await app.loadDemoGeography()
            // act + check: mid-year, nothing reported, nothing late
            try await API.send(app, .GET, "/api/v1/plans/jiuquan-2025?asOf=2025-06-30") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let plan = try API.object(res)
                let tasks = plan["keyTasks"] as! [[String: Any]]
                XCTAssertEqual(tasks.count, 5)
                XCTAssertEqual(tasks.flatMap { $0["measures"] as! [[String: Any]] }.count, 22)
                let counts = (plan["summary"] as! [String: Any])["counts"] as! [String: Int]
                XCTAssertEqual(counts["not_started"], 22)
                XCTAssertEqual(counts["overdue"], 0)
            }
            // act: 市委社会工作部 reports measure 2.2 (the 金泉路 practice base) done
            try await API.send(app, .POST, "/api/v1/measures/jiuquan-2025:2.2/reports",
                               json: ["date": "2025-05-01", "text": "金泉路社区实践基地已挂牌", "completes": true]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                XCTAssertEqual(try API.object(res)["status"] as? String, "done")
            }
            // check: the day after the deadline every other measure is overdue, and who is late is listed
            try await API.send(app, .GET, "/api/v1/plans/jiuquan-2025?asOf=2026-01-01") { res in
                let summary = try API.object(res)["summary"] as! [String: Any]
                let counts = summary["counts"] as! [String: Int]
                XCTAssertEqual(counts["overdue"], 21)
                XCTAssertEqual(counts["done"], 1)
                let first = (summary["departments"] as! [[String: Any]])[0]
                XCTAssertEqual(first["department"] as? String, "市委社会工作部")
                XCTAssertFalse((first["overdue"] as! [String]).contains("jiuquan-2025:2.2"))
            }
            // check: the deadline day itself is not overdue
            try await API.send(app, .GET, "/api/v1/plans/jiuquan-2025?asOf=2025-12-31") { res in
                let counts = (try API.object(res)["summary"] as! [String: Any])["counts"] as! [String: Int]
                XCTAssertEqual(counts["overdue"], 0)
            }
            // bad reports are named by field (evidence named without a file is refused, a path first of all); an unknown measure is a 404
            try await API.send(app, .POST, "/api/v1/measures/jiuquan-2025:2.2/reports",
                               json: ["date": "2025-13-01", "text": " ", "evidence": ["../etc/passwd"]]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let fields = Set(try res.content.decode(APITests.ErrorBody.self).error.details.compactMap(\.field))
                XCTAssertEqual(fields, ["date", "text", "evidence[0]"])
            }
            try await API.send(app, .POST, "/api/v1/measures/jiuquan-2025:9.9/reports", json: ["date": "2025-05-01", "text": "x"]) { res in
                XCTAssertEqual(res.status, .notFound)
            }
            // the list shows both seed plans (the Hubei file holds exam figures)
            try await API.send(app, .GET, "/api/v1/plans") { res in
                XCTAssertEqual(Set(try API.array(res).map { ($0["plan"] as! [String: Any])["id"] as! String }), ["jiuquan-2025", "xuancheng-2027"])
            }
        }
    }

    func testShippedSeedPlansAreTheRepositorysFiles() throws {
        // setup
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let names = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("plans").path).filter { $0.hasSuffix(".yaml") }
        // check
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let original = try Data(contentsOf: repository.appendingPathComponent("plans").appendingPathComponent(name))
            let shipped = try Data(contentsOf: PlanSeeds.directory.appendingPathComponent(name))
            XCTAssertEqual(original, shipped, "Sources/ShegongStore/Resources/plans/\(name) differs from plans/\(name): copy it again")
        }
    }

    func testTargetAssessmentThroughTheAPI() async throws {
        try await withApp { app in
            // setup: the Jiuquan targets, and three people certified in Jan, Feb and Mar 2025
            try await app.loadDemoGeography()
            try await API.importCommunityWorkers(app, issued: ["2025-01-10", "2025-02-10", "2025-03-10"])
            // act
            try await API.send(app, .GET, "/api/v1/targets?region=620900&asOf=2025-04-15") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let targets = try API.array(res)
                XCTAssertEqual(targets.count, 9)
                let newHolders = targets.first { $0["id"] as? String == "jq-new-holders" }!
                // check: observed at each month end and today: 1, 2, 3, 3 new holders
                let observations = newHolders["observations"] as! [[String: Any]]
                XCTAssertEqual(observations.map { $0["date"] as! String }, ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-15"])
                XCTAssertEqual(observations.map { $0["value"] as! Double }, [1, 2, 3, 3])
                let assessment = newHolders["assessment"] as! [String: Any]
                XCTAssertEqual(assessment["status"] as? String, "at_risk")
                XCTAssertEqual((assessment["current"] as! [String: Any])["value"] as? Double, 3)
                XCTAssertEqual(assessment["progress"] as! Double, 0.01, accuracy: 1e-9)      // (3 − 0) ÷ (300 − 0)
                XCTAssertTrue(((assessment["reason"] as! [String: Any])["message"] as! String).contains("低于目标"))
                XCTAssertNotNil(assessment["projection"] as? Double)
            }
            // after the deadline the target is missed
            try await API.send(app, .GET, "/api/v1/targets?region=620902&asOf=2026-01-05") { res in
                XCTAssertEqual(try API.array(res).count, 0)   // targets are set for the city
            }
            try await API.send(app, .GET, "/api/v1/targets?region=620900&asOf=2026-01-05") { res in
                let holders = try API.array(res).first { $0["id"] as? String == "jq-holders-total" }!
                XCTAssertEqual((holders["assessment"] as! [String: Any])["status"] as? String, "missed")
            }
            try await API.send(app, .GET, "/api/v1/targets?region=620900&asOf=yesterday") { res in
                XCTAssertEqual(res.status, .badRequest)
            }
        }
    }

    func testExamPassRateAndGrowthThroughTheAPI() async throws {
        try await withApp { app in
            // setup: 荆州市 2024 and 2025 figures
            for (year, registrants, passes) in [(2024, 1_000, 300), (2025, 1_300, 390)] {
                try await API.send(app, .POST, "/api/v1/exams",
                                   json: ["year": year, "region": "421000", "registrants": registrants, "passes": passes]) { res in
                    XCTAssertEqual(res.status, .created, res.body.string)
                }
            }
            // act
            try await API.send(app, .GET, "/api/v1/exams?region=421000&year=2025") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let figures = try API.object(res)["figures"] as! [[String: Any]]
                // check: 390 ÷ 1300 = 30 %; registrants and passes both up 30 % on 2024
                XCTAssertEqual(figures.count, 1)
                XCTAssertEqual((figures[0]["passRate"] as! [String: Any])["value"] as! Double, 30, accuracy: 1e-9)
                XCTAssertEqual((figures[0]["registrantGrowth"] as! [String: Any])["value"] as! Double, 30, accuracy: 1e-9)
                XCTAssertEqual((figures[0]["passGrowth"] as! [String: Any])["value"] as! Double, 30, accuracy: 1e-9)
            }
            // the first year has no growth, with the reason
            try await API.send(app, .GET, "/api/v1/exams?region=421000&year=2024") { res in
                let growth = (try API.object(res)["figures"] as! [[String: Any]])[0]["registrantGrowth"] as! [String: Any]
                XCTAssertEqual((growth["noData"] as! [String: Any])["code"] as? String, "exam.previous.missing")
            }
            // passes above registrants and an unknown level are rejected by field
            try await API.send(app, .POST, "/api/v1/exams",
                               json: ["year": 2025, "region": "421000", "level": "特级", "registrants": 10, "passes": 20]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let fields = Set(try res.content.decode(APITests.ErrorBody.self).error.details.compactMap(\.field))
                XCTAssertTrue(fields.isSuperset(of: ["level"]), "\(fields)")
            }
            try await API.send(app, .POST, "/api/v1/exams", json: ["year": 2025, "region": "421000", "registrants": 10, "passes": 20]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("\"field\":\"passes\""), res.body.string)
            }
            // the Hubei seed: 78,000 registrants in 2025, up 30 % on a derived 2024 figure
            try await app.loadDemoGeography()
            try await API.send(app, .GET, "/api/v1/exams?region=420000&year=2025") { res in
                let hubei = (try API.object(res)["figures"] as! [[String: Any]]).first { $0["region"] as? String == "420000" }!
                XCTAssertEqual(hubei["registrants"] as? Int, 78_000)
                let growth = hubei["registrantGrowth"] as! [String: Any]
                XCTAssertEqual(growth["value"] as! Double, 30, accuracy: 1e-9)
                XCTAssertEqual(growth["restsOnDerivedFigure"] as? Bool, true)
            }
        }
    }
}

/// Targets set on their own through the API (issue #5 §5, §8): validated field by field, inside
/// the official's write scope, audited, and assessed like a plan's.
final class TargetCreateTests: XCTestCase {
    func testAnOfficialSetsAValidatedTargetForARegionInScope() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let jiuquan = try await app.token(.official(region: try RegionCode.parse("620900").get(), access: .readWrite), username: "jq.rw")
            let reader = try await app.token(.official(region: try RegionCode.parse("620900").get(), access: .read), username: "jq.read")
            func post(_ body: [String: Any], token: String, check: @escaping (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.api(.POST, "/api/v1/targets", token: token, beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
                }, afterResponse: check)
            }
            let good: [String: Any] = ["id": "suzhou-holders-2026", "indicator": "certificate_holders", "region": "620902", "comparator": ">=",
                                       "value": 120, "baseline": ["date": "2026-01-01", "value": 40], "deadline": "2026-12-31"]

            // act + check: bad fields are each named, nothing stored
            var bad = good
            bad["comparator"] = "≈"; bad["deadline"] = "2026-13-01"; bad["value"] = -5
            try await post(bad, token: jiuquan) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                let fields = ((try IndicatorAPI.object(res)["error"] as! [String: Any])["details"] as! [[String: Any]]).compactMap { $0["field"] as? String }
                XCTAssertEqual(Set(fields), ["comparator", "deadline"])
            }
            var negative = good
            negative["value"] = -5
            try await post(negative, token: jiuquan) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("\"field\":\"value\""), res.body.string)
            }
            // outside the scope: the same 404 as an unknown region; read-only: 403
            var elsewhere = good
            elsewhere["region"] = "421000"
            try await post(elsewhere, token: jiuquan) { XCTAssertEqual($0.status, .notFound) }
            try await post(good, token: reader) { XCTAssertEqual($0.status, .forbidden) }
            let stored = try await app.count("targets")

            // the good one: created, assessed, audited; the same id again is a conflict
            try await post(good, token: jiuquan) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let target = try IndicatorAPI.object(res)
                XCTAssertEqual(target["statement"] as? String, "≥ 120")
                XCTAssertNotNil((target["assessment"] as? [String: Any])?["status"])
            }
            try await post(good, token: jiuquan) { XCTAssertEqual($0.status, .conflict) }
            let after = try await app.count("targets")
            XCTAssertEqual(after, stored + 1)
            try await app.api(.GET, "/api/v1/targets?region=620902", token: jiuquan) { res in
                XCTAssertTrue(res.body.string.contains("suzhou-holders-2026"))
            }
            let audited = try await app.sql.select().column("id").from("audit_log").where("action", .equal, "target.create").all()
            XCTAssertEqual(audited.count, 1)
        }
    }
}

/// Issue #5 §3: an exam pass list imported as people — each pass becomes the certificate.
final class ExamPassImportTests: XCTestCase {
    func testAPassListCreatesCertificatesAllOrNothingAndOnce() async throws {
        try await withApp { app in
            // setup: two people on file in 肃州区, the first without a certificate
            var first = CensusRow(); first.name = "王一"; first.level = ""; first.number = ""; first.issued = ""
            var second = CensusRow(); second.name = "王二"; second.id = CensusRow.makeID(2); second.number = "OLD-2"
            _ = try await importFile(app, try writeTemp(CensusRow.csv([first, second])))
            let stranger = CensusRow.makeID(9)
            func list(_ rows: [[String]]) throws -> URL {
                try writeTemp((["身份证号,姓名,证书等级,证书编号,发证日期"] + rows.map { $0.joined(separator: ",") }).joined(separator: "\r\n") + "\r\n")
            }
            func run(_ url: URL, dryRun: Bool = false) async throws -> ExamPassImportReport {
                try await ExamPassImporter(db: app.db, cipher: app.shegong.cipher)
                    .run(reader: try Spreadsheet.openReader(url: url, preferredSheet: nil), fileName: "passes.csv", year: 2025, dryRun: dryRun, actor: "test")
            }
            let holdersBefore = try await app.count("certificates")

            // act + check: one row names someone not on file, another a taken number → nothing written
            let bad = try await run(try list([[first.id, "王一", "社会工作师", "P-2025-1", "2025-07-01"],
                                              [stranger, "路人", "助理社会工作师", "P-2025-9", "2025-07-01"],
                                              [second.id, "王二", "社会工作师", "OLD-2", "2025-07-01"]]))
            XCTAssertFalse(bad.committed)
            XCTAssertEqual(bad.issues.map(\.row), [3])
            XCTAssertEqual(bad.issues.first?.code, "exam.person.missing")
            let unchanged = try await app.count("certificates")
            XCTAssertEqual(unchanged, holdersBefore)

            // the corrected list: one new certificate, one already held; figures derived per county
            let good = try list([[first.id, "王一", "社会工作师", "P-2025-1", "2025-07-01"], [second.id, "王二", "社会工作师", "OLD-2", "2025-07-01"]])
            let report = try await run(good)
            XCTAssertTrue(report.committed, "\(report.issues)")
            XCTAssertEqual(report.certificatesCreated, 1)
            XCTAssertEqual(report.alreadyOnFile, 1)
            XCTAssertEqual(report.figures.map(\.passes), [2])
            XCTAssertEqual(report.figures.first?.region.value, "620902")
            let after = try await app.count("certificates")
            XCTAssertEqual(after, holdersBefore + 1)
            try await assertAggregatesMatchScan(app, region: "620902")
            let figures = try await ExamStore(db: app.db).figures(in: try await RegionStore(app.db).region(code: "620902")!)
            XCTAssertTrue(figures.contains { $0.year == 2025 && $0.passes == 2 && $0.provenance == .derived })

            // the same list again changes nothing
            let again = try await run(good)
            XCTAssertEqual(again.certificatesCreated, 0)
            XCTAssertEqual(again.alreadyOnFile, 2)
            let final = try await app.count("certificates")
            XCTAssertEqual(final, holdersBefore + 1)

            // Through the API: an official elsewhere cannot reach these people (the same answer as
            // for people not on file); the county's own official can, and it is audited.
            let text = try String(contentsOf: good, encoding: .utf8)
            let jingzhou = try await app.token(.official(region: try RegionCode.parse("421000").get(), access: .readWrite), username: "jz.exam")
            let suzhou = try await app.token(.official(region: try RegionCode.parse("620902").get(), access: .readWrite), username: "sz.exam")
            try await app.api(.POST, "/api/v1/exams/passes?year=2025", token: jingzhou, beforeRequest: { $0.body = ByteBuffer(string: text) }) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("exam.person.missing"), res.body.string)
            }
            try await app.api(.POST, "/api/v1/exams/passes?year=2025", token: suzhou, beforeRequest: { $0.body = ByteBuffer(string: text) }) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.content.decode(ExamPassImportReport.self).alreadyOnFile, 2)
            }
            let audited = try await app.sql.select().column("id").from("audit_log").where("action", .equal, "exam.pass_import").all()
            XCTAssertEqual(audited.count, 2)
        }
    }
}
