import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// The account forms choose the organisation an organisation manager acts for and the person a
/// social worker's account is, by name (a search, then a list of the matches with the credit code
/// or the masked ID number); the form still posts the record id, and no page shows it.
final class AccountPicksPageTests: XCTestCase {
    static let creditCode = "91110000600037341L"

    /// 张三 (employed by 阳光社会工作服务中心, with its credit code) and 张伟, both of 肃州区; their ids
    /// and the organisation's.
    func load(_ app: Application) async throws -> (zhangsan: String, zhangwei: String, organization: String) {
        var zhangsan = CensusRow()
        zhangsan.creditCode = Self.creditCode
        var zhangwei = CensusRow()
        zhangwei.name = "张伟"; zhangwei.id = CensusRow.makeID(2); zhangwei.number = "2024620002"; zhangwei.employer = ""; zhangwei.mobile = ""
        let report = try await importFile(app, try writeTemp(CensusRow.csv([zhangsan, zhangwei])))
        XCTAssertTrue(report.committed, "\(report.issues)")
        func id(_ table: String, _ name: String) async throws -> String {
            try await app.sql.select().column("id").from(table).where("name", .equal, name).first()!.decode(column: "id", as: String.self)
        }
        return (try await id("people", "张三"), try await id("people", "张伟"), try await id("organizations", zhangsan.employer))
    }

