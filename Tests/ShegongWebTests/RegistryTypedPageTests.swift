import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The registry pages (people, organisations, the region browser, the base figures) as typed
/// views: whatever a user typed comes back as text, never as markup, and an English page is
/// English apart from the data itself.
final class RegistryTypedPageTests: XCTestCase {
    /// Markup and both kinds of quotes, as a user might type them into a name.
    static let payload = #"Zoe "<script>alert('x')</script>""#
    static let escaped = "Zoe &quot;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;"

    func official(_ app: Application, _ username: String) async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                             username: username)
    }

    /// The person form filled in as a clerk would, with Latin names.
    func personForm(name: String, employer: String, sequence: Int) -> [String: String] {
        ["name": name, "idNumber": CensusRow.makeID(sequence), "mobile": "13812345678", "regionCode": CensusRow.county,
         "employerName": employer, "postCategory": "社区工作者", "serviceFields": "社区、养老", "education": "本科", "socialWorkDegree": "是",
         "certificate.level": "助理社会工作师", "certificate.number": "20246200\(sequence)", "certificate.issueDate": "2024-06-15"]
    }

    func created(_ response: XCTHTTPResponse, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        XCTAssertEqual(response.status, .seeOther, response.body.string, file: file, line: line)
        let location = try XCTUnwrap(response.headers.first(name: .location), file: file, line: line)
        return String(location.prefix { $0 != "?" })
    }

    func assertInert(_ html: String, _ page: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(html.contains("<script>alert"), "markup written as markup on \(page)", file: file, line: line)
        XCTAssertTrue(html.contains(Self.escaped), "the typed value shown escaped on \(page)", file: file, line: line)
    }

    func testMarkupAndQuotesTypedIntoRegistryFieldsComeBackAsTextOnEveryRegistryPage() async throws {
        try await withApp { app in
            // setup: an organisation, a person working there and a township, each named with markup and quotes
            let browser = try await official(app, "escape-clerk")
            let organization = try created(await browser.post("/organizations", form: ["name": Self.payload, "kind": "养老机构",
                                                                                        "regionCode": CensusRow.county]))
            let person = try created(await browser.post("/people", form: personForm(name: Self.payload, employer: Self.payload, sequence: 11)))
            try await IndicatorAPI.send(app, .POST, "/api/v1/regions", json: ["code": "620902201", "name": Self.payload]) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            // act + check: every page that shows what was typed
            for path in ["/people?name=Zoe", person, person + "/edit", "/organizations", organization, organization + "/edit",
                         "/regions/\(CensusRow.county)", "/figures/\(CensusRow.county)", "/figures/620902201"] {
                let page = try await browser.get(path)
                XCTAssertEqual(page.status, .ok, path)
                assertInert(page.body.string, path)
            }
            // a refused form gives back what was typed, still as text
            var bad = personForm(name: Self.payload, employer: "Sunrise", sequence: 12)
            bad["mobile"] = "12345"
            let refusedPerson = try await browser.post("/people", form: bad)
            XCTAssertEqual(refusedPerson.status, .unprocessableEntity)
            assertInert(refusedPerson.body.string, "the refused person form")
            let refusedOrganization = try await browser.post("/organizations", form: ["name": Self.payload, "creditCode": "123"])
            XCTAssertEqual(refusedOrganization.status, .unprocessableEntity)
            assertInert(refusedOrganization.body.string, "the refused organisation form")
            let refusedFigure = try await browser.post("/figures/\(CensusRow.county)", form: ["schools": Self.payload])
            XCTAssertEqual(refusedFigure.status, .unprocessableEntity)
            assertInert(refusedFigure.body.string, "the refused figures form")
        }
    }

    func testEveryRegistryPageInEnglishShowsNoChineseBesideTheData() async throws {
        try await withApp { app in
            // setup: Latin names throughout; a person imported, then changed on the page (a history in
            // two channels); an organisation of a coded kind; the county's figures entered on the page
            var row = CensusRow()
            row.name = "Sam Lee"
            row.employer = "Sunrise Care Home"
            _ = try await importFile(app, try writeTemp(CensusRow.csv([row])))
            let browser = try await official(app, "english-clerk")
            let id = try await app.sql.raw("SELECT id FROM people WHERE name = 'Sam Lee'").first()!.decode(column: "id", as: String.self)
            var fields = PersonFormValues(PersonInput(record: try await app.personStore.censusRecord(id: id)!)).fields
            fields["mobile"] = "13900001111"
            fields["postCategory"] = "村干部"
            fields["education"] = "硕士"
            fields["socialWorkDegree"] = "否"
            fields["serviceFields"] = "学校"
            _ = try created(await browser.post("/people/\(id)", form: fields))
            let organization = try created(await browser.post("/organizations", form: ["name": "Riverside Centre", "kind": "社工机构",
                                                                                        "regionCode": CensusRow.county]))
            _ = try created(await browser.post("/figures/\(CensusRow.county)", form: ["schools": "118", "population_60_plus": "90000"]))
            // The region names are the data of the national list, in Chinese; the language switch names Chinese in Chinese.
            let regions = try await app.sql.raw("SELECT name FROM regions WHERE province_code = '620000'").all()
                .map { try $0.decode(column: "name", as: String.self) }
            let allowed = (regions + [Language.zhHans.nativeName]).sorted { $0.count > $1.count }
            // act
            var pages: [(String, XCTHTTPResponse)] = []
            for path in ["/people", "/people?name=Sam", "/people/\(id)", "/people/\(id)/edit", "/people/new", "/organizations", organization,
                         organization + "/edit", "/organizations/new", "/regions/\(CensusRow.county)", "/figures/\(CensusRow.county)"] {
                pages.append((path, try await browser.get(path + (path.contains("?") ? "&" : "?") + "lang=en")))
            }
            pages.append(("reveal", try await browser.post("/people/\(id)/reveal?lang=en", form: [:])))
            var bad = fields
            bad["mobile"] = "12345"
            pages.append(("refused person", try await browser.post("/people/\(id)?lang=en", form: bad)))
            pages.append(("refused organisation", try await browser.post("/organizations?lang=en", form: ["name": "Riverside", "creditCode": "123"])))
            pages.append(("refused figures", try await browser.post("/figures/\(CensusRow.county)?lang=en", form: ["schools": "many"])))
            // check
            for (page, response) in pages {
                XCTAssertTrue([.ok, .unprocessableEntity].contains(response.status), "\(page): \(response.status)")
                let chinese = Self.hanOutside(allowed, in: response.body.string)
                XCTAssertEqual(chinese, [], "Chinese on the English page \(page)")
            }
            // the codes the store keeps are shown by their English names
            let person = pages.first { $0.0 == "/people/\(id)" }!.1.body.string
            for name in ["Village cadre", "Master", "Web page", "Import: ", "Mobile", "Post category", "Assistant Social Worker"] {
                XCTAssertTrue(person.contains(name), "\(name) on the person page")
            }
            let organizations = pages.first { $0.0 == "/organizations" }!.1.body.string
            XCTAssertTrue(organizations.contains("Social work organisation"), "the kind by its name")
            XCTAssertTrue(organizations.contains(#"<span class="code">\#(CensusRow.county)</span>"#), "the region by its name, its code second")
        }
    }

    /// The service fields are boxes named in the page's language, ticked for the person's fields;
    /// ticking two saves the census template's own list (社区、养老), unticking one removes it.
    func testServiceFieldsAreNamedBoxesThatSaveTheTemplatesList() async throws {
        try await withApp { app in
            // setup
            let browser = try await official(app, "fields-clerk")
            var form = personForm(name: "Ada Wong", employer: "Harbour Centre", sequence: 71)
            form["serviceFields"] = nil
            form["serviceFields.社区"] = "on"
            form["serviceFields.养老"] = "on"
            let path = try created(await browser.post("/people", form: form))
            let id = String(path.split(separator: "/").last!)
            // act
            let english = try await browser.get("/people/\(id)/edit?lang=en").body.string
            var edited = PersonFormValues(PersonInput(record: try await app.personStore.censusRecord(id: id)!)).fields
            edited["serviceFields"] = nil
            edited["serviceFields.养老"] = "on"
            _ = try created(await browser.post("/people/\(id)", form: edited))
            // check
            XCTAssertTrue(english.contains(#"<label for="f-serviceFields-community">Community</label>"#), english)
            XCTAssertTrue(english.contains(#"name="serviceFields.社区" type="checkbox" value="on" checked"#), english)
            XCTAssertTrue(english.contains(#"name="serviceFields.儿童" type="checkbox" value="on">"#), english)
            XCTAssertFalse(english.contains("社区、养老"), "the stored list is not shown as text")
            let saved = try await app.personStore.censusRecord(id: id)!
            XCTAssertEqual(saved.serviceFields, [.elderly])
        }
    }

    /// A person's history says when in Beijing time and what happened in the page's language; the
    /// figures page keeps the language asked for across its redirect.
    func testThePersonHistoryIsInBeijingTimeAndThePagesLanguage() async throws {
        try await withApp { app in
            // setup
            let browser = try await official(app, "history-clerk")
            let path = try created(await browser.post("/people", form: personForm(name: "Kai Ho", employer: "Bay Centre", sequence: 72)))
            // act
            let chinese = try await browser.get(path).body.string
            let figures = try await browser.get("/figures?lang=en")
            // check
            let history = chinese.components(separatedBy: #"id="history""#).last ?? ""
            XCTAssertTrue(history.contains("<td>新建</td>"), history)
            XCTAssertFalse(history.contains("created") || history.contains("Z</td>"), history)
            XCTAssertNotNil(history.range(of: #"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}</td>"#, options: .regularExpression), history)
            XCTAssertEqual(figures.headers.first(name: .location), "/figures/\(CensusRow.county)?lang=en")
        }
    }

    func testEveryOrganisationKindIsNamedInBothLanguages() {
        for kind in OrganizationKind.allCases {
            XCTAssertTrue(Catalogue.standard.defines(kind.catalogueKey, in: .zhHans) && Catalogue.standard.defines(kind.catalogueKey, in: .en), kind.rawValue)
            XCTAssertEqual(kind.localizedName(.zhHans), kind.rawValue, "the Chinese name is the stored word")
        }
    }

    /// The Han characters of the page's visible text (tags and attribute values left out), once each
    /// `allowed` text is taken out.
    static func hanOutside(_ allowed: [String], in html: String) -> [String] {
        var text = html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        for value in allowed { text = text.replacingOccurrences(of: value, with: " ") }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        return words.filter { word in word.unicodeScalars.contains { (0x3400...0x9FFF).contains($0.value) || (0x20000...0x2FFFF).contains($0.value) } }
    }
}
