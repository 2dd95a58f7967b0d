import Foundation
import ShegongDomain
@testable import ShegongStore
import ShegongWeb
import SQLKit
import XCTVapor
import XCTest

/// The census import's bulk path (issue #15): on PostgreSQL rows go in by COPY and changed people
/// are updated with one statement per batch; on SQLite by INSERT and one UPDATE per person. Both
/// must store exactly what the file says, keep the same history and statistics, and leave nothing
/// behind when the file is rejected.
final class CensusBulkWriteTests: XCTestCase {
    /// Every cell quoted, so that commas, quotes, tabs and line breaks stay inside it.
    static func quotedCSV(_ rows: [CensusRow]) -> String {
        ([CensusRow.header] + rows.map(\.cells)).map { cells in
            cells.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }

    func testTextWithTabsBackslashesQuotesAndLineBreaksIsStoredExactlyAsRead() async throws {
        try await withApp { app in
            // setup: names and employers with the characters COPY's text format must escape,
            // and a person whose optional cells are all empty
            try await app.loadDemoGeography()
            var quoteTab = CensusRow(); quoteTab.name = "王\"五\"\t六"; quoteTab.id = CensusRow.makeID(41); quoteTab.number = "AWK-1"
            quoteTab.employer = "阳光\\社工\t中心\r\n第二部"
            var escapes = CensusRow(); escapes.name = #"C:\new\table\\x"#; escapes.id = CensusRow.makeID(42); escapes.number = "AWK-2"
            escapes.employer = #"\N"#
            var nullText = CensusRow(); nullText.name = #"\N"#; nullText.id = CensusRow.makeID(43); nullText.number = "AWK-3"
            nullText.employer = "\\.\n\\."
            var lineBreak = CensusRow(); lineBreak.name = "李\n四\r五"; lineBreak.id = CensusRow.makeID(44); lineBreak.number = "AWK-4"
            var empty = CensusRow(); empty.name = "赵六"; empty.id = CensusRow.makeID(45)
            empty.mobile = ""; empty.employer = ""; empty.category = ""; empty.fields = ""; empty.education = ""; empty.degree = ""
            empty.level = ""; empty.number = ""; empty.issued = ""
            let rows = [quoteTab, escapes, nullText, lineBreak, empty]
            let file = try writeTemp(Self.quotedCSV(rows))

            // act
            let first = try await importFile(app, file)
            let again = try await importFile(app, file)

            // check: each person and employer as written in the file; importing it again changes nothing
            XCTAssertTrue(first.committed, "\(first.issues)")
            XCTAssertEqual(first.created, 5)
            XCTAssertEqual([again.created, again.updated, again.unchanged], [0, 0, 5], "what was stored differs from what was read")
            let people = PersonStore(db: app.db, cipher: app.shegong.cipher)
            for row in rows {
                var filter = PersonFilter()
                filter.idNumber = row.id
                let found = try await people.list(filter)
                XCTAssertEqual(found.items.map(\.name), [row.name], "\(TestDatabase.engine)")
                guard let id = found.items.first?.id, let detail = try await people.detail(id: id) else { continue }
                XCTAssertEqual(detail.person.organizationName, row.employer.isEmpty ? nil : row.employer)
                XCTAssertEqual(detail.employments.map(\.organizationName), row.employer.isEmpty ? [] : [row.employer])
                XCTAssertEqual(detail.certificates.map(\.number), row.number.isEmpty ? [] : [row.number])
            }
            var filter = PersonFilter()
            filter.idNumber = empty.id
            let stored = try await people.detail(id: try await people.list(filter).items[0].id)!
            XCTAssertNil(stored.person.mobile)
            XCTAssertNil(stored.person.organizationID)
            XCTAssertNil(stored.person.postCategory)
            XCTAssertEqual(stored.person.serviceFields, [])
            XCTAssertNil(stored.person.education)
            XCTAssertNil(stored.person.socialWorkDegree)
            XCTAssertNil(stored.person.certificateLevel)
            XCTAssertEqual(stored.employments, [])
            XCTAssertEqual(stored.history.map(\.field), ["record"])
            try await assertAggregatesMatchScan(app, region: "620902")
        }
    }

    func testBulkInsertRoundTripsEscapedCharactersAndNulls() async throws {
        try await withApp { app in
            // setup
            let texts: [String?] = ["a\tb", "back\\slash", "line\nbreak", "carriage\rreturn", "\\N", nil, "", "\\.", "引号\"'", "\\t\\n"]
            let rows: [[any Encodable & Sendable]] = texts.enumerated().map { [$0.offset, $0.element, $0.offset % 2 == 0] }

            // act: write and read back inside one transaction (the temporary table is its own)
            let (read, copied) = try await app.db.transaction { tx -> ([Int: String?], Bool) in
                try await tx.sql.raw("CREATE TEMPORARY TABLE bulk_round_trip (n integer, t text, b boolean)").run()
                try await tx.sql.bulkInsert(into: "bulk_round_trip", columns: ["n", "t", "b"], rows: rows)
                var read: [Int: String?] = [:]
                for row in try await tx.sql.raw("SELECT n, t, b FROM bulk_round_trip").all() {
                    let n = try row.decode(column: "n", as: Int.self)
                    XCTAssertEqual(try row.decode(column: "b", as: Bool.self), n % 2 == 0)
                    read[n] = try row.decode(column: "t", as: String?.self)
                }
                try await tx.sql.raw("DROP TABLE bulk_round_trip").run()
                return (read, BulkInsert.usesCopy(tx.sql))
            }

            // check
            XCTAssertEqual(copied, TestDatabase.baseURL != nil, "PostgreSQL writes by COPY, SQLite by INSERT")
            XCTAssertEqual(read.count, texts.count)
            for (n, text) in texts.enumerated() {
                XCTAssertEqual(read[n] ?? "missing", text, "row \(n) on \(TestDatabase.engine)")
            }
        }
    }

    /// Five people, then a file in which three of them change: a new employer and post, a new
    /// mobile and education, another county and a higher certificate.
    static func fivePeople() -> [CensusRow] {
        (1...5).map { n in
            var row = CensusRow()
            row.name = ["甲", "乙", "丙", "丁", "戊"][n - 1] + "某"
            row.id = CensusRow.makeID(50 + n)
            row.mobile = "1381234000\(n)"
            row.number = "BULK-\(n)"
            return row
        }
    }

    static func threeChanged(_ rows: [CensusRow]) -> [CensusRow] {
        var rows = rows
        rows[0].employer = "酒泉市肃州区新的社会工作服务中心"
        rows[0].category = "社工机构从业人员"
        rows[1].mobile = "13900002222"
        rows[1].education = "硕士"
        rows[2].region = "620921"
        rows[2].level = "社会工作师"
        rows[2].number = "BULK-3B"
        rows[2].issued = "2025-03-01"
        return rows
    }

    func testReimportUpdatingThreeOfFiveKeepsHistoryPostsAndStatistics() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let before = Self.fivePeople()
            let after = Self.threeChanged(before)
            let first = try await importFile(app, try writeTemp(CensusRow.csv(before)))
            XCTAssertTrue(first.committed, "\(first.issues)")

            // act
            let report = try await importFile(app, try writeTemp(CensusRow.csv(after)))

            // check
            XCTAssertTrue(report.committed, "\(report.issues)")
            XCTAssertEqual([report.created, report.updated, report.unchanged], [0, 3, 2])
            let people = PersonStore(db: app.db, cipher: app.shegong.cipher)
            var details: [PersonDetail] = []
            for row in after {
                var filter = PersonFilter()
                filter.idNumber = row.id
                details.append(try await people.detail(id: try await people.list(filter).items[0].id)!)
            }
            func history(_ detail: PersonDetail) -> Set<String> {
                Set(detail.history.filter { $0.field != "organization" }.map { "\($0.field): \($0.before ?? "-") → \($0.after ?? "-")" })
            }
            XCTAssertEqual(history(details[0]), ["record: - → created", "post_category: 社区工作者 → 社工机构从业人员"])
            XCTAssertEqual(details[0].history.filter { $0.field == "organization" }.count, 1)
            XCTAssertEqual(history(details[1]), ["record: - → created", "mobile: 138****0002 → 139****2222", "education: 本科 → 硕士"])
            XCTAssertEqual(history(details[2]), ["record: - → created", "region_code: 620902 → 620921",
                                                 "certificate: - → 社会工作师 2025-03-01 BULK-3B",
                                                 "certificate_level: 助理社会工作师 → 社会工作师"])
            XCTAssertEqual(history(details[3]), ["record: - → created"])
            XCTAssertEqual(history(details[4]), ["record: - → created"])
            XCTAssertEqual(details.map(\.person.version), [2, 2, 2, 1, 1])
            XCTAssertEqual(details[0].person.organizationName, after[0].employer)
            XCTAssertEqual(details[0].person.postCategory, "社工机构从业人员")
            XCTAssertEqual(details[1].person.mobile, "139****2222")
            XCTAssertEqual(details[1].person.education, "硕士")
            XCTAssertEqual(details[2].person.regionCode, "620921")
            XCTAssertEqual(details[2].person.certificateLevel, "社会工作师")
            XCTAssertEqual(details[2].certificates.count, 2)
            // The changed post ended today and a new one opened; the others kept theirs.
            let today = CivilDate.today(now: Date()).description
            let posts = details[0].employments.sorted { ($0.endDate ?? "~") < ($1.endDate ?? "~") }
            XCTAssertEqual(posts.map(\.postCategory), ["社区工作者", "社工机构从业人员"])
            XCTAssertEqual(posts.map(\.endDate), [today, nil])
            XCTAssertEqual(posts.last?.startDate, today)
            for detail in details.dropFirst() {
                XCTAssertEqual(detail.employments.map(\.endDate), [nil], detail.person.name)
            }
            let certificates = try await app.count("certificates")
            XCTAssertEqual(certificates, 6)
            for region in [RegionPath.nationCode, "620000", "620900", "620902", "620921"] {
                try await assertAggregatesMatchScan(app, region: region)
            }
        }
    }

    /// Nine people over five batches of two: employers new in a later batch, one named again
    /// across batches, one with a credit code, a few without a post or a certificate.
    static func ninePeople() -> [CensusRow] {
        let employers = ["甲社工中心", "乙社工中心", "甲社工中心", "", "丙社工中心", "乙社工中心", "丁社工中心", "甲社工中心", ""]
        return (1...9).map { n in
            var row = CensusRow()
            row.name = "批\(n)"
            row.id = CensusRow.makeID(70 + n)
            row.mobile = "1381234100\(n)"
            row.employer = employers[n - 1]
            row.creditCode = n == 7 ? "91110000600037341L" : ""
            row.category = employers[n - 1].isEmpty ? "" : "社工机构从业人员"
            row.region = n % 3 == 0 ? "620921" : CensusRow.county
            if n % 4 == 0 { row.level = ""; row.number = ""; row.issued = "" } else { row.number = "FIRST-\(n)" }
            return row
        }
    }

    /// What the registry holds of each person of `rows`, in words a page would show.
    static func registry(_ app: Application, _ rows: [CensusRow]) async throws -> [String] {
        let people = PersonStore(db: app.db, cipher: app.shegong.cipher)
        var lines: [String] = []
        for row in rows {
            var filter = PersonFilter()
            filter.idNumber = row.id
            guard let id = try await people.list(filter).items.first?.id, let detail = try await people.detail(id: id) else {
                lines.append("\(row.name): missing")
                continue
            }
            let p = detail.person
            lines.append([p.name, p.regionCode, p.organizationName ?? "-", p.postCategory ?? "-", p.certificateLevel ?? "-",
                          p.mobile ?? "-", "v\(p.version)", detail.employments.map { $0.organizationName ?? "-" }.joined(separator: "+"),
                          detail.certificates.map(\.number).joined(separator: "+"),
                          detail.history.map(\.field).sorted().joined(separator: "+")].joined(separator: " | "))
        }
        return lines
    }

    /// Imports `text` in batches of two, so that a file of a few rows is written in several.
    static func importInBatchesOfTwo(_ app: Application, _ text: String) async throws -> CensusImportReport {
        var importer = CensusImporter(db: app.db, cipher: app.shegong.cipher)
        importer.batchSize = 2
        let reader = try Spreadsheet.openReader(url: try writeTemp(text))
        return try await importer.run(reader: reader, fileName: "batches.csv", format: "csv", dryRun: false, actor: "test")
    }

    func testAFirstLoadInBatchesWritesWhatAnImportIntoAFilledRegistryWrites() async throws {
        // A first load (nobody on file) prepares each batch without reading people or
        // certificates while the last one is still being written; an import into a registry that
        // already holds someone reads them first. Both must end in the same registry.
        func load(_ app: Application, _ rows: [CensusRow]) async throws -> CensusImportReport {
            try await Self.importInBatchesOfTwo(app, CensusRow.csv(rows))
        }
        var someoneElse = CensusRow(); someoneElse.name = "先来"; someoneElse.id = CensusRow.makeID(99); someoneElse.number = "FIRST-99"
        var firstLoad: [String] = [], filled: [String] = []
        var organizations: [Int] = []
        for earlier in [[], [someoneElse]] {
            try await withApp { app in
                // setup: the demo's regions; for the second registry, one person already on file
                try await app.loadDemoGeography()
                if !earlier.isEmpty { _ = try await load(app, earlier) }
                let employersBefore = try await app.count("organizations")

                // act
                let report = try await load(app, Self.ninePeople())

                // check: every row created once, each employer registered once, the figures add up
                XCTAssertTrue(report.committed, "\(report.issues)")
                XCTAssertEqual([report.created, report.updated, report.unchanged], [9, 0, 0])
                organizations.append(try await app.count("organizations") - employersBefore)
                let lines = try await Self.registry(app, Self.ninePeople())
                if earlier.isEmpty { firstLoad = lines } else { filled = lines }
                let again = try await load(app, Self.ninePeople())
                XCTAssertEqual([again.created, again.updated, again.unchanged], [0, 0, 9], "what was stored differs from what was read")
                for region in [RegionPath.nationCode, "620900", "620902", "620921"] {
                    try await assertAggregatesMatchScan(app, region: region)
                }
            }
        }
        XCTAssertEqual(organizations, [4, 4], "甲, 乙, 丙 and 丁 each registered once")
        XCTAssertEqual(firstLoad, filled)
        XCTAssertEqual(firstLoad.count, 9)
        XCTAssertTrue(firstLoad.allSatisfy { !$0.hasSuffix("missing") }, "\(firstLoad)")
    }

    /// Stops before its first data row until the test lets it go on, with the import's
    /// transaction open.
    final class PausingReader: SpreadsheetRowReader, @unchecked Sendable {
        let inner: any SpreadsheetRowReader
        let reached: AsyncStream<Void>.Continuation
        let goOn = DispatchSemaphore(value: 0)
        private var rows = 0

        init(_ inner: any SpreadsheetRowReader, reached: AsyncStream<Void>.Continuation) {
            self.inner = inner
            self.reached = reached
        }

        func next() throws -> SpreadsheetRow? {
            rows += 1
            if rows == 2 {
                reached.yield()
                goOn.wait()
            }
            return try inner.next()
        }
    }

    func testAFirstLoadOnPostgreSQLHoldsOtherWritersOfPeopleButNotReadersUntilItCommits() async throws {
        // A person added through another server while a first load runs would meet the file's
        // rows at the unique ID index and fail the whole import with no row to name.
        guard TestDatabase.baseURL != nil else { throw XCTSkip("PostgreSQL only: on SQLite the import's transaction is the only writer") }
        try await withApp { app in
            // setup: a first load stopped before its first row, its transaction open
            try await app.loadDemoGeography()
            let (reached, signal) = AsyncStream<Void>.makeStream()
            let reader = PausingReader(try Spreadsheet.openReader(url: try writeTemp(CensusRow.csv(Self.ninePeople()))), reached: signal)
            let importer = CensusImporter(db: app.db, cipher: app.shegong.cipher)
            let running = Task { try await importer.run(reader: reader, fileName: "first.csv", format: "csv", dryRun: false, actor: "test") }
            for await _ in reached { break }

            // act: another connection writes people (without waiting) and reads them, during and after
            func writerAdmitted() async throws -> Bool {
                do {
                    try await app.db.transaction { tx in try await tx.sql.raw("LOCK TABLE people IN ROW EXCLUSIVE MODE NOWAIT").run() }
                    return true
                } catch where String(reflecting: error).contains("55P03") {   // lock_not_available
                    return false
                }
            }
            func duringTheLoad() async throws -> (admitted: Bool, read: Int) {
                let admitted = try await writerAdmitted()
                let read = try await app.db.transaction { tx in
                    try await tx.sql.raw("SET LOCAL lock_timeout = '5s'").run()   // a hang would otherwise never end
                    return try await tx.sql.raw("SELECT COUNT(*) AS n FROM people").first()!.decode(column: "n", as: Int.self)
                }
                return (admitted, read)
            }
            let during: (admitted: Bool, read: Int)
            do {
                during = try await duringTheLoad()
            } catch {
                // Let the import end either way, or it would hold its connection past the test.
                reader.goOn.signal()
                _ = try? await running.value
                throw error
            }
            let (admittedDuring, readDuring) = during
            reader.goOn.signal()
            let report = try await running.value
            let admittedAfter = try await writerAdmitted()

            // check
            XCTAssertFalse(admittedDuring, "another writer of people went ahead during the first load")
            XCTAssertEqual(readDuring, 0, "a reader saw the import's rows before it committed")
            XCTAssertTrue(report.committed, "\(report.issues)")
            XCTAssertEqual(report.created, 9)
            XCTAssertTrue(admittedAfter)
        }
    }

    func testAFileCutShortStillHasItsLastRowsCheckedAgainstTheRegistry() async throws {
        try await withApp { app in
            // setup: someone on file holds certificate HELD-1; a file of three people in batches of
            // two whose third claims HELD-1, then a quote that never closes
            try await app.loadDemoGeography()
            var holder = CensusRow(); holder.name = "持证人"; holder.id = CensusRow.makeID(90); holder.number = "HELD-1"
            let first = try await importFile(app, try writeTemp(CensusRow.csv([holder])))
            XCTAssertTrue(first.committed, "\(first.issues)")
            var rows = Array(Self.ninePeople().prefix(3))
            rows[2].number = "HELD-1"
            let text = CensusRow.csv(rows) + "\"未闭合,\r\n"

            // act
            let report = try await Self.importInBatchesOfTwo(app, text)

            // check: one report names both problems, in file order, and nothing is written
            XCTAssertFalse(report.committed)
            XCTAssertEqual(report.issues.map { "\($0.row) \($0.code)" }, ["4 census.certificate.taken", "5 sheet.csv.unterminated_quote"])
            let people = try await app.count("people")
            XCTAssertEqual(people, 1)
        }
    }

    func testFileWithOneBadRowAtTheEndLeavesNothingWritten() async throws {
        try await withApp { app in
            // setup: batches of two, so that rows are written before the bad last one is read
            try await app.loadDemoGeography()
            let organizations = try await app.count("organizations")
            var bad = CensusRow(); bad.name = "坏行"; bad.id = CensusRow.makeID(59); bad.number = "BULK-9"; bad.region = "620999"
            func run(_ rows: [CensusRow]) async throws -> CensusImportReport {
                try await Self.importInBatchesOfTwo(app, CensusRow.csv(rows))
            }

            // act: a new file, then (after a good one) a re-import that changes three people
            let rejectedNew = try await run(Self.fivePeople() + [bad])
            let counts = try await (app.count("people"), app.count("employments"), app.count("certificates"),
                                    app.count("person_changes"), app.count("organizations"), app.count("census_stats"))
            let good = try await run(Self.fivePeople())
            let changes = try await app.count("person_changes")
            let employments = try await app.count("employments")
            let rejectedUpdate = try await run(Self.threeChanged(Self.fivePeople()) + [bad])

            // check
            XCTAssertFalse(rejectedNew.committed)
            XCTAssertEqual(rejectedNew.created, 5, "the five good rows were written before the bad one was read")
            XCTAssertEqual(rejectedNew.issues.map(\.row), [7])
            XCTAssertEqual(counts.0, 0, "people")
            XCTAssertEqual(counts.1, 0, "employments")
            XCTAssertEqual(counts.2, 0, "certificates")
            XCTAssertEqual(counts.3, 0, "history")
            XCTAssertEqual(counts.4, organizations, "employers")
            XCTAssertEqual(counts.5, 0, "statistics")
            XCTAssertTrue(good.committed, "\(good.issues)")
            XCTAssertFalse(rejectedUpdate.committed)
            XCTAssertEqual(rejectedUpdate.updated, 3)
            let people = PersonStore(db: app.db, cipher: app.shegong.cipher)
            for (n, row) in Self.fivePeople().enumerated() {
                var filter = PersonFilter()
                filter.idNumber = row.id
                let person = try await people.list(filter).items[0]
                XCTAssertEqual([person.version.description, person.regionCode, person.mobile ?? "-", person.postCategory ?? "-"],
                               ["1", row.region, "138****000\(n + 1)", row.category])
            }
            let changesAfter = try await app.count("person_changes")
            XCTAssertEqual(changesAfter, changes)
            let employmentsAfter = try await app.count("employments")
            XCTAssertEqual(employmentsAfter, employments)
            let certificates = try await app.count("certificates")
            XCTAssertEqual(certificates, 5)
            try await assertAggregatesMatchScan(app, region: "620900")
        }
    }
}
