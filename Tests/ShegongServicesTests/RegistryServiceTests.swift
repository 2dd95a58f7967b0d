import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The registry's use cases without a web server (issue #11): the caller's scope decides which
/// people, organisations and regions they see and change, and every refusal is audited whether
/// the call comes from the API, a page or an operator command.
@Suite struct RegistryServiceTests {
    /// Suzhou district (肃州区) of Jiuquan, and Jinta county (金塔县) beside it.
    static let suzhou = "620902", jinta = "620921"

    /// A person in `county`, working for the organisation of `creditCode` when given.
    static func record(_ n: Int, name: String, county: String, creditCode: String? = nil) throws -> CensusRecord {
        let id = try #require(ResidentID.make(addressCode: county, birthDate: CivilDate(year: 1988, month: 5, day: 20)!, sequence: n))
        let employer = try creditCode.map { code -> SocialCreditCode in
            guard case .success(let parsed) = SocialCreditCode.parse(code) else { throw Unexpected() }
            return parsed
        }
        return CensusRecord(row: n, name: name, residentID: id, mobile: try MobileNumber.parse("1381234567\(n % 10)").get(),
                            regionCode: county, employerName: employer == nil ? nil : "肃州区阳光社工服务中心", employerCode: employer,
                            postCategory: .communityWorker)
    }

    /// Saves a person as the import would (no caller): the setup, not the use case under test.
    static func person(_ context: ServiceContext, _ record: CensusRecord) async throws -> String {
        try await PersonStore(db: context.db, cipher: context.cipher).save(record, target: nil, actor: "setup", source: "test").personID
    }

    /// A valid unified social credit code (GB 32100).
    static let creditCode = "91110000600037341L"

    struct Unexpected: Error {}

    static func entries(_ context: ServiceContext, _ action: String) async throws -> [AuditEntry] {
        try await context.auditLog.search(sql: context.sql, AuditQuery(action: action)).map(\.entry)
    }