    /// The page without the option values the form posts: what a user reads.
    static func visible(_ html: String, ids: [String]) -> String {
        ids.reduce(html) { $0.replacingOccurrences(of: #"value="\#($1)""#, with: "") }
    }

    static func option(_ html: String, value: String) -> String? {
        guard let start = html.range(of: #"<option value="\#(value)""#) else { return nil }
        let rest = html[start.lowerBound...]
        return rest.range(of: "</option>").map { String(rest[..<$0.upperBound]) }
    }

    func testTheSystemAdministratorFindsTheOrganisationByNameAndCreatesItsManager() async throws {
        try await withApp { app in
            // setup
            let ids = try await load(app)
            let admin = try await BrowserSession.signIn(app, grant: .systemAdministrator, username: "sys.admin")
            _ = try await admin.get("/admin/users")

            // act: a search by words of the name
            let found = try await admin.post("/admin/users", form: ["username": "sunshine.mgr", "role": Role.organizationManager.rawValue,
                                                                    "organization_q": "阳光", "holder_go": "1"])
            // check: the match by name, with its region and credit code; nothing created yet
            XCTAssertEqual(found.status, .ok, found.body.string)
            let option = try XCTUnwrap(Self.option(found.body.string, value: ids.organization), found.body.string)
            XCTAssertTrue(option.contains("酒泉市肃州区阳光社会工作服务中心") && option.contains("肃州区") && option.contains(Self.creditCode), option)
            XCTAssertTrue(option.contains("selected"), "the one match is chosen: \(option)")
            let none = try await app.sql.select().column("id").from("users").where("username", .equal, "sunshine.mgr").first()
            XCTAssertNil(none, "a search creates nothing")

            // act: the form posts the chosen record's id
            let created = try await admin.post("/admin/users", form: ["username": "sunshine.mgr", "role": Role.organizationManager.rawValue,
                                                                      "organization_q": "阳光", "organization": ids.organization])
            // check: the account acts for the organisation, and the list shows it by name, never its id
            XCTAssertEqual(created.status, .ok, created.body.string)
            let stored = try await app.sql.select().column("organization_id").from("users").where("username", .equal, "sunshine.mgr").first()
            XCTAssertEqual(try stored?.decode(column: "organization_id", as: String?.self), ids.organization)
            let list = try await admin.get("/admin/users").body.string
            XCTAssertTrue(list.contains("酒泉市肃州区阳光社会工作服务中心"), list)
            XCTAssertFalse(Self.visible(list, ids: [ids.organization, ids.zhangsan, ids.zhangwei]).contains(ids.organization))

            // act / check: a search by the credit code finds it too; a search without a match says so
            let byCode = try await admin.post("/admin/users", form: ["role": Role.organizationManager.rawValue, "organization_q": Self.creditCode,
                                                                     "holder_go": "1"])
            XCTAssertNotNil(Self.option(byCode.body.string, value: ids.organization))
            let nothing = try await admin.post("/admin/users", form: ["role": Role.organizationManager.rawValue, "organization_q": "不存在的机构",
                                                                      "holder_go": "1"])
            XCTAssertTrue(nothing.body.string.contains("没有与“不存在的机构”相符的记录"), nothing.body.string)
        }
    }

    func testASocialWorkersAccountIsChosenByNameAndMaskedIDNumberAndGrantedByName() async throws {
        try await withApp { app in
            // setup
            let ids = try await load(app)
            let admin = try await BrowserSession.signIn(app, grant: .systemAdministrator, username: "sys.admin")
            _ = try await admin.get("/admin/users")

            // act: the first character of the name finds both people
            let found = try await admin.post("/admin/users", form: ["username": "zhang.san", "role": Role.socialWorker.rawValue,
                                                                    "person_q": "张", "holder_go": "1"])
            // check: each by name and masked ID number; the full ID number and the record ids are not shown
            let html = found.body.string
            let first = try XCTUnwrap(Self.option(html, value: ids.zhangsan), html)
            let id = CensusRow.makeID(1), masked = String(id.prefix(3)) + String(repeating: "*", count: 11) + String(id.suffix(4))
            XCTAssertTrue(first.contains("张三") && first.contains(masked) && first.contains("肃州区"), first)
            XCTAssertNotNil(Self.option(html, value: ids.zhangwei))
            XCTAssertFalse(html.contains(CensusRow.makeID(1)), "the ID number is masked")
            XCTAssertFalse(Self.visible(html, ids: [ids.zhangsan, ids.zhangwei, ids.organization]).contains(ids.zhangsan))
            // the administrator's look into the registry is on record; an ID number searched for is not
            _ = try await admin.post("/admin/users", form: ["username": "zhang.san", "role": Role.socialWorker.rawValue,
                                                            "person_q": CensusRow.makeID(1), "holder_go": "1"])
            let searches = try await app.sql.select().columns("actor", "details").from("audit_log")
                .where("action", .equal, "account.holder_search").all()
                .map { "\(try $0.decode(column: "actor", as: String.self)) \(try $0.decode(column: "details", as: String.self))" }
            XCTAssertEqual(searches.first, "sys.admin name=张")
            XCTAssertTrue(searches.contains("sys.admin idNumber=…"), "\(searches)")
            XCTAssertFalse(searches.contains { $0.contains(CensusRow.makeID(1)) })

            // act: 张三 chosen
            let created = try await admin.post("/admin/users", form: ["username": "zhang.san", "role": Role.socialWorker.rawValue,
                                                                      "person_q": "张", "person": ids.zhangsan])
            XCTAssertEqual(created.status, .ok, created.body.string)
            let stored = try await app.sql.select().column("person_id").from("users").where("username", .equal, "zhang.san").first()
            XCTAssertEqual(try stored?.decode(column: "person_id", as: String?.self), ids.zhangsan)

            // check: the security administrator's grant page has 张三 chosen, by name
            let security = try await BrowserSession.signIn(app, grant: .securityAdministrator, username: "sec.admin")
            let grant = try await security.get("/admin/users/zhang.san/grant")
            XCTAssertEqual(grant.status, .ok, grant.body.string)
            let chosen = try XCTUnwrap(Self.option(grant.body.string, value: ids.zhangsan), grant.body.string)
            XCTAssertTrue(chosen.contains("selected") && chosen.contains("张三"), chosen)
            XCTAssertFalse(Self.visible(grant.body.string, ids: [ids.zhangsan]).contains(ids.zhangsan))
            let list = try await security.get("/admin/users").body.string
            XCTAssertTrue(list.contains("张三"), list)
        }
    }

    func testNobodyButTheAccountAdministratorsSearchesHolders() async throws {
        try await withApp { app in
            _ = try await load(app)
            let official = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                           username: "suzhou.rw")
            let refused = try await official.post("/admin/users", form: ["role": Role.socialWorker.rawValue, "person_q": "张", "holder_go": "1"])
            XCTAssertEqual(refused.status, .forbidden)
            XCTAssertFalse(refused.body.string.contains("张三"))
        }
    }
}
