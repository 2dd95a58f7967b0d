import Vapor
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #17's remainder: what a person using Shegong every day would stumble on.
final class DailyOfficeTests: XCTestCase {
    /// The submit buttons of the form that holds the region picker, in page order: (name, class).
    func submitButtons(_ html: String, formWithPicker picker: String) -> [(name: String?, cls: String)] {
        var forms: [[(String?, String)]] = [], current: [(String?, String)]?, hasPicker = false
        for event in HTMLText.events(in: html) {
            switch event {
            case .open("form", _): current = []; hasPicker = false
            case .close("form"):
                if let buttons = current, hasPicker { forms.append(buttons) }
                current = nil
            case .open("fieldset", let a) where current != nil && a["data-picker"] == picker: hasPicker = true
            case .open("button", let a) where current != nil && (a["type"] ?? "submit") == "submit":
                current!.append((a["name"], a["class"] ?? ""))
            default: continue
            }
        }
        return forms.first?.map { (name: $0.0, cls: $0.1) } ?? []
    }

    /// Enter in a text field submits with the form's first submit button (HTML's implicit
    /// submission): in every form with the region picker that button must be a nameless one, which
    /// does what the form's own button does, not the picker's `NAME_go` ("next level", saves nothing).
    func testEnterInAFormWithTheRegionPickerDoesTheFormsOwnActionNotThePickers() async throws {
        try await withApp { app in
            // setup
            let browser = try await BrowserSession.signIn(app, grant: .nationalOfficial(.readWrite), username: "enter.official")
            for (path, picker) in [("/people/new", "regionCode"), ("/people", "region"), ("/organizations/new", "regionCode"), ("/export", "region")] {
                // act
                let page = try await browser.get(path)
                XCTAssertEqual(page.status, .ok, path)
                let buttons = submitButtons(page.body.string, formWithPicker: picker)
                // check: the first submit button has no name (the form's own action) and the picker's comes later
                XCTAssertFalse(buttons.isEmpty, "\(path): a form with the picker")
                XCTAssertNil(buttons.first?.name, "\(path): Enter would press \(buttons.first?.name ?? "")")
                XCTAssertTrue(buttons.dropFirst().contains { $0.name == "\(picker)_go" }, "\(path): \(buttons)")
            }
        }
    }

