import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Issue #17 §1, the forms left: an organisation's region and a grant's region are chosen by
/// name (the code second), never typed as codes.
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
