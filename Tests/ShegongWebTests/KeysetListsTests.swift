import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor
import XCTVapor
import XCTest
@testable import ShegongWeb

/// The other lists at national scale (issue #15 §1, docs/lists.md "The other lists"):
/// organisations, applications, a batch's payment lines and the audit search page by a keyset
/// from an index, so rows written while someone pages neither repeat nor drop a row; totals are
/// exact below the cap; the caller's scope stays a condition of every page. SQLite and PostgreSQL.
final class KeysetListsTests: XCTestCase {
    static let surnames = ["张", "王", "李", "赵", "章", "弓", "Alpha", "beta"]
    static let suzhou = RegionSubtree(code: "620902", level: .county)
    static let jinta = RegionSubtree(code: "620921", level: .county)

    /// Organisations named across the alphabet, in `region`, written straight to the table (the
    /// region path is filled by the migration's trigger, as for every writer).
    func addOrganizations(_ app: Application, _ numbers: Range<Int>, region: String) async throws {
        for chunk in stride(from: numbers.lowerBound, to: numbers.upperBound, by: 200) {
            var insert = app.sql.insert(into: "organizations").columns("id", "name", "credit_code", "kind", "region_code", "created_at", "updated_at")
            for n in chunk..<min(chunk + 200, numbers.upperBound) {
                insert = insert.values("org-\(region)-\(n)", Self.surnames[(n * 7) % Self.surnames.count] + "机构\(n)", nil as String?, nil as String?,
                                       region, "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z")
            }
            try await insert.run()
        }
    }

    func planOf(_ app: Application, _ body: @escaping @Sendable (any Database) async throws -> String) async throws -> String {
        let postgres = app.sql.dialect.name == "postgresql"
        // A tiny table would be scanned: on PostgreSQL the plan is asked with scans discouraged,
        // which shows whether the index can answer at all (as PeopleListTests does).
        return try await app.db.transaction { tx in
            if postgres { try await tx.sql.raw("SET LOCAL enable_seqscan = off").run() }
            return try await body(tx)
        }
    }

    // MARK: Organisations

    func testOrganizationPagingReturnsEveryOrganizationOnceWhileRowsAreInsertedAndKeepsTheScope() async throws {
        try await withApp { app in
            // setup: 30 organisations in 肃州区, 10 in 金塔县
            try await self.addOrganizations(app, 0..<30, region: "620902")
            try await self.addOrganizations(app, 0..<10, region: "620921")
            let store = OrganizationStore(db: app.db)
            let before = Set(try await store.list(region: nil, name: nil, scope: .region(Self.suzhou, access: .read), page: 1, perPage: 500).items.map(\.id))
            XCTAssertEqual(before.count, 30)
            // act: a 肃州区 official pages 7 at a time; 3 organisations are added to each county after each page
            var seen: [String] = [], after: ListCursor?, next = 100, pages = 0
            while true {
                let page = try await store.list(region: nil, name: nil, scope: .region(Self.suzhou, access: .read), after: after, page: pages + 1, perPage: 7)
                seen += page.items.map(\.id)
                pages += 1
                try await self.addOrganizations(app, next..<(next + 3), region: "620902")
                try await self.addOrganizations(app, next..<(next + 3), region: "620921")
                next += 3
                guard let token = page.nextCursor else { break }
                after = ListCursor(token: token, list: OrganizationStore.listName)
                XCTAssertNotNil(after)
            }
            // check: none twice, everyone there from the start shown, nobody of 金塔县
            XCTAssertEqual(seen.count, Set(seen).count, "an organisation on two pages")
            XCTAssertTrue(before.isSubset(of: Set(seen)), "\(before.subtracting(seen).count) organisations never shown")
            XCTAssertFalse(seen.contains { $0.hasPrefix("org-620921-") }, "金塔县's organisations in 肃州区's list")
            XCTAssertGreaterThanOrEqual(pages, 5)
        }
    }

