import Foundation
import NIOCore
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Shared helpers of the issue 5 API tests (indicators, statistics, plans, targets, exams).
enum IndicatorAPI {
    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, json: Any? = nil, body: String? = nil,
                     check: @escaping (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.api(method, path, beforeRequest: { req in
            if let json {
                req.headers.contentType = .json
                req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            } else if let body {
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: body)
            }
        }, afterResponse: check)
    }

    static func object(_ res: XCTHTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
    }

    static func array(_ res: XCTHTTPResponse) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [[String: Any]]
    }

    /// Census rows in 肃州区 (620902): community workers, certified unless `issued` is nil.
    static func importCommunityWorkers(_ app: Application, issued: [String?], category: String = "社区工作者") async throws {
        let rows = issued.enumerated().map { i, date -> CensusRow in
            var row = CensusRow()
            row.name = "测试\(i + 1)"
            row.id = CensusRow.makeID(i + 1)
            row.mobile = ""
            row.category = category
            row.number = date == nil ? "" : "T2025\(i + 1)"
            row.level = date == nil ? "无" : "助理社会工作师"
            row.issued = date ?? ""
            return row
        }
        let report = try await importFile(app, try writeTemp(CensusRow.csv(rows)))
        XCTAssertTrue(report.succeeded, "\(report.issues)")
    }
}

final class IndicatorAPITests: XCTestCase {
    typealias API = IndicatorAPI

