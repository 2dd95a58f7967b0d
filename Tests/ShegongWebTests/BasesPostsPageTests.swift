import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The practice-base and post pages (issue #14 §3) in both languages: an official registers
/// 敦煌市's base serving the western counties and reads it back, a refused form keeps what was
/// typed with the reason beside the field, an organisation manager adds and fills a post and the
/// totals page counts it; the English pages are English apart from the data.
final class BasesPostsPageTests: XCTestCase {
    func official(_ app: Application, _ username: String, language: Language? = nil, access: Access = .readWrite) async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620900").get(), access: access), username: username,
                                        language: language)
    }

    static let baseForm: [String: String] = [
        "name": "敦煌市社会工作专业人员实践基地", "regionCode": "620982", "level": "county", "host": "敦煌国际会展中心", "capacity": "50",
        "facilities": "培训厅", "contactName": "李老师", "contactPhone": "0937-8821234", "contactMobile": "13900000001",
        "periodFrom": "2025-06-01", "periodTo": "2027-05-31", "servedRegions": "620982, 620922, 620923, 620924",
    ]

    /// Han characters of an English page once `data` (names stored in Chinese) is taken out.
    func chinese(_ html: String, except data: [String]) -> [String] {
        // The host organisation's choices are the organisations' names: data.
        var text = html.replacingOccurrences(of: #"<option value="[^"]+"[^>]*>[^<]*</option>"#, with: "", options: .regularExpression)
        for value in data.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: value, with: "") }
        return IncentivesTypedPageTests.chinese(in: text)
    }

    func created(_ response: XCTHTTPResponse, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        XCTAssertEqual(response.status, .seeOther, response.body.string, file: file, line: line)
        return try XCTUnwrap(response.headers.first(name: .location), file: file, line: line)
    }

    func testAnOfficialRegistersDunhuangsBaseAndReadsItInBothLanguages() async throws {
        try await withApp { app in
            // setup: the demo's regions and organisations
            try await app.loadDemoGeography()
            let browser = try await official(app, "bases-zh")
            // act
            let page = try created(await browser.post("/bases", form: Self.baseForm))
            // check: the base page names what it serves and masks the mobile
            let zh = try await browser.get(page)
            XCTAssertEqual(zh.status, .ok)
            for text in ["县级", "瓜州县", "肃北蒙古族自治县", "阿克塞哈萨克族自治县", "139****0001", "0937-8821234", "2025-06-01 – 2027-05-31", "实习与培训人员"] {
                XCTAssertTrue(zh.body.string.contains(text), "the base page shows \(text)")
            }
            XCTAssertFalse(zh.body.string.contains("13900000001"))
            let list = try await browser.get("/bases")
            XCTAssertTrue(list.body.string.contains("敦煌市社会工作专业人员实践基地"))
            XCTAssertTrue(list.body.string.contains("酒泉市社会工作专业人员实践基地（肃州区金泉路社区）"), "the seed's city base is in the register")
            let csv = try await browser.get("/bases?format=csv&table=bases")
            XCTAssertEqual(csv.status, .ok)
            XCTAssertTrue(csv.body.string.contains("敦煌市社会工作专业人员实践基地,县级,敦煌市,敦煌国际会展中心,50,4,0"), csv.body.string)
            // the same pages in English
            let english = try await official(app, "bases-en", language: .en)
            let data = ["敦煌市社会工作专业人员实践基地", "酒泉市社会工作专业人员实践基地（肃州区金泉路社区）", "肃州区金泉路社区", "敦煌国际会展中心", "培训厅", "李老师",
                        "敦煌市", "瓜州县", "肃北蒙古族自治县", "阿克塞哈萨克族自治县", "酒泉市", "肃州区", "西北街街道", "金泉路社区",
                        "金塔县", "玉门市"]
            for path in [page, "/bases", page + "/edit", "/bases/new"] {
                let en = try await english.get(path)
                XCTAssertEqual(en.status, .ok, path)
                XCTAssertEqual(chinese(en.body.string, except: data), [], "\(path) in English shows Chinese")
            }
            let englishPage = try await english.get(page)
            XCTAssertTrue(englishPage.body.string.contains("Regions served"))
        }
    }

    /// Issue #17: the base form names regions, never asks for codes: the region picker for the
    /// base's region, and the regions it may serve as ticks by name; what is ticked is saved.
    func testTheBaseFormTakesItsRegionFromThePickerAndItsServedRegionsAsTicksByName() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let browser = try await official(app, "bases-picker")
            // check: the empty form
            let empty = try await browser.get("/bases/new").body.string
            XCTAssertTrue(empty.contains(#"name="regionCode_1""#), "the region picker's first list")
            XCTAssertFalse(empty.contains(#"name="regionCode" "#), "no typed region code")
            for name in ["敦煌市", "瓜州县", "肃北蒙古族自治县", "阿克塞哈萨克族自治县"] {
                XCTAssertTrue(empty.contains(">\(name)</label>"), "\(name) is offered as a served region by name")
            }
            // act: the picker's list names 敦煌市, three counties are ticked
            var pairs = Self.baseForm.filter { $0.key != "regionCode" && $0.key != "servedRegions" }.map { ($0.key, $0.value) }
            pairs += [("regionCode_1", "620982"), ("servedRegions[]", "620922"), ("servedRegions[]", "620923"), ("servedRegions[]", "620924"),
                      ("_csrf", browser.csrf)]
            let body = pairs.map { "\(BrowserSession.encode($0.0))=\(BrowserSession.encode($0.1))" }.joined(separator: "&")
            let saved = try await browser.send(.POST, "/bases", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
            // check
            let page = try await browser.get(try created(saved)).body.string
            for name in ["瓜州县", "肃北蒙古族自治县", "阿克塞哈萨克族自治县"] { XCTAssertTrue(page.contains(name), "serves \(name)") }
            let row = try await app.sql.raw("SELECT region_code FROM practice_bases WHERE name = '敦煌市社会工作专业人员实践基地'").first()
            XCTAssertEqual(try row?.decode(column: "region_code", as: String.self), "620982")
        }
    }

    func testARefusedBaseFormNamesTheRegionOutsideTheProvinceAndKeepsWhatWasTyped() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let browser = try await official(app, "bases-bad")
            var form = Self.baseForm
            form["servedRegions"] = "620922 341802"
            form["periodTo"] = "2025-05-01"
            // act
            let refused = try await browser.post("/bases", form: form)
            // check: both reasons beside their fields, nothing saved
            XCTAssertEqual(refused.status, .unprocessableEntity)
            let html = refused.body.string
            XCTAssertTrue(html.contains("服务地区 宣州区（341802）不在基地所在的省份内"), html)
            XCTAssertTrue(html.contains("结束日期 2025-05-01 早于开始日期 2025-06-01"))
            for code in ["620922", "341802"] {
                XCTAssertNotNil(html.range(of: #"value="\#(code)" checked"#, options: .regularExpression), "the served region \(code) comes back ticked")
            }
            XCTAssertTrue(html.contains(">宣州区</label>"), "a region outside the offered ones comes back by its name")
            let count = try await app.sql.raw("SELECT COUNT(*) AS n FROM practice_bases WHERE name = '敦煌市社会工作专业人员实践基地'").first()!
            XCTAssertEqual(try count.decode(column: "n", as: Int.self), 0)
            // a read-only official sees the list but not the form
            let reader = try await official(app, "bases-reader", access: .read)
            let readerList = try await reader.get("/bases"), readerForm = try await reader.get("/bases/new")
            XCTAssertEqual(readerList.status, .ok)
            XCTAssertEqual(readerForm.status, .forbidden)
        }
    }

    func testAnOrganisationManagerFillsAPostAndTheTotalsCountItInBothLanguages() async throws {
        try await withApp { app in
            // setup: a worker of 阳光社会工作服务中心 and a second one; the organisation's manager
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow(), CensusRow(name: "李四", id: CensusRow.makeID(2), number: "2024620002")])))
            let organization = try await app.sql.raw("SELECT organization_id FROM people WHERE name = '张三'").first()!.decode(column: "organization_id", as: String.self)
            let people = try await app.sql.raw("SELECT id, name FROM people").all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "id", as: String.self)) }
            let ids = Dictionary(uniqueKeysWithValues: people)
            let manager = try await BrowserSession.signIn(app, grant: .organizationManager(organization: organization), username: "sunshine")
            // act: a post of one place, filled with 张三, then 李四 refused
            let postsPage = "/organizations/\(organization)/posts"
            let added = try await manager.post(postsPage, form: ["category": "社工机构从业人员", "name": "专职社工岗", "numberSet": "1",
                                                                 "funding": "purchased_service", "setOn": "2025-01-01"])
            XCTAssertEqual(try created(added), postsPage)
            let post = try await app.sql.raw("SELECT id FROM org_posts").first()!.decode(column: "id", as: String.self)
            let filled = try await manager.post("/posts/\(post)/fill", form: ["personID": ids["张三"]!])
            XCTAssertEqual(try created(filled), postsPage)
            let full = try await manager.post("/posts/\(post)/fill", form: ["personID": ids["李四"]!])
            // check: the refusal beside the post; the totals page counts the one filled place
            XCTAssertEqual(full.status, .unprocessableEntity)
            XCTAssertTrue(full.body.string.contains("岗位「专职社工岗」设岗 1 个，已有 1 人在岗"), full.body.string)
            let page = try await manager.get(postsPage)
            XCTAssertTrue(page.body.string.contains("张三"))
            XCTAssertTrue(page.body.string.contains("购买服务"))
            let totals = try await manager.get("/posts")
            XCTAssertEqual(totals.status, .ok)
            XCTAssertTrue(totals.body.string.contains(#"id="posts-figure-filled"><b data-value="1">"#), totals.body.string)
            XCTAssertTrue(totals.body.string.contains("<svg"), "the totals page draws its charts")
            let official = try await official(app, "posts-official")
            let cityTotals = try await official.get("/posts?format=csv&table=organization")
            XCTAssertTrue(cityTotals.body.string.contains("酒泉市肃州区阳光社会工作服务中心,1,1,1,1,0"), cityTotals.body.string)
            // in English
            let english = try await BrowserSession.signIn(app, grant: .organizationManager(organization: organization), username: "sunshine-en", language: .en)
            let data = ["酒泉市肃州区阳光社会工作服务中心", "专职社工岗", "张三", "李四", "甘肃省"]
            for path in ["/posts", postsPage] {
                let en = try await english.get(path)
                XCTAssertEqual(en.status, .ok, path)
                XCTAssertEqual(chinese(en.body.string, except: data), [], "\(path) in English shows Chinese")
            }
            let englishPosts = try await english.get(postsPage)
            XCTAssertTrue(englishPosts.body.string.contains("Purchased service"))
        }
    }
}