    func testOrganizationTotalsEqualAFullCountAndStopAtOneThousand() async throws {
        try await withApp { app in
            // setup: 12 in 肃州区, 5 in 金塔县, 3 in 宣州区 (another province)
            try await self.addOrganizations(app, 0..<12, region: "620902")
            try await self.addOrganizations(app, 0..<5, region: "620921")
            try await self.addOrganizations(app, 0..<3, region: "341802")
            let store = OrganizationStore(db: app.db), regions = RegionStore(app.db)
            func fullCount(_ scope: Scope) async throws -> Int {
                // The condition the list used before the path columns: the organisation's region in the scope's subtree.
                try await app.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
                    .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o"))).where(scope.organizationCondition(table: "o"))
                    .first()!.decode(column: "n", as: Int.self)
            }
            // act and check: scopes at county, city, province and nation, and a region filter
            for scope in [Scope.region(Self.suzhou, access: .read), .region(RegionSubtree(code: "620900", level: .city), access: .read),
                          .region(RegionSubtree(code: "620000", level: .province), access: .read),
                          .region(RegionSubtree(code: "000000", level: .nation), access: .read)] {
                let page = try await store.list(region: nil, name: nil, scope: scope, page: 1, perPage: 5)
                let expected = try await fullCount(scope)
                XCTAssertEqual(page.total, expected, "\(scope)")
                XCTAssertTrue(page.totalIsExact)
            }
            let city = try await store.list(region: try await regions.region(code: "620900"), name: nil, page: 1, perPage: 5)
            XCTAssertEqual(city.total, 17)
            let named = try await store.list(region: nil, name: "机构1", page: 1, perPage: 50)
            XCTAssertEqual(named.items.count, named.total)
            XCTAssertEqual(named.total, 5, "机构1, 机构10 and 机构11 of 肃州区, 机构1 of 金塔县 and of 宣州区")
            XCTAssertTrue(named.items.allSatisfy { $0.name.contains("机构1") })
            // more than 1,000: "more than", not a count of the scope
            try await self.addOrganizations(app, 100..<1_100, region: "620902")
            let many = try await store.list(region: nil, name: nil, scope: .region(Self.suzhou, access: .read), page: 1, perPage: 20)
            XCTAssertEqual(many.total, 1_000)
            XCTAssertFalse(many.totalIsExact)
            XCTAssertNotNil(many.nextCursor)
        }
    }

    func testAnOrganizationMovedToAnotherCountyIsListedThere() async throws {
        try await withApp { app in
            // setup: one organisation through the form's store, in 肃州区
            let store = OrganizationStore(db: app.db)
            let made = try await store.create(.init(name: "酒泉社工中心", creditCode: nil, kind: nil, regionCode: "620902"))
            let suzhou = try await store.list(region: nil, name: nil, scope: .region(Self.suzhou, access: .read), page: 1, perPage: 5)
            XCTAssertEqual(suzhou.items.map(\.id), [made.id])
            // act: moved to 金塔县
            _ = try await store.update(id: made.id, .init(name: "酒泉社工中心", creditCode: nil, kind: nil, regionCode: "620921"))
            // check
            let after = try await store.list(region: nil, name: nil, scope: .region(Self.suzhou, access: .read), page: 1, perPage: 5)
            let jinta = try await store.list(region: nil, name: nil, scope: .region(Self.jinta, access: .read), page: 1, perPage: 5)
            XCTAssertEqual(after.items.count, 0)
            XCTAssertEqual(jinta.items.map(\.id), [made.id])
        }
    }

