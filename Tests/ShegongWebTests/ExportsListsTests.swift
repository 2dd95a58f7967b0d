import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #18 §1: the exports of organisations, accounts and the audit log. Each file holds exactly
/// what its list shows (the same filters, every page), inside the caller's scope; a role that may
/// not see the list may not export it; every export is in the audit log with its row count.
final class ExportsListsTests: XCTestCase {
    static let suzhou = "620902", jinta = "620921"

    /// The data lines of an exported CSV (after the BOM and the header, before the empty line
    /// and the notes), each split at its commas (the tests' values hold none).
    static func rows(_ csv: String) -> (header: [String], rows: [[String]], notes: [String]) {
        let lines = csv.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n").map { $0.replacingOccurrences(of: "\n", with: "") }
        let blank = lines.firstIndex(of: "") ?? lines.count
        let split = { (line: String) in line.components(separatedBy: ",") }
        return (split(lines[0]), lines[1..<blank].map(split), lines[min(blank + 1, lines.count)...].filter { !$0.isEmpty })
    }

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }

    /// Two employers in 肃州区 and one in 金塔县, with one or two people each.
    func loadEmployers(_ app: Application) async throws {
        var rows: [CensusRow] = []
        for (n, (employer, region)) in [("肃州区阳光社会工作服务中心", Self.suzhou), ("肃州区阳光社会工作服务中心", Self.suzhou),
                                        ("肃州区夕阳红养老院", Self.suzhou), ("金塔县阳光社工站", Self.jinta)].enumerated() {
            var row = CensusRow()
            row.name = "员工\(n + 1)"
            row.id = CensusRow.makeID(n + 1)
            row.mobile = "1381234567\(n)"
            row.region = region
            row.employer = employer
            row.number = "202462000\(n + 1)"
            rows.append(row)
        }
        let report = try await importFile(app, try writeTemp(CensusRow.csv(rows)))
        XCTAssertTrue(report.committed, "\(report.rejectedRows) rows rejected")
    }

    func testTheOrganisationExportIsTheFilteredListInsideTheScope() async throws {
        try await withApp { app in
            // setup
            try await self.loadEmployers(app)
            let suzhou = try await app.token(.official(region: try RegionCode.parse(Self.suzhou).get(), access: .read), username: "suzhou")
            let yumen = try await app.token(.official(region: try RegionCode.parse("620981").get(), access: .read), username: "yumen")
            let worker = try await app.token(.socialWorker(person: try await app.sql.select().column("id").from("people").first()!
                .decode(column: "id", as: String.self)), username: "worker")
            let filter = "name=" + Self.encoded("阳光")
            var listed: [OrganizationInfo] = []
            try await app.api(.GET, "/api/v1/organizations?\(filter)", token: suzhou) { res in
                listed = try res.content.decode(ShegongStore.Page<OrganizationInfo>.self).items
            }
            // act
            var exported = (header: [String](), rows: [[String]](), notes: [String]())
            try await app.api(.GET, "/api/v1/organizations/export?\(filter)&format=csv", token: suzhou) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(res.headers.contentType?.subType, "csv")
                exported = Self.rows(res.body.string)
            }
            var otherRegion: [[String]] = [[]]
            try await app.api(.GET, "/api/v1/organizations/export?format=csv", token: yumen) { res in
                XCTAssertEqual(res.status, .ok)
                otherRegion = Self.rows(res.body.string).rows
            }
            var workerStatus: HTTPResponseStatus = .ok
            try await app.api(.GET, "/api/v1/organizations/export?format=csv", token: worker) { workerStatus = $0.status }
            // check: the list's organisations — Suzhou's 阳光 centre only, not Jinta's — with names, not codes
            XCTAssertEqual(listed.map(\.name), ["肃州区阳光社会工作服务中心"])
            XCTAssertEqual(exported.header, ["名称", "统一社会信用代码", "单位类型", "地区", "地区代码", "在岗人员"])
            XCTAssertEqual(exported.rows.map { $0[0] }, listed.map(\.name))
            let row = try XCTUnwrap(exported.rows.first)
            XCTAssertEqual(row[3], "肃州区")
            XCTAssertEqual(row[4], Self.suzhou)
            XCTAssertEqual(row[5], "2", "the staff count the list shows")
            XCTAssertEqual(exported.notes, ["共 1 个单位。"])
            XCTAssertEqual(otherRegion, [], "an official of another county gets none of them")
            XCTAssertEqual(workerStatus, .forbidden)
            let entries = try await app.shegong.auditLog.search(sql: app.sql, AuditQuery(action: "organization.export"))
            XCTAssertEqual(entries.map(\.entry.actor).sorted(), ["suzhou", "yumen"])
            let details = try XCTUnwrap(entries.first { $0.entry.actor == "suzhou" }?.entry.details)
            XCTAssertTrue(details.contains("name=阳光") && details.contains("rows=1"), details)
        }
    }

    func testTheOrganisationsPageLinksToItsExportWithItsFilter() async throws {
        try await withApp { app in
            // setup
            try await self.loadEmployers(app)
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("620900").get(), access: .read),
                                                          username: "jiuquan")
            // act
            let page = try await browser.get("/organizations?name=" + Self.encoded("阳光"))
            let file = try await browser.get("/organizations?name=" + Self.encoded("阳光") + "&format=xlsx")
            // check: both 阳光 employers of the city, as a workbook
            XCTAssertTrue(page.body.string.contains(#"id="organizations-export-xlsx""#), page.body.string)
            XCTAssertTrue(page.body.string.contains("name=%E9%98%B3%E5%85%89&amp;format=xlsx"), "the link keeps the filter")
            XCTAssertEqual(file.status, .ok)
            XCTAssertTrue(file.headers.first(name: .contentDisposition)?.contains(".xlsx") == true)
            let url = try writeTemp("", ext: "xlsx")
            try Data(buffer: file.body).write(to: url)
            let reader = try Spreadsheet.openReader(url: url, preferredSheet: nil)
            var names: [String] = []
            while let row = try reader.next() {
                if row.number > 1, row.cells.count > 4, !row.cells[0].isEmpty { names.append(row.cells[0].text) }
            }
            XCTAssertEqual(Set(names), ["肃州区阳光社会工作服务中心", "金塔县阳光社工站"])
        }
    }

    func testTheAccountExportListsEveryAccountInWordsWithoutSecrets() async throws {
        try await withApp { app in
            // setup: the security administrator, an official and a disabled worker account
            let security = try await BrowserSession.signIn(app, grant: .securityAdministrator, username: "sec.admin")
            let official = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(Self.suzhou).get(), access: .readWrite),
                                                           username: "suzhou.office")
            let accounts = try app.shegong.accounts()
            _ = try await accounts.create(username: "ops.mz", grant: .departmentOperator(department: "民政局", region: try RegionCode.parse(Self.jinta).get()),
                                          actor: "test")
            // act
            let page = try await security.get("/admin/users")
            let file = try await security.get("/admin/users?format=csv")
            let english = try await security.send(.GET, "/api/v1/accounts/export?format=csv&lang=en")
            let refused = try await official.get("/admin/users?format=csv")
            let refusedAPI = try await official.send(.GET, "/api/v1/accounts/export?format=csv")
            // check: every account, as the page lists them, in words
            XCTAssertTrue(page.body.string.contains(#"id="accounts-export-csv""#))
            XCTAssertEqual(file.status, .ok, file.body.string)
            let exported = Self.rows(file.body.string)
            XCTAssertEqual(exported.header, ["用户名", "所属单位或人员", "角色", "地区", "地区代码", "权限", "部门", "状态", "上次登录（北京时间 UTC+8）"])
            let listed = try await accounts.accounts()
            XCTAssertEqual(exported.rows.map { $0[0] }, listed.map(\.username))
            let office = try XCTUnwrap(exported.rows.first { $0[0] == "suzhou.office" })
            XCTAssertEqual(Array(office[2...7]), ["业务人员", "肃州区", Self.suzhou, "读写", "", "正常"])
            XCTAssertTrue(office[8].hasPrefix("20"), "the sign-in time: \(office[8])")
            let operatorRow = try XCTUnwrap(exported.rows.first { $0[0] == "ops.mz" })
            XCTAssertEqual(operatorRow[3], "金塔县")
            XCTAssertEqual(operatorRow[6], "民政局")
            XCTAssertEqual(operatorRow[8], "", "never signed in")
            XCTAssertFalse(file.body.string.contains("$2"), "no bcrypt hash")
            XCTAssertFalse(file.body.string.lowercased().contains("password_hash"))
            XCTAssertEqual(english.status, .ok)
            XCTAssertTrue(english.body.string.contains("Last sign-in (Beijing time, UTC+8)"), english.body.string)
            XCTAssertEqual(refused.status, .forbidden)
            XCTAssertEqual(refusedAPI.status, .forbidden)
            let entries = try await app.shegong.auditLog.search(sql: app.sql, AuditQuery(action: "user.export"))
            XCTAssertEqual(entries.count, 2)
            XCTAssertTrue(entries.allSatisfy { $0.entry.actor == "sec.admin" && $0.entry.details?.contains("rows=\(listed.count)") == true })
        }
    }

    func testTheAuditExportIsTheSearchAsThePageShowsItWithTheChainHash() async throws {
        try await withApp { app in
            // setup: the audit administrator, and an official whose work fills the log
            let audit = try await BrowserSession.signIn(app, grant: .auditAdministrator, username: "aud.admin")
            let official = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(Self.suzhou).get(), access: .read),
                                                           username: "suzhou.reader")
            _ = try await official.get("/people?format=csv")
            _ = try await official.get("/people?format=csv")
            let search = AuditQuery(actor: "suzhou.reader", action: "person")
            let found = try await app.shegong.auditLog.search(sql: app.sql, search)
            // act
            let page = try await audit.get("/admin/audit?actor=suzhou.reader&action=person")
            let file = try await audit.get("/admin/audit?actor=suzhou.reader&action=person&format=csv")
            let api = try await audit.send(.GET, "/api/v1/audit/export?actor=suzhou.reader&action=person&format=xlsx")
            let badDate = try await audit.send(.GET, "/api/v1/audit/export?since=yesterday")
            let refused = try await official.get("/admin/audit?format=csv")
            let refusedAPI = try await official.send(.GET, "/api/v1/audit/export?format=csv")
            // check: the two exports, newest first, with names, Beijing time and the chain hash
            XCTAssertTrue(page.body.string.contains("actor=suzhou.reader&amp;action=person&amp;format=csv"), "the link keeps the search")
            XCTAssertEqual(file.status, .ok, file.body.string)
            let exported = Self.rows(file.body.string)
            XCTAssertEqual(exported.header, ["#", "时间（北京时间 UTC+8）", "用户", "IP 地址", "操作", "操作代码", "对象", "结果", "详情", "链哈希"])
            XCTAssertEqual(found.count, 2)
            XCTAssertEqual(exported.rows.map { $0[0] }, found.map { String($0.id) })
            XCTAssertEqual(exported.rows.map { $0[9] }, found.map(\.hash))
            XCTAssertEqual(Set(exported.rows.map { $0[4] }), ["导出人员名单"])
            XCTAssertEqual(Set(exported.rows.map { $0[7] }), ["成功"])
            let beijing = DateFormatter()
            beijing.locale = Locale(identifier: "en_US_POSIX")
            beijing.timeZone = TimeZone(identifier: "Asia/Shanghai")
            beijing.dateFormat = "yyyy-MM-dd HH:mm:ss"
            XCTAssertEqual(exported.rows.first?[1], beijing.string(from: found[0].entry.at))
            XCTAssertEqual(exported.notes, ["共 2 条，最新的在前。"])
            XCTAssertEqual(api.status, .ok)
            XCTAssertEqual(api.headers.contentType?.subType, "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            XCTAssertEqual(badDate.status, .badRequest)
            XCTAssertEqual(refused.status, .forbidden)
            XCTAssertEqual(refusedAPI.status, .forbidden)
            let entries = try await app.shegong.auditLog.search(sql: app.sql, AuditQuery(action: "audit.export"))
            XCTAssertEqual(entries.count, 2)
            XCTAssertTrue(entries.allSatisfy { $0.entry.actor == "aud.admin" && $0.entry.details?.contains("rows=2") == true },
                          entries.map { $0.entry.details ?? "" }.joined(separator: " | "))
        }
    }

    func testABigAuditExportStopsAtItsCapAndSaysSo() async throws {
        try await withApp { app in
            // setup: five entries of one actor
            let accounts = try app.shegong.accounts()
            _ = try await accounts.create(username: "aud.admin", grant: .auditAdministrator, actor: "test")
            for n in 0..<5 {
                try await app.shegong.auditLog.append(db: app.db, through: app.shegong.writeQueue,
                                                      AuditEntry(at: Date(), actor: "busy", action: .auditSearch, objectType: "audit_log", details: "n=\(n)"))
            }
            let found = try await accounts.commandLinePrincipal(username: "aud.admin")
            let principal = try XCTUnwrap(found)
            let service = AuditService(context: ServiceContext(db: app.db, cipher: app.shegong.cipher, auditLog: app.shegong.auditLog,
                                                               writes: app.shegong.writeQueue),
                                       caller: Caller(principal: principal, address: nil, origin: "test"))
            let url = try writeTemp("", ext: "csv")
            // act: at most three, read in batches
            let written = try await service.export(AuditQuery(actor: "busy"), filters: "actor=busy", to: url, format: .csv, language: .en, maxRows: 3)
            // check: the newest three, and the file says the rest were left out
            XCTAssertEqual(written.rows, 3)
            XCTAssertTrue(written.capped)
            let exported = Self.rows(try String(contentsOf: url, encoding: .utf8))
            XCTAssertEqual(exported.rows.map { $0[8] }, ["n=4", "n=3", "n=2"])
            XCTAssertEqual(exported.notes.count, 2)
            XCTAssertTrue(exported.notes[1].contains("Only the newest 3 entries"), exported.notes.joined())
        }
    }
}
