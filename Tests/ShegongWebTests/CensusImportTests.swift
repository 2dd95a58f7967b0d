import Foundation
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTest

final class CensusImportTests: XCTestCase {
    func testImportCreatesPeopleAndReimportReportsUnchangedAndUpdated() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            var a = CensusRow(), b = CensusRow()
            b.name = "李四"; b.id = CensusRow.makeID(2); b.number = "2024620002"; b.level = "社会工作师"; b.mobile = ""
            var c = CensusRow()
            c.name = "王五"; c.id = CensusRow.makeID(3); c.level = "无"; c.number = ""; c.issued = ""; c.category = "村干部"

            // act
            let first = try await importFile(app, try writeTemp(CensusRow.csv([a, b, c])))
            let again = try await importFile(app, try writeTemp(CensusRow.csv([a, b, c])))
            a.category = "社工机构从业人员"
            a.mobile = "13900001111"
            let changed = try await importFile(app, try writeTemp(CensusRow.csv([a, b, c])))

            // check
            XCTAssertTrue(first.committed, "\(first.issues)")
            XCTAssertEqual([first.created, first.updated, first.unchanged], [3, 0, 0])
            XCTAssertEqual([again.created, again.updated, again.unchanged], [0, 0, 3])
            XCTAssertEqual([changed.created, changed.updated, changed.unchanged], [0, 1, 2])
            let counted1 = try await app.count("people")
            XCTAssertEqual(counted1, 3)
            let counted2 = try await app.count("certificates")
            XCTAssertEqual(counted2, 2)
            // One person per ID number; history says what changed, with the phone masked.
            let people = PersonStore(db: app.db, cipher: app.shegong.cipher)
            var filter = PersonFilter()
            filter.idNumber = a.id
            let found = try await people.list(filter)
            XCTAssertEqual(found.total, 1)
            let detail = try await people.detail(id: found.items[0].id)!
            XCTAssertEqual(detail.person.postCategory, "社工机构从业人员")
            XCTAssertEqual(detail.person.mobile, "139****1111")
            let fields = Set(detail.history.map(\.field))
            XCTAssertTrue(fields.isSuperset(of: ["post_category", "mobile", "record"]), "\(fields)")
            XCTAssertEqual(detail.history.first { $0.field == "mobile" }?.before, "138****5678")
            // Employment: the old post was closed and a new one opened.
            XCTAssertEqual(detail.employments.count, 2)
            XCTAssertEqual(detail.employments.filter { $0.endDate == nil }.first?.postCategory, "社工机构从业人员")
            try await assertAggregatesMatchScan(app, region: RegionPath.nationCode)
            try await assertAggregatesMatchScan(app, region: "620900")
            try await assertAggregatesMatchScan(app, region: "620902")
        }
    }

    func testRejectedFileChangesNothingAndNamesEveryBadRow() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            let good = CensusRow()
            var badID = CensusRow(); badID.id = String(CensusRow.makeID(5).dropLast()) + "0"; badID.number = "N5"
            if badID.id == CensusRow.makeID(5) { badID.id = String(CensusRow.makeID(5).dropLast()) + "1" }
            var unknownRegion = CensusRow(); unknownRegion.id = CensusRow.makeID(6); unknownRegion.region = "620999"; unknownRegion.number = "N6"
            var duplicate = CensusRow(); duplicate.number = "N7"                     // same ID as `good`
            var noNumber = CensusRow(); noNumber.id = CensusRow.makeID(8); noNumber.number = ""
            var wrongSex = CensusRow(); wrongSex.id = CensusRow.makeID(9); wrongSex.sex = CensusRow.makeID(9).dropLast().last!.wholeNumberValue! % 2 == 1 ? "女" : "男"; wrongSex.number = "N9"

            // act
            let report = try await importFile(app, try writeTemp(CensusRow.csv([good, badID, unknownRegion, duplicate, noNumber, wrongSex])))

            // check
            XCTAssertFalse(report.committed)
            let counted3 = try await app.count("people")
            XCTAssertEqual(counted3, 0, "a rejected file must write nothing")
            let counted4 = try await app.count("census_stats")
            XCTAssertEqual(counted4, 0)
            let byRow = Dictionary(grouping: report.issues, by: \.row)
            XCTAssertEqual(Set(byRow.keys), [3, 4, 5, 6, 7], "\(report.issues)")
            XCTAssertEqual(byRow[3]?.first?.column, "身份证号")
            XCTAssertEqual(byRow[4]?.first?.column, "地区代码")
            XCTAssertTrue(byRow[5]?.first?.message.contains("第 2 行") ?? false, "duplicate names the first row: \(byRow[5] ?? [])")
            XCTAssertEqual(byRow[6]?.first?.column, "证书编号")
            XCTAssertEqual(byRow[7]?.first?.column, "性别")
            XCTAssertEqual(report.rejectedRows, 5)
            // Reports never carry a full ID number.
            for issue in report.issues where issue.column == "身份证号" {
                XCTAssertTrue(issue.value?.contains("*") ?? true, "unmasked ID in report: \(issue)")
            }
        }
    }

    func testHeaderProblemsAreReportedByName() async throws {
        try await withApp { app in
            let unknown = try writeTemp("姓名,身份证号,地区代码,备注\r\n张三,\(CensusRow.makeID(1)),620902,x\r\n")
            let missing = try writeTemp("姓名,地区代码\r\n张三,620902\r\n")
            let empty = try writeTemp("")

            let r1 = try await importFile(app, unknown)
            XCTAssertTrue(r1.issues.contains { $0.message.contains("备注") }, "\(r1.issues)")
            let r2 = try await importFile(app, missing)
            XCTAssertTrue(r2.issues.contains { $0.message.contains("身份证号") }, "\(r2.issues)")
            XCTAssertThrowsError(try Spreadsheet.openReader(url: empty)) { error in
                XCTAssertEqual((error as? SpreadsheetError)?.code, "sheet.empty")
            }
            let counted5 = try await app.count("people")
            XCTAssertEqual(counted5, 0)
        }
    }

    func testDryRunWritesNothingButCountsWhatWouldHappen() async throws {
        try await withApp { app in
            try await app.loadDemoGeography()
            let report = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])), dryRun: true)
            XCTAssertTrue(report.succeeded)
            XCTAssertFalse(report.committed)
            XCTAssertEqual(report.created, 1)
            let counted6 = try await app.count("people")
            XCTAssertEqual(counted6, 0)
            let counted7 = try await app.count("organizations")
            XCTAssertEqual(counted7, 54, "only the demo employers; the dry run added none")
        }
    }

    func testGB18030AndXLSXFilesImportLikeUTF8() async throws {
        try await withApp { app in
            try await app.loadDemoGeography()
            var a = CensusRow(); a.name = "欧阳娜娜"
            let gbk = try writeTemp(CensusRow.csv([a]), encoding: String.Encoding(rawValue: 0x8000_0632))
            var b = CensusRow(); b.id = CensusRow.makeID(2); b.number = "X2"; b.name = "诸葛亮"
            let xlsx = FileManager.default.temporaryDirectory.appendingPathComponent("census-\(UUID().uuidString).xlsx")
            let writer = try XLSXWriter(url: xlsx, sheetName: "人才信息采集表")
            try writer.write(CensusColumn.headerCells)
            try writer.write(b.cells.enumerated().map { i, v in
                if i == 13 { return .date(CivilDate(iso: v)!) }     // 发证日期 as a real date cell
                return v.isEmpty ? .empty : .text(v)
            })
            try writer.close()

            let r1 = try await importFile(app, gbk)
            let r2 = try await importFile(app, xlsx)

            XCTAssertTrue(r1.committed && r2.committed, "\(r1.issues) \(r2.issues)")
            let names = try await PersonStore(db: app.db, cipher: app.shegong.cipher).list(PersonFilter()).items.map(\.name)
            XCTAssertEqual(Set(names), ["欧阳娜娜", "诸葛亮"])
        }
    }

    func testCertificateNumberOfAnotherPersonIsRefused() async throws {
        try await withApp { app in
            try await app.loadDemoGeography()
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            var other = CensusRow(); other.id = CensusRow.makeID(2)      // same certificate number as the first
            let report = try await importFile(app, try writeTemp(CensusRow.csv([other])))
            XCTAssertFalse(report.committed)
            XCTAssertEqual(report.issues.first?.code, "census.certificate.taken")
            let counted8 = try await app.count("people")
            XCTAssertEqual(counted8, 1)
        }
    }

    func testExportRoundTripsAndMasksAndNeutralisesFormulas() async throws {
        try await withApp { app in
            // setup
            try await app.loadDemoGeography()
            var a = CensusRow(); a.name = "=1+2"
            var b = CensusRow(); b.id = CensusRow.makeID(2); b.number = "E2"; b.region = "620902001001"
            _ = try await importFile(app, try writeTemp(CensusRow.csv([a, b])))
            let exporter = CensusExporter(db: app.db, cipher: app.shegong.cipher)
            let masked = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).csv")
            let full = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).xlsx")

            // act
            let n1 = try await exporter.export(to: masked, format: .csv, region: nil, revealIdentifiers: false)
            let n2 = try await exporter.export(to: full, format: .xlsx, region: nil, revealIdentifiers: true)

            // check
            XCTAssertEqual([n1, n2], [2, 2])
            let bytes = try Data(contentsOf: masked)
            XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "CSV export starts with a BOM so Excel reads UTF-8")
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(text.contains(a.id), "masked export must not contain a full ID")
            XCTAssertTrue(text.contains("620***********"))
            XCTAssertTrue(text.contains("'=1+2"), "formula neutralised")
            // The full XLSX export imports into a fresh registry with the same statistics.
            let before = try await CensusStatsStore(sql: app.sql).counts(region: RegionPath.nationCode)
            try await app.sql.raw("DELETE FROM census_stats").run()
            for table in ["person_changes", "registrations", "certificates", "employments", "people"] { try await app.sql.raw("DELETE FROM \(ident: table)").run() }
            let report = try await importFile(app, full)
            XCTAssertEqual(report.created, 2, "\(report.issues)")
            let after = try await CensusStatsStore(sql: app.sql).counts(region: RegionPath.nationCode)
            XCTAssertEqual(Set(before.map { "\($0.key.dimension)\($0.key.value)\($0.count)" }), Set(after.map { "\($0.key.dimension)\($0.key.value)\($0.count)" }))
        }
    }

    func testDemoDataSetIsDeterministicAndAggregatesMatchAScan() async throws {
        try await withApp { app in
            let first = try await DemoDataSet(people: 300, seed: 7).load(db: app.db, cipher: app.shegong.cipher)
            let again = try await DemoDataSet(people: 300, seed: 7).load(db: app.db, cipher: app.shegong.cipher)
            XCTAssertEqual(first.report.created, 300, "\(first.report.issues.prefix(3))")
            XCTAssertEqual(again.report.unchanged, 300)
            for code in [RegionPath.nationCode, "420000", "421000", "422826", "620900", "341800"] {
                try await assertAggregatesMatchScan(app, region: code)
            }
            // All three jurisdictions have people.
            let stats = CensusStatsStore(sql: app.sql)
            for code in ["421000", "422826", "620900", "341800"] {
                let total = CensusSummary(counts: try await stats.counts(region: code), asOf: CivilDate.today()).total
                XCTAssertGreaterThan(total, 0, code)
            }
        }
    }
}

