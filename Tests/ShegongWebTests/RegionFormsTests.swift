import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Issue #17 §1, the forms left: a policy version's work regions, an organisation's region and a
/// grant's region are chosen by name (the code second), never typed as codes; a new policy's form
/// starts blank but for the caller's region and today.
final class RegionFormsTests: XCTestCase {
    func region(_ code: String) -> RegionCode { try! RegionCode.parse(code).get() }

    /// The attributes of the `<input>` named `name` (nil: none on the page).
    func input(_ html: String, named name: String) -> [String: String]? {
        for event in HTMLText.events(in: html) {
            if case .open("input", let attributes) = event, attributes["name"] == name { return attributes }
        }
        return nil
    }

    /// The names of every input, select and textarea of the page.
    func fieldNames(_ html: String) -> [String] {
        HTMLText.events(in: html).compactMap { event in
            guard case .open(let tag, let attributes) = event, ["input", "select", "textarea"].contains(tag) else { return nil }
            return attributes["name"]
        }
    }

    /// 恩施州's allowance limited to two of its counties, ticked by name.
    static let allowance: [String: String] = [
        "id": "enshi-form-allowance", "name": "恩施州社会工作者津贴（表单）", "jurisdiction_1": "422800",
        "kind": "monthly_allowance", "review_county": "on", "review_city": "on",
        "s0_id": "hubei-article", "s0_document": "《湖北多措并举提升社会工作人才队伍建设水平》",
        "v0_from": "2025-01-01", "v0_amount_0": "100", "v0_amount_1": "200",
        "v0_pro_rata": "eligible_on_first_day", "v0_window_unit": "years",
        "v0_wr_422826": "on", "v0_wr_422827": "on",
    ]

