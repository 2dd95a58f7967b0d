import Foundation
import NIOCore
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The aggregate API (regions, statistics, indicators, practice sites, plans, targets, exams)
/// narrowed to the caller's region scope (issue #3 §2), on SQLite and PostgreSQL.
final class ScopedAggregateAPITests: XCTestCase {
    static let suzhou = "620902", jinta = "620921", jiuquan = "620900"

    func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, json: Any? = nil,
              check: @escaping (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.api(method, path, token: token, beforeRequest: { req in
            if let json {
                req.headers.contentType = .json
                req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            }
        }, afterResponse: check)
    }

    func auditCount(_ app: Application, action: String, object: String) async throws -> Int {
        try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action) AND object_id = \(bind: object)")
            .first()!.decode(column: "n", as: Int.self)
    }

    func testCountyOfficialIsKeptInTheCountyAndOtherCountiesAreAuditedNotFound() async throws {
        try await withApp { app in
            // setup: a read-write official of 肃州区
            try await app.loadDemoGeography()
            let county = try await app.token(.official(region: try RegionCode.parse(Self.suzhou).get(), access: .readWrite), username: "suzhou")
            // act + check: without ?region= the county's own figures, not the nation's
            try await send(app, .GET, "/api/v1/stats/census", token: county) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertTrue(res.body.string.contains(#""code":"\#(Self.suzhou)""#), res.body.string)
            }
            try await send(app, .GET, "/api/v1/regions", token: county) { res in
                let children = try IndicatorAPI.array(res)
                XCTAssertFalse(children.isEmpty)
                XCTAssertTrue(children.allSatisfy { ($0["parentCode"] as? String) == Self.suzhou }, "\(children)")
            }
            // another county answers exactly like a code that does not exist, and is audited
            var unknownBody = ""
            try await send(app, .GET, "/api/v1/indicators/certificate_holders?region=629999", token: county) { res in
                XCTAssertEqual(res.status, .notFound)
                unknownBody = res.body.string.replacingOccurrences(of: "629999", with: "CODE")
            }
            for path in ["/api/v1/indicators/certificate_holders?region=\(Self.jinta)", "/api/v1/regions/\(Self.jinta)",
                         "/api/v1/regions?parent=\(Self.jiuquan)", "/api/v1/targets?region=\(Self.jiuquan)",
                         "/api/v1/exams?region=420000", "/api/v1/practice-bases?region=\(Self.jinta)"] {
                try await send(app, .GET, path, token: county) { res in
                    XCTAssertEqual(res.status, .notFound, path)
                    if path.hasPrefix("/api/v1/indicators") {
                        XCTAssertEqual(res.body.string.replacingOccurrences(of: Self.jinta, with: "CODE"), unknownBody)
                    }
                }
            }
            let denied = try await auditCount(app, action: "access.denied", object: Self.jinta)
            XCTAssertEqual(denied, 3)
            // writes outside the county are refused and change nothing; inside they are audited under the user
            let (statistics, exams) = (try await app.count("region_statistics"), try await app.count("exam_figures"))
            try await send(app, .PUT, "/api/v1/statistics?region=\(Self.jinta)&year=2024", token: county,
                           json: ["values": ["community_workers": 3]]) { res in
                XCTAssertEqual(res.status, .notFound)
            }
            try await send(app, .POST, "/api/v1/practice-bases", token: county,
                           json: ["regionCode": " \(Self.jinta)", "name": "金塔县实践基地", "level": "县级"]) { res in
                XCTAssertEqual(res.status, .notFound)
            }
            try await send(app, .POST, "/api/v1/exams", token: county, json: ["year": 2025, "region": Self.jinta, "registrants": 10]) { res in
                XCTAssertEqual(res.status, .notFound)
            }
            let observed1 = try await app.count("region_statistics")
            XCTAssertEqual(observed1, statistics)
            let observed2 = try await app.count("exam_figures")
            XCTAssertEqual(observed2, exams)
            try await send(app, .POST, "/api/v1/practice-bases", token: county,
                           json: ["regionCode": Self.suzhou, "name": "肃州区实践基地", "level": "县级"]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            let audited = try await app.sql.raw("SELECT actor FROM audit_log WHERE action = 'practice_base.create'").all()
            XCTAssertEqual(try audited.map { try $0.decode(column: "actor", as: String.self) }, ["suzhou"])
            // a read-only official of the same county may not write at all
            let reader = try await app.token(.official(region: try RegionCode.parse(Self.suzhou).get(), access: .read), username: "reader")
            try await send(app, .PUT, "/api/v1/statistics?region=\(Self.suzhou)&year=2024", token: reader,
                           json: ["values": ["community_workers": 3]]) { res in
                XCTAssertEqual(res.status, .forbidden)
            }
        }
    }

    func testDepartmentOperatorReportsOnlyOnMeasuresTheirDepartmentLeads() async throws {
        try await withApp { app in
            // setup: 酒泉市教育局 leads measure 4.3 (school coverage); 2.2 is led by 市委社会工作部
            try await app.loadDemoGeography()
            let education = try await app.token(.departmentOperator(department: "市教育局", region: try RegionCode.parse(Self.jiuquan).get()),
                                                username: "jq-education")
            let report: [String: Any] = ["date": "2025-05-01", "text": "已覆盖 12 所学校", "department": "市委社会工作部"]
            // act + check: their own measure, reported under their department whatever the body says
            try await send(app, .POST, "/api/v1/measures/jiuquan-2025:4.3/reports", token: education, json: report) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            let reporters = try await app.sql.raw("SELECT reported_by FROM measure_reports").all()
            XCTAssertEqual(try reporters.map { try $0.decode(column: "reported_by", as: String.self) }, ["市教育局"])
            let observed3 = try await auditCount(app, action: "measure.report", object: "jiuquan-2025:4.3")
            XCTAssertEqual(observed3, 1)
            // another department's measure is refused, audited, and nothing is written
            try await send(app, .POST, "/api/v1/measures/jiuquan-2025:2.2/reports", token: education, json: report) { res in
                XCTAssertEqual(res.status, .forbidden, res.body.string)
            }
            let observed4 = try await app.count("measure_reports")
            XCTAssertEqual(observed4, 1)
            let observed5 = try await auditCount(app, action: "access.denied", object: "jiuquan-2025:2.2")
            XCTAssertEqual(observed5, 1)
            // they enter statistics of their region, under their department; not another region's
            try await send(app, .PUT, "/api/v1/statistics?region=\(Self.suzhou)&year=2024", token: education,
                           json: ["values": ["schools": 40]]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let history = (try IndicatorAPI.object(res)["statistics"] as! [String: Any])["history"] as! [[String: Any]]
                XCTAssertEqual(history.last?["actor"] as? String, "市教育局")
            }
            try await send(app, .PUT, "/api/v1/statistics?region=341800&year=2024", token: education, json: ["values": ["schools": 40]]) { res in
                XCTAssertEqual(res.status, .notFound)
            }
            // only the statistics of their field: older people are 民政's, refused and audited, nothing written
            let before = try await app.count("region_statistic_changes")
            try await send(app, .PUT, "/api/v1/statistics?region=\(Self.suzhou)&year=2024", token: education,
                           json: ["values": ["schools": 41, "population_60_plus": 90_000]]) { res in
                XCTAssertEqual(res.status, .forbidden, res.body.string)
                XCTAssertTrue(res.body.string.contains("values.population_60_plus"), res.body.string)
            }
            let afterRefusal = try await app.count("region_statistic_changes")
            XCTAssertEqual(afterRefusal, before)
            let deniedFigures = try await auditCount(app, action: "access.denied", object: Self.suzhou)
            XCTAssertEqual(deniedFigures, 1)
            // an import with another field's column is refused by row and column, nothing written
            try await app.api(.POST, "/api/v1/statistics/import?fileName=edu.csv", token: education, beforeRequest: { req in
                req.body = ByteBuffer(string: "地区代码,年份,中小学校数,养老机构床位数\n\(Self.suzhou),2024,41,300\n")
            }) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                let details = (try IndicatorAPI.object(res)["error"] as! [String: Any])["details"] as! [[String: Any]]
                XCTAssertEqual(details.map { $0["code"] as? String }, ["statistics.statistic.out_of_field"])
                XCTAssertEqual(details.first?["row"] as? Int, 2)
                XCTAssertEqual(details.first?["field"] as? String, "养老机构床位数")
            }
            let afterImport = try await app.count("region_statistic_changes")
            XCTAssertEqual(afterImport, before)
            // 民政 enters the beds
            let civil = try await app.token(.departmentOperator(department: "酒泉市民政局", region: try RegionCode.parse(Self.jiuquan).get()),
                                            username: "jq-civil")
            try await send(app, .PUT, "/api/v1/statistics?region=\(Self.suzhou)&year=2024", token: civil,
                           json: ["values": ["elderly_care_beds": 300]]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            // an operator in 宣城 sees neither the Jiuquan plan nor its measures
            let xuancheng = try await app.token(.departmentOperator(department: "市教育局", region: try RegionCode.parse("341800").get()),
                                                username: "xc-education")
            try await send(app, .GET, "/api/v1/plans/jiuquan-2025", token: xuancheng) { res in XCTAssertEqual(res.status, .notFound) }
            try await send(app, .POST, "/api/v1/measures/jiuquan-2025:4.3/reports", token: xuancheng, json: report) { res in
                XCTAssertEqual(res.status, .notFound)
            }
            try await send(app, .GET, "/api/v1/plans", token: xuancheng) { res in
                XCTAssertEqual(try IndicatorAPI.array(res).map { ($0["plan"] as! [String: Any])["id"] as! String }, ["xuancheng-2027"])
            }
        }
    }
}
