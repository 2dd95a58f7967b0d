import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Exam figures entered on a page (issue #18 §2): the region by name, the figure with the kind of
/// source the dashboard labels it with, audited; a count that is not one comes back named.
final class ExamFigurePageTests: XCTestCase {
    func testAnOfficialEntersAnEstimatedExamFigureAndTheDashboardLabelsIt() async throws {
        try await withApp { app in
            // setup
            let official = BrowserSession(app)
            try await official.signIn(as: .official(region: try RegionCode.parse("620900").get(), access: .readWrite), username: "exam.rw")
            let page = try await official.send(.GET, "/exams/new")
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains(#"id="exam-form""#))
            let figure = ["region_1": "620900", "year": "2025", "level": "", "registrants": "1200", "passes": "400",
                          "provenance": "estimated", "note": "按各县上报汇总估计"]
            // act: a bad count first, then the figure
            var bad = figure
            bad["passes"] = "四百"
            let refused = try await official.send(.POST, "/exams", form: bad)
            let saved = try await official.send(.POST, "/exams", form: figure)
            // check
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains(Catalogue.text("examForm.count_invalid", .zhHans)))
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            XCTAssertEqual(saved.headers.first(name: .location), "/dashboard?region=620900")
            let rows = try await app.sql.select().columns("registrants", "passes", "provenance").from("exam_figures")
                .where("region_code", .equal, "620900").where("year", .equal, 2025).all()
            XCTAssertEqual(rows.count, 1)
            XCTAssertEqual(try rows.first?.decode(column: "provenance", as: String.self), "estimated")
            let audit = try await app.sql.select().column("id").from("audit_log").where("action", .equal, "exam.create").all()
            XCTAssertEqual(audit.count, 1)
            let dashboard = try await official.send(.GET, "/dashboard?region=620900")
            XCTAssertTrue(dashboard.body.string.contains(Catalogue.text("dashboard.exam_source.estimated", .zhHans)), "the dashboard labels its source")
        }
    }
}
