import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #18: one upload names every kind of row problem — a bad cell, a repeat inside the file,
/// a clash with the registry and a row outside the caller's area — where a second upload used to
/// be needed for the last ones; and an old Excel file is told to be saved as .xlsx.
final class ImportOnePassTests: XCTestCase {
    /// 张三 and 李四 in 肃州区, 王五 in 金塔县, as `RegistryScopeTests` loads them.
    func loadPeople(_ app: Application) async throws {
        var li = CensusRow()
        li.name = "李四"; li.id = CensusRow.makeID(2); li.number = "2024620002"; li.employer = "酒泉市肃州区阳光养老院"; li.mobile = "13812345679"
        var wang = CensusRow()
        wang.name = "王五"; wang.id = CensusRow.makeID(3); wang.number = "2024620003"; wang.region = RegistryScopeTests.otherCounty
        wang.employer = "金塔县社会工作站"; wang.mobile = "13812345670"
        let report = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow(), li, wang])))
        XCTAssertTrue(report.committed, "\(report.issues)")
    }

    func clerk(_ app: Application) async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                        username: "suzhou-clerk")
    }

    /// Uploads `file` through the wizard and waits for its run; the status page's path and HTML.
    func upload(_ browser: BrowserSession, _ file: Data, fileName: String = "census.csv",
                language: String = "zh-Hans") async throws -> (path: String, html: String) {
        let res = try await browser.upload("/import", fileName: fileName, file: file)
        XCTAssertEqual(res.status, .seeOther, res.body.string)
        let path = try XCTUnwrap(res.headers.first(name: .location))
        return (path, try await RegistryPageTests.statusPage(browser, path + "?lang=" + language))
    }

    /// Rows 2–7, one of each kind: bad mobile, new person, repeat of row 3, a person of 金塔县, a
    /// new person in 金塔县, a certificate number already 李四's.
    static func fileWithEveryKind() -> String {
        var badMobile = CensusRow(); badMobile.name = "赵一"; badMobile.id = CensusRow.makeID(10); badMobile.number = "N10"; badMobile.mobile = "1381234"
        var fresh = CensusRow(); fresh.name = "钱二"; fresh.id = CensusRow.makeID(11); fresh.number = "N11"; fresh.mobile = ""
        var repeated = fresh; repeated.number = "N12"
        var wang = CensusRow(); wang.name = "王五"; wang.id = CensusRow.makeID(3); wang.number = "2024620003"; wang.region = RegistryScopeTests.otherCounty
        wang.employer = "金塔县社会工作站"; wang.mobile = "13812345670"
        var elsewhere = CensusRow(); elsewhere.name = "孙三"; elsewhere.id = CensusRow.makeID(13); elsewhere.number = "N13"
        elsewhere.region = RegistryScopeTests.otherCounty; elsewhere.mobile = ""
        var taken = CensusRow(); taken.name = "周四"; taken.id = CensusRow.makeID(14); taken.number = "2024620002"; taken.mobile = ""
        return CensusRow.csv([badMobile, fresh, repeated, wang, elsewhere, taken])
    }

    static let expected: [Int: String] = [2: "census.mobile.invalid", 4: "census.id.duplicate", 5: "census.scope.person",
                                          6: "census.scope.region", 7: "census.certificate.taken"]

    func testTheAPIReportsEveryKindOfRowProblemInOnePass() async throws {
        try await withApp { app in
            // setup
            try await loadPeople(app)
            let token = try await app.token(.official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite), username: "suzhou-writer")
            // act
            try await app.api(.POST, "/api/v1/imports/census?dryRun=true", token: token, beforeRequest: { req in
                req.body = ByteBuffer(string: Self.fileWithEveryKind())
            }) { res in
                // check
                XCTAssertEqual(res.status, .unprocessableEntity)
                let report = try res.content.decode(CensusController.RejectedImport.self).report
                var codes: [Int: String] = [:]
                for issue in report.issues { codes[issue.row] = issue.code }
                XCTAssertEqual(codes, Self.expected, "\(report.issues)")
                XCTAssertEqual(report.rejectedRows, 5)
            }
            let people = try await app.count("people")
            XCTAssertEqual(people, 3, "a rejected file writes nothing")
        }
    }

    func testTheWizardReportsEveryKindOfRowProblemInOnePass() async throws {
        try await withApp { app in
            // setup
            try await loadPeople(app)
            let browser = try await clerk(app)
            // act
            let (_, html) = try await upload(browser, Data(Self.fileWithEveryKind().utf8))
            // check: each problem's message is in the one report
            for message in ["census.id.duplicate", "census.scope.person", "census.scope.region", "census.certificate.taken"] {
                let text = Catalogue.standard.texts(.zhHans)(message).components(separatedBy: "{0}")[0]
                XCTAssertTrue(html.contains(text), "\(message) missing: \(html)")
            }
            XCTAssertTrue(html.contains(Catalogue.standard.texts(.zhHans)("census.import.rejected", "5")), html)
        }
    }

    func testAnOldExcelWorkbookIsToldToBeSavedAsXLSXByTheAPIAndTheWizard() async throws {
        try await withApp { app in
            // setup: the OLE2 header of an Excel 97–2003 workbook
            let xls = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: UInt8(0), count: 504))
            let token = try await app.token(.official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite), username: "suzhou-writer")
            // act, check
            try await app.api(.POST, "/api/v1/imports/census?dryRun=true", token: token, beforeRequest: { req in
                req.body = ByteBuffer(data: xls)
            }) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("sheet.xls"), res.body.string)
                XCTAssertTrue(res.body.string.contains(".xlsx"), res.body.string)
                XCTAssertFalse(res.body.string.contains("UTF-8"), res.body.string)
            }
            let browser = try await clerk(app)
            let (_, html) = try await upload(browser, xls, fileName: "采集表.xls", language: "en")
            XCTAssertTrue(html.contains(Catalogue.standard.texts(.en)("sheet.xls").replacingOccurrences(of: "“", with: "&#8220;").prefix(40)) ||
                          html.contains("save it as"), html)
            XCTAssertFalse(html.contains(Catalogue.standard.texts(.en)("sheet.encoding").prefix(30)), html)
        }
    }

    // MARK: the dry run's list of changes

    /// 张三 with a new post category and employer, 钱二 new, 李四 as on file.
    static func fileWithChanges() -> String {
        var zhang = CensusRow(); zhang.category = "社工机构从业人员"; zhang.employer = "酒泉市肃州区阳光养老院"
        var fresh = CensusRow(); fresh.name = "钱二"; fresh.id = CensusRow.makeID(11); fresh.number = "N11"; fresh.mobile = ""
        var li = CensusRow()
        li.name = "李四"; li.id = CensusRow.makeID(2); li.number = "2024620002"; li.employer = "酒泉市肃州区阳光养老院"; li.mobile = "13812345679"
        return CensusRow.csv([zhang, fresh, li])
    }

    func testTheAPIDryRunListsPerPersonWhatWouldBeCreatedOrChanged() async throws {
        try await withApp { app in
            // setup
            try await loadPeople(app)
            let token = try await app.token(.official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite), username: "suzhou-writer")
            // act
            var importID = ""
            try await app.api(.POST, "/api/v1/imports/census?dryRun=true", token: token, beforeRequest: { req in
                req.body = ByteBuffer(string: Self.fileWithChanges())
            }) { res in
                // check: 张三 changed (post category and employer, before → after), 钱二 new, 李四 unchanged and not listed
                XCTAssertEqual(res.status, .ok, res.body.string)
                let report = try res.content.decode(CensusImportReport.self)
                importID = report.importID
                XCTAssertEqual([report.created, report.updated, report.unchanged], [1, 1, 1])
                XCTAssertEqual(report.changes.map(\.name), ["张三", "钱二"])
                XCTAssertEqual(report.changes.map(\.kind), [.updated, .created])
                let zhang = report.changes[0]
                XCTAssertTrue(zhang.idNumber.contains("*"), zhang.idNumber)
                XCTAssertEqual(zhang.fields.first { $0.field == "post_category" }, .init(field: "post_category", before: "社区工作者", after: "社工机构从业人员"))
                XCTAssertEqual(zhang.fields.first { $0.field == "organization" },
                               .init(field: "organization", before: "酒泉市肃州区阳光社会工作服务中心", after: "酒泉市肃州区阳光养老院"))
                XCTAssertEqual(report.changes[1].fields.first { $0.field == "region_code" }?.after, CensusRow.county)
                XCTAssertEqual(report.changesListed, 2)
            }
            let people = try await app.count("people")
            XCTAssertEqual(people, 3, "a dry run writes nothing")
            try await app.api(.GET, "/api/v1/imports/census/\(importID)/changes?page=1", token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let answer = try res.content.decode(CensusController.ChangesAnswer.self)
                XCTAssertEqual(answer.total, 2)
                XCTAssertEqual(answer.items.map(\.name), ["张三", "钱二"])
            }
            // Another account's import is not found.
            let other = try await app.token(.official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite), username: "suzhou-other")
            try await app.api(.GET, "/api/v1/imports/census/\(importID)/changes", token: other) { res in
                XCTAssertEqual(res.status, .notFound)
            }
        }
    }

    func testTheWizardShowsTheChangesByNameInEitherLanguage() async throws {
        try await withApp { app in
            // setup
            try await loadPeople(app)
            let browser = try await clerk(app)
            // act
            let (path, html) = try await upload(browser, Data(Self.fileWithChanges().utf8))
            let english = try await RegistryPageTests.statusPage(browser, path + "?lang=en")
            // check
            XCTAssertTrue(html.contains(#"id="import-changes""#), html)
            let zh = Catalogue.standard.texts(.zhHans), en = Catalogue.standard.texts(.en)
            XCTAssertTrue(html.contains(zh("imports.changes.field_change", zh("field.postCategory"), "社区工作者", "社工机构从业人员")), html)
            XCTAssertTrue(html.contains(zh("imports.changes.created")), html)
            XCTAssertTrue(english.contains(en("imports.changes.field_change", en("field.postCategory"),
                                              en.name(PostCategory.communityWorker), en.name(PostCategory.socialWorkOrganization))), english)
            XCTAssertTrue(english.contains(en("imports.changes.created")), english)
        }
    }

    // MARK: the blank template

    /// Reads the workbook back with openpyxl: each coded column's drop-down list and its choices,
    /// the sheets, and the first column of the instructions (skipped where openpyxl is missing).
    static let openpyxlCheck = #"""
import json, sys, openpyxl
from openpyxl.utils import column_index_from_string
book = openpyxl.load_workbook(sys.argv[1])
sheet = book["人才信息采集表"]
header = [c.value for c in sheet[1]]
lists = {}
for dv in sheet.data_validations.dataValidation:
    column = str(dv.sqref).split(":")[0].rstrip("0123456789")
    target, ref = dv.formula1.split("!")
    values = [c.value for row in book[target.strip("'")][ref.replace("$", "")] for c in row]
    lists[header[column_index_from_string(column) - 1]] = values
instructions = book.worksheets[1]
print(json.dumps({"sheets": book.sheetnames, "hidden": [ws.title for ws in book.worksheets if ws.sheet_state == "hidden"],
                  "lists": lists, "instructions": [r[0].value for r in instructions.iter_rows(min_row=2, max_row=15)],
                  "how": instructions.cell(row=3, column=3).value}, ensure_ascii=False))
"""#

    func openpyxl(_ file: URL) throws -> [String: Any] {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString).py")
        try Self.openpyxlCheck.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, file.path]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if problem.contains("No module named") || process.terminationStatus == 127 { throw XCTSkip("openpyxl is not installed") }
        XCTAssertEqual(process.terminationStatus, 0, problem)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    func testTheBlankTemplateHasInstructionsDropDownsAndTheCallersRegionsAndImportsUnchanged() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let token = try await app.token(.official(region: try RegionCode.parse("620900").get(), access: .readWrite), username: "jiuquan-writer")
            for language in ["zh-Hans", "en"] {
                // act
                var body = Data()
                try await app.api(.GET, "/api/v1/templates/census?format=xlsx&lang=\(language)", token: token) { res in
                    XCTAssertEqual(res.status, .ok)
                    body = Data(buffer: res.body)
                }
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("template-\(UUID().uuidString).xlsx")
                try body.write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                // check: the lists, read back as Excel and openpyxl read them
                let t = Catalogue.standard.texts(Language(rawValue: language)!)
                let book = try openpyxl(file)
                XCTAssertEqual(book["sheets"] as? [String], ["人才信息采集表", t("imports.template.sheet.instructions"),
                                                              t("imports.template.sheet.regions"), t("imports.template.sheet.lists")])
                XCTAssertEqual(book["hidden"] as? [String], [t("imports.template.sheet.lists")])
                XCTAssertEqual(book["instructions"] as? [String], CensusColumn.allCases.map(\.rawValue))
                XCTAssertEqual(book["how"] as? String, t("imports.template.how.residentID"))
                let lists = try XCTUnwrap(book["lists"] as? [String: [String]])
                XCTAssertEqual(lists["性别"], ["男", "女"])
                XCTAssertEqual(lists["人员类别"], PostCategory.allCases.map(\.rawValue))
                XCTAssertEqual(lists["服务领域"], ServiceField.allCases.map(\.rawValue))
                XCTAssertEqual(lists["最高学历"], EducationLevel.allCases.map(\.rawValue))
                XCTAssertEqual(lists["社会工作专业"], ["是", "否"])
                XCTAssertEqual(lists["证书等级"], ["无"] + CertificateLevel.allCases.map(\.rawValue))
                let regions = try XCTUnwrap(lists["地区代码"])
                XCTAssertTrue(regions.contains("620902") && regions.contains("620900"), "\(regions)")
                XCTAssertTrue(regions.allSatisfy { $0.hasPrefix("6209") }, "only 酒泉市's codes: \(regions)")
                // The template imports as it is: a dry run of no rows without a problem.
                try await app.api(.POST, "/api/v1/imports/census?dryRun=true", token: token, beforeRequest: { req in
                    req.body = ByteBuffer(data: body)
                }) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    XCTAssertEqual(try res.content.decode(CensusImportReport.self).rows, 0)
                }
            }
        }
    }
}
