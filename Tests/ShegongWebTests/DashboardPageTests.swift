import Foundation
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The home, region, statistics, dashboard and plan pages, as a logged-in browser sees them.
final class DashboardPageTests: XCTestCase {
    static let jiuquan = "620900", suzhou = "620902"

    func official(_ app: Application, _ region: String, username: String = "official") async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(region).get(), access: .readWrite), username: username)
    }

    /// The `data-value` of a key figure on a page.
    func figure(_ id: String, in html: String) -> String? {
        guard let start = html.range(of: #"id="figure-\#(id)"><b data-value=""#) else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    /// The HTML of the element with `id` up to its closing `</section>` or `</table>`.
    func element(_ id: String, in html: String, closing: String = "</section>") -> String {
        guard let start = html.range(of: #"id="\#(id)""#), let end = html.range(of: closing, range: start.upperBound..<html.endIndex) else { return "" }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The text of every cell of a table's body rows, tags stripped.
    func cells(_ html: String) -> [[String]] {
        let body = html.components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "</tbody>").first ?? ""
        let cell = try! NSRegularExpression(pattern: "<t[hd][^>]*>(.*?)</t[hd]>")
        return body.components(separatedBy: "</tr>").filter { $0.contains("<tr") }.map { row in
            cell.matches(in: row, range: NSRange(row.startIndex..., in: row)).map { match in
                var text = String(row[Range(match.range(at: 1), in: row)!])
                while let tag = text.range(of: "<[^>]*>", options: .regularExpression) { text.removeSubrange(tag) }
                return text.replacingOccurrences(of: "&amp;", with: "&")
            }
        }
    }

    func testHomeShowsTheRegionsKeyFiguresAsTheAPIGivesThem() async throws {
        try await withApp { app in
            // setup: four community workers in 肃州区, three certified (one today), one not
            try await app.loadDemoGeography()
            let today = CivilDate.today()
            try await IndicatorAPI.importCommunityWorkers(app, issued: ["2019-03-01", "2023-06-01", today.description, nil])
            let session = try await official(app, Self.jiuquan)
            // act
            let page = try await session.get("/")
            // check: the figures are the API's, and the charts are drawn beside their tables
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertTrue(html.contains(#"<section id="key-figures">"#))
            try await app.api(.GET, "/api/v1/stats/census?region=\(Self.jiuquan)") { res in
                let summary = try IndicatorAPI.object(res)["summary"] as! [String: Any]
                XCTAssertEqual(self.figure("talent", in: html), String(summary["total"] as! Int))
                XCTAssertEqual(self.figure("holders", in: html), String(summary["certificateHolders"] as! Int))
                XCTAssertEqual(Double(self.figure("community-rate", in: html) ?? ""), summary["communityWorkerCertificationRate"] as? Double)
            }
            XCTAssertEqual(figure("talent", in: html), "4")
            XCTAssertEqual(figure("holders", in: html), "3")
            let asOf = today.description
            try await app.api(.GET, "/api/v1/indicators/new_certificate_holders?region=\(Self.jiuquan)&asOf=\(asOf)") { res in
                XCTAssertEqual(self.figure("new-holders", in: html), String(Int(try IndicatorAPI.object(res)["value"] as! Double)))
            }
            XCTAssertEqual(figure("new-holders", in: html), "1")
            XCTAssertTrue(element("panel-level", in: html).contains("<svg"))
            XCTAssertTrue(element("panel-regions", in: html).contains(#"href="/regions/620902""#))
        }
    }

    func testStatisticsPageDrawsSVGChartsAndItsDownloadsAreItsTables() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            try await IndicatorAPI.importCommunityWorkers(app, issued: ["2024-03-01", "2024-06-01", nil])
            let session = try await official(app, Self.jiuquan)
            // act
            let page = try await session.get("/statistics?region=\(Self.jiuquan)")
            // check: every kind of chart, as inline SVG beside a report table
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            for kind in ["chart-bar", "chart-stacked", "chart-donut", "chart-line"] {
                XCTAssertTrue(html.contains(kind), "no \(kind)")
            }
            XCTAssertTrue(html.contains(#"<figure class="chart"><svg"#))
            XCTAssertTrue(html.contains(#"<table class="report">"#))
            XCTAssertFalse(html.contains("<script"))
            // the CSV of the levels-by-region table holds exactly the rows the page shows
            let shown = cells(element("panel-region-levels", in: html)).map { $0.map { $0.replacingOccurrences(of: ",", with: "") } }
            XCTAssertTrue(shown.contains { $0 == ["肃州区", "2", "0", "0", "2"] }, "\(shown)")
            let csv = try await session.get("/statistics?region=\(Self.jiuquan)&format=csv&table=region-levels")
            XCTAssertEqual(csv.status, .ok)
            XCTAssertEqual(csv.headers.contentType?.subType, "csv")
            XCTAssertTrue(csv.headers.first(name: .contentDisposition)?.contains("attachment") ?? false)
            let lines = csv.body.string.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n")
            let rows = lines.dropFirst().prefix { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
            XCTAssertEqual(rows.map { $0 }, shown)
            let xlsx = try await session.get("/statistics?region=\(Self.jiuquan)&format=xlsx&table=level")
            XCTAssertEqual(Array(Data(buffer: xlsx.body).prefix(2)), Array("PK".utf8))
            // a region outside the official's city is not found
            let outside = try await session.get("/statistics?region=341800").status
            XCTAssertEqual(outside, .notFound)
        }
    }

    func testJiuquanDashboardShowsItsTargetsAndWhoIsLate() async throws {
        try await withApp { app in
            // setup: the demo's Jiuquan plan and targets; nothing reported
            try await app.loadDemoGeography()
            let session = try await official(app, Self.jiuquan)
            // act: the first working day after the plan's deadline
            let page = try await session.get("/dashboard?region=\(Self.jiuquan)&asOf=2026-01-05")
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            // check: one row per target (under the table's header row), with its progress bar and trend line
            let targets = element("targets", in: html)
            XCTAssertEqual(targets.components(separatedBy: #"<tr id="target-"#).count - 1, 9)
            XCTAssertTrue(targets.contains(#"<tr id="target-jq-new-holders">"#))
            XCTAssertTrue(targets.contains("chart-line") && targets.contains("chart-progress"), "trend lines and progress bars")
            XCTAssertTrue(targets.contains(#"class="status missed""#))
            // every one of the 22 measures is overdue, listed with its lead department
            XCTAssertTrue(html.contains(#"<section id="measures">"#))
            let overdue = cells(element("panel-overdue-jiuquan-2025", in: html))
            XCTAssertEqual(overdue.count, 22)
            XCTAssertTrue(overdue.contains { $0[0] == "2.2" && $0[2] == "市委社会工作部" && $0[4] == "5" }, "\(overdue)")
            XCTAssertTrue(element("panel-departments-jiuquan-2025", in: html).contains("chart-stacked"))
            // children ranked, each a drill-down
            XCTAssertTrue(html.contains(#"<table class="report" id="ranking">"#))
            XCTAssertTrue(element("ranking", in: html, closing: "</table>").contains(#"href="/dashboard?region=620902&amp;indicator=certificate_holders""#))
            // every table downloads; the print view is the same content without the navigation
            let targetsFile = try await session.get("/dashboard?region=\(Self.jiuquan)&asOf=2026-01-05&format=csv&table=targets")
            XCTAssertEqual(targetsFile.body.string.components(separatedBy: "\r\n").dropFirst().prefix { !$0.isEmpty }.count, 9)
            let print = try await session.get("/dashboard/print?region=\(Self.jiuquan)&asOf=2026-01-05")
            XCTAssertEqual(print.status, .ok)
            XCTAssertFalse(print.body.string.contains(#"<nav class="main""#))
            XCTAssertEqual(element("targets", in: print.body.string).components(separatedBy: #"<tr id="target-"#).count - 1, 9)
        }
    }

    /// 35 indicators to rank by come in labelled groups, in the page's language, the chosen one kept.
    func testRankByListsTheIndicatorsInLabelledGroups() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let session = try await official(app, Self.jiuquan)
            let englishSession = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(Self.jiuquan).get(), access: .read),
                                                                 username: "reader", language: .en)
            // act
            let chinese = try await session.get("/dashboard?region=\(Self.jiuquan)&indicator=training_hours_per_worker_tier_county").body.string
            let english = try await englishSession.get("/dashboard?region=\(Self.jiuquan)").body.string
            // check
            let picker = element("f-indicator", in: chinese, closing: "</select>")
            XCTAssertEqual(picker.components(separatedBy: "<optgroup").count - 1, 5)
            XCTAssertTrue(picker.contains(#"<optgroup label="主要指标">"#))
            XCTAssertTrue(picker.contains(#"<optgroup label="人均培训学时·按课程层级">"#))
            XCTAssertTrue(picker.contains(#"<option value="training_hours_per_worker_tier_county" selected>"#), picker)
            XCTAssertEqual(picker.components(separatedBy: "<option ").count - 1, IndicatorCatalogue.shipped.count)
            let englishPicker = element("f-indicator", in: english, closing: "</select>")
            XCTAssertTrue(englishPicker.contains(#"<optgroup label="Training coverage by course audience">"#), englishPicker)
        }
    }

    func testDepartmentOperatorReportsProgressOnTheirOwnMeasureFromThePlanPage() async throws {
        try await withApp { app in
            // setup: 市教育局 leads measure 4.3
            try await app.loadDemoGeography()
            let session = try await BrowserSession.signIn(
                app, grant: .departmentOperator(department: "市教育局", region: try RegionCode.parse(Self.jiuquan).get()), username: "jq-edu")
            let plan = try await session.get("/plans/jiuquan-2025?asOf=2025-06-30")
            XCTAssertEqual(plan.status, .ok)
            // overdue is computed from the day asked: only the status count mentions it before the deadline, every measure after
            func overdueMarks(_ html: String) -> Int { html.components(separatedBy: #"<span class="status overdue">"#).count - 1 }
            XCTAssertEqual(overdueMarks(plan.body.string), 1)
            let afterDeadline = try await session.get("/plans/jiuquan-2025?asOf=2026-01-05")
            XCTAssertEqual(overdueMarks(afterDeadline.body.string), 22 + 1)
            XCTAssertEqual(plan.body.string.components(separatedBy: #"action="/plans/jiuquan-2025/measures/"#).count - 1,
                           1, "a form on the department's own measure (4.3) only")
            // act: a report without the CSRF token, one with a bad date, then a good one (multipart, with a file)
            let workbook = Data([0x50, 0x4B, 0x03, 0x04]) + Data("xl/workbook.xml".utf8)
            let fields = [("text", "已覆盖 12 所学校"), ("completes", "on")]
            let good = MultipartBody(fields: [("date", "2025-05-01")] + fields, files: [("名单.xlsx", workbook)])
            let withoutToken = try await session.postMultipart("/plans/jiuquan-2025/measures/4.3/reports", good, csrf: "").status
            XCTAssertEqual(withoutToken, .forbidden)
            let rejected = try await session.postMultipart("/plans/jiuquan-2025/measures/4.3/reports",
                                                           MultipartBody(fields: [("date", "2025-13-01")] + fields, files: [("名单.xlsx", workbook)]))
            XCTAssertEqual(rejected.status, .unprocessableEntity)
            XCTAssertTrue(rejected.body.string.contains(#"class="field invalid""#))
            XCTAssertTrue(rejected.body.string.contains("已覆盖 12 所学校"), "the text sent is kept in the form")
            let saved = try await session.postMultipart("/plans/jiuquan-2025/measures/4.3/reports", good)
            // check
            XCTAssertEqual(saved.status, .seeOther)
            let after = try await session.get(saved.headers.first(name: .location) ?? "/")
            let row = element("m-4.3", in: after.body.string, closing: "</tr>")
            XCTAssertTrue(row.contains("已覆盖 12 所学校") && row.contains("名单.xlsx") && row.contains(#"class="status awaiting_confirmation""#), row)  // done waits for the plan owner (issue #18 §2)
            let otherDepartment = try await session.postMultipart("/plans/jiuquan-2025/measures/2.2/reports", good).status
            XCTAssertEqual(otherDepartment, .forbidden)
            let reports = try await app.count("measure_reports")
            XCTAssertEqual(reports, 1)
        }
    }

    func testScriptInARegionNameIsInertInPagesChartsAndDownloads() async throws {
        try await withApp { app in
            // setup: a township whose name is markup and a formula
            try await app.loadDemoGeography()
            let name = "=1+2<script>alert(1)</script>"
            try await IndicatorAPI.send(app, .POST, "/api/v1/regions", json: ["code": "620902999", "name": name]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            let session = try await official(app, Self.suzhou)
            let escaped = "=1+2&lt;script&gt;alert(1)&lt;/script&gt;"
            // act + check: the home, the region browser, the statistics page (charts and tables), the dashboard
            for path in ["/", "/regions/\(Self.suzhou)", "/regions/620902999", "/statistics?region=\(Self.suzhou)", "/dashboard?region=\(Self.suzhou)"] {
                let html = try await session.get(path).body.string
                XCTAssertFalse(html.contains("<script"), path)
                XCTAssertTrue(html.contains(escaped), path)
            }
            // in the CSV the name is text, never a formula
            let csv = try await session.get("/statistics?region=\(Self.suzhou)&format=csv&table=region-levels").body.string
            XCTAssertTrue(csv.contains("'" + name), csv)
        }
    }
}
