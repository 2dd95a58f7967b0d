import Foundation
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The dashboard, its print view and the plan page as typed views: what a user types comes back as
/// text, never as markup, and an English page shows no Chinese but the data's own names.
final class PlansTypedPageTests: XCTestCase {
    static let suzhou = "620902", town = "620902998"
    /// Markup, quotes and an ampersand, as someone might type them into a field.
    static let typed = #"<script>alert("x")</script> O'Brien & "Co""#
    /// `typed` as text in HTML: every one of its special characters escaped.
    static let typedEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;"

    /// A plan of 肃州区 in Latin names: one measure led by the Education Bureau due mid-2025 (so
    /// overdue on the days asked below), one due at the end of 2026, and a target on certificate holders.
    static func addPlan(_ app: Application, id: String = "latin-plan", name: String = "Workforce plan") async throws {
        let suzhou = try RegionCode.parse(Self.suzhou).get()
        let plan = Plan(
            id: id, name: name, jurisdiction: suzhou, jurisdictionName: "Suzhou District", issuedBy: "Social Work Department",
            period: PlanPeriod(from: CivilDate(iso: "2025-01-01"), to: CivilDate(iso: "2026-12-31")!), source: "Workforce plan, 2025",
            keyTasks: [KeyTask(id: "1", title: "Train the workforce", measures: [
                Measure(id: "1.1", text: "Train every community worker", lead: "Education Bureau", cooperating: ["Civil Affairs Bureau", "Finance Bureau"],
                        deadline: CivilDate(iso: "2025-06-30")!, reports: [ProgressReport(date: CivilDate(iso: "2025-03-01")!, text: "Half trained",
                                                                                          evidence: ["register.xlsx"])]),
                Measure(id: "1.2", text: "Open a practice base", lead: "Civil Affairs Bureau", deadline: CivilDate(iso: "2026-12-31")!),
            ])],
            targets: [Target(id: "\(id)-holders", indicatorID: IndicatorCatalogue.certificateHolders.id, region: suzhou, comparator: .atLeast,
                             value: 10, deadline: CivilDate(iso: "2026-12-31")!)])
        let added = try await PlanStore(db: app.db).add(plan)
        XCTAssertTrue(added)
    }

