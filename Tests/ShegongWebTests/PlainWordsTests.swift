import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #17 §2: what the stores keep as codes reaches the pages as words of the page's language.
final class PlainWordsTests: XCTestCase {
    func testABlankEducationIsCountedAsNotGivenNeverAsAKey() async throws {
        try await withApp { app in
            // setup: one person whose education was left blank
            var row = CensusRow()
            row.education = ""
            let report = try await importFile(app, try writeTemp(CensusRow.csv([row])))
            XCTAssertEqual(report.rejectedRows, 0)
            let browser = try await BrowserSession.signIn(app, grant: .nationalOfficial(.read), username: "stats.reader")
            // act
            let chinese = try await browser.get("/statistics?region=620900")
            let english = try await browser.get("/statistics?region=620900&lang=en")
            // check
            XCTAssertFalse(chinese.body.string.contains("education."), "no key on the page")
            XCTAssertTrue(chinese.body.string.contains("未填写"))
            XCTAssertFalse(english.body.string.contains("education."))
            XCTAssertTrue(english.body.string.contains("Not given"))
        }
    }

    func testAnErrorPageGivesAHumanMessageAndTheStatusNumberNotAnInternalCode() async throws {
        try await withApp { app in
            // setup: a department operator opens the people list, which is not theirs
            let browser = try await BrowserSession.signIn(app, grant: .departmentOperator(department: "市民政局", region: try RegionCode.parse("620900").get()),
                                                          username: "error.reader")
            // act
            let page = try await browser.get("/people")
            // check
            XCTAssertEqual(page.status, .forbidden)
            XCTAssertFalse(page.body.string.contains("http.403"), page.body.string)
            XCTAssertFalse(page.body.string.contains("错误代码"))
            XCTAssertTrue(page.body.string.contains("HTTP 状态 403"))
        }
    }

    func testEveryPageStatesOnceThatTimesAreBeijingTime() async throws {
        try await withApp { app in
            let browser = try await BrowserSession.signIn(app, grant: .nationalOfficial(.read), username: "clock.reader")
            let page = try await browser.get("/account")
            XCTAssertEqual(page.body.string.components(separatedBy: "时间均为北京时间（UTC+8）").count - 1, 1)
        }
    }

    func testAnAuditEntrysDetailsAreNamedPartsWithTheGrantsRegionByName() {
        // setup: a grant change as the account store writes it
        let details = "role=official region=620900 access=read -> role=organization_manager organization=7f1c"
        var names = GrantNames()
        names.regions = ["620900": "酒泉市"]
        names.organizations = ["7f1c": "阳光社工"]
        // act
        let chinese = AuditDetails.text(details, names: names, .zhHans)
        let english = AuditDetails.text(details, names: names, .en)
        // check
        XCTAssertEqual(chinese, "角色：业务人员 地区：酒泉市（620900） 权限：只读 -> 角色：机构管理员 单位：阳光社工")
        XCTAssertFalse(english.contains("role="), english)
        XCTAssertTrue(english.contains("Organisation: 阳光社工"), english)
    }
}