final class CommandLineTests: XCTestCase {
    var shegong: URL { ShegongExecutable.url }

    func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try ShegongExecutable.run(arguments, in: dir)
    }

    func testImportCommandExitsNonZeroWithAReportAndCommitsGoodFiles() throws {
        guard FileManager.default.isExecutableFile(atPath: shegong.path) else {
            XCTFail("shegong executable not found at \(shegong.path); build it with `swift build`")
            return
        }
        // setup
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try run(["demo", "--people", "0"], in: dir).status, 0)
        XCTAssertEqual(try run(["user", "add", "jqdata", "--role", "official", "--region", "620900", "--access", "readwrite"], in: dir).status, 0)
        var bad = CensusRow(); bad.id = "110105194912310021"
        let badFile = dir.appendingPathComponent("bad.csv")
        try CensusRow.csv([bad]).write(to: badFile, atomically: true, encoding: .utf8)
        let goodFile = dir.appendingPathComponent("good.csv")
        try CensusRow.csv([CensusRow()]).write(to: goodFile, atomically: true, encoding: .utf8)

        // act
        let rejected = try run(["import", "census", badFile.path, "--as", "jqdata"], in: dir)
        let dry = try run(["import", "census", goodFile.path, "--dry-run", "--as", "jqdata"], in: dir)
        let committed = try run(["import", "census", goodFile.path, "--as", "jqdata"], in: dir)
        let exported = try run(["export", "census", dir.appendingPathComponent("out.xlsx").path, "--region", "620900", "--as", "jqdata"], in: dir)

        // check
        XCTAssertNotEqual(rejected.status, 0)
        XCTAssertTrue(rejected.output.contains("第 2 行 身份证号"), rejected.output)
        let report = try String(contentsOf: dir.appendingPathComponent("bad.csv.report.csv"), encoding: .utf8)
        XCTAssertTrue(report.contains("身份证号"), report)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.csv.report.json").path))
        XCTAssertEqual(dry.status, 0, dry.output)
        XCTAssertTrue(dry.output.contains("新增 1"), dry.output)
        XCTAssertEqual(committed.status, 0, committed.output)
        XCTAssertTrue(committed.output.contains("新增 1"), committed.output)
        XCTAssertEqual(exported.status, 0, exported.output)
        XCTAssertTrue(exported.output.contains("已导出 1 人"), exported.output)
    }
}

