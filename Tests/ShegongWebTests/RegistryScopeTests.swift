import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Record-level scope of the registry API (issue #3 §2) and its audit entries (§3), on SQLite
/// and on PostgreSQL (SHEGONG_TEST_DATABASE).
final class RegistryScopeTests: XCTestCase {
    static let otherCounty = "620921"   // 金塔县, beside 肃州区

    /// 张三 and 李四 in 肃州区 at two employers, 王五 in 金塔县.
    func loadPeople(_ app: Application) async throws -> (zhang: String, li: String, wang: String) {
        var li = CensusRow()
        li.name = "李四"; li.id = CensusRow.makeID(2); li.number = "2024620002"; li.employer = "酒泉市肃州区阳光养老院"; li.mobile = "13812345679"
        var wang = CensusRow()
        wang.name = "王五"; wang.id = CensusRow.makeID(3); wang.number = "2024620003"; wang.region = Self.otherCounty; wang.employer = "金塔县社会工作站"
        wang.mobile = "13812345670"
        let report = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow(), li, wang])))
        XCTAssertTrue(report.committed, "\(report.issues)")
        func id(_ name: String) async throws -> String {
            try await app.sql.raw("SELECT id FROM people WHERE name = \(bind: name)").first()!.decode(column: "id", as: String.self)
        }
        return (try await id("张三"), try await id("李四"), try await id("王五"))
    }

    func organizationID(_ app: Application, _ name: String) async throws -> String {
        try await app.sql.raw("SELECT id FROM organizations WHERE name = \(bind: name)").first()!.decode(column: "id", as: String.self)
    }

    func auditRows(_ app: Application, action: String, object: String? = nil) async throws -> [(actor: String, result: String, details: String?)] {
        var query = app.sql.select().columns("actor", "result", "details").from("audit_log").where("action", .equal, action)
        if let object { query = query.where("object_id", .equal, object) }
        return try await query.orderBy("id").all().map {
            (try $0.decode(column: "actor"), try $0.decode(column: "result"), try $0.decode(column: "details"))
        }
    }

    func county(_ access: Access, code: String = CensusRow.county) throws -> Grant {
        .official(region: try RegionCode.parse(code).get(), access: access)
    }

    func names(_ res: XCTHTTPResponse) throws -> [String] {
        try res.content.decode(Page<PersonSummary>.self).items.map(\.name)
    }

    func testCountyOfficialSeesOnlyTheirCountyAndOtherRecordsAreAuditedNotFound() async throws {
        try await withApp { app in
            // setup
            let people = try await loadPeople(app)
            let token = try await app.token(try county(.read), username: "suzhou-reader")
            // act, check
            try await app.api(.GET, "/api/v1/people", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(Set(try self.names(res)), ["张三", "李四"])
            }
            try await app.api(.GET, "/api/v1/people?name=%E7%8E%8B", token: token) { res in XCTAssertEqual(try self.names(res), []) }
            try await app.api(.GET, "/api/v1/people/\(people.wang)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            let denied = try await auditRows(app, action: "access.denied", object: people.wang)
            XCTAssertEqual(denied.map(\.actor), ["suzhou-reader"])
            XCTAssertEqual(denied.first?.result, "denied")
            try await app.api(.GET, "/api/v1/people/\(people.zhang)", token: token) { res in XCTAssertEqual(res.status, .ok) }
            try await app.api(.GET, "/api/v1/people?region=\(Self.otherCounty)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.GET, "/api/v1/certificates", token: token) { res in
                XCTAssertEqual(Set(try res.content.decode(Page<CertificateListItem>.self).items.map(\.personName)), ["张三", "李四"])
            }
            try await app.api(.GET, "/api/v1/organizations", token: token) { res in
                XCTAssertFalse(try res.content.decode(Page<OrganizationInfo>.self).items.map(\.name).contains("金塔县社会工作站"))
            }
            let otherOrganization = try await organizationID(app, "金塔县社会工作站")
            try await app.api(.GET, "/api/v1/organizations/\(otherOrganization)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            // A read-only official changes nothing.
            try await app.api(.PUT, "/api/v1/people/\(people.zhang)", token: token, beforeRequest: { req in
                try req.content.encode(PersonInput(name: "改名"), as: .json)
            }) { res in XCTAssertEqual(res.status, .forbidden) }
            try await app.api(.POST, "/api/v1/people", token: token, beforeRequest: { req in
                try req.content.encode(PersonInput(name: "新人"), as: .json)
            }) { res in XCTAssertEqual(res.status, .forbidden) }
        }
    }

    func testReadWriteOfficialCannotWriteOutsideTheirCounty() async throws {
        try await withApp { app in
            let people = try await loadPeople(app)
            let token = try await app.token(try county(.readWrite), username: "suzhou-writer")
            // Moving 张三 to 金塔县 is refused beside the region field; 王五 cannot be touched at all.
            var moved = try await app.personStore.censusRecord(id: people.zhang)!
            moved.regionCode = Self.otherCounty
            try await app.api(.PUT, "/api/v1/people/\(people.zhang)", token: token, beforeRequest: { req in
                try req.content.encode(PersonInput(record: moved), as: .json)
            }) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains("census.scope.region"), res.body.string)
            }
            try await app.api(.PUT, "/api/v1/people/\(people.wang)", token: token, beforeRequest: { req in
                try req.content.encode(PersonInput(record: moved), as: .json)
            }) { res in XCTAssertEqual(res.status, .notFound) }
            let region: String = try await app.sql.raw("SELECT region_code FROM people WHERE id = \(bind: people.zhang)").first()!.decode(column: "region_code")
            XCTAssertEqual(region, CensusRow.county)
            let updates = try await auditRows(app, action: "person.update").count
            XCTAssertEqual(updates, 0)
        }
    }

    func testOrganizationManagerSeesAndAddsOnlyTheirStaff() async throws {
        try await withApp { app in
            let people = try await loadPeople(app)
            let own = try await organizationID(app, CensusRow().employer)
            let token = try await app.token(.organizationManager(organization: own), username: "sunshine-manager")
            try await app.api(.GET, "/api/v1/people", token: token) { res in XCTAssertEqual(try self.names(res), ["张三"]) }
            try await app.api(.GET, "/api/v1/people/\(people.li)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            var newcomer = CensusRow()
            newcomer.name = "赵六"; newcomer.id = CensusRow.makeID(4); newcomer.number = "2024620004"; newcomer.mobile = "13812345671"
            newcomer.employer = "酒泉市肃州区阳光养老院"
            var record = try XCTUnwrap(try? CensusHeader.standard.record(from: SpreadsheetRow(number: 2, cells: newcomer.cells.map { $0.isEmpty ? .empty : .text($0) }),
                                                                        today: CivilDate.today()).get())
            try await app.api(.POST, "/api/v1/people", token: token, beforeRequest: { req in
                try req.content.encode(PersonInput(record: record), as: .json)
            }) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains("census.scope.organization"), res.body.string)
            }
            let peopleAfterRefusal = try await app.count("people")
            XCTAssertEqual(peopleAfterRefusal, 3)
            record.employerName = CensusRow().employer
            try await app.api(.POST, "/api/v1/people", token: token, beforeRequest: { req in
                try req.content.encode(PersonInput(record: record), as: .json)
            }) { res in XCTAssertEqual(res.status, .created) }
            let creators = try await auditRows(app, action: "person.create").map(\.actor)
            XCTAssertEqual(creators, ["sunshine-manager"])
        }
    }

    func testSocialWorkerSeesOnlyThemself() async throws {
        try await withApp { app in
            let people = try await loadPeople(app)
            let token = try await app.token(.socialWorker(person: people.li), username: "lisi")
            try await app.api(.GET, "/api/v1/people", token: token) { res in XCTAssertEqual(try self.names(res), ["李四"]) }
            try await app.api(.GET, "/api/v1/people/\(people.zhang)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.GET, "/api/v1/people/\(people.li)?reveal=true", token: token) { res in
                XCTAssertEqual(try res.content.decode(PersonDetail.self).person.idNumber, CensusRow.makeID(2))
            }
            try await app.api(.PUT, "/api/v1/people/\(people.li)", token: token, beforeRequest: { req in
                try req.content.encode(PersonInput(name: "李四"), as: .json)
            }) { res in XCTAssertEqual(res.status, .forbidden) }
        }
    }

    func testRevealShowsFullIdentifiersAndIsAudited() async throws {
        try await withApp { app in
            let people = try await loadPeople(app)
            try await app.api(.GET, "/api/v1/people/\(people.zhang)") { res in
                XCTAssertNotEqual(try res.content.decode(PersonDetail.self).person.idNumber, CensusRow.makeID(1))
            }
            let revealsBefore = try await auditRows(app, action: "person.reveal").count
            XCTAssertEqual(revealsBefore, 0)
            try await app.api(.GET, "/api/v1/people/\(people.zhang)?reveal=true") { res in
                let person = try res.content.decode(PersonDetail.self).person
                XCTAssertEqual(person.idNumber, CensusRow.makeID(1))
                XCTAssertEqual(person.mobile, "13812345678")
            }
            let revealers = try await auditRows(app, action: "person.reveal", object: people.zhang).map(\.actor)
            XCTAssertEqual(revealers, ["national-official"])
        }
    }

    func testPersonUpdateAndItsAuditEntryShareOneTransaction() async throws {
        try await withApp { app in
            let people = try await loadPeople(app)
            var record = try await app.personStore.censusRecord(id: people.zhang)!
            // A failed validation: neither the change nor an audit entry.
            var bad = PersonInput(record: record)
            bad.name = "张三丰"
            bad.mobile = "12345"
            try await app.api(.PUT, "/api/v1/people/\(people.zhang)", beforeRequest: { req in try req.content.encode(bad, as: .json) }) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
            }
            let updates = try await auditRows(app, action: "person.update").count
            XCTAssertEqual(updates, 0)
            // An audit log that refuses the entry: the valid change is rolled back with it.
            try await Self.refuseAuditInserts(app)
            record.name = "张三丰"
            try await app.api(.PUT, "/api/v1/people/\(people.zhang)", beforeRequest: { req in try req.content.encode(PersonInput(record: record), as: .json) }) { res in
                XCTAssertEqual(res.status, .internalServerError)
            }
            let name: String = try await app.sql.raw("SELECT name FROM people WHERE id = \(bind: people.zhang)").first()!.decode(column: "name")
            XCTAssertEqual(name, "张三")
            let historyRows = try await app.sql.raw("SELECT COUNT(*) AS n FROM person_changes WHERE after = \(bind: "张三丰")").first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(historyRows, 0)
        }
    }

    func testImportRejectsRowsOutsideTheScopeAndEveryAttemptIsAudited() async throws {
        try await withApp { app in
            let token = try await app.token(try county(.readWrite), username: "suzhou-writer")
            var outside = CensusRow()
            outside.name = "王五"; outside.id = CensusRow.makeID(3); outside.number = "2024620003"; outside.region = Self.otherCounty
            let file = CensusRow.csv([CensusRow(), outside])
            try await app.api(.POST, "/api/v1/imports/census?dryRun=true", token: token, beforeRequest: { req in
                req.body = ByteBuffer(string: file)
            }) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("census.scope.region"), res.body.string)
            }
            let peopleAfterDryRun = try await app.count("people")
            XCTAssertEqual(peopleAfterDryRun, 0)
            try await app.api(.POST, "/api/v1/imports/census", token: token, beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([CensusRow()]))
            }) { res in XCTAssertEqual(res.status, .ok) }
            let imports = try await auditRows(app, action: "census.import")
            XCTAssertEqual(imports.map(\.result), ["failure", "success"])
            XCTAssertTrue(imports[0].details?.contains("dryRun=true") ?? false)
            XCTAssertTrue(imports[1].details?.contains("created=1") ?? false)
        }
    }

    func testExportHoldsOnlyTheScopeAndIsAudited() async throws {
        try await withApp { app in
            _ = try await loadPeople(app)
            let token = try await app.token(try county(.read), username: "suzhou-reader")
            try await app.api(.GET, "/api/v1/exports/census?format=csv", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("张三"))
                XCTAssertFalse(res.body.string.contains("王五"))
                XCTAssertFalse(res.body.string.contains(CensusRow.makeID(1)))
            }
            try await app.api(.GET, "/api/v1/exports/census?format=csv&reveal=true", token: token) { res in XCTAssertEqual(res.status, .forbidden) }
            try await app.api(.GET, "/api/v1/exports/census?format=csv&region=\(Self.otherCounty)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            let exports = try await auditRows(app, action: "census.export")
            XCTAssertEqual(exports.map(\.actor), ["suzhou-reader"])
            XCTAssertTrue(exports.first?.details?.contains("people=2") ?? false)
        }
    }

    /// Makes every insert into the audit log fail, as a full disk or a broken chain would.
    static func refuseAuditInserts(_ app: Application) async throws {
        if TestDatabase.baseURL == nil {
            try await app.sql.raw("CREATE TRIGGER audit_log_refuse_insert BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'refused'); END").run()
        } else {
            try await app.sql.raw("CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$").run()
            try await app.sql.raw("CREATE TRIGGER audit_log_refuse_insert BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()").run()
        }
    }
}

extension Application {
    var personStore: PersonStore { PersonStore(db: db, cipher: shegong.cipher) }
}

extension PersonInput {
    init(name: String) {
        self.init()
        self.name = name
    }
}
