import Foundation
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Honest dashboards (issue #17 §4): the page says the day its figures are counted on and offers a
/// form to choose it and the period; the exam figures name their actual source.
final class DashboardHonestyTests: XCTestCase {
    func testTheDashboardSaysItsAsOfDateAndChoosesItInAForm() async throws {
        try await withApp { app in
            // setup: the demo's Jiuquan plan and targets
            try await app.loadDemoGeography()
            let session = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620900").get(), access: .readWrite),
                                                          username: "official")
            // act
            let page = try await session.get("/dashboard?region=620900&asOf=2026-01-05")
            // check: a form (not only the URL) with the date and the period, and the as-of label on the figures
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertTrue(html.contains(#"id="as-of-form""#), "the as-of form")
            XCTAssertTrue(html.contains(#"name="asOf""#) && html.contains(#"value="2026-01-05""#), "the date asked for, in the form")
            XCTAssertTrue(html.contains(#"name="from""#) && html.contains(#"name="to""#), "the period")
            XCTAssertTrue(html.contains("以下数字截至 2026-01-05"), "the key figures say their day")
            // the exam table names each figure's source and no longer calls it the registry's live totals
            let exams = try await session.get("/dashboard?region=620900&asOf=2026-01-05&format=csv&table=exams").body.string
            XCTAssertTrue(exams.contains("来源"), "the exam table has a source column: \(exams.prefix(600))")
            XCTAssertFalse(exams.contains("人才信息库实时汇总"), "exam figures are not labelled as registry totals")
        }
    }
}