    func testACountysOrganizationsAreReadFromItsIndex() async throws {
        try await withApp { app in
            try await self.addOrganizations(app, 0..<30, region: "620902")
            let plan = try await self.planOf(app) { db in
                try await OrganizationStore(db: db).listPlan(region: nil, scope: .region(Self.suzhou, access: .read))
            }
            XCTAssertTrue(plan.contains("organizations_list_county_name"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "no sort: \(plan)")
            XCTAssertFalse(plan.contains("Sort"), "no sort: \(plan)")
            let nation = try await self.planOf(app) { db in try await OrganizationStore(db: db).listPlan(region: nil) }
            XCTAssertTrue(nation.contains("organizations_list_name"), nation)
            XCTAssertFalse(nation.contains("TEMP B-TREE"), nation)
        }
    }

    func testTheOrganizationsAPIPagesByCursor() async throws {
        try await withApp { app in
            try await self.addOrganizations(app, 0..<12, region: "620902")
            var cursor = "", first: [String] = []
            try await app.api(.GET, "/api/v1/organizations?perPage=10") { res in
                XCTAssertEqual(res.status, .ok)
                let page = try res.content.decode(OrganizationPage.self)
                XCTAssertEqual(page.total, 12)
                XCTAssertTrue(page.totalIsExact)
                first = page.items.map(\.id)
                cursor = try XCTUnwrap(page.nextCursor)
            }
            try await app.api(.GET, "/api/v1/organizations?perPage=10&after=\(cursor)") { res in
                let page = try res.content.decode(OrganizationPage.self)
                XCTAssertEqual(page.items.count, 2)
                XCTAssertNil(page.nextCursor)
                XCTAssertTrue(Set(page.items.map(\.id)).isDisjoint(with: first))
            }
            // the old page parameter still works
            try await app.api(.GET, "/api/v1/organizations?perPage=10&page=2") { res in
                XCTAssertEqual(try res.content.decode(OrganizationPage.self).items.count, 2)
            }
            try await app.api(.GET, "/api/v1/organizations?after=nonsense") { res in
                XCTAssertEqual(res.status, .badRequest)
            }
        }
    }

    // MARK: Payment lines

    func row(_ name: String, _ n: Int, region: String) -> CensusRow {
        var r = CensusRow()
        r.name = name; r.id = CensusRow.makeID(n, birth: CivilDate(year: 1988, month: 5, day: 20)!); r.region = region; r.category = "社区工作者"
        r.level = "助理社会工作师"; r.issued = "2024-05-01"; r.number = "CERT-\(n)"; r.employer = ""
        return r
    }

    func importPeople(_ app: Application, _ rows: [CensusRow]) async throws {
        var importer = CensusImporter(db: app.db, cipher: app.shegong.cipher)
        importer.postsSince = CivilDate(iso: "2025-01-01")
        let report = try await importer.run(reader: try Spreadsheet.openReader(url: try writeTemp(CensusRow.csv(rows))),
                                            fileName: "t.csv", format: "csv", dryRun: false, actor: "test")
        XCTAssertTrue(report.committed, "\(report.issues.prefix(3))")
    }

    /// Xuancheng's allowance for March 2025 (with January and February in arrears) for 4 people of
    /// 宣州区 and 2 of 郎溪县: 18 lines in one batch.
    func allowanceBatch(_ app: Application) async throws -> String {
        let yaml = try PolicyStore.seedFiles().first { $0.name == "xuancheng-community-allowance.yaml" }!.yaml
        _ = try await PolicyStore(db: app.db).load(yaml: yaml, actor: "test")
        try await importPeople(app, (1...4).map { row("宣州\($0)", $0, region: "341802") } + (5...6).map { row("郎溪\($0)", $0, region: "341821") })
        let run = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
            .runAllowance(policyID: "xuancheng-community-allowance", month: CivilMonth(iso: "2025-03")!)
        XCTAssertEqual(run.batch.lines, 18)
        return run.batch.id
    }

    /// Lines added to the batch while someone pages (an earlier month's arrears found later, say).
    func addLines(_ app: Application, batchID: String, _ tag: Int) async throws {
        let people = try await app.sql.select().columns("id", "region_code").from("people").all()
        var insert = app.sql.insert(into: "payment_lines").columns("id", "batch_id", "policy_id", "person_id", "region_code", "kind", "month",
                                                                   "level", "amount_fen", "state", "dedupe_key", "explanation", "created_at")
        for (i, person) in people.enumerated() {
            insert = insert.values("added-\(tag)-\(i)", batchID, "xuancheng-community-allowance", try person.decode(column: "id", as: String.self),
                                   try person.decode(column: "region_code", as: String.self), "allowance", "2024-\(10 + tag % 3)", "助理社会工作师",
                                   10_000, "draft", "test-\(tag)", "{}", "2025-03-02T00:00:00Z")
        }
        try await insert.run()
    }

    func testBatchLinePagingReturnsEveryLineOnceWhileLinesAreAddedAndKeepsTheScope() async throws {
        try await withApp { app in
            let batchID = try await self.allowanceBatch(app)
            let ledger = IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
            let scope = Scope.region(RegionSubtree(code: "341802", level: .county), access: .read)
            let before = Set(try await ledger.lines(batchID: batchID, scope: scope, page: 1, perPage: 500).rows.map(\.id))
            XCTAssertEqual(before.count, 12)
            // act: 5 lines a page, lines added for everyone after each page
            var seen: [String] = [], after: ListCursor?, pages = 0, regions: Set<String> = []
            while true {
                let page = try await ledger.lines(batchID: batchID, scope: scope, after: after, page: pages + 1, perPage: 5)
                seen += page.rows.map(\.id)
                regions.formUnion(page.rows.map(\.regionCode))
                pages += 1
                try await self.addLines(app, batchID: batchID, pages)
                guard let token = page.nextCursor else { break }
                after = ListCursor(token: token, list: IncentiveLedger.linesListName)
            }
            // check
            XCTAssertEqual(seen.count, Set(seen).count, "a line on two pages")
            XCTAssertTrue(before.isSubset(of: Set(seen)), "\(before.subtracting(seen).count) lines never shown")
            XCTAssertEqual(regions, ["341802"], "郎溪县's lines in 宣州区's list")
            XCTAssertGreaterThanOrEqual(pages, 3)
        }
    }

    func testBatchLineTotalsEqualAFullCountAndTheCountysPageIsReadFromTheBatchIndex() async throws {
        try await withApp { app in
            let batchID = try await self.allowanceBatch(app)
            let ledger = IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
            for (code, level) in [("341802", RegionLevel.county), ("341821", .county), ("341800", .city), ("000000", .nation)] {
                let scope = Scope.region(RegionSubtree(code: code, level: level), access: .read)
                let page = try await ledger.lines(batchID: batchID, scope: scope, page: 1, perPage: 5)
                let full = try await app.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
                    .from(SQLAlias(SQLIdentifier("payment_lines"), as: SQLIdentifier("l")))
                    .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "l"), .equal, SQLColumn("id", table: "p"))
                    .where(SQLColumn("batch_id", table: "l"), .equal, SQLBind(batchID)).where(scope.peopleCondition(table: "p"))
                    .first()!.decode(column: "n", as: Int.self)
                XCTAssertEqual(page.total, full, code)
                XCTAssertTrue(page.totalIsExact)
            }
            let plan = try await self.planOf(app) { db in
                try await IncentiveLedger(db: db, cipher: app.shegong.cipher)
                    .linesPlan(batchID: batchID, scope: .region(RegionSubtree(code: "341802", level: .county), access: .read))
            }
            XCTAssertTrue(plan.contains("payment_lines_list"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "no sort: \(plan)")
            XCTAssertFalse(plan.contains("Sort"), "no sort: \(plan)")
        }
    }

