import Foundation
import FluentKit
import NIOCore
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Issue #16 §1–2: practice bases have a level and pilots a tier, and Jiuquan's targets count the
/// level and tier its plan names (各县市区建立**县级**实践基地; 各县市区确定一个社区探索开展**全市**融合试点).
/// The demo geography loads the shipped plan and the plan's named sites: the city base at 肃州区金泉路社区,
/// and the provincial pilots 南苑社区 (肃州区) and 梨园社区 (敦煌市).
final class FidelitySitesTests: XCTestCase {
    typealias API = IndicatorAPI

    static let jinta = "620921", yumen = "620981", dunhuang = "620982"

    static func target(_ app: Application, _ id: String, asOf: String) async throws -> [String: Any] {
        var found: [String: Any] = [:]
        try await API.send(app, .GET, "/api/v1/targets?region=620900&asOf=\(asOf)") { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            found = try XCTUnwrap(try API.array(res).first { $0["id"] as? String == id })["assessment"] as! [String: Any]
        }
        return found
    }

    static func value(_ app: Application, _ indicator: String, region: String = "620900") async throws -> (numerator: Int?, denominator: Int?) {
        var result: (Int?, Int?) = (nil, nil)
        try await API.send(app, .GET, "/api/v1/indicators/\(indicator)?region=\(region)") { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            let body = try API.object(res)
            result = (body["numerator"] as? Int, body["denominator"] as? Int)
        }
        return result
    }

    func testACityBaseAndNoCountyBaseLeavesJiuquansBaseTargetNotMet() async throws {
        try await withApp { app in
            // setup: the demo's 市级 base in 肃州区, no county-level base anywhere
            try await app.loadDemoGeography()
            // act + check: 肃州区 has a base standing in it, but not its county-level base
            var suzhou = try await Self.value(app, "county_units_with_practice_base", region: "620902")
            XCTAssertEqual(suzhou.numerator, 0)
            XCTAssertEqual(suzhou.denominator, 1)
            let counted1 = try await Self.value(app, "county_units_with_practice_base")
            XCTAssertEqual(counted1.numerator, 0)
            let assessment = try await Self.target(app, "jq-practice-base", asOf: "2025-12-31")
            XCTAssertNotEqual(assessment["status"] as? String, "met")
            XCTAssertEqual((assessment["current"] as! [String: Any])["value"] as? Double, 0)
            // a college base in 敦煌市 does not count either; a county base in 肃州区 does
            for (name, level) in [("酒泉职业技术学院社会工作专业人员培训基地", "院校"), ("肃州区社会工作专业人员实践基地", "县级")] {
                try await API.send(app, .POST, "/api/v1/practice-bases",
                                   json: ["regionCode": level == "院校" ? Self.dunhuang : "620902", "name": name, "level": level,
                                          "established": "2025-03-01"]) { res in
                    XCTAssertEqual(res.status, .created, res.body.string)
                }
            }
            suzhou = try await Self.value(app, "county_units_with_practice_base", region: "620902")
            XCTAssertEqual(suzhou.numerator, 1)
            let counted2 = try await Self.value(app, "county_units_with_practice_base", region: Self.dunhuang)
            XCTAssertEqual(counted2.numerator, 0)
            let counted3 = try await Self.value(app, "county_units_with_practice_base")
            XCTAssertEqual(counted3.numerator, 1)
        }
    }

