import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #17 §1: one region picker wherever a region is entered or filtered — regions by name,
/// level by level, searchable, inside the caller's scope, without script; and its API.
final class RegionPickerTests: XCTestCase {
    /// A person in 咸丰县 (湖北省恩施州) and one in 肃州区 (甘肃省酒泉市).
    func twoPeople(_ app: Application) async throws {
        var xianfeng = CensusRow()
        xianfeng.name = "Wang Fang"; xianfeng.region = "422826"; xianfeng.employer = ""; xianfeng.number = "X-1"
        var suzhou = CensusRow()
        suzhou.name = "Li Wei"; suzhou.id = CensusRow.makeID(2); suzhou.number = "S-2"
        let report = try await importFile(app, try writeTemp(CensusRow.csv([xianfeng, suzhou])))
        XCTAssertEqual(report.rejectedRows, 0)
    }

    func national(_ app: Application, _ username: String) async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .nationalOfficial(.readWrite), username: username)
    }

    /// The options of the picker's list `name` on a page: (value, text).
    func options(_ html: String, select name: String) -> [(value: String, text: String)] {
        var inside = false, out: [(String, String)] = [], current: String?
        for event in HTMLText.events(in: html) {
            switch event {
            case .open("select", let a): inside = a["name"] == name
            case .close("select"): inside = false
            case .open("option", let a) where inside: current = a["value"] ?? ""
            case .text(let text) where inside && current != nil: out.append((current!, text)); current = nil
            default: continue
            }
        }
        return out
    }

    func names(_ html: String) -> [String] {
        var names: [String] = [], inTable = false, inLink = false
        for event in HTMLText.events(in: html) {
            switch event {
            case .open("table", let a): inTable = a["id"] == "people-results"
            case .close("table"): inTable = false
            case .open("a", let a) where inTable: inLink = (a["href"] ?? "").hasPrefix("/people/")
            case .close("a"): inLink = false
            case .text(let t) where inTable && inLink: names.append(t)
            default: continue
            }
        }
        return names
    }

    func testThePeopleFilterPicksAProvinceACityAndACountyByNameAndFiltersTheList() async throws {
        try await withApp { app in
            // setup
            try await twoPeople(app)
            let browser = try await national(app, "picker.national")
            // act: the first list, then each level's list as the choices are made
            let first = try await browser.get("/people")
            let cities = try await browser.get("/people?region_1=420000")
            let counties = try await browser.get("/people?region_1=420000&region_2=422800")
            let chosen = try await browser.get("/people?region_1=420000&region_2=422800&region_3=422826")
            // check: each list names its regions; the codes are what is submitted
            XCTAssertTrue(options(first.body.string, select: "region_1").contains { $0 == ("420000", "湖北省") })
            XCTAssertTrue(options(cities.body.string, select: "region_2").contains { $0 == ("422800", "恩施土家族苗族自治州") },
                          "\(options(cities.body.string, select: "region_2").prefix(20))")
            XCTAssertTrue(options(counties.body.string, select: "region_3").contains { $0 == ("422826", "咸丰县") })
            XCTAssertFalse(options(counties.body.string, select: "region_3").contains { $0.text.contains("市辖区") }, "placeholders are no choice")
            XCTAssertEqual(names(first.body.string).sorted(), ["Li Wei", "Wang Fang"])
            XCTAssertEqual(names(chosen.body.string), ["Wang Fang"])
            XCTAssertTrue(chosen.body.string.contains(#"<span class="code">422826</span>"#), "the chosen region's code second")
        }
    }

    func testAListLeftFromAnEarlierChoiceDoesNotOverrideAHigherListChangedWithoutScript() async throws {
        try await withApp { app in
            // setup
            try await twoPeople(app)
            let browser = try await national(app, "picker.stale")
            // act: 甘肃省 chosen at the top while the lists below still hold 恩施州 and 咸丰县
            let page = try await browser.get("/people?region_1=620000&region_2=422800&region_3=422826")
            // check: 甘肃省 is the filter, and its cities are offered next
            XCTAssertEqual(names(page.body.string), ["Li Wei"])
            XCTAssertTrue(options(page.body.string, select: "region_2").contains { $0 == ("620900", "酒泉市") })
        }
    }

    func testASearchByNameThatFindsOneRegionChoosesIt() async throws {
        try await withApp { app in
            // setup
            try await twoPeople(app)
            let browser = try await national(app, "picker.search")
            // act
            let one = try await browser.get("/people?region_q=%E5%92%B8%E4%B8%B0")                     // 咸丰
            let many = try await browser.get("/people?region_q=%E8%82%83")                              // 肃
            // check: one match is the filter; several are offered by name with the region above
            XCTAssertEqual(names(one.body.string), ["Wang Fang"])
            let offered = options(many.body.string, select: "region_m")
            XCTAssertTrue(offered.contains { $0 == ("620902", "肃州区（酒泉市）") }, "\(offered)")
            XCTAssertEqual(names(many.body.string).count, 2, "no filter until one is chosen")
        }
    }

    func testAnOfficialsPickerOffersOnlyTheirOwnRegionAndBelow() async throws {
        try await withApp { app in
            // setup: an official of 酒泉市
            try await twoPeople(app)
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620900").get(), access: .read),
                                                          username: "picker.jiuquan")
            // act
            let page = try await browser.get("/people")
            let search = try await browser.get("/people?region_q=%E5%92%B8%E4%B8%B0")                  // 咸丰
            // check: the first list is 酒泉市's counties, the whole of 酒泉市 the blank choice; 咸丰县 is not found
            let first = options(page.body.string, select: "region_1")
            XCTAssertEqual(first.first?.text, "（酒泉市全部）")
            XCTAssertTrue(first.contains { $0 == ("620902", "肃州区") })
            XCTAssertFalse(first.contains { $0.value.hasPrefix("42") })
            XCTAssertTrue(search.body.string.contains("没有名称含“咸丰”的地区"))
            XCTAssertEqual(names(search.body.string), ["Li Wei"])
        }
    }

    func testTheChoicesAPIAnswersChildrenAndNameSearchesInsideTheScope() async throws {
        try await withApp { app in
            // setup
            let jiuquan = try await app.token(.official(region: try RegionCode.parse("620900").get(), access: .read), username: "api.jiuquan")
            let admin = try await BrowserSession.signIn(app, grant: .systemAdministrator, username: "api.sysadmin")
            // act + check: children by name and code
            try await app.api(.GET, "/api/v1/region-choices?parent=422800") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let list = try res.content.decode([[String: String?]].self)
                XCTAssertTrue(list.contains { $0["code"] == "422826" && $0["name"] == "咸丰县" && $0["level"] == "county" })
            }
            // a search in scope: 酒泉市's official finds 肃州区 with the region above it, never 咸丰县
            try await app.api(.GET, "/api/v1/region-choices?q=%E8%82%83%E5%B7%9E", token: jiuquan) { res in   // 肃州
                let list = try res.content.decode([[String: String?]].self)
                XCTAssertEqual(list.map { $0["code"] }, ["620902"])
                XCTAssertEqual(list.first?["parentName"], "酒泉市")
            }
            try await app.api(.GET, "/api/v1/region-choices?q=%E5%92%B8%E4%B8%B0", token: jiuquan) { res in   // 咸丰
                XCTAssertEqual(try res.content.decode([[String: String?]].self).count, 0)
            }
            // a parent outside the scope is the 404 of an unknown region
            try await app.api(.GET, "/api/v1/region-choices?parent=422800", token: jiuquan) { res in
                XCTAssertEqual(res.status, .notFound)
            }
            // an administrator granting accounts picks from the whole nation
            let provinces = try await admin.get("/api/v1/region-choices")
            XCTAssertEqual(provinces.status, .ok, provinces.body.string)
            XCTAssertTrue(try provinces.content.decode([[String: String?]].self).contains { $0["code"] == "420000" && $0["name"] == "湖北省" })
        }
    }

    func testThePickerScriptIsServedFromTheSiteAndThePageWorksWithoutIt() async throws {
        try await withApp { app in
            let browser = try await national(app, "picker.script")
            let page = try await browser.get("/people")
            XCTAssertTrue(page.body.string.contains(#"<script src="\#(StaticAssets.regionPickerPath)" defer>"#), page.body.string)
            let script = try await browser.get(StaticAssets.regionPickerPath)
            XCTAssertEqual(script.status, .ok)
            XCTAssertEqual(script.headers.contentType?.subType, "javascript")
            XCTAssertTrue(script.body.string.contains("/api/v1/region-choices"))
            XCTAssertFalse(script.body.string.contains("http"), "no outside address")
        }
    }

    /// The first link under `prefix` inside the table `id` of a page.
    func firstLink(_ html: String, table id: String, prefix: String) -> String? {
        var inTable = false
        for event in HTMLText.events(in: html) {
            switch event {
            case .open("table", let a): inTable = a["id"] == id
            case .close("table"): inTable = false
            case .open("a", let a) where inTable && (a["href"] ?? "").hasPrefix(prefix): return a["href"]
            default: continue
            }
        }
        return nil
    }

    func testThePersonTheOrganisationAndTheRegionPagesShowTheRegionByNameWithTheCodeSecond() async throws {
        try await withApp { app in
            // setup
            try await twoPeople(app)
            let browser = try await national(app, "picker.codes")
            let people = try await browser.get("/people?name=Wang")
            let organizations = try await browser.get("/organizations")
            let person = try XCTUnwrap(firstLink(people.body.string, table: "people-results", prefix: "/people/"))
            let organization = try XCTUnwrap(firstLink(organizations.body.string, table: "organizations-results", prefix: "/organizations/"))
            // act
            let personPage = try await browser.get(person)
            let organizationPage = try await browser.get(organization)
            let regionPage = try await browser.get("/regions/422826")
            // check: the name, then the code as secondary text, never "name（code）"
            XCTAssertTrue(personPage.body.string.contains(#"<dd>咸丰县 <span class="code">422826</span></dd>"#), personPage.body.string)
            XCTAssertFalse(personPage.body.string.contains("咸丰县（422826）"))
            XCTAssertTrue(organizationPage.body.string.contains(#"<dd>肃州区 <span class="code">620902</span></dd>"#), organizationPage.body.string)
            XCTAssertFalse(organizationPage.body.string.contains("肃州区（620902）"))
            XCTAssertEqual(regionPage.status, .ok)
            XCTAssertTrue(regionPage.body.string.contains(#"<span class="code">422826</span>"#), regionPage.body.string)
        }
    }

    func testTheExportFormPicksItsRegionByNameAndExportsOnlyThatRegion() async throws {
        try await withApp { app in
            // setup
            try await twoPeople(app)
            let browser = try await national(app, "picker.export")
            // act: the form, the picker's button after 湖北省 (no script), then the download of 恩施州 → 咸丰县
            let form = try await browser.get("/export")
            let next = try await browser.post("/export", form: ["region_1": "420000", "region_go": "1", "format": "csv"])
            let file = try await browser.post("/export", form: ["region_1": "420000", "region_2": "422800", "region_3": "422826", "format": "csv"])
            let search = try await browser.post("/export", form: ["region_q": "咸丰", "format": "csv"])
            // check: regions by name in the lists, no typed code box; the button opens the next level
            // instead of downloading; the download holds 咸丰县's person only
            XCTAssertTrue(options(form.body.string, select: "region_1").contains { $0 == ("420000", "湖北省") })
            XCTAssertFalse(form.body.string.contains(#"name="region" "#))
            XCTAssertEqual(next.status, .ok)
            XCTAssertTrue(options(next.body.string, select: "region_2").contains { $0 == ("422800", "恩施土家族苗族自治州") })
            XCTAssertEqual(file.status, .ok, file.body.string)
            XCTAssertTrue(file.body.string.contains("Wang Fang"), file.body.string)
            XCTAssertFalse(file.body.string.contains("Li Wei"))
            XCTAssertTrue(search.body.string.contains("Wang Fang"), "one match of a search is the region: \(search.body.string.prefix(300))")
            XCTAssertFalse(search.body.string.contains("Li Wei"))
        }
    }
}