    /// The cells of a CSV file's lines (the exports neither quote nor hold commas in these rows).
    func csvLines(_ url: URL) throws -> [[String]] {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: "")
        return text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testTheCensusExportNamesEachRegionBesideItsCodeAndImportsAgain() async throws {
        try await withApp { app in
            // setup: one person in 肃州区, one in 咸丰县
            var suzhou = CensusRow(); suzhou.name = "甲"
            var xianfeng = CensusRow(); xianfeng.name = "乙"; xianfeng.id = CensusRow.makeID(2); xianfeng.number = "X-2"; xianfeng.region = "422826"
            xianfeng.employer = ""
            let imported = try await importFile(app, try writeTemp(CensusRow.csv([suzhou, xianfeng])))
            XCTAssertEqual(imported.rejectedRows, 0, "\(imported.issues)")
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: url) }
            // act
            let count = try await CensusExporter(db: app.db, cipher: app.shegong.cipher).export(to: url, format: .csv, region: nil, revealIdentifiers: true)
            // check: 地区名称 (Chinese header) right after 地区代码, each row with its region's name
            XCTAssertEqual(count, 2)
            let lines = try csvLines(url)
            let header = try XCTUnwrap(lines.first)
            let code = try XCTUnwrap(header.firstIndex(of: "地区代码"))
            XCTAssertEqual(header[code + 1], "地区名称")
            let regions = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { ($0[code], $0[code + 1]) })
            XCTAssertEqual(regions, ["620902": "肃州区", "422826": "咸丰县"])
            // check: the exported file imports again into an empty registry, the name column read past
            for table in ["person_changes", "registrations", "certificates", "employments", "people", "census_stats"] {
                try await app.sql.raw("DELETE FROM \(ident: table)").run()
            }
            let again = try await importFile(app, url)
            XCTAssertEqual(again.rejectedRows, 0, "\(again.issues)")
            XCTAssertEqual(again.created, 2)
        }
    }

    func testANameColumnIsReadPastButAnUnknownColumnIsStillRefused() throws {
        let row = SpreadsheetRow(number: 1, cells: ["姓名", "身份证号", "地区代码", "地区名称"].map { .text($0) })
        let header = try CensusHeader.parse(row).get()
        XCTAssertEqual(header.ignored, [3])
        let data = SpreadsheetRow(number: 2, cells: ["张三", CensusRow.makeID(1), "620902", "肃州区"].map { .text($0) })
        XCTAssertNoThrow(try header.record(from: data, today: CivilDate(year: 2026, month: 12, day: 5)!).get())
        let unknown = SpreadsheetRow(number: 1, cells: ["姓名", "身份证号", "地区代码", "备注"].map { .text($0) })
        XCTAssertThrowsError(try CensusHeader.parse(unknown).get())
    }

    /// 甲 in 肃州区, a 社会工作师 whose registration period ends a month from now (in the renewal window).
    func registeredPerson(_ app: Application) async throws {
        let today = CivilDate.today()
        var row = CensusRow(); row.name = "甲"; row.level = "社会工作师"; row.issued = today.adding(months: -40).description
        _ = try await importFile(app, try writeTemp(CensusRow.csv([row])))
        let certificate = try await app.sql.select().column("id").from("certificates").first()!.decode(column: "id", as: String.self)
        let period = RegistrationPeriod(start: today.adding(months: 1).adding(months: -36))
        try await app.sql.insert(into: "registrations").columns("id", "certificate_id", "period_start", "period_end", "created_at", "kind")
            .values("r1", certificate, period.start.description, period.end.description, "2024-01-01T00:00:00Z", "first").run()
    }

    func testTheRegistrationListIsFilteredWithTheRegionPickerByName() async throws {
        try await withApp { app in
            // setup
            try await registeredPerson(app)
            let official = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620900").get(), access: .read),
                                                           username: "registrations.reader")
            // act
            let page = try await official.get("/registrations?list=window")
            let suzhou = try await official.get("/registrations?list=window&region_1=620902")
            let guazhou = try await official.get("/registrations?list=window&region_1=620922")
            let linked = try await official.get("/registrations?list=window&region=620902")
            // check: the counties of 酒泉市 offered by name, no typed code; the choice filters the list
            XCTAssertTrue(page.body.string.contains(#"<option value="620902">肃州区</option>"#), page.body.string)
            XCTAssertFalse(page.body.string.contains(#"name="region""#), "no typed region code")
            XCTAssertTrue(suzhou.body.string.contains("/ledger\""), "甲 listed in 肃州区")
            XCTAssertTrue(suzhou.body.string.contains(#"<span class="code">620902</span>"#))
            XCTAssertFalse(guazhou.body.string.contains("/ledger\""), "nobody due in 瓜州县")
            XCTAssertTrue(linked.body.string.contains("/ledger\""), "a link with the plain code still filters")
        }
    }

    /// Every command that acts as an account takes `--as` from the one shared definition.
    func testTheAsOptionIsOneDefinitionReadByEveryActingCommand() throws {
        var input = CommandInput(arguments: ["shegong", "policy.yaml", "--as", "clerk"])
        let load = try PolicyLoadCommand.Signature(from: &input)
        XCTAssertEqual(load.account.wrappedValue, "clerk")
        XCTAssertEqual(load.account.name, "as")
        XCTAssertTrue(load.account.help.hasSuffix("Default SHEGONG_CLI_ACCOUNT."))
        var none = CommandInput(arguments: ["shegong", "policy.yaml"])
        XCTAssertNil(try PolicyLoadCommand.Signature(from: &none).account.wrappedValue)
    }

    /// Issue #17 §3: the four-eyes setting as a page, for the administrators who may set it on the
    /// command line; per region, picked by name; the change audited with its reason; in the page's language.
    func testASecurityAdministratorTurnsFourEyesOffForARegionOnThePageAudited() async throws {
        try await withApp { app in
            // setup
            let admin = try await BrowserSession.signIn(app, grant: .securityAdministrator, username: "fe.security")
            let official = try await BrowserSession.signIn(app, grant: .nationalOfficial(.readWrite), username: "fe.official")
            // act: no reason first, then with one; the region chosen by its lists (湖北省 → 恩施州)
            let form = try await admin.get("/admin/four-eyes")
            let refused = try await admin.post("/admin/four-eyes", form: ["region_1": "420000", "region_2": "422800", "enabled": "off", "reason": " "])
            let saved = try await admin.post("/admin/four-eyes", form: ["region_1": "420000", "region_2": "422800", "enabled": "off",
                                                                        "reason": "县级仅一名经办人员"])
            let county = try await admin.get("/admin/four-eyes?region=422826")
            let english = try await BrowserSession.signIn(app, grant: .systemAdministrator, username: "fe.system", language: .en)
                .get("/admin/four-eyes?region=422826")
            let denied = try await official.get("/admin/four-eyes")
            // check
            XCTAssertEqual(form.status, .ok)
            XCTAssertTrue(form.body.string.contains(Catalogue.text("fourEyesPage.none_on_file", .zhHans)))
            XCTAssertEqual(refused.status, .unprocessableEntity)
            XCTAssertTrue(refused.body.string.contains(Catalogue.text("four_eyes.reason_required", .zhHans)), refused.body.string)
            XCTAssertEqual(saved.status, .seeOther, saved.body.string)
            XCTAssertEqual(saved.headers.first(name: .location), "/admin/four-eyes?region=422800&saved=1")
            let setting = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher).fourEyesSetting(path: [RegionPath.nationCode, "420000", "422800", "422826"])
            XCTAssertEqual(setting?.enabled, false)
            XCTAssertEqual(setting?.changedBy, "fe.security")
            // 咸丰县 follows 恩施州's setting, said by name
            XCTAssertTrue(county.body.string.contains(#"data-enabled="off""#))
            XCTAssertTrue(county.body.string.contains(Catalogue.text("fourEyesPage.in_force.off", .zhHans, "咸丰县")), county.body.string)
            XCTAssertTrue(county.body.string.contains("恩施土家族苗族自治州"))
            XCTAssertTrue(english.body.string.contains("the four-eyes rule is off"), english.body.string)
            XCTAssertEqual(denied.status, .forbidden)
            // audited with the region, the value and the reason
            let audit = try await app.sql.select().columns("actor", "details").from("audit_log").where("action", .equal, "four_eyes.set").all()
            XCTAssertEqual(audit.count, 1)
            XCTAssertEqual(try audit.first?.decode(column: "actor", as: String.self), "fe.security")
            let details = try audit.first?.decode(column: "details", as: String.self) ?? ""
            XCTAssertTrue(details.contains("region=422800") && details.contains("enabled=false") && details.contains("县级仅一名经办人员"), details)
        }
    }
}