    func testAProvincialPilotDoesNotCountForTheCitysPilotTargets() async throws {
        try await withApp { app in
            // setup: the demo's two provincial pilots, one of them with a good-practice case
            try await app.loadDemoGeography()
            try await app.sql.raw("UPDATE pilot_communities SET good_practice_cases = 1 WHERE name = '梨园社区'").run()
            // check: neither counts for the per-county targets
            let counted4 = try await Self.value(app, "pilot_communities_per_county")
            XCTAssertEqual(counted4.numerator, 0)
            let counted5 = try await Self.value(app, "county_units_with_pilot_case")
            XCTAssertEqual(counted5.numerator, 0)
            var perCounty = try await Self.target(app, "jq-pilot-per-county", asOf: "2025-12-31")
            XCTAssertEqual((perCounty["current"] as! [String: Any])["value"] as? Double, 0)
            // act: 金塔县 picks its community for the city's pilot, with a case; 玉门市 a provincial one
            try await API.send(app, .POST, "/api/v1/pilot-communities",
                               json: ["regionCode": Self.jinta, "name": "金塔县全市融合试点社区", "tier": "全市试点", "goodPracticeCases": 1]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let body = try API.object(res)
                XCTAssertEqual(body["tier"] as? String, "city")
                XCTAssertEqual(body["tierName"] as? String, "全市试点")
            }
            try await API.send(app, .POST, "/api/v1/pilot-communities",
                               json: ["regionCode": Self.yumen, "name": "玉门市全省试点社区", "tier": "province", "goodPracticeCases": 2]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            // check: only 金塔县's counts
            let counted6 = try await Self.value(app, "pilot_communities_per_county")
            XCTAssertEqual(counted6.numerator, 1)
            let counted7 = try await Self.value(app, "county_units_with_pilot_case")
            XCTAssertEqual(counted7.numerator, 1)
            let counted8 = try await Self.value(app, "county_units_with_pilot_case", region: Self.yumen)
            XCTAssertEqual(counted8.numerator, 0)
            perCounty = try await Self.target(app, "jq-pilot-per-county", asOf: "2025-12-31")
            XCTAssertEqual((perCounty["current"] as! [String: Any])["value"] as! Double, 1.0 / 7, accuracy: 1e-9)
        }
    }

    func testLevelsAndTiersAreRequiredCheckedAndListed() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            // act + check: a missing or unknown level or tier is named in the 422
            for (body, field) in [(["regionCode": Self.jinta, "name": "金塔县基地"], "level"),
                                  (["regionCode": Self.jinta, "name": "金塔县基地", "level": "乡镇（街道）"], "level"),
                                  (["regionCode": Self.jinta, "name": "金塔县基地", "level": "unspecified"], "level")] {
                try await API.send(app, .POST, "/api/v1/practice-bases", json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                    let error = try res.content.decode(APITests.ErrorBody.self).error
                    XCTAssertEqual(error.details.map(\.field), [field])
                    XCTAssertEqual(error.details.first?.message, "基地级别须为 省级、市级、县级 或 院校（province、city、county、college）")
                }
            }
            for body in [["regionCode": Self.jinta, "name": "金塔县试点"], ["regionCode": Self.jinta, "name": "金塔县试点", "tier": "全国试点"]] {
                try await API.send(app, .POST, "/api/v1/pilot-communities", json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                    XCTAssertEqual(try res.content.decode(APITests.ErrorBody.self).error.details.map(\.field), ["tier"])
                }
            }
            try await API.send(app, .POST, "/api/v1/practice-bases",
                               json: ["regionCode": Self.jinta, "name": "金塔县社会工作专业人员实践基地", "level": "county"]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            // the lists say each site's level or tier
            try await API.send(app, .GET, "/api/v1/practice-bases?region=620900") { res in
                let levels = Dictionary(uniqueKeysWithValues: try API.array(res).map { ($0["name"] as! String, "\($0["level"]!) \($0["levelName"]!)") })
                XCTAssertEqual(levels, ["酒泉市社会工作专业人员实践基地（肃州区金泉路社区）": "city 市级", "金塔县社会工作专业人员实践基地": "county 县级"])
            }
            try await API.send(app, .GET, "/api/v1/pilot-communities?region=620900") { res in
                let tiers = Dictionary(uniqueKeysWithValues: try API.array(res).map { ($0["name"] as! String, "\($0["tier"]!) \($0["tierName"]!)") })
                XCTAssertEqual(tiers, ["南苑社区": "province 全省试点", "梨园社区": "province 全省试点"])
            }
        }
    }

    func testSitesRegisteredBeforeLevelsKeepWhatTheirRecordSaidAndUnknownOnesNeverCountAsCounty() async throws {
        try await withApp { app in
            // setup: the register as it stood before migration 0045 — the demo's sites, a base
            // recorded 县级 in 玉门市, one recorded 乡镇（街道） in 金塔县, and a pilot of no known tier
            try await app.loadDemoGeography()
            let migration = try XCTUnwrap(ShegongMigrations.all.first { $0.name.hasSuffix("AddPracticeBaseLevelAndPilotTier") })
            try await migration.revert(on: app.db).get()
            let sql = app.sql
            for (id, region, county, name, level) in [("old-yumen", Self.yumen, Self.yumen, "玉门市实践基地", 3), ("old-jinta", Self.jinta, Self.jinta, "金塔县某镇基地", 4)] {
                try await sql.raw("""
                    INSERT INTO practice_bases (id, region_code, province_code, city_code, county_code, name, level, created_at)
                    VALUES (\(bind: id), \(bind: region), '620000', '620900', \(bind: county), \(bind: name), \(bind: level), '2025-01-01T00:00:00Z')
                    """).run()
            }
            try await sql.raw("""
                INSERT INTO pilot_communities (id, region_code, province_code, city_code, county_code, name, good_practice_cases, created_at)
                VALUES ('old-pilot', \(bind: Self.jinta), '620000', '620900', \(bind: Self.jinta), '金塔县试点社区', 3, '2025-01-01T00:00:00Z')
                """).run()
            // act
            try await migration.prepare(on: app.db).get()
            // check: 市级 and 县级 kept; the 乡镇 base has no level the plan knows and does not count as 金塔县's
            try await API.send(app, .GET, "/api/v1/practice-bases?region=620900") { res in
                let levels = Dictionary(uniqueKeysWithValues: try API.array(res).map { ($0["name"] as! String, $0["level"] as! String) })
                XCTAssertEqual(levels, ["酒泉市社会工作专业人员实践基地（肃州区金泉路社区）": "city", "玉门市实践基地": "county",
                                        "金塔县某镇基地": "unspecified"])
            }
            let counted9 = try await Self.value(app, "county_units_with_practice_base")
            XCTAssertEqual(counted9.numerator, 1)
            let counted10 = try await Self.value(app, "county_units_with_practice_base", region: Self.jinta)
            XCTAssertEqual(counted10.numerator, 0)
            // the demo's pilots are provincial; the unknown one is not taken for a city pilot
            try await API.send(app, .GET, "/api/v1/pilot-communities?region=620900") { res in
                let tiers = Dictionary(uniqueKeysWithValues: try API.array(res).map { ($0["name"] as! String, "\($0["tier"]!) \($0["tierName"]!)") })
                XCTAssertEqual(tiers, ["南苑社区": "province 全省试点", "梨园社区": "province 全省试点", "金塔县试点社区": "unspecified 层级未注明"])
            }
            let counted11 = try await Self.value(app, "pilot_communities_per_county")
            XCTAssertEqual(counted11.numerator, 0)
            let counted12 = try await Self.value(app, "county_units_with_pilot_case")
            XCTAssertEqual(counted12.numerator, 0)
        }
    }
}
