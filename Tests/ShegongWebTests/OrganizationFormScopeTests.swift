import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The organisation form saves through `OrganizationService`, the same use case as the API: an
/// organisation placed outside the official's region is refused beside the region field, in the
/// page's language, and nothing is saved.
final class OrganizationFormScopeTests: XCTestCase {
    func testAnOrganisationOutsideTheOfficialsCountyIsRefusedBesideTheRegionInThePagesLanguage() async throws {
        try await withApp { app in
            // setup: a Suzhou (肃州区) official names Jinta (金塔县)
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(),
                                                                                     access: .readWrite), username: "suzhou-org")
            let form = ["name": "金塔县新社工站", "regionCode": "620921"]
            // act
            let english = try await browser.post("/organizations?lang=en", form: form)
            let chinese = try await browser.post("/organizations", form: form)
            // check
            XCTAssertEqual(english.status, .unprocessableEntity)
            let html = english.body.string
            // the region picker's box holds the message
            let field = try XCTUnwrap(html.range(of: #"id="f-regionCode""#), html)
            let blockEnd = try XCTUnwrap(html.range(of: "</fieldset>", range: field.upperBound..<html.endIndex))
            XCTAssertTrue(html[field.upperBound..<blockEnd.lowerBound].contains("The region is not within your area"), html)
            XCTAssertFalse(html.contains("管辖范围"), "no Chinese message on an English page")
            XCTAssertTrue(chinese.body.string.contains("地区不在您的管辖范围内"), chinese.body.string)
            let saved = try await OrganizationStore(db: app.db).list(region: nil, name: "金塔县新社工站", page: 1, perPage: 10)
            XCTAssertEqual(saved.total, 0)
        }
    }
}
