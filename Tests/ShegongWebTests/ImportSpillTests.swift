import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #15 item 5: the census import's in-file duplicate checks keep a bounded number of keys in
/// memory and the rest in a temporary table, and the report names every repeat as before. A
/// budget of 3 keys and batches of 2 rows make a small file spill.
final class ImportSpillTests: XCTestCase {
    static func row(_ n: Int, certificate: String, mobile: String = "13812345678") -> CensusRow {
        var row = CensusRow()
        row.name = "人员\(n)"
        row.id = CensusRow.makeID(n)
        row.number = certificate
        row.mobile = mobile
        return row
    }

    /// Rows 2–14. Memory fills at row 5 (ID numbers 1, 2, 3; certificates C1, C2, C4); the
    /// repeats come before that point, across it and after it, in good rows and in a row with a bad cell.
    static func fileWithRepeats() -> String {
        CensusRow.csv([
            row(1, certificate: "C1"),                       // 2
            row(2, certificate: "C2"),                       // 3
            row(1, certificate: "C4"),                       // 4: ID of row 2 (both in memory)
            row(3, certificate: "C3"),                       // 5: ID 3 fills memory; C3 goes to the table
            row(4, certificate: "C5"),                       // 6: both to the table
            row(5, certificate: "C2"),                       // 7: certificate of row 3 (memory)
            row(4, certificate: "C6"),                       // 8: ID of row 6 (table)
            row(5, certificate: "C7", mobile: "1381234"),    // 9: a bad mobile, and the ID of row 7 (table)
            row(6, certificate: "C3"),                       // 10: certificate of row 5 (table)
            row(7, certificate: "C8", mobile: "1381234"),    // 11: a bad mobile; its ID is still kept
            row(7, certificate: "C9"),                       // 12: ID of row 11 (table)
            row(3, certificate: "C10"),                      // 13: ID of row 5 (memory)
            row(8, certificate: "C5"),                       // 14: certificate of row 6 (table)
        ])
    }

    static let expectedRepeats: [String] = [
        "4 census.id.duplicate 2", "7 census.certificate.duplicate 3", "8 census.id.duplicate 6", "9 census.id.duplicate 7",
        "10 census.certificate.duplicate 5", "12 census.id.duplicate 11", "13 census.id.duplicate 5",
        "14 census.certificate.duplicate 6",
    ]

    func run(_ app: Application, _ text: String, budget: Int, dryRun: Bool = false) async throws -> CensusImportReport {
        let url = try writeTemp(text)
        defer { try? FileManager.default.removeItem(at: url) }
        var importer = CensusImporter(db: app.db, cipher: app.shegong.cipher)
        importer.batchSize = 2
        importer.duplicateKeysInMemory = budget
        return try await importer.run(reader: try Spreadsheet.openReader(url: url), fileName: url.lastPathComponent,
                                      format: "csv", dryRun: dryRun, actor: "test")
    }

    func testRepeatsBeforeAcrossAndAfterTheSpillAreReportedAsWithoutIt() async throws {
        try await withApp { app in
            // act: the same file with room for every key, and with room for three
            let inMemory = try await run(app, Self.fileWithRepeats(), budget: 500_000)
            let spilled = try await run(app, Self.fileWithRepeats(), budget: 3)
            // check: every repeat named with the row it repeats, the bad rows' own issues kept, nothing written
            let repeats = spilled.issues.filter { $0.code.hasSuffix(".duplicate") }.map { "\($0.row) \($0.code) \($0.text.arguments.joined())" }
            XCTAssertEqual(repeats, Self.expectedRepeats)
            XCTAssertEqual(spilled.issues.filter { $0.code == "census.mobile.invalid" }.map(\.row), [9, 11])
            XCTAssertEqual(spilled.issues, inMemory.issues)
            XCTAssertEqual(spilled.rejectedRows, 9)
            XCTAssertEqual([spilled.rows, spilled.created], [inMemory.rows, inMemory.created])
            XCTAssertFalse(spilled.committed)
            let people = try await app.count("people")
            XCTAssertEqual(people, 0)
        }
    }

    func testAFileWithoutRepeatsCommitsPastTheSpillAndTheNextImportStillFindsRepeats() async throws {
        try await withApp { app in
            // setup
            let clean = CensusRow.csv((1...9).map { Self.row($0, certificate: "N\($0)") })
            // act
            let first = try await run(app, clean, budget: 3)
            // check: committed; the keys of one import are not taken for repeats by the next
            XCTAssertTrue(first.committed, "\(first.issues)")
            XCTAssertEqual(first.created, 9)
            let again = try await run(app, clean, budget: 3, dryRun: true)
            XCTAssertTrue(again.issues.isEmpty, "\(again.issues)")
            XCTAssertEqual(again.unchanged, 9)
            let repeated = try await run(app, CensusRow.csv((1...5).map { Self.row($0, certificate: "N\($0)") } + [Self.row(4, certificate: "N4")]),
                                         budget: 3, dryRun: true)
            XCTAssertEqual(repeated.issues.map { "\($0.row) \($0.code) \($0.text.arguments.joined())" },
                           ["7 census.id.duplicate 5", "7 census.certificate.duplicate 5"])
            let people = try await app.count("people")
            XCTAssertEqual(people, 9)
        }
    }
}