    @Test func aPersonOutsideTheCallersScopeIsTheAuditedNotFound() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a Jinta worker, and a Suzhou official
            let jintaWorker = try await Self.person(context, try Self.record(1, name: "金塔人", county: Self.jinta))
            let official = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let people = PersonService(context: context, caller: official)
            // act
            let error = await #expect(throws: StoreError.self) { try await people.person(jintaWorker) }
            let missing = await #expect(throws: StoreError.self) { try await people.person("no-such-person") }
            let listed = try await people.list(PersonFilter())
            // check: the same answer as a person who does not exist, and the attempt audited
            #expect(error?.kind == .notFound)
            #expect(error?.message == missing?.message)
            #expect(listed.total == 0)
            let denied = try await Self.entries(context, "access.denied")
            #expect(denied.map(\.actor) == ["suzhou"])
            #expect(denied.first?.objectID == jintaWorker)
            #expect(denied.first?.result == .denied)
        }
    }

    @Test func aReadOnlyOfficialsUpdateIsRefusedAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let record = try Self.record(2, name: "王五", county: Self.suzhou)
            let id = try await Self.person(context, record)
            let reader = try await context.caller(.official(Self.suzhou, .read), username: "reader")
            var renamed = record
            renamed.name = "王六"
            // act
            await #expect(throws: AccessDenied.self) {
                _ = try await PersonService(context: context, caller: reader).save(renamed, target: id, source: "test")
            }
            // check: nothing changed, the refusal is in the log under the reader's name
            #expect(try await context.people.detail(id: id)?.person.name == "王五")
            #expect(try await Self.entries(context, "person.update").isEmpty)
            let denied = try await Self.entries(context, "access.denied")
            #expect(denied.map(\.actor) == ["reader"])
            #expect(denied.first?.details?.contains("auth.role_forbidden") == true)
        }
    }

    @Test func aReadWriteOfficialsUpdateIsAuditedInItsTransaction() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let record = try Self.record(3, name: "赵一", county: Self.suzhou)
            let id = try await Self.person(context, record)
            let writer = try await context.caller(.official(Self.suzhou, .readWrite), username: "writer")
            var renamed = record
            renamed.name = "赵二"
            // act
            let saved = try await PersonService(context: context, caller: writer).save(renamed, target: id, source: "test")
            // check
            #expect(saved.person.person.name == "赵二")
            #expect(!saved.created)
            let updates = try await Self.entries(context, "person.update")
            #expect(updates.map(\.actor) == ["writer"])
            #expect(updates.first?.objectID == id)
            #expect(try await PersonService(context: context, caller: writer).history(id).contains { $0.after == "赵二" })
        }
    }

    @Test func anOrganisationManagerSeesOnlyItsStaff() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: two Suzhou people at the organisation, one elsewhere
            let code = Self.creditCode
            let organization = try await OrganizationStore(db: context.db)
                .create(.init(name: "肃州区阳光社工服务中心", creditCode: code, kind: nil, regionCode: Self.suzhou))
            let staff = [try await Self.person(context, try Self.record(4, name: "甲", county: Self.suzhou, creditCode: code)),
                         try await Self.person(context, try Self.record(5, name: "乙", county: Self.suzhou, creditCode: code))]
            let outsider = try await Self.person(context, try Self.record(6, name: "丙", county: Self.suzhou))
            let manager = try await context.caller(.organizationManager(organization: organization.id), username: "manager")
            // act
            let listed = try await PersonService(context: context, caller: manager).list(PersonFilter())
            let ownStaff = try await OrganizationService(context: context, caller: manager).staff(of: organization.id, page: 1)
            let organizations = try await OrganizationService(context: context, caller: manager).list(regionCode: nil, name: nil, page: 1, perPage: 50)
            // check
            #expect(Set(listed.items.map(\.id)) == Set(staff))
            #expect(Set(ownStaff.items.map(\.id)) == Set(staff))
            #expect(organizations.items.map(\.id) == [organization.id])
            await #expect(throws: StoreError.self) { _ = try await PersonService(context: context, caller: manager).person(outsider) }
        }
    }

    @Test func aRevealByADepartmentOperatorIsRefusedAndAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let id = try await Self.person(context, try Self.record(7, name: "钱七", county: Self.suzhou))
            let operatorCaller = try await context.caller(.departmentOperator(department: "市民政局", region: try RegionCode.parse(Self.suzhou).get()),
                                                          username: "civil")
            let official = try await context.caller(.official(Self.suzhou, .read), username: "reader")
            // act
            let refused = await #expect(throws: AccessDenied.self) { _ = try await PersonService(context: context, caller: operatorCaller).reveal(id) }
            let revealed = try await PersonService(context: context, caller: official).reveal(id)
            // check: the operator sees nothing; an official of the region sees the full number, audited
            #expect(refused?.code == "reveal.forbidden")
            #expect(revealed.person.idNumber == (try Self.record(7, name: "钱七", county: Self.suzhou)).residentID.value)
            #expect(try await Self.entries(context, "access.denied").map(\.actor) == ["civil"])
            #expect(try await Self.entries(context, "person.reveal").map(\.actor) == ["reader"])
        }
    }

    /// `shegong import regions FILE --as USER` runs this use case.
    @Test func aRegionImportByAReadOnlyAccountIsRefusedAndByAReadWriteAccountAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let reader = try await context.caller(.official(Self.suzhou, .read), username: "reader")
            let writer = try await context.caller(.official(Self.suzhou, .readWrite), username: "writer")
            let rows = [["地区代码", "地区名称"], ["620902901", "测试镇"], ["620902901001", "测试村"]]
            // act
            await #expect(throws: AccessDenied.self) {
                _ = try await RegionService(context: context, caller: reader).importRegions(reader: Rows(rows), fileName: "regions.csv")
            }
            let afterRefusal = try await context.regions.region(code: "620902901")
            let report = try await RegionService(context: context, caller: writer).importRegions(reader: Rows(rows), fileName: "regions.csv")
            // check
            #expect(afterRefusal == nil)
            #expect(report.added == 2)
            #expect(report.issues.isEmpty)
            #expect(try await context.regions.region(code: "620902901001")?.name == "测试村")
            #expect(try await Self.entries(context, "access.denied").map(\.actor) == ["reader"])
            let imports = try await Self.entries(context, "region.import")
            #expect(imports.map(\.actor) == ["writer"])
            #expect(imports.first?.details == "added=2 unchanged=0")
        }
    }

    @Test func aRegionImportOutsideTheAccountsRegionAddsNothing() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a Suzhou official's file names a Jinta township too
            let writer = try await context.caller(.official(Self.suzhou, .readWrite), username: "writer")
            let rows = [["地区代码", "地区名称"], ["620902902", "本区镇"], ["620921902", "邻县镇"]]
            // act
            let report = try await RegionService(context: context, caller: writer).importRegions(reader: Rows(rows), fileName: "regions.csv")
            // check: all rows or none, the refused row named, the attempt audited as a failure
            #expect(report.added == 0)
            #expect(report.issues.map(\.code) == ["regions.outside_scope"])
            #expect(report.issues.first?.row == 3)
            #expect(try await context.regions.region(code: "620902902") == nil)
            #expect(try await Self.entries(context, "region.import").map(\.result) == [.failure])
        }
    }

    @Test func aRenameByAnOfficialOfAnotherCountyIsTheAuditedNotFound() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let writer = try await context.caller(.official(Self.suzhou, .readWrite), username: "writer")
            // act
            let error = await #expect(throws: StoreError.self) { _ = try await RegionService(context: context, caller: writer).rename(Self.jinta, to: "改名") }
            // check
            #expect(error?.code == "region.unknown")
            #expect(try await context.regions.region(code: Self.jinta)?.name != "改名")
            #expect(try await Self.entries(context, "access.denied").map(\.objectID) == [Self.jinta])
        }
    }
}

/// Spreadsheet rows from literals.
final class Rows: SpreadsheetRowReader, @unchecked Sendable {
    var rows: [SpreadsheetRow]

    init(_ cells: [[String]]) {
        rows = cells.enumerated().map { SpreadsheetRow(number: $0.offset + 1, cells: $0.element.map { .text($0) }) }
    }

    func next() throws -> SpreadsheetRow? { rows.isEmpty ? nil : rows.removeFirst() }
}