final class DemoCommandTests: XCTestCase {
    func testTheDemoLoadsTwiceWithItsAllowanceHistoryAndChangesNothingTheSecondTime() throws {
        // setup
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // act: the demo twice (the policies are loaded again over their batches the second time)
        let first = try ShegongExecutable.run(["demo", "--people", "400"], in: dir)
        let second = try ShegongExecutable.run(["demo", "--people", "400"], in: dir)
        // check: both succeed; this month's draft batch has the same lines both times
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertEqual(second.status, 0, second.output)
        func draftLines(_ output: String) -> String? {
            output.range(of: #"津贴草稿批次 \d+ 笔"#, options: .regularExpression).map { String(output[$0]) }
        }
        XCTAssertNotNil(draftLines(first.output), first.output)
        XCTAssertEqual(draftLines(first.output), draftLines(second.output))
        XCTAssertTrue(second.output.contains("人员新增 0、更新 0、未变 400"), second.output)
    }
}

final class RegionImportTests: XCTestCase {
    func testTownshipsAndCommunitiesImportParentsFirstAllOrNothing() async throws {
        try await withApp { app in
            // setup: the community comes before its township in the file
            let good = try writeTemp("地区代码,地区名称\r\n422826101001,忠堡社区\r\n422826101,忠堡镇\r\n")
            let bad = try writeTemp("地区代码,地区名称\r\n422826102,朝阳寺镇\r\n999999001,无处镇\r\n42282610,短代码\r\n")

            // act
            let added = try await RegionImporter(db: app.db).run(reader: try Spreadsheet.openReader(url: good))
            let again = try await RegionImporter(db: app.db).run(reader: try Spreadsheet.openReader(url: good))
            let rejected = try await RegionImporter(db: app.db).run(reader: try Spreadsheet.openReader(url: bad))

            // check
            XCTAssertEqual(added.added, 2, "\(added.issues)")
            XCTAssertEqual(again.unchanged, 2)
            XCTAssertEqual(Set(rejected.issues.map(\.row)), [3, 4], "\(rejected.issues)")
            let township = try await RegionStore(app.db).region(code: "422826102")
            XCTAssertNil(township, "a file with bad rows adds nothing")
            let community = try await RegionStore(app.db).region(code: "422826101001")
            XCTAssertEqual(community?.path.township, "422826101")
        }
    }
}
