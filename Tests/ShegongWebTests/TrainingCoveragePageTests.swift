import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The training coverage page and the indicator API by tier and audience (issue #13 §7): a city
/// official trains one of two Suzhou community workers in a county-backbone course for new entrants
/// and sees the figures by tier, by audience and by county, in Chinese and in English; the API
/// answers the per-tier indicator and lists the breakdowns.
final class TrainingCoveragePageTests: XCTestCase {
    static let asOf = "2025-12-31"

    /// Two Suzhou community workers; the first attends 3 of a one-day session's 3 hours (completed).
    func train(_ app: Application) async throws -> BrowserSession {
        var second = CensusRow()
        second.name = "李四"
        second.id = CensusRow.makeID(2)
        second.number = "2024620002"
        _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow(), second])))
        let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620900").get(), access: .readWrite),
                                                      username: "jiuquan-trainer")
        let course = try await browser.post("/training/courses", form: ["title": "新入职社区工作者骨干培训", "tier": "county",
                                                                       "audiences[]": "new_entrant", "topics[]": "practice", "creditHours": "3"])
        XCTAssertEqual(course.status, .seeOther, course.body.string.prefix(600).description)
        let session = try await browser.post((course.headers.first(name: .location) ?? "") + "/sessions",
                                             form: ["startsOn": "2025-06-02", "endsOn": "2025-06-02", "hoursPerDay": "3", "capacity": "5", "address": "金泉路社区"])
        XCTAssertEqual(session.status, .seeOther, session.body.string.prefix(600).description)
        let path = session.headers.first(name: .location) ?? ""
        let enrolled = try await browser.post(path + "/enrol", form: ["idNumber": CensusRow().id])
        XCTAssertEqual(enrolled.status, .seeOther)
        let trained = try await app.sql.select().column("id").from("people").where("name", .equal, "张三").first()!.decode(column: "id", as: String.self)
        let marked = try await browser.post(path + "/attendance", form: ["personID": trained, "day": "2025-06-02", "hours": "3"])
        XCTAssertEqual(marked.status, .seeOther)
        let completed = try await browser.post(path + "/complete", form: [:])
        XCTAssertEqual(completed.status, .seeOther)
        return browser
    }

    func testTheCoveragePageShowsTiersAudiencesAndCountiesInEitherLanguage() async throws {
        try await withApp { app in
            // setup
            let browser = try await self.train(app)
            // act
            let page = try await browser.get("/training/coverage?region=620900&asOf=\(Self.asOf)")
            // check: 1 of 2 community workers in the county tier and in courses for new entrants, 3 h ÷ 2 = 1.5 h each
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertTrue(html.contains("统计期 2025-01-01 至 2025-12-31"), html)
            XCTAssertEqual(Self.row(html, "coverage-by-tier-county"), ["县级骨干", "1", "50%", "1.5小时/人"])
            XCTAssertEqual(Self.row(html, "coverage-by-tier-city"), ["市级示范", "0", "0%", "0小时/人"])
            XCTAssertEqual(Self.row(html, "coverage-by-audience-new_entrant"), ["新入职", "1", "50%", "1.5小时/人"])
            XCTAssertEqual(Self.row(html, "coverage-by-audience-transfer"), ["转岗", "0", "0%", "0小时/人"])
            let suzhou = Self.row(html, "coverage-regions-by-tier-620902")
            XCTAssertEqual(suzhou.prefix(3), ["肃州区", "50%", "1.5小时/人"])
            XCTAssertTrue(html.contains(#"href="/training/coverage?region=620902&amp;asOf=2025-12-31""#), "a county drills down")
            // …in English
            browser.cookies["lang"] = Language.en.tag
            let english = try await browser.get("/training/coverage?region=620900&asOf=\(Self.asOf)")
            let en = english.body.string
            XCTAssertEqual(Self.row(en, "coverage-by-tier-county"), ["County backbone", "1", "50%", "1.5 hours per worker"])
            XCTAssertEqual(Self.row(en, "coverage-by-audience-new_entrant").first, "New entrants")
            // a county official may not look at the city
            let county = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620921").get(), access: .read),
                                                         username: "jinta-reader")
            let outside = try await county.get("/training/coverage?region=620900")
            XCTAssertEqual(outside.status, .notFound)
        }
    }

    func testTheIndicatorAPIAnswersAPerTierIndicatorAndListsTheBreakdowns() async throws {
        try await withApp { app in
            // setup
            _ = try await self.train(app)
            // act, check
            try await IndicatorAPI.send(app, .GET, "/api/v1/indicators/training_coverage_tier_county?region=620900&asOf=\(Self.asOf)") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let body = try IndicatorAPI.object(res)
                XCTAssertEqual(body["value"] as? Double, 50)
                XCTAssertEqual(body["numerator"] as? Int, 1)
                XCTAssertEqual(body["denominator"] as? Int, 2)
            }
            try await IndicatorAPI.send(app, .GET, "/api/v1/indicators/training_hours_per_worker_audience_new_entrant/children?region=620900&asOf=\(Self.asOf)") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let children = try IndicatorAPI.object(res)["children"] as? [[String: Any]] ?? []
                let suzhou = children.compactMap { $0["value"] as? [String: Any] }.first { ($0["region"] as? [String: Any])?["code"] as? String == "620902" }
                XCTAssertEqual(suzhou?["value"] as? Double, 1.5)
            }
            try await IndicatorAPI.send(app, .GET, "/api/v1/indicators") { res in
                let list = try IndicatorAPI.array(res)
                let county = list.first { $0["id"] as? String == "training_coverage_tier_county" }
                XCTAssertEqual(county?["chineseName"] as? String, "社区工作者培训覆盖率·县级骨干")
                let breakdown = county?["breakdown"] as? [String: Any]
                XCTAssertEqual(breakdown?["of"] as? String, "training_coverage")
                XCTAssertEqual(breakdown?["dimension"] as? String, "tier")
                XCTAssertEqual(breakdown?["code"] as? String, "county")
                XCTAssertEqual(list.filter { ($0["id"] as? String)?.hasPrefix("training_") == true }.count, 2 + 22)
            }
        }
    }

    /// The texts of the cells of the row with `id`, tags removed.
    static func row(_ html: String, _ id: String) -> [String] {
        guard let start = html.range(of: #"<tr id="\#(id)">"#), let end = html.range(of: "</tr>", range: start.upperBound..<html.endIndex) else { return [] }
        let inner = String(html[start.upperBound..<end.lowerBound])
        let cells = try! NSRegularExpression(pattern: #"<t[hd][^>]*>(.*?)</t[hd]>"#)
        return cells.matches(in: inner, range: NSRange(inner.startIndex..., in: inner)).map { match in
            String(inner[Range(match.range(at: 1), in: inner)!]).replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
        }
    }
}
