import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The registry pages as a signed-in browser uses them: search, person page, edit form, import wizard.
final class RegistryPageTests: XCTestCase {
    func officialSession(_ app: Application) async throws -> RegistryPageSession {
        try await RegistryPageSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                             username: "suzhou-clerk")
    }

    func personID(_ app: Application, _ name: String) async throws -> String {
        try await app.sql.raw("SELECT id FROM people WHERE name = \(bind: name)").first()!.decode(column: "id", as: String.self)
    }

    func testSearchByNameFindsThePersonAndLinksToTheirPage() async throws {
        try await withApp { app in
            // setup
            var li = CensusRow()
            li.name = "李四"; li.id = CensusRow.makeID(2); li.number = "2024620002"
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow(), li])))
            let browser = try await officialSession(app)
            let id = try await personID(app, "张三")
            // act
            let page = try await browser.get("/people?name=%E5%BC%A0")   // 张
            // check
            XCTAssertEqual(page.status, .ok)
            let html = page.body.string
            XCTAssertTrue(html.contains(#"<form id="people-search""#))
            XCTAssertTrue(html.contains(#"<table class="list" id="people-results""#))
            XCTAssertTrue(html.contains(#"href="/people/\#(id)""#))
            XCTAssertFalse(html.contains("李四"))
            let person = try await browser.get("/people/\(id)")
            XCTAssertTrue(person.body.string.contains(#"id="edit-person""#))
            XCTAssertTrue(person.body.string.contains(#"<table class="list" id="history""#))
        }
    }

    func testEditWithABadMobileShowsTheErrorBesideTheFieldAndSavesNothing() async throws {
        try await withApp { app in
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            let browser = try await officialSession(app)
            let id = try await personID(app, "张三")
            let form = try await browser.get("/people/\(id)/edit").body.string
            XCTAssertTrue(form.contains(#"<form id="person-form""#))
            var fields = PersonFormValues(PersonInput(record: try await app.personStore.censusRecord(id: id)!)).fields
            fields["name"] = "张三丰"
            fields["mobile"] = "12345"
            let res = try await browser.post("/people/\(id)", form: fields)
            XCTAssertEqual(res.status, .unprocessableEntity)
            let html = res.body.string
            // The error sits in the mobile field's own block.
            let mobileBlock = try XCTUnwrap(html.range(of: #"<div class="field invalid"><label for="f-mobile">"#))
            let blockEnd = try XCTUnwrap(html.range(of: "</div>", range: mobileBlock.upperBound..<html.endIndex))
            XCTAssertTrue(html[mobileBlock.upperBound..<blockEnd.lowerBound].contains(#"class="error""#))
            XCTAssertTrue(html.contains(#"value="张三丰""#), "the form keeps what was typed")
            let name: String = try await app.sql.raw("SELECT name FROM people WHERE id = \(bind: id)").first()!.decode(column: "name")
            XCTAssertEqual(name, "张三")
            // A valid edit is saved and shows in the history.
            fields["mobile"] = "13900001111"
            let saved = try await browser.post("/people/\(id)", form: fields)
            XCTAssertEqual(saved.status, .seeOther)
            let page = try await browser.get("/people/\(id)").body.string
            XCTAssertTrue(page.contains("张三丰"))
        }
    }

    func testScriptInANameIsRenderedInertOnThePersonPageAndInTheResults() async throws {
        try await withApp { app in
            let browser = try await officialSession(app)
            var row = CensusRow()
            row.name = "<script>alert(1)</script>"
            let record = try XCTUnwrap(try? CensusHeader.standard.record(from: SpreadsheetRow(number: 2, cells: row.cells.map { $0.isEmpty ? .empty : .text($0) }),
                                                                         today: CivilDate.today()).get())
            let created = try await browser.post("/people", form: PersonFormValues(PersonInput(record: record)).fields)
            XCTAssertEqual(created.status, .seeOther)
            let id = try await personID(app, row.name)
            for path in ["/people/\(id)", "/people?name=%3Cscript"] {
                let html = try await browser.get(path).body.string
                XCTAssertFalse(html.contains("<script>alert(1)</script>"), path)
                XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), path)
            }
        }
    }

    /// A file over `SHEGONG_MAX_UPLOAD_MB` is refused with 413 and the error page; nothing is imported.
    func testAnUploadOverTheLimitAnswers413() async throws {
        try await withApp(maxUploadMB: 1) { app in
            let browser = try await officialSession(app)
            _ = try await browser.get("/import")
            let big = Data(repeating: UInt8(ascii: "x"), count: (1 << 20) + 4_096)
            let res = try await browser.upload("/import", fileName: "big.csv", file: big)
            XCTAssertEqual(res.status, .payloadTooLarge)
            XCTAssertTrue(res.body.string.contains(Catalogue.text("error.413.title", .zhHans)), res.body.string)
            let people = try await app.count("people")
            XCTAssertEqual(people, 0)
        }
    }

    func testImportWithABadRowShowsTheErrorAndTheReportDownloads() async throws {
        try await withApp { app in
            let browser = try await officialSession(app)
            let importPage = try await browser.get("/import").body.string
            XCTAssertTrue(importPage.contains(#"<form id="import-form""#))
            var bad = CensusRow()
            bad.name = "李四"; bad.id = CensusRow.makeID(2); bad.number = "2024620002"; bad.mobile = "12345"
            let res = try await browser.upload("/import", fileName: "census.csv", file: Data(CensusRow.csv([CensusRow(), bad]).utf8))
            XCTAssertEqual(res.status, .seeOther)
            let status = try XCTUnwrap(res.headers.first(name: .location))
            var html = try await Self.statusPage(browser, status)
            XCTAssertTrue(html.contains("第 3 行") || html.contains("<td>3</td>"), html)
            XCTAssertFalse(html.contains(#"id="import-commit""#))
            let link = try XCTUnwrap(html.range(of: #"<a id="report-csv" href=""#))
            let href = String(html[link.upperBound...].prefix { $0 != "\"" })
            let report = try await browser.get(href)
            XCTAssertEqual(report.status, .ok)
            XCTAssertTrue(report.body.string.contains("手机号"))
            let peopleAfterBadFile = try await app.count("people")
            XCTAssertEqual(peopleAfterBadFile, 0)
            // A clean file: dry run, then commit.
            let clean = try await browser.upload("/import", fileName: "census.csv", file: Data(CensusRow.csv([CensusRow()]).utf8))
            let cleanStatus = try XCTUnwrap(clean.headers.first(name: .location))
            html = try await Self.statusPage(browser, cleanStatus)
            XCTAssertTrue(html.contains(#"<form id="import-commit""#), html)
            let commitStatus = try await browser.post(cleanStatus + "/commit", form: [:]).status
            XCTAssertEqual(commitStatus, .seeOther)
            html = try await Self.statusPage(browser, cleanStatus)
            XCTAssertTrue(html.contains("导入完成"), html)
            let peopleAfterCommit = try await app.count("people")
            XCTAssertEqual(peopleAfterCommit, 1)
        }
    }

    /// The import's status page once it stops refreshing itself (the background run has finished).
    static func statusPage(_ browser: RegistryPageSession, _ path: String) async throws -> String {
        var html = ""
        for _ in 0..<400 {
            html = try await browser.get(path).body.string
            if !html.contains(#"http-equiv="refresh""#) { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return html
    }
}
