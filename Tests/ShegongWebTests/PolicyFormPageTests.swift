import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// The policy form (issue #18 §2): an official fills boxes in Chinese, sees the policy file written
/// from them beside the form, and activates it — the same check and the same audit entry as a file.
final class PolicyFormPageTests: XCTestCase {
    func region(_ code: String) -> RegionCode { try! RegionCode.parse(code).get() }

    func auditCount(_ app: Application, _ action: String) async throws -> Int {
        try await app.sql.select().column("id").from("audit_log").where("action", .equal, action).all().count
    }

    /// 咸丰县's allowance as a 咸丰县 official types it (the picker's first list names the county).
    static let allowance: [String: String] = [
        "id": "xianfeng-form-allowance", "name": "咸丰县社会工作者职业津贴（表单）", "jurisdiction_1": "422826",
        "kind": "monthly_allowance", "review_township": "on", "review_county": "on",
        "s0_id": "hubei-article", "s0_document": "《湖北多措并举提升社会工作人才队伍建设水平》",
        "v0_from": "2025-01-01", "v0_amount_0": "100", "v0_amount_1": "200", "v0_amount_2": "300",
        "v0_g0_c0": "on", "v0_g0_c1": "on", "v0_pro_rata": "eligible_on_first_day", "v0_window_unit": "years",
    ]

    func testAnOfficialWritesAPolicyByFormSeesItsFileAndActivatesIt() async throws {
        try await withApp { app in
            // setup
            let official = BrowserSession(app)
            try await official.signIn(as: .official(region: region("422826"), access: .readWrite), username: "form.rw")
            let blank = try await official.send(.GET, "/incentives/policies/form")
            XCTAssertEqual(blank.status, .ok)
            XCTAssertTrue(blank.body.string.contains(#"id="policy-form""#))
            XCTAssertTrue(blank.body.string.contains(Catalogue.text("policyForm.review_levels", .zhHans)), "labels in Chinese")

            // act: check
            var fields = Self.allowance
            fields["action"] = "check"
            let checked = try await official.send(.POST, "/incentives/policies/form", form: fields)
            // check: the file beside the form, accepted by the same check as `shegong policy check`
            XCTAssertEqual(checked.status, .ok)
            let html = checked.body.string
            XCTAssertTrue(html.contains(#"id="policy-document""#))
            XCTAssertTrue(html.contains("kind: monthly_allowance"))
            XCTAssertTrue(html.contains("pro_rata: eligible_on_first_day"))
            XCTAssertTrue(html.contains(#"jurisdiction: &quot;422826&quot;"#) || html.contains(#"jurisdiction: "422826""#))
            let loadsBefore = try await auditCount(app, "policy.load")
            XCTAssertEqual(loadsBefore, 0, "checking activates nothing")

            // act: activate
            fields["action"] = "load"
            let loaded = try await official.send(.POST, "/incentives/policies/form", form: fields)
            // check: active, audited, and the stored file passes the file check
            XCTAssertEqual(loaded.status, .ok)
            let loads = try await auditCount(app, "policy.load")
            XCTAssertEqual(loads, 1)
            let stored = try await PolicyStore(db: app.db).policy(id: "xianfeng-form-allowance")
            XCTAssertEqual(stored?.versions.first?.amounts[.intermediate], 20000)
            let recheck = try await PolicyStore(db: app.db).check(yaml: try XCTUnwrap(stored).yamlText)
            guard case .success = recheck else { return XCTFail("the stored policy fails the file check: \(recheck)") }

            // The policy's own form is filled from it.
            let edit = try await official.send(.GET, "/incentives/policies/xianfeng-form-allowance/form")
            XCTAssertEqual(edit.status, .ok)
            XCTAssertTrue(edit.body.string.contains(#"value="xianfeng-form-allowance""#))
        }
    }

    func testAFormWithProblemsNamesThemAndActivatesNothing() async throws {
        try await withApp { app in
            // setup
            let official = BrowserSession(app)
            try await official.signIn(as: .official(region: region("422826"), access: .readWrite), username: "form.rw")
            var fields = Self.allowance
            fields["v0_amount_1"] = "200元"
            fields["v0_pro_rata"] = ""
            fields["action"] = "load"
            // act
            let refused = try await official.send(.POST, "/incentives/policies/form", form: fields)
            // check
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains(#"id="policy-errors""#))
            XCTAssertTrue(refused.body.string.contains("200元"), "the amount is named as typed")
            XCTAssertTrue(refused.body.string.contains(#"value="200元""#), "the form comes back as typed")
            let loads = try await auditCount(app, "policy.load")
            XCTAssertEqual(loads, 0)
        }
    }

    func testAReadOnlyOfficialMayNotUseTheForm() async throws {
        try await withApp { app in
            // setup
            let reader = BrowserSession(app)
            try await reader.signIn(as: .official(region: region("422826"), access: .read), username: "form.read")
            var fields = Self.allowance
            fields["action"] = "load"
            // act
            let page = try await reader.send(.GET, "/incentives/policies/form")
            let posted = try await reader.send(.POST, "/incentives/policies/form", form: fields)
            // check
            XCTAssertEqual(page.status, .forbidden)
            XCTAssertEqual(posted.status, .forbidden)
            let loads = try await auditCount(app, "policy.load")
            XCTAssertEqual(loads, 0)
        }
    }
}