    static func addRegion(_ app: Application, code: String, name: String) async throws {
        try await IndicatorAPI.send(app, .POST, "/api/v1/regions", json: ["code": code, "name": name]) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
        }
    }

    static func educationBureau(_ app: Application) async throws -> BrowserSession {
        try await BrowserSession.signIn(
            app, grant: .departmentOperator(department: "Education Bureau", region: try RegionCode.parse(suzhou).get()), username: "edu-latin")
    }

    /// Han characters left in `html` once the `allowed` data values are taken out, each with a
    /// little of the text around it so a failure shows where it is.
    static func hanText(in html: String, allowing allowed: [String]) -> [String] {
        var text = html
        for value in allowed.sorted(by: { $0.count > $1.count }) where !value.isEmpty {
            text = text.replacingOccurrences(of: value, with: "")
        }
        let han = try! NSRegularExpression(pattern: #"[^<>]{0,24}\p{Han}+[^<>]{0,24}"#)
        return han.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
    }

    func testEveryShippedIndicatorsValueReadsWithItsUnitInEitherLanguage() {
        for definition in IndicatorCatalogue.shipped {
            let key = "indicator.value.\(definition.id)"
            XCTAssertTrue(Catalogue.standard.defines(key, in: .en), key)
            XCTAssertEqual(Catalogue.text(key, .zhHans, "12.5"), "12.5" + definition.unit, "the Chinese page as before: \(key)")
            XCTAssertEqual(Self.hanText(in: Catalogue.text(key, .en, "12.5"), allowing: []), [], key)
        }
    }

    func testScriptAndQuotesTypedIntoAProgressReportComeBackAsTextOnThePlanPage() async throws {
        try await withApp { app in
            // setup
            try await Self.addPlan(app)
            var session = try await Self.educationBureau(app)
            let path = "/plans/latin-plan/measures/1.1/reports"
            // act: the report with a date the form refuses, then as it should be
            let refused = try await session.postMultipart(path, MultipartBody(fields: [("date", "2025-13-01"), ("text", Self.typed)]))
            let saved = try await session.postMultipart(path, MultipartBody(fields: [("date", "2025-05-01"), ("text", Self.typed)],
                                                                            files: [("O'Brien & Co.png", EvidenceFileTests.png)]))
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            let page = try await session.get(saved.headers.first(name: .location) ?? "/").body.string
            let reported = try await session.get("/plans/latin-plan?reported=%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E").body.string
            // check: the refused form keeps the text as the input's value, escaped
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains(#"name="text" type="text" value="\#(Self.typedEscaped)""#), refused.body.string)
            // the saved report and its file name are text in the measure's row
            let row = page.components(separatedBy: #"<tr id="m-1.1">"#).dropFirst().first?.components(separatedBy: "</tr>").first ?? ""
            XCTAssertTrue(row.contains(Self.typedEscaped), row)
            XCTAssertTrue(row.contains("O&#39;Brien &amp; Co.png"), row)
            // the notice repeats the address's measure as text
            XCTAssertTrue(reported.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), reported)
            for html in [refused.body.string, page, reported] {
                XCTAssertFalse(html.contains("<script"))
                XCTAssertFalse(html.contains("O'Brien"))
            }
        }
    }

    func testScriptAndQuotesInRegionAndPlanNamesComeBackAsTextOnTheDashboardAndItsPrintView() async throws {
        try await withApp { app in
            // setup: a township and a plan whose names are markup with quotes
            try await Self.addRegion(app, code: Self.town, name: Self.typed)
            try await Self.addPlan(app, name: Self.typed)
            var session = try await BrowserSession.signIn(
                app, grant: .official(region: try RegionCode.parse(Self.suzhou).get(), access: .read), username: "reader-latin")
            // act + check: the county's dashboard (ranking, measures), the township's (its name is the title), both printed
            for path in ["/dashboard?region=\(Self.suzhou)&asOf=2026-01-05", "/dashboard/print?region=\(Self.suzhou)&asOf=2026-01-05",
                         "/dashboard?region=\(Self.town)", "/dashboard/print?region=\(Self.town)"] {
                let page = try await session.get(path)
                XCTAssertEqual(page.status, .ok, path)
                let html = page.body.string
                XCTAssertFalse(html.contains("<script"), path)
                XCTAssertFalse(html.contains("O'Brien"), path)
                XCTAssertTrue(html.contains(Self.typedEscaped), path)
            }
            let county = try await session.get("/dashboard?region=\(Self.suzhou)&asOf=2026-01-05").body.string
            let measures = county.components(separatedBy: #"<section id="measures">"#).dropFirst().first ?? ""
            XCTAssertTrue(measures.contains(#">\#(Self.typedEscaped)</a></h3>"#), "the plan's name links to its page")
            let ranking = county.components(separatedBy: #"<table class="report" id="ranking">"#).dropFirst().first ?? ""
            XCTAssertTrue(ranking.contains(#">\#(Self.typedEscaped)</a>"#), "the township drills down by its name")
        }
    }

    func testTheDashboardItsPrintViewAndThePlanPageInEnglishShowNoChinese() async throws {
        try await withApp { app in
            // setup: a Latin plan, township, exam figure and report in 肃州区; the page in English
            try await Self.addPlan(app)
            try await Self.addRegion(app, code: Self.town, name: "Riverside Town")
            _ = try await ExamStore(db: app.db).save(ExamFigure(year: 2025, region: try RegionCode.parse(Self.town).get(), registrants: 40, passes: 12),
                                                     actor: "test")
            var session = try await Self.educationBureau(app)
            session.cookies["lang"] = "en"
            let path = "/plans/latin-plan/measures/1.1/reports"
            let refused = try await session.postMultipart(path, MultipartBody(fields: [("date", "2025-13-01"), ("text", "Twelve schools")]))
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let saved = try await session.postMultipart(path, MultipartBody(fields: [("date", "2025-05-01"), ("text", "Twelve schools")],
                                                                            files: [("schools.png", EvidenceFileTests.png)]))
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            // the demo's regions are Chinese: the county and the regions above it are data, named here
            let regions = RegionStore(app.db)
            var names: [String] = []
            for code in ["620000", "620900", Self.suzhou] { names += [try await regions.region(code: code)?.name].compactMap { $0 } }
            XCTAssertEqual(names.count, 3)
            // the language switch names Chinese in Chinese, on purpose (the frame, `lang="zh-Hans"`)
            names.append(Language.zhHans.nativeName)

            // act + check
            var pages = [("POST \(path) (refused)", refused.body.string)]
            for address in ["/dashboard?region=\(Self.suzhou)&asOf=2026-01-05", "/dashboard/print?region=\(Self.suzhou)&asOf=2026-01-05",
                            "/dashboard?region=\(Self.suzhou)&indicator=social_workers_per_1000_older_people",
                            "/plans/latin-plan?asOf=2026-01-05", saved.headers.first(name: .location) ?? "/"] {
                let page = try await session.get(address)
                XCTAssertEqual(page.status, .ok, address)
                pages.append((address, page.body.string))
            }
            for (address, html) in pages {
                XCTAssertTrue(html.contains(#"<html lang="en">"#), address)
                XCTAssertEqual(Self.hanText(in: html, allowing: names), [], address)
            }
            // what each page is there to show, in English
            XCTAssertTrue(pages[1].1.contains("Targets") && pages[1].1.contains("people"), "a value with its unit in English")
            XCTAssertTrue(pages[4].1.contains("Cooperating departments: Civil Affairs Bureau, Finance Bureau"))
            XCTAssertTrue(pages[4].1.contains("Evidence: register.xlsx (no file)"))
            XCTAssertTrue(pages[4].1.contains("Late measures"))
            XCTAssertTrue(pages[5].1.contains("Evidence: "), "the saved report's file")
            let exams = pages[2].1.components(separatedBy: #"id="panel-exams""#).dropFirst().first?.components(separatedBy: "</section>").first ?? ""
            XCTAssertTrue(exams.contains("<td>Riverside Town</td>"), "the exam table names the township: \(exams)")
        }
    }
}
