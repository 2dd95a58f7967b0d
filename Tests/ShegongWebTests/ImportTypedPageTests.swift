import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The import wizard, the export form and the statistics page as typed views: what a user typed
/// or uploaded comes back as text, never as markup, and an English page is English throughout.
final class ImportTypedPageTests: XCTestCase {
    static let suzhou = "620902", jiuquan = "620900"
    static let markup = #"<script>alert("x'y")</script>"#
    static let escapedMarkup = "&lt;script&gt;alert(&quot;x&#39;y&quot;)&lt;/script&gt;"

    func clerk(_ app: Application, username: String = "suzhou-clerk") async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(Self.suzhou).get(), access: .readWrite),
                                             username: username)
    }

    /// A row a reader of English can check: Latin name and employer, a valid ID of 肃州区.
    func latinRow(_ n: Int) -> CensusRow {
        var row = CensusRow()
        row.name = "Li Ming \(n)"
        row.id = CensusRow.makeID(n)
        row.number = "2024620\(100 + n)"
        row.employer = "Sunshine Social Work Centre"
        return row
    }

    /// Uploads `file` through the wizard and waits for its run; the status page's path and HTML.
    func upload(_ browser: BrowserSession, _ file: Data, fileName: String = "census.csv",
                language: String = "zh-Hans") async throws -> (path: String, html: String) {
        let res = try await browser.upload("/import", fileName: fileName, file: file)
        XCTAssertEqual(res.status, .seeOther, res.body.string)
        let path = try XCTUnwrap(res.headers.first(name: .location))
        return (path, try await RegistryPageTests.statusPage(browser, path + "?lang=" + language))
    }

    /// The Han characters (and full-width punctuation, which only Chinese text uses) in `html`
    /// once the `allowed` data values are taken out, and the language switch, which names Chinese
    /// in Chinese on purpose.
    func chinese(_ html: String, allowing allowed: [String] = []) -> String {
        var text = html.replacingOccurrences(of: #"lang="zh-Hans">\#(Language.zhHans.nativeName)</a>"#, with: "")
        for value in allowed.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: value, with: "") }
        let found = text.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x3000...0x303F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FFFF: return true
            default: return false
            }
        }
        return String(String.UnicodeScalarView(found))
    }

    // MARK: import

    func testMarkupInAnUploadedFileAndItsNameComesBackAsTextOnTheStatusPage() async throws {
        try await withApp { app in
            // setup: a file whose name and education cell are markup with both kinds of quote
            let browser = try await clerk(app)
            var bad = latinRow(1)
            bad.education = #""<script>alert(""x'y"")</script>""#
            // act
            let (_, html) = try await upload(browser, Data(CensusRow.csv([bad]).utf8), fileName: "<script>alert('xy')</script>.csv")
            // check: the value is in the issues table and the file name above it, both escaped
            XCTAssertTrue(html.contains(#"id="import-issues""#), html)
            XCTAssertFalse(html.contains("<script>"), html)
            XCTAssertTrue(html.contains("<td>" + Self.escapedMarkup + "</td>"), html)
            XCTAssertTrue(html.contains("<p>&lt;script&gt;alert(&#39;xy&#39;)&lt;/script&gt;.csv</p>"), html)
        }
    }

    func testTheEnglishImportPagesShowNoChineseBesideTheFilesOwnValues() async throws {
        try await withApp { app in
            // setup
            let browser = try await clerk(app, username: "suzhou-import")
            var bad = latinRow(2)
            bad.issued = "someday"
            // act: the form, a rejected dry run, a clean dry run, its commit, an unreadable file
            let form = try await browser.get("/import?lang=en").body.string
            let rejected = try await upload(browser, Data(CensusRow.csv([latinRow(1), bad]).utf8), language: "en").html
            let (path, checked) = try await upload(browser, Data(CensusRow.csv([latinRow(1)]).utf8), language: "en")
            let commit = try await browser.post(path + "/commit", form: [:])
            XCTAssertEqual(commit.status, .seeOther)
            let committed = try await RegistryPageTests.statusPage(browser, path + "?lang=en")
            let utf16 = Data([0xFF, 0xFE]) + "Name,ID".data(using: .utf16LittleEndian)!
            let unreadable = try await upload(browser, utf16, language: "en").html
            // check: each page is in English; the issue names the column by its English name
            XCTAssertTrue(form.contains(#"<a href="/api/v1/templates/census?format=xlsx&amp;lang=en">Download the blank template</a>"#), form)
            XCTAssertTrue(form.contains(#"name="file" type="file" required accept=".xlsx,.csv""#), form)
            XCTAssertTrue(rejected.contains("<td>Issue date</td><td>someday</td>"), rejected)
            XCTAssertTrue(rejected.contains("Download the error report (CSV)"), rejected)
            XCTAssertTrue(checked.contains(#"id="import-commit""#), checked)
            XCTAssertTrue(committed.contains("Import complete"), committed)
            XCTAssertTrue(unreadable.contains(#"class="alert error""#), unreadable)
            for (name, html) in [("form", form), ("rejected", rejected), ("checked", checked), ("committed", committed), ("unreadable", unreadable)] {
                // The clean dry run lists the new person's region by its name, which is data (issue #18).
                XCTAssertEqual(chinese(html, allowing: name == "checked" ? ["肃州区"] : []), "", "\(name): \(html)")
            }
        }
    }

    func testTheChineseReportLinksNameTheirFormat() async throws {
        try await withApp { app in
            // setup
            let browser = try await clerk(app)
            var bad = latinRow(1)
            bad.mobile = "12345"
            // act
            let html = try await upload(browser, Data(CensusRow.csv([bad]).utf8)).html
            // check: the old wording, the format from the catalogue; the column by its template name
            XCTAssertTrue(html.contains(#"<a id="report-xlsx" href="/import/reports/"#), html)
            XCTAssertTrue(html.contains("下载错误报告（XLSX）</a>"), html)
            XCTAssertTrue(html.contains("<td>手机号</td>"), html)
        }
    }

    // MARK: export

    func testARegionTypedIntoTheExportFormComesBackEscapedAndInEnglish() async throws {
        try await withApp { app in
            // setup
            let browser = try await clerk(app, username: "suzhou-export")
            // act
            let empty = try await browser.get("/export?lang=en")
            let refused = try await browser.post("/export?lang=en", form: ["region": Self.markup, "format": "csv", "reveal": "true"])
            // check: the form keeps what was typed, as text, beside the message; no Chinese on either page
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertFalse(html.contains("<script>"), html)
            XCTAssertTrue(html.contains(#"value="\#(Self.escapedMarkup)""#), html)
            XCTAssertTrue(html.contains(#"id="f-region-error""#), html)
            XCTAssertTrue(html.contains(#"name="reveal" type="checkbox" value="true" checked"#), html)
            XCTAssertTrue(empty.body.string.contains(#"value="\#(Self.suzhou)""#), empty.body.string)
            // The region picker names the official's region, 肃州区: data, the page's only Chinese.
            XCTAssertEqual(chinese(empty.body.string.replacingOccurrences(of: "肃州区", with: "")), "", empty.body.string)
            XCTAssertEqual(chinese(html.replacingOccurrences(of: "肃州区", with: "")), "", html)
        }
    }

    // MARK: statistics

    /// The names of the region, the regions above it and its children: the demo's, in Chinese.
    func regionNames(_ app: Application, around code: String) async throws -> [String] {
        let store = RegionStore(app.db)
        guard let region = try await store.region(code: code) else { XCTFail("no region \(code)"); return [] }
        var names = try await store.children(of: code).map(\.name)
        for ancestor in region.path.codesFromRoot {
            if let found = try await store.region(code: ancestor) { names.append(found.name) }
        }
        return names
    }

    func testARegionNameWithMarkupIsTextOnTheStatisticsPage() async throws {
        try await withApp { app in
            // setup: a township whose name is markup with both kinds of quote, holding one worker
            try await app.loadDemoGeography()
            try await IndicatorAPI.send(app, .POST, "/api/v1/regions", json: ["code": "620902998", "name": Self.markup]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            var row = latinRow(1)
            row.region = "620902998"
            _ = try await importFile(app, try writeTemp(CensusRow.csv([row])))
            let browser = try await clerk(app)
            // act
            let html = try await browser.get("/statistics?region=\(Self.suzhou)").body.string
            // check
            XCTAssertFalse(html.contains("<script>"), html)
            XCTAssertTrue(html.contains(">" + Self.escapedMarkup + "</a>"), "the drill-down link of the table")
        }
    }

    func testTheEnglishStatisticsPageShowsNoChineseBesideRegionNames() async throws {
        try await withApp { app in
            // setup: the demo's regions (Chinese names) and workers with Latin names
            try await app.loadDemoGeography()
            _ = try await importFile(app, try writeTemp(CensusRow.csv([latinRow(1), latinRow(2)])))
            let browser = try await clerk(app, username: "suzhou-statistics")
            let names = try await regionNames(app, around: Self.suzhou)
            // act
            let page = try await browser.get("/statistics?region=\(Self.suzhou)&lang=en")
            // check
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.body.string.contains("Census statistics"))
            XCTAssertEqual(chinese(page.body.string, allowing: names), "", page.body.string)
        }
    }
}