    func testCertificationRateIsTwoThirdsAndNoDataWithoutTheStatistic() async throws {
        try await withApp { app in
            // setup: 3 community workers in 肃州区, 2 certified on 2024-06-15
            try await API.importCommunityWorkers(app, issued: ["2024-06-15", "2024-06-15", nil])
            let path = "/api/v1/indicators/community_worker_certification_rate?region=620902&asOf=2025-06-30"
            // act + check: no community-worker headcount entered → no data, with the reason
            try await API.send(app, .GET, path) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let body = try API.object(res)
                XCTAssertEqual(body["hasValue"] as? Bool, false)
                let noData = body["noData"] as! [String: Any]
                XCTAssertEqual(noData["code"] as? String, "indicator.denominator.missing")
                XCTAssertTrue((noData["message"] as! String).contains("社区工作者总数"), "\(noData)")
            }
            // act: the department enters 3 community workers for 2024
            try await API.send(app, .PUT, "/api/v1/statistics?region=620902&year=2024",
                               json: ["values": ["community_workers": 3], "department": "肃州区民政局"]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            // check: 2 ÷ 3 × 100 = 66.7 %, in the county and in the city (the county's figure rolls up)
            for region in ["620902", "620900"] {
                try await API.send(app, .GET, "/api/v1/indicators/community_worker_certification_rate?region=\(region)&asOf=2025-06-30") { res in
                    let body = try API.object(res)
                    XCTAssertEqual(body["numerator"] as? Int, 2)
                    XCTAssertEqual(body["denominator"] as? Int, 3)
                    XCTAssertEqual(body["value"] as! Double, 200.0 / 3, accuracy: 1e-9)
                    XCTAssertEqual(body["formatted"] as? String, "66.7%")
                }
            }
            // check: before the certificates were issued, nobody held one
            try await API.send(app, .GET, "/api/v1/indicators/community_worker_certification_rate?region=620902&asOf=2024-06-14") { res in
                XCTAssertEqual(try API.object(res)["value"] as? Double, 0)
            }
            // act: a zero headcount → no data, never a division error
            try await API.send(app, .PUT, "/api/v1/statistics?region=620902&year=2024", json: ["values": ["社区工作者总数": 0]]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            try await API.send(app, .GET, path) { res in
                let body = try API.object(res)
                XCTAssertEqual(body["hasValue"] as? Bool, false)
                XCTAssertEqual((body["noData"] as! [String: Any])["code"] as? String, "indicator.denominator.zero")
            }
            // check: the edits are kept as history, before → after, with who
            try await API.send(app, .GET, "/api/v1/statistics?region=620902&year=2024") { res in
                let history = try API.object(res)["history"] as! [[String: Any]]
                XCTAssertEqual(history.count, 2)
                XCTAssertNil(history[0]["before"] as? Int)
                XCTAssertEqual(history[0]["after"] as? Int, 3)
                XCTAssertEqual(history[0]["actor"] as? String, "肃州区民政局")
                XCTAssertEqual(history[1]["before"] as? Int, 3)
                XCTAssertEqual(history[1]["after"] as? Int, 0)
            }
        }
    }

    func testStatisticsInputIsValidatedByField() async throws {
        try await withApp { app in
            // act: an unknown statistic and a negative value
            try await API.send(app, .PUT, "/api/v1/statistics?region=620902&year=2024",
                               json: ["values": ["elderly_beds": 3]]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("values.elderly_beds"), res.body.string)
            }
            try await API.send(app, .PUT, "/api/v1/statistics?region=620902&year=2024",
                               json: ["values": ["schools": -1]]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("values.schools"), res.body.string)
            }
            // an unknown indicator and a bad date are named
            try await API.send(app, .GET, "/api/v1/indicators/nonsense?region=620902") { res in
                XCTAssertEqual(res.status, .notFound)
            }
            try await API.send(app, .GET, "/api/v1/indicators/certificate_holders?region=620902&asOf=2025-13-01") { res in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertTrue(res.body.string.contains("\"field\":\"asOf\""), res.body.string)
            }
            // check: nothing written
            let figures = try await app.count("region_statistics")
            XCTAssertEqual(figures, 0)
        }
    }

    func testStatisticsImportWithABadRowReportsRowsAndWritesNothing() async throws {
        try await withApp { app in
            // setup
            let bad = """
            地区代码,年份,指标,数值
            620902,2024,社区工作者总数,120
            620902,2024,养老床位,50
            999999,2024,中小学校数,10
            620921,2024,中小学校数,-3
            """
            // act
            try await API.send(app, .POST, "/api/v1/statistics/import?fileName=bad.csv", body: bad) { res in
                // check: 422, one issue per bad row with its row and column
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                let details = (try API.object(res)["error"] as! [String: Any])["details"] as! [[String: Any]]
                XCTAssertEqual(details.compactMap { $0["row"] as? Int }, [3, 4, 5])
                XCTAssertEqual(details.compactMap { $0["field"] as? String }, ["指标", "地区代码", "数值"])
            }
            let (figures, changes) = (try await app.count("region_statistics"), try await app.count("region_statistic_changes"))
            XCTAssertEqual(figures, 0)
            XCTAssertEqual(changes, 0)
            // act: the wide layout, corrected
            let good = "地区代码,年份,社区工作者总数,中小学校数\n620902,2024,120,118\n620921,2024,,31\n"
            try await API.send(app, .POST, "/api/v1/statistics/import", body: good) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try API.object(res)["created"] as? Int, 3)
            }
            // check: the city's schools are its counties' sum
            try await API.send(app, .GET, "/api/v1/indicators/school_coverage?region=620900") { res in
                let body = try API.object(res)
                XCTAssertEqual((body["noData"] as! [String: Any])["code"] as? String, "indicator.numerator.missing")
                let terms = body["terms"] as! [[String: Any]]
                XCTAssertEqual(terms[1]["value"] as? Int, 149)
            }
        }
    }

    func testTrainingFilterCountsNobodyWithoutAttendance() async throws {
        try await withApp { app in
            // setup
            let definition = IndicatorDefinition(id: "trained_workers", chineseName: "参训人数", englishName: "Trained",
                                                 numerator: .count(.init(.people, .init(trainedIn: .evaluationPeriod))), unit: "人")
            let region = try await RegionStore(app.db).region(code: "620900")!
            // act
            let result = try await IndicatorStore(app.db).evaluate(definition, region: region, asOf: CivilDate(year: 2025, month: 6, day: 30)!,
                                                                   period: .year(2025))
            // check: attendance is recorded now (training module); with none, nobody was trained
            XCTAssertEqual(result.value, .value(0, numerator: 0, denominator: nil))
        }
    }

    func testPracticeBasesAndPilotsCountPerCountyAndRankChildren() async throws {
        try await withApp { app in
            // setup: the demo's Jiuquan sites: a city base in 肃州区, provincial pilots in 肃州区 and 敦煌市
            try await app.loadDemoGeography()
            // act + check: none of 7 county-level units has a county-level base; no city pilot over 7 units
            try await API.send(app, .GET, "/api/v1/indicators/county_units_with_practice_base?region=620900") { res in
                let body = try API.object(res)
                XCTAssertEqual(body["numerator"] as? Int, 0)
                XCTAssertEqual(body["denominator"] as? Int, 7)
            }
            try await API.send(app, .GET, "/api/v1/indicators/pilot_communities_per_county?region=620900") { res in
                XCTAssertEqual(try API.object(res)["value"] as! Double, 0, accuracy: 1e-9)
            }
            // a county base in 肃州区, before the one in 敦煌市, so the ranking below has a tie
            try await API.send(app, .POST, "/api/v1/practice-bases",
                               json: ["regionCode": "620902", "name": "肃州区社会工作实践基地", "level": "县级", "established": "2025-01-15"]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            // a county base added by API counts from its establishment date
            try await API.send(app, .POST, "/api/v1/practice-bases",
                               json: ["regionCode": "620982", "name": "敦煌市社会工作实践基地", "level": "县级", "established": "2025-03-01"]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            try await API.send(app, .POST, "/api/v1/practice-bases", json: ["regionCode": "620982", "name": "", "level": "大"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let fields = Set(try res.content.decode(APITests.ErrorBody.self).error.details.compactMap(\.field))
                XCTAssertEqual(fields, ["name", "level"])
            }
            try await API.send(app, .GET, "/api/v1/indicators/county_units_with_practice_base/children?region=620900&asOf=2025-06-30") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let children = try API.object(res)["children"] as! [[String: Any]]
                XCTAssertEqual(children.count, 7)
                let top = children.prefix(2).map { (($0["value"] as! [String: Any])["region"] as! [String: Any])["code"] as! String }
                XCTAssertEqual(top, ["620902", "620982"])
                XCTAssertEqual(children[0]["rank"] as? Int, 1)
                XCTAssertEqual(children[1]["rank"] as? Int, 1)
                XCTAssertEqual(children[2]["rank"] as? Int, 3)
            }
            try await API.send(app, .GET, "/api/v1/indicators/county_units_with_practice_base?region=620900&asOf=2025-02-28") { res in
                XCTAssertEqual(try API.object(res)["numerator"] as? Int, 1)
            }
        }
    }
}

final class IndicatorAggregateTests: XCTestCase {
    /// The shipped indicators give the same value from the maintained aggregates as from a scan of
    /// people, at the nation, a province, a city and a county.
    func testMaintainedAggregatesAgreeWithTheScan() async throws {
        try await withApp { app in
            // setup
            _ = try await DemoDataSet(people: 400, seed: 11).load(db: app.db, cipher: app.shegong.cipher)
            var fast = IndicatorStore(app.db)
            fast.useMaintainedAggregates = true
            var slow = IndicatorStore(app.db)
            slow.useMaintainedAggregates = false
            let today = CivilDate.today()
            var compared = 0
            // No period; this year so far; two whole past years; and a window the aggregates cannot
            // answer (mid-year), which must fall back to the scan.
            let periods: [DatePeriod?] = [
                nil,
                DatePeriod(from: CivilDate(year: today.year, month: 1, day: 1)!, to: today),
                DatePeriod(from: CivilDate(year: 2020, month: 1, day: 1)!, to: CivilDate(year: 2021, month: 12, day: 31)!),
                DatePeriod(from: CivilDate(year: 2022, month: 3, day: 15)!, to: CivilDate(year: 2023, month: 6, day: 30)!),
            ]

            for code in [RegionPath.nationCode, "620000", "620900", "620902", "422826"] {
                let region = try await RegionStore(app.db).region(code: code)!
                for definition in IndicatorCatalogue.shipped {
                    for term in definition.terms {
                        // act
                        for period in periods {
                            let a = try await fast.compute(term, region: region, asOf: today, period: period)
                            let b = try await slow.compute(term, region: region, asOf: today, period: period)
                            // check
                            XCTAssertEqual(a, b, "\(definition.id) \(term) at \(code) over \(String(describing: period))")
                            compared += 1
                        }
                    }
                }
            }
            XCTAssertGreaterThan(compared, 50)
            // …and the aggregates really answer the common ones.
            let nation = try await RegionStore(app.db).region(code: RegionPath.nationCode)!
            let holders = try await fast.maintainedPeopleCount(RegistryFilter(certificateHeld: true), region: nation, asOf: today)
            XCTAssertNotNil(holders)
            XCTAssertGreaterThan(holders ?? 0, 0)
            let rateNumerator = try await fast.maintainedPeopleCount(
                RegistryFilter(certificateHeld: true, postCategories: [.communityWorker]), region: nation, asOf: today)
            XCTAssertNotNil(rateNumerator)
            let newHolders = try await fast.maintainedPeopleCount(
                RegistryFilter(firstCertifiedIn: .evaluationPeriod), region: nation, asOf: today,
                period: DatePeriod(from: CivilDate(year: 2012, month: 1, day: 1)!, to: today))
            XCTAssertEqual(newHolders, holders, "everyone certified since 2012 is a holder (the demo issues from 2012)")
            let careStaff = try await fast.maintainedPeopleCount(
                RegistryFilter(serviceFields: [.elderly], employerKinds: [.elderlyCareInstitution]), region: nation, asOf: today)
            XCTAssertNotNil(careStaff, "per-100-care-beds numerator from the aggregates")
        }
    }

    /// Changing an organisation's kind moves its staff between employer kinds in the aggregates.
    func testAnOrganisationsNewKindMovesItsStaffInTheAggregates() async throws {
        try await withApp { app in
            // setup: the demo's elderly-care institution with the most staff in the elderly field
            _ = try await DemoDataSet(people: 400, seed: 11).load(db: app.db, cipher: app.shegong.cipher)
            let row = try await app.sql.raw("""
                SELECT o.id AS id, o.name AS name, o.credit_code AS code, o.region_code AS region, COUNT(*) AS n
                FROM people p JOIN organizations o ON o.id = p.organization_id
                WHERE o.kind = '养老机构' AND ('、' || p.service_fields || '、') LIKE '%、养老、%'
                GROUP BY o.id, o.name, o.credit_code, o.region_code ORDER BY n DESC LIMIT 1
                """).first()
            let home = try XCTUnwrap(row)
            let moved = try home.decode(column: "n", as: Int.self)
            XCTAssertGreaterThan(moved, 0)
            var store = IndicatorStore(app.db)
            store.useMaintainedAggregates = true
            let nation = try await RegionStore(app.db).region(code: RegionPath.nationCode)!
            let filter = RegistryFilter(serviceFields: [.elderly], employerKinds: [.elderlyCareInstitution])
            let before = try await store.maintainedPeopleCount(filter, region: nation, asOf: .today())

            // act: it is re-registered as a hospital
            _ = try await OrganizationStore(db: app.db).update(id: try home.decode(column: "id"), .init(
                name: try home.decode(column: "name"), creditCode: try home.decode(column: "code"), kind: "医院",
                regionCode: try home.decode(column: "region")))

            // check
            let after = try await store.maintainedPeopleCount(filter, region: nation, asOf: .today())
            XCTAssertEqual(after, before.map { $0 - moved })
            try await assertAggregatesMatchScan(app, region: RegionPath.nationCode)
            try await assertAggregatesMatchScan(app, region: try home.decode(column: "region"))
        }
    }
}