    func testTheBatchPageLinksItsNextPageByCursor() async throws {
        try await withApp { app in
            let batchID = try await self.allowanceBatch(app)
            for tag in 1...7 { try await self.addLines(app, batchID: batchID, tag) }
            // 18 + 7 × 6 = 60 lines: a page of 100 holds them all; the batch page of a smaller
            // page size is reached by the model directly.
            let ledger = IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
            let scope = Scope.region(RegionSubtree(code: "000000", level: .nation), access: .read)
            let first = try await ledger.lines(batchID: batchID, scope: scope, page: 1, perPage: 50)
            XCTAssertEqual(first.total, 60)
            let cursor = try XCTUnwrap(first.nextCursor)
            let second = try await ledger.lines(batchID: batchID, scope: scope, after: ListCursor(token: cursor, list: IncentiveLedger.linesListName),
                                                page: 2, perPage: 50)
            let byOffset = try await ledger.lines(batchID: batchID, scope: scope, page: 2, perPage: 50)
            XCTAssertEqual(second.rows.map(\.id), byOffset.rows.map(\.id))
            XCTAssertEqual(second.rows.count, 10)
            XCTAssertNil(ListCursor(token: cursor, list: OrganizationStore.listName), "a cursor of another list")
        }
    }

    // MARK: Applications

    /// Applications for every person of `region`, created at `stamp`.
    func addApplications(_ app: Application, region: String, stamp: String, tag: String) async throws {
        let ids = try await app.sql.select().column("id").from("people").where("county_code", .equal, region).all()
            .map { try $0.decode(column: "id", as: String.self) }
        var insert = app.sql.insert(into: "award_applications")
            .columns("id", "person_id", "policy_id", "level", "certificate_number", "amount_fen", "status", "review_step",
                     "applicant", "submitted_on", "decision", "reason", "created_at", "updated_at")
        for (i, id) in ids.enumerated() {
            insert = insert.values("app-\(tag)-\(region)-\(i)", id, "jingzhou-one-time-support", tag, "N-\(tag)-\(i)", 50_000,
                                   "submitted", 0, "本人", "2025-07-01", Self.decision, nil as String?, stamp, stamp)
        }
        try await insert.run()
    }

    static let decision = String(decoding: try! JSONEncoder().encode(EligibilityDecision(
        policyID: "jingzhou-one-time-support", policyName: PolicyText(zh: "荆州", en: "Jingzhou"), kind: .oneTimeAward, versionFrom: nil,
        date: CivilDate(year: 2025, month: 7, day: 1)!, month: nil, certificate: nil, eligible: true, amountFen: 50_000,
        placeholderAmounts: false, checks: [])), as: UTF8.self)

