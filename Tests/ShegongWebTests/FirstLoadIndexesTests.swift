import Foundation
import SQLKit
import ShegongDomain
@testable import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #15: a census import into an empty registry sets the people list's indexes aside and
/// builds them again before it commits (`FirstLoadIndexes`). Whatever becomes of the import — a
/// dry run, a rejected file, a commit, a second import — the list's indexes are all there after it.
final class FirstLoadIndexesTests: XCTestCase {
    static let listIndexes = Set(AddPeopleListIndexes.indexes(postgres: false).map(\.name))

    func indexesOnPeople(_ app: Application) async throws -> Set<String> {
        let query: SQLQueryString = app.sql.dialect.name == "postgresql"
            ? "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'people'"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people'"
        return Set(try await app.sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
    }

    func run(_ app: Application, _ rows: [CensusRow], dryRun: Bool = false) async throws -> CensusImportReport {
        let url = try writeTemp(CensusRow.csv(rows))
        defer { try? FileManager.default.removeItem(at: url) }
        return try await importFile(app, url, dryRun: dryRun)
    }

    static func people(_ numbers: ClosedRange<Int>) -> [CensusRow] {
        numbers.map { n in
            var row = CensusRow()
            row.name = "人员\(n)"
            row.id = CensusRow.makeID(n)
            row.number = "20246200\(10 + n)"
            return row
        }
    }

    func testTheListIndexesAreThereAfterEveryKindOfFirstImport() async throws {
        try await withApp { app in
            // act: a dry run, a file with a bad row, a commit, then a second file on top
            let dryRun = try await run(app, Self.people(1...3), dryRun: true)
            let afterDryRun = try await indexesOnPeople(app)
            var bad = Self.people(1...3)
            bad[1].id = "62090219880520001"   // one digit short
            let rejected = try await run(app, bad)
            let afterRejected = try await indexesOnPeople(app)
            let peopleAfterRejected = try await app.count("people")
            let committed = try await run(app, Self.people(1...3))
            let afterCommit = try await indexesOnPeople(app)
            let second = try await run(app, Self.people(3...5))
            let afterSecond = try await indexesOnPeople(app)
            // check
            XCTAssertEqual(dryRun.created, 3)
            XCTAssertFalse(dryRun.committed)
            XCTAssertFalse(rejected.committed)
            XCTAssertEqual(peopleAfterRejected, 0)
            XCTAssertTrue(committed.committed)
            XCTAssertEqual(second.created, 2)
            for (moment, present) in [("dry run", afterDryRun), ("rejected file", afterRejected), ("first commit", afterCommit),
                                      ("second import", afterSecond)] {
                XCTAssertEqual(present.intersection(Self.listIndexes), Self.listIndexes, "after the \(moment)")
            }
            let byName = try await app.sql.raw("SELECT name FROM people ORDER BY name, id").all().map { try $0.decode(column: "name", as: String.self) }
            XCTAssertEqual(byName, ["人员1", "人员2", "人员3", "人员4", "人员5"])
        }
    }
}