    func testAPolicyVersionsWorkRegionsAreTickedByNameAndSavedAsTheirCodes() async throws {
        try await withApp { app in
            // setup: a read-write official of 恩施州
            let official = try await BrowserSession.signIn(app, grant: .official(region: region("422800"), access: .readWrite), username: "forms.enshi")
            // act
            let blank = try await official.get("/incentives/policies/form")
            var fields = Self.allowance
            fields["action"] = "check"
            let checked = try await official.post("/incentives/policies/form", form: fields)
            fields["action"] = "load"
            let loaded = try await official.post("/incentives/policies/form", form: fields)
            let edit = try await official.get("/incentives/policies/enshi-form-allowance/form")
            // check: 恩施州's counties offered by name with the code second; no box for typed codes
            let html = blank.body.string
            XCTAssertEqual(blank.status, .ok)
            XCTAssertTrue(html.contains(#"咸丰县 <span class="code">422826</span>"#), String(html.prefix(2000)))
            XCTAssertNotNil(input(html, named: "v0_wr_422826"))
            XCTAssertFalse(fieldNames(html).contains { $0.hasPrefix("v") && $0.hasSuffix("_work_regions") && !$0.contains("_rs_") },
                           "no box to type region codes into")
            // the written file names the two codes, and the file check accepts it
            XCTAssertEqual(checked.status, .ok, String(checked.body.string.prefix(3000)))
            XCTAssertTrue(checked.body.string.contains("work_regions: [&quot;422826&quot;, &quot;422827&quot;]")
                          || checked.body.string.contains(#"work_regions: ["422826", "422827"]"#), String(checked.body.string.prefix(3000)))
            XCTAssertEqual(loaded.status, .ok, String(loaded.body.string.prefix(3000)))
            let found = try await PolicyStore(db: app.db).policy(id: "enshi-form-allowance")
            let stored = try XCTUnwrap(found)
            XCTAssertEqual(stored.versions.first?.workRegions, [region("422826"), region("422827")])
            let recheck = try await PolicyStore(db: app.db).check(yaml: stored.yamlText)
            guard case .success = recheck else { return XCTFail("the stored policy fails the file check: \(recheck)") }
            // editing shows them ticked by name, the others not
            XCTAssertEqual(edit.status, .ok)
            XCTAssertEqual(input(edit.body.string, named: "v0_wr_422826")?.keys.contains("checked"), true, "咸丰县 ticked")
            XCTAssertEqual(input(edit.body.string, named: "v0_wr_422827")?.keys.contains("checked"), true, "来凤县 ticked")
            XCTAssertEqual(input(edit.body.string, named: "v0_wr_422801")?.keys.contains("checked"), false, "恩施市 not ticked")
        }
    }

    func testANewPolicysFormStartsBlankButForTheOfficialsRegionAndToday() async throws {
        try await withApp { app in
            // setup
            let official = try await BrowserSession.signIn(app, grant: .official(region: region("422800"), access: .readWrite), username: "forms.blank")
            let before = CivilDate.today()
            // act
            let page = try await official.get("/incentives/policies/form")
            let editor = try await official.get("/incentives/policies/new")
            // check: nothing of 荆州's example; 恩施州 and today prefilled
            let html = page.body.string, after = CivilDate.today()
            XCTAssertEqual(page.status, .ok)
            XCTAssertFalse(html.contains("荆州"), "no notes or sources of the YAML editor's example")
            XCTAssertEqual(input(html, named: "s0_id")?["value"] ?? "", "", "no source filled in")
            XCTAssertEqual(input(html, named: "v0_amount_0")?["value"] ?? "", "", "no amounts filled in")
            XCTAssertTrue([before.description, after.description].contains(input(html, named: "v0_from")?["value"] ?? ""), "the first version from today")
            XCTAssertTrue(html.contains(#"恩施土家族苗族自治州 <span class="code">422800</span>"#) || html.contains("（恩施土家族苗族自治州全部）"),
                          "the official's region as the paying region")
            // the YAML editor keeps its worked example
            XCTAssertTrue(editor.body.string.contains("jingzhou"), String(editor.body.string.prefix(2000)))
        }
    }

    func testTheOrganisationFormOffersRegionsByNameAndAOneRegionScopeAsFixedText() async throws {
        try await withApp { app in
            // setup: an official of 酒泉市 (counties below) and one of 肃州区 (nothing below it on file)
            let city = try await BrowserSession.signIn(app, grant: .official(region: region("620900"), access: .readWrite), username: "forms.jiuquan")
            let county = try await BrowserSession.signIn(app, grant: .official(region: region("620902"), access: .readWrite), username: "forms.suzhou")
            // act
            let cityForm = try await city.get("/organizations/new")
            let countyForm = try await county.get("/organizations/new")
            let saved = try await county.post("/organizations", form: ["name": "肃州区表单社工站", "regionCode": "620902"])
            // check: names, no box for a typed code
            XCTAssertTrue(cityForm.body.string.contains(">肃州区</option>"), String(cityForm.body.string.prefix(2000)))
            XCTAssertNil(input(cityForm.body.string, named: "regionCode"), "no region code typed")
            let html = countyForm.body.string
            XCTAssertTrue(html.contains(#"<span>肃州区</span> <span class="code">620902</span>"#), String(html.prefix(2000)))
            XCTAssertEqual(input(html, named: "regionCode")?["type"], "hidden", "the one region is sent, not typed")
            XCTAssertFalse(fieldNames(html).contains("regionCode_1"), "no list with one choice")
            XCTAssertEqual(saved.status, .seeOther, String(saved.body.string.prefix(2000)))
            let stored = try await OrganizationStore(db: app.db).list(region: nil, name: "肃州区表单社工站", page: 1, perPage: 10)
            XCTAssertEqual(stored.items.first?.regionCode, "620902")
        }
    }

    func testTheGrantFormsOfferTheRegionByName() async throws {
        try await withApp { app in
            // setup
            let system = BrowserSession(app), security = BrowserSession(app)
            try await system.signIn(as: .systemAdministrator, username: "forms.sys")
            try await security.signIn(as: .securityAdministrator, username: "forms.sec")
            // act
            let list = try await system.send(.GET, "/admin/users")
            let created = try await system.send(.POST, "/admin/users", form: ["username": "forms.new", "role": "official", "access": "read",
                                                                             "region_1": "620000", "region_2": "620900"])
            let grant = try await security.send(.GET, "/admin/users/forms.new/grant")
            // check: the region by name on both forms, never a box for its code
            XCTAssertEqual(created.status, .ok, String(created.body.string.prefix(2000)))
            for page in [list, grant] {
                let html = page.body.string
                XCTAssertTrue(html.contains(">甘肃省</option>"), String(html.prefix(2000)))
                XCTAssertNil(input(html, named: "region"), "no region code typed")
            }
            XCTAssertTrue(grant.body.string.contains(#"<span>酒泉市</span> <span class="code">620900</span>"#), String(grant.body.string.prefix(2000)))
        }
    }
}