    func applicationsFixture(_ app: Application) async throws {
        let yaml = try PolicyStore.seedFiles().first { $0.name == "jingzhou-one-time-support.yaml" }!.yaml
        _ = try await PolicyStore(db: app.db).load(yaml: yaml, actor: "test")
        try await importPeople(app, (1...9).map { row("沙市\($0)", $0, region: "421002") } + (10...13).map { row("荆州\($0)", $0, region: "421003") })
        // two rounds with the same instant each: the id breaks the ties
        try await addApplications(app, region: "421002", stamp: "2025-07-01T00:00:00Z", tag: "a")
        try await addApplications(app, region: "421002", stamp: "2025-07-02T00:00:00Z", tag: "b")
        try await addApplications(app, region: "421003", stamp: "2025-07-02T00:00:00Z", tag: "b")
    }

    func testApplicationPagingReturnsEveryApplicationOnceWhileNewOnesArriveAndKeepsTheScope() async throws {
        try await withApp { app in
            try await self.applicationsFixture(app)
            let ledger = IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
            let shashi = Scope.region(RegionSubtree(code: "421002", level: .county), access: .read)
            let before = Set(try await ledger.applications(status: nil, policyID: nil, scope: shashi).map(\.id))
            XCTAssertEqual(before.count, 18)
            // act: 4 a page by `after`, new applications (newer, and one round at an old instant) after each page
            var seen: [ApplicationInfo] = [], after: String?, round = 0
            while true {
                let page = try await ledger.applications(status: nil, policyID: nil, scope: shashi, after: after, perPage: 4)
                seen += page
                round += 1
                let stamp = round == 2 ? "2025-07-01T00:00:00Z" : "2025-08-0\(round)T00:00:00Z"
                try await self.addApplications(app, region: "421002", stamp: stamp, tag: "new\(round)")
                try await self.addApplications(app, region: "421003", stamp: stamp, tag: "new\(round)")
                guard page.count == 4 else { break }
                after = page.last?.id
            }
            // check: newest first, none twice, all there at the start shown, none of 荆州区
            let ids = seen.map(\.id)
            XCTAssertEqual(ids.count, Set(ids).count, "an application on two pages")
            XCTAssertTrue(before.isSubset(of: Set(ids)), "\(before.subtracting(ids).count) applications never shown")
            let shashiPeople = Set(try await app.sql.select().column("id").from("people").where("county_code", .equal, "421002").all()
                .map { try $0.decode(column: "id", as: String.self) })
            XCTAssertTrue(seen.allSatisfy { shashiPeople.contains($0.personID) }, "another county's application in the list")
        }
    }

    func testTheApplicationsAPITakesTheLastIdAsItsCursor() async throws {
        try await withApp { app in
            try await self.applicationsFixture(app)
            let token = try await app.token(.official(region: try RegionCode.parse("421003").get(), access: .read), username: "jingzhouqu")
            var all: [ApplicationInfo] = []
            try await app.api(.GET, "/api/v1/applications", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                all = try res.content.decode([ApplicationInfo].self)
            }
            XCTAssertEqual(all.count, 4)
            try await app.api(.GET, "/api/v1/applications?after=\(all[1].id)", token: token) { res in
                XCTAssertEqual(try res.content.decode([ApplicationInfo].self).map(\.id), all[2...].map(\.id))
            }
            try await app.api(.GET, "/api/v1/applications?after=no-such-application", token: token) { res in
                XCTAssertEqual(res.status, .notFound)
            }
        }
    }

