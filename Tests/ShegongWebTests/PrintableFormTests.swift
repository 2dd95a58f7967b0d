import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #18 §3: the 人员信息表 an office prints and files — one person, identifiers masked,
/// signature boxes, no navigation; in scope only; English on an English page.
final class PrintableFormTests: XCTestCase {
    func personForm(sequence: Int) -> [String: String] {
        ["name": "张三", "idNumber": CensusRow.makeID(sequence), "mobile": "13812345678", "regionCode": CensusRow.county,
         "employerName": "阳光社工服务中心", "postCategory": "社区工作者", "serviceFields": "社区、养老", "education": "本科", "socialWorkDegree": "是",
         "certificate.level": "助理社会工作师", "certificate.number": "20246200\(sequence)", "certificate.issueDate": "2024-06-15"]
    }

    func testThePersonRecordFormPrintsMaskedWithSignatureBoxesAndOnlyInScope() async throws {
        try await withApp { app in
            // setup: a county clerk's person, and an official of another county
            let clerk = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                        username: "print-clerk")
            let created = try await clerk.post("/people", form: personForm(sequence: 21))
            let person = String(try XCTUnwrap(created.headers.first(name: .location)).prefix { $0 != "?" })
            let other = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620921").get(), access: .read),
                                                        username: "print-other")
            // act
            let sheet = try await clerk.get(person + "/print")
            let page = try await clerk.get(person)
            let outside = try await other.get(person + "/print")
            // check
            XCTAssertEqual(sheet.status, .ok)
            let html = sheet.body.string
            XCTAssertTrue(html.contains("社会工作人才信息表"))
            XCTAssertTrue(html.contains(#"class="print-form""#))
            XCTAssertFalse(html.contains(#"<nav class="main""#), "no navigation on paper")
            XCTAssertFalse(html.contains(CensusRow.makeID(21)), "the ID number is masked")
            XCTAssertFalse(html.contains("13812345678"), "the mobile number is masked")
            XCTAssertTrue(html.contains(#"id="signatures""#) && html.contains("用人单位意见（盖章）"))
            XCTAssertTrue(html.contains("20246200") && html.contains("阳光社工服务中心"), "certificates and employment")
            XCTAssertTrue(page.body.string.contains(#"href="\#(person)/print""#), "the person page links to it")
            XCTAssertEqual(outside.status, .notFound, "another county's person is not printable")
        }
    }

    func testTheRecordFormIsEnglishOnAnEnglishPage() async throws {
        try await withApp { app in
            let clerk = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                        username: "print-en", language: .en)
            let created = try await clerk.post("/people", form: personForm(sequence: 22))
            let person = String(try XCTUnwrap(created.headers.first(name: .location)).prefix { $0 != "?" })
            let html = try await clerk.get(person + "/print").body.string
            XCTAssertTrue(html.contains("Social work talent record"))
            XCTAssertTrue(html.contains("Employer (seal):"))
            XCTAssertFalse(html.contains("本人签字"))
        }
    }
}
