import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Validation messages from the domain and the store follow the page's language, beside the field
/// they concern; the JSON API keeps its Chinese messages.
final class MessageLanguageTests: XCTestCase {
    /// Posts the new-person form with an ID number whose check digit is wrong.
    func postBadIDNumber(_ app: Application, query: String) async throws -> String {
        let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                           username: "suzhou-clerk")
        let good = CensusRow.makeID(1)
        let record = try CensusHeader.standard.record(from: SpreadsheetRow(number: 2, cells: CensusRow().cells.map { .text($0) }),
                                                      today: CivilDate.today()).get()
        var fields = PersonFormValues(PersonInput(record: record)).fields
        fields["idNumber"] = String(good.dropLast()) + (good.last == "0" ? "1" : "0")   // a wrong check character
        let res = try await browser.post("/people\(query)", form: fields)
        XCTAssertEqual(res.status, .unprocessableEntity)
        return res.body.string
    }

    func testABadIDNumberOnAnEnglishPageShowsTheEnglishMessageBesideTheField() async throws {
        try await withApp { app in
            // act
            let html = try await postBadIDNumber(app, query: "?lang=en")
            // check
            let idBlock = try XCTUnwrap(html.range(of: #"<div class="field invalid"><label for="f-idNumber">"#))
            let blockEnd = try XCTUnwrap(html.range(of: "</div>", range: idBlock.upperBound..<html.endIndex))
            let block = String(html[idBlock.upperBound..<blockEnd.lowerBound])
            XCTAssertTrue(block.contains("check character should be"), block)
            XCTAssertFalse(html.contains("校验位"), "no Chinese message on an English page")
        }
    }

    func testABadIDNumberOnAChinesePageShowsTheChineseMessage() async throws {
        try await withApp { app in
            let html = try await postBadIDNumber(app, query: "")
            XCTAssertTrue(html.contains("身份证号校验位应为"))
            XCTAssertFalse(html.contains("check character"))
        }
    }

    func testATooShortPasswordOnAnEnglishPageNamesTheRuleInEnglish() async throws {
        try await withApp { app in
            // setup
            let browser = BrowserSession(app)
            let password = try await browser.signIn(as: .official(region: try RegionCode.parse("620900").get(), access: .read), username: "li-en")
            browser.cookies["lang"] = "en"
            try await browser.send(.GET, "/account/password")
            // act
            let res = try await browser.send(.POST, "/account/password",
                                             form: ["currentPassword": password, "newPassword": "Ab1!", "repeatPassword": "Ab1!"])
            // check
            XCTAssertEqual(res.status, .unprocessableEntity)
            let html = res.body.string
            XCTAssertTrue(html.contains("A password has at least 8 characters"), html)
            XCTAssertFalse(html.contains("密码至少"))
            // The same on a Chinese page.
            browser.cookies["lang"] = "zh-Hans"
            try await browser.send(.GET, "/account/password")
            let chinese = try await browser.send(.POST, "/account/password",
                                                 form: ["currentPassword": password, "newPassword": "Ab1!", "repeatPassword": "Ab1!"])
            XCTAssertTrue(chinese.body.string.contains("密码至少 8 个字符"))
        }
    }

    func testAnUnreadableImportFileIsExplainedInTheLanguageOfThePageThatShowsIt() async throws {
        try await withApp { app in
            // setup
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(),
                                                                                     access: .readWrite), username: "suzhou-import")
            let utf16 = Data([0xFF, 0xFE]) + "姓名,身份证号".data(using: .utf16LittleEndian)!
            // act
            let res = try await browser.upload("/import", fileName: "census.txt", file: utf16)
            let status = try XCTUnwrap(res.headers.first(name: .location))
            let english = try await RegistryPageTests.statusPage(browser, status + "?lang=en")
            let chinese = try await RegistryPageTests.statusPage(browser, status + "?lang=zh-Hans")
            // check: the failure was stored before either page's language was known.
            XCTAssertTrue(english.contains("The file is in UTF-16"), english)
            XCTAssertFalse(english.contains("文件是 UTF-16"))
            XCTAssertTrue(chinese.contains("文件是 UTF-16（“Unicode 文本”）编码"), chinese)
        }
    }

    func testAnUnknownExportRegionIsNamedInThePagesLanguage() async throws {
        try await withApp { app in
            // setup
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(),
                                                                                     access: .readWrite), username: "suzhou-export")
            // act
            let english = try await browser.post("/export?lang=en", form: ["region": "999999", "format": "csv"])
            let chinese = try await browser.post("/export", form: ["region": "999999", "format": "csv"])
            // check
            XCTAssertEqual(english.status, .unprocessableEntity)
            XCTAssertTrue(english.body.string.contains("The region code 999999 does not exist"), english.body.string)
            XCTAssertFalse(english.body.string.contains("地区代码 999999 不存在"))
            XCTAssertTrue(chinese.body.string.contains("地区代码 999999 不存在"), chinese.body.string)
        }
    }

    func testTheJSONErrorKeepsItsShapeAndChineseMessage() throws {
        // setup
        let error = StoreError(.invalid, code: "password.policy", text: .init("password.too_short", "8"),
                               details: [.init(field: "newPassword", code: "password.too_short", "8")])
        // act
        let json = String(decoding: try JSONEncoder().encode(error.details[0]), as: UTF8.self)
        let body = String(decoding: try JSONEncoder().encode(APIErrorBody.Detail(field: "f", code: "c", text: .init("password.too_short", "8"))), as: UTF8.self)
        // check
        XCTAssertEqual(Set((try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]).keys), ["field", "code", "message"])
        XCTAssertTrue(json.contains("密码至少 8 个字符"))
        XCTAssertEqual(Set((try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]).keys), ["field", "code", "message"])
        XCTAssertEqual(error.message(.en), "A password has at least 8 characters")
    }
}