    func testApplicationsByStatusAreReadFromTheirIndexNewestFirst() async throws {
        try await withApp { app in
            try await self.applicationsFixture(app)
            let plan = try await self.planOf(app) { db in
                try await IncentiveLedger(db: db, cipher: app.shegong.cipher)
                    .applicationsPlan(status: "submitted", scope: .region(RegionSubtree(code: "000000", level: .nation), access: .read))
            }
            XCTAssertTrue(plan.contains("award_applications_list_status"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "no sort: \(plan)")
            XCTAssertFalse(plan.contains("Sort"), "no sort: \(plan)")
            // a county: the county's people from their index, never a scan of every application
            let county = try await self.planOf(app) { db in
                try await IncentiveLedger(db: db, cipher: app.shegong.cipher)
                    .applicationsPlan(scope: .region(RegionSubtree(code: "421002", level: .county), access: .read))
            }
            if app.sql.dialect.name != "postgresql" { XCTAssertTrue(county.contains("people_list_county_name"), county) }
            XCTAssertFalse(county.contains("SCAN ") || county.contains("Seq Scan"), county)
        }
    }

    // MARK: Audit search

    func testAuditSearchPagesByIdWhileEntriesAreWrittenAndReadsTheActorsIndex() async throws {
        try await withApp { app in
            let log = app.shegong.auditLog
            for i in 0..<25 {
                _ = try await log.append(on: app.sql, AuditEntry(at: Date(timeIntervalSince1970: 1_750_000_000 + Double(i)), actor: i % 2 == 0 ? "zhang" : "li",
                                                                 action: "person.update", objectType: "person", objectID: "p\(i)"))
            }
            let before = Set(try await log.search(sql: app.sql, AuditQuery(actor: "zhang", limit: 1_000)).map(\.id))
            XCTAssertEqual(before.count, 13)
            // act: 4 a page, two more of zhang's entries after each page
            var seen: [Int64] = [], query = AuditQuery(actor: "zhang", limit: 4), n = 100
            while true {
                let page = try await log.search(sql: app.sql, query)
                seen += page.map(\.id)
                for _ in 0..<2 {
                    _ = try await log.append(on: app.sql, AuditEntry(at: Date(timeIntervalSince1970: 1_760_000_000 + Double(n)), actor: "zhang",
                                                                     action: "person.update", objectType: "person", objectID: "q\(n)"))
                    n += 1
                }
                guard page.count == 4, let last = page.last else { break }
                query.beforeID = last.id
            }
            // check: newest first, none twice, every entry from the start shown
            XCTAssertEqual(seen, seen.sorted(by: >))
            XCTAssertEqual(seen.count, Set(seen).count)
            XCTAssertTrue(before.isSubset(of: Set(seen)))
            let plan = try await self.planOf(app) { db in try await log.searchPlan(sql: db.sql, AuditQuery(actor: "zhang", limit: 100)) }
            XCTAssertTrue(plan.contains("audit_log_actor_id"), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "no sort: \(plan)")
            XCTAssertFalse(plan.contains("Sort"), "no sort: \(plan)")
        }
    }

    // MARK: Pages

    /// The address of the page's `rel="next"` link.
    func nextLink(_ html: String) -> String? {
        guard let rel = html.range(of: "rel=\"next\"") else { return nil }
        let before = html[..<rel.lowerBound]
        guard let href = before.range(of: "href=\"", options: .backwards) else { return nil }
        let rest = html[href.upperBound...]
        return String(rest[..<rest.firstIndex(of: "\"")!]).replacingOccurrences(of: "&amp;", with: "&")
    }

    func testTheOrganizationAndBatchPagesLinkTheirNextPageByCursor() async throws {
        try await withApp { app in
            // setup: 60 organisations in 肃州区, a batch of 108 lines
            try await self.addOrganizations(app, 0..<60, region: "620902")
            let batchID = try await self.allowanceBatch(app)
            for tag in 1...15 { try await self.addLines(app, batchID: batchID, tag) }
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse("000000").get(), access: .read),
                                                          username: "reader")
            // act and check: the organisations, 50 a page
            let first = try await browser.send(.GET, "/organizations")
            XCTAssertEqual(first.status, .ok)
            XCTAssertTrue(first.body.string.contains("第 1 页，共 2 页"), first.body.string)
            let next = try XCTUnwrap(self.nextLink(first.body.string))
            XCTAssertTrue(next.contains("after="), next)
            let second = try await browser.send(.GET, next)
            XCTAssertEqual(second.status, .ok)
            XCTAssertTrue(second.body.string.contains("第 2 页，共 2 页"))
            XCTAssertNil(self.nextLink(second.body.string))
            XCTAssertEqual(second.body.string.components(separatedBy: "href=\"/organizations/org-").count - 1, 10)
            // the batch's lines, 100 a page
            let batch = try await browser.send(.GET, "/incentives/batches/\(batchID)")
            XCTAssertEqual(batch.status, .ok)
            let more = try XCTUnwrap(self.nextLink(batch.body.string))
            let rest = try await browser.send(.GET, more)
            XCTAssertEqual(rest.status, .ok)
            XCTAssertTrue(rest.body.string.contains("第 2 页，共 2 页"), rest.body.string)
            XCTAssertEqual(rest.body.string.components(separatedBy: "href=\"/incentives/lines/").count - 1, 8)
            let wrong = try await browser.send(.GET, "/incentives/batches/\(batchID)?after=nonsense")
            XCTAssertEqual(wrong.status, .badRequest)
        }
    }
}
