import Fluent
import FluentPostgresDriver
import Foundation
import NIOCore
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #15 §4: reads that may be a moment old go to the standby (`SHEGONG_DATABASE_REPLICA`), but
/// never hide the reader's own latest change (docs/deployment.md "Reads from the standby"). The
/// standby here is a stand-in the test controls: a copy of the migrated primary taken before the
/// server starts, whose replayed position the test sets and whose rows it "replays" itself.
final class ReplicaReadsTests: XCTestCase {
    /// What the stand-in standby reports, set by the test; and the server's routing decisions.
    final class Standby: @unchecked Sendable {
        private let lock = NSLock()
        private var _replayed: Int64 = 0
        private var _down = false
        private var _now = Date(timeIntervalSince1970: 1_780_000_000)
        private var _choices: [ReplicaMonitor.Choice] = []
        private var _warnings: [String] = []
        var replayed: Int64 { get { lock.withLock { _replayed } } set { lock.withLock { _replayed = newValue } } }
        var down: Bool { get { lock.withLock { _down } } set { lock.withLock { _down = newValue } } }
        var now: Date { lock.withLock { _now } }
        func advance(_ seconds: TimeInterval) { lock.withLock { _now += seconds } }
        func note(_ choice: ReplicaMonitor.Choice) { lock.withLock { _choices.append(choice) } }
        func warn(_ text: String) { lock.withLock { _warnings.append(text) } }
        /// The decisions since the last call.
        func choices() -> [ReplicaMonitor.Choice] { lock.withLock { defer { _choices = [] }; return _choices } }
        var warnings: [String] { lock.withLock { _warnings } }
    }

    /// A migrated primary, a copy of it as the standby (`SHEGONG_DATABASE_REPLICA`), and the server
    /// on both, its monitor asking the stand-in for the replayed position. PostgreSQL only.
    /// `seed` runs on the migrated primary before it is copied: rows both databases hold.
    func withPrimaryAndStandby(seed: ((Application) async throws -> Void)? = nil,
                               _ body: (Application, Standby) async throws -> Void) async throws {
        guard let base = TestDatabase.baseURL else { throw XCTSkip("a standby needs PostgreSQL (SHEGONG_TEST_DATABASE)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-replica-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let (primaryName, standbyName) = ("shegong_t_p\(suffix)", "shegong_t_r\(suffix)")
        func url(_ name: String) -> String {
            var components = URLComponents(string: base)!
            components.path = "/" + name
            return components.string!
        }
        var environment = ["SHEGONG_SECRET_KEY_FILE": dir.appendingPathComponent("key").path, "SHEGONG_LOG_LEVEL": "warning",
                           DatabaseLocation.environmentKey: url(primaryName)]
        func dropBoth() async throws {
            try await TestDatabase.withPostgresAdmin { admin in
                for name in [primaryName, standbyName] { try await admin.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run() }
            }
        }
        try await TestDatabase.withPostgresAdmin { try await $0.raw("CREATE DATABASE \(unsafeRaw: primaryName)").run() }
        do {
            // The primary migrated, then copied while nobody is connected to it: the standby as of now.
            let setUp = try await Application.make(.testing)
            do {
                try await configure(setUp, settings: try ShegongSettings(environment: environment))
                try await setUp.autoMigrate()
                try await seed?(setUp)
            } catch {
                try await setUp.asyncShutdown()
                throw error
            }
            try await setUp.asyncShutdown()
            try await TestDatabase.withPostgresAdmin {
                try await $0.raw("CREATE DATABASE \(unsafeRaw: standbyName) TEMPLATE \(unsafeRaw: primaryName)").run()
            }
            environment[ShegongSettings.replicaKey] = url(standbyName)
            let app = try await Application.make(.testing)
            do {
                try await configure(app, settings: try ShegongSettings(environment: environment))
                let standby = Standby()
                standby.replayed = try await Self.primaryPosition(app)
                let metrics = app.shegong.metrics
                app.shegong.replicaMonitor = ReplicaMonitor(
                    probe: { sql in
                        // The standby's connection is real (a stopped standby fails here); its position is the test's.
                        _ = try await sql.raw("SELECT 1 AS one").first()
                        if standby.down { throw ReplicaTestError.standbyDown }
                        return standby.replayed
                    },
                    now: { standby.now },
                    observe: { metrics.replicaRead($0); standby.note($0) }, warn: { standby.warn($0) })
                try await body(app, standby)
            } catch {
                try await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        } catch {
            try await dropBoth()
            throw error
        }
        try await dropBoth()
    }

    enum ReplicaTestError: Error { case standbyDown }

    static func primaryPosition(_ app: Application) async throws -> Int64 {
        try await app.sql.raw("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS p").first()!.decode(column: "p", as: Int64.self)
    }

    static let county = "620902"  // 酒泉市肃州区

    func official(_ app: Application, _ username: String) async throws -> String {
        try await app.token(.official(region: try RegionCode.parse(Self.county).get(), access: .readWrite), username: username)
    }

    /// The number of community workers 肃州区 reports for 2024 as `token`'s owner reads it (nil: none entered).
    func communityWorkers(_ app: Application, as token: String, file: StaticString = #filePath, line: UInt = #line) async throws -> Int? {
        var value: Int?
        try await app.api(.GET, "/api/v1/statistics?region=\(Self.county)&year=2024", token: token, file: file, line: line) { res in
            XCTAssertEqual(res.status, .ok, res.body.string, file: file, line: line)
            let entries = try JSONDecoder().decode(StatisticsController.Answer.self, from: Data(buffer: res.body)).entries
            value = entries.first { $0.statistic == RegionStatistic.communityWorkers.rawValue }?.value
        }
        return value
    }

    func enterCommunityWorkers(_ app: Application, _ value: Int, as token: String, region: String = county,
                               file: StaticString = #filePath, line: UInt = #line) async throws {
        try await app.api(.PUT, "/api/v1/statistics?region=\(region)&year=2024", token: token, file: file, line: line, beforeRequest: { req in
            req.headers.contentType = .json
            req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: ["values": ["community_workers": value]]))
        }, afterResponse: { res in XCTAssertEqual(res.status, .ok, res.body.string, file: file, line: line) })
    }

    func userID(_ app: Application, _ username: String) async throws -> String {
        try await app.sql.raw("SELECT id FROM users WHERE username = \(bind: username)").first()!.decode(column: "id", as: String.self)
    }

    func testAUsersReadRightAfterTheirWriteShowsItAndAfterCatchUpComesFromTheStandby() async throws {
        try await withPrimaryAndStandby { app, standby in
            // setup: two officials of 肃州区; the standby has replayed everything so far
            let writer = try await official(app, "replica-writer")
            let reader = try await official(app, "replica-reader")
            let later = try await official(app, "replica-later")
            standby.replayed = try await Self.primaryPosition(app)
            _ = standby.choices()

            // act: the writer enters 40 community workers; the standby has not replayed it yet
            try await enterCommunityWorkers(app, 40, as: writer)
            let position = try await WritePositions(app.sql).position(of: try await userID(app, "replica-writer"))
            let written = try XCTUnwrap(position, "the writer's change left its position for every server")
            standby.replayed = written - 1
            let writerSees = try await communityWorkers(app, as: writer)
            let readerSees = try await communityWorkers(app, as: reader)

            // check: the writer reads their own write (from the primary); the other official, who
            // changed nothing, reads the standby's consistent but older view
            XCTAssertEqual(writerSees, 40, "read-your-writes: the writer's read went to the primary")
            XCTAssertNil(readerSees, "the other official's read went to the standby, which has not replayed it")
            XCTAssertEqual(standby.choices(), [.ownWrite, .replica])

            // act: the standby replays the change; then another official changes the figure on the primary
            _ = try await RegionStatisticStore(app.db(.replica)).set(region: try await RegionStore(app.db).region(code: Self.county)!,
                                                                      year: 2024, values: [.communityWorkers: 40],
                                                                      actor: "replica-writer", source: "api")
            standby.replayed = written
            try await enterCommunityWorkers(app, 55, as: later)
            _ = standby.choices()
            let writerAfterCatchUp = try await communityWorkers(app, as: writer)
            let laterSees = try await communityWorkers(app, as: later)

            // check: the writer now reads the standby (their 40, not yet the later 55); the later
            // writer reads their own 55 from the primary
            XCTAssertEqual(writerAfterCatchUp, 40, "after catch-up the writer's read went to the standby")
            XCTAssertEqual(laterSees, 55, "the later writer reads their own write")
            XCTAssertEqual(standby.choices(), [.replica, .ownWrite])
        }
    }

    func testAStandbyThatFailsOrLagsIsNotReadFromAndIsLoggedOnce() async throws {
        try await withPrimaryAndStandby { app, standby in
            // setup: a figure on the primary that the standby lacks
            let writer = try await official(app, "replica-writer")
            let reader = try await official(app, "replica-reader")
            try await enterCommunityWorkers(app, 12, as: writer)
            _ = standby.choices()

            // act: the standby stops answering; two reads by an official who changed nothing
            standby.down = true
            let first = try await communityWorkers(app, as: reader)
            let second = try await communityWorkers(app, as: reader)
            // check: the primary answered both, the standby's failure was logged once
            XCTAssertEqual(first, 12)
            XCTAssertEqual(second, 12)
            XCTAssertEqual(standby.choices(), [.unavailable, .unavailable])
            XCTAssertEqual(standby.warnings.filter { $0.contains("does not answer") }.count, 1, "\(standby.warnings)")

            // act: the standby answers again but is far behind the primary (beyond the 16 MiB bound)
            standby.down = false
            standby.replayed = try await Self.primaryPosition(app) - ReplicaMonitor.defaultMaxLagBytes - 1
            standby.advance(10)
            let lagging = try await communityWorkers(app, as: reader)
            // check
            XCTAssertEqual(lagging, 12, "a lagging standby is not read from")
            XCTAssertEqual(standby.choices(), [.lagging])

            // act: it catches up
            standby.replayed = try await Self.primaryPosition(app)
            standby.advance(10)
            let caughtUp = try await communityWorkers(app, as: reader)
            // check: the standby answers (it is a copy from before the figure: none there)
            XCTAssertNil(caughtUp)
            XCTAssertEqual(standby.choices(), [.replica])
            XCTAssertTrue(standby.warnings.last?.contains("answers again") == true, "\(standby.warnings)")
            // check: the metrics count where reads went
            let exposition = await app.shegong.metrics.scrape(app)
            XCTAssertTrue(exposition.contains(#"shegong_replica_reads_total{database="primary",reason="unavailable"} 2"#), exposition)
        }
    }

    func testAnImportCommittedThroughTheWizardSendsTheImportersNextReadsToThePrimary() async throws {
        try await withPrimaryAndStandby { app, standby in
            // setup: an official of 肃州区 signed in; the standby has replayed everything so far
            let importer = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(Self.county).get(), access: .readWrite),
                                                           username: "wizard-importer")
            let before = try await Self.primaryPosition(app)
            standby.replayed = before
            let upload = try await importer.upload("/import", fileName: "census.csv", file: Data(CensusRow.csv([CensusRow()]).utf8))
            let status = try XCTUnwrap(upload.headers.first(name: .location))
            let checked = try await RegistryPageTests.statusPage(importer, status)
            XCTAssertTrue(checked.contains(#"<form id="import-commit""#), checked)

            // act: the wizard commits the file in the background; then the importer opens the home page
            let commit = try await importer.post(status + "/commit", form: [:])
            XCTAssertEqual(commit.status, .seeOther)
            let done = try await RegistryPageTests.statusPage(importer, status)
            XCTAssertTrue(done.contains("导入完成"), done)
            _ = standby.choices()
            let home = try await importer.get("/")

            // check: the import left the importer's position past the standby's, so their census
            // figures came from the primary, which has the imported person
            XCTAssertEqual(home.status, .ok)
            let position = try await WritePositions(app.sql).position(of: try await userID(app, "wizard-importer"))
            XCTAssertGreaterThan(try XCTUnwrap(position, "the wizard's commit recorded the importer's position"), before)
            XCTAssertEqual(standby.choices(), [.ownWrite], "read-your-writes: the importer's figures came from the primary")
        }
    }

    func testAnImportCommittedThroughTheAPIRecordsTheImportersPosition() async throws {
        try await withPrimaryAndStandby { app, standby in
            // setup
            let token = try await official(app, "api-importer")
            let before = try await Self.primaryPosition(app)
            standby.replayed = before
            // act
            try await app.api(.POST, "/api/v1/imports/census", token: token, beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([CensusRow()]))
            }) { res in XCTAssertEqual(res.status, .ok, res.body.string) }
            _ = standby.choices()
            _ = try await communityWorkers(app, as: token)
            // check
            let position = try await WritePositions(app.sql).position(of: try await userID(app, "api-importer"))
            XCTAssertGreaterThan(try XCTUnwrap(position, "the API import recorded the importer's position"), before)
            XCTAssertEqual(standby.choices(), [.ownWrite])
        }
    }

    /// 咸丰县's monthly allowance for January 2025: one batch paying 社区干部甲 (in both databases).
    static func seedBatch(_ app: Application) async throws {
        let yaml = try PolicyStore.seedFiles().first { $0.name == "xianfeng-monthly-allowance.yaml" }!.yaml
        _ = try await PolicyStore(db: app.db).load(yaml: yaml, actor: "test")
        var row = CensusRow()
        row.name = "社区干部甲"; row.region = "422826"; row.level = "社会工作师"; row.issued = "2024-05-01"; row.employer = ""
        var importer = CensusImporter(db: app.db, cipher: app.shegong.cipher)
        importer.postsSince = CivilDate(iso: "2024-06-01")
        let report = try await importer.run(reader: try Spreadsheet.openReader(url: try writeTemp(CensusRow.csv([row]))),
                                            fileName: "t.csv", format: "csv", dryRun: false, actor: "test")
        XCTAssertTrue(report.committed, "\(report.issues)")
        _ = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher).runAllowance(policyID: "xianfeng-monthly-allowance",
                                                                                         month: CivilMonth(iso: "2025-01")!)
    }

    func paymentList(_ app: Application, _ batchID: String, as token: String, file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        var text = ""
        try await app.api(.GET, "/api/v1/payment-batches/\(batchID)/export?format=csv", token: token, file: file, line: line) { res in
            XCTAssertEqual(res.status, .ok, res.body.string, file: file, line: line)
            text = res.body.string
        }
        return text
    }

    func testThePaymentListExportReadsTheStandbyExceptRightAfterTheReadersOwnChange() async throws {
        try await withPrimaryAndStandby(seed: Self.seedBatch) { app, standby in
            // setup: two officials of 咸丰县; the person is renamed on the primary, which the standby has not replayed
            let batchID = try await app.sql.raw("SELECT id FROM payment_batches").first()!.decode(column: "id", as: String.self)
            let clerk = try await app.token(.official(region: try RegionCode.parse("422826").get(), access: .readWrite), username: "xianfeng-clerk")
            let finance = try await app.token(.official(region: try RegionCode.parse("422826").get(), access: .readWrite), username: "xianfeng-finance")
            standby.replayed = try await Self.primaryPosition(app)
            try await app.sql.raw("UPDATE people SET name = '社区干部乙'").run()
            try await enterCommunityWorkers(app, 9, as: finance, region: "422826")
            _ = standby.choices()

            // act
            let clerkList = try await paymentList(app, batchID, as: clerk)
            let clerkChoices = standby.choices()
            let financeList = try await paymentList(app, batchID, as: finance)

            // check: the official who changed nothing gets the standby's payment list (the name as
            // it replayed it); the one who just made a change gets the primary's
            XCTAssertEqual(clerkChoices, [.replica], "the payment list is read from the standby")
            XCTAssertTrue(clerkList.contains("社区干部甲") && clerkList.contains("合计"), clerkList)
            XCTAssertEqual(standby.choices(), [.ownWrite])
            XCTAssertTrue(financeList.contains("社区干部乙"), financeList)

            // act: a batch made on the primary after the standby's copy (February), exported by the clerk
            let february = try await IncentiveLedger(db: app.db, cipher: app.shegong.cipher)
                .runAllowance(policyID: "xianfeng-monthly-allowance", month: CivilMonth(iso: "2025-02")!)
            let februaryList = try await paymentList(app, february.batch.id, as: clerk)
            // check: the standby does not have it yet, so the primary's list is given, not a 404
            XCTAssertTrue(februaryList.contains("社区干部乙") && februaryList.contains("2025-02"), februaryList)
        }
    }

    func testTheStandbySettingIsIgnoredOnSQLiteAndMustBeAPostgreSQLURL() async throws {
        XCTAssertThrowsError(try ShegongSettings(environment: [ShegongSettings.replicaKey: "/var/lib/shegong/standby.sqlite"]))
        XCTAssertThrowsError(try ShegongSettings(environment: [ShegongSettings.replicaMaxLagKey: "0"]))
        guard TestDatabase.baseURL == nil else { throw XCTSkip("the SQLite half: the suite runs on PostgreSQL") }
        try await withApp(environment: [ShegongSettings.replicaKey: "postgres://shegong@127.0.0.1:1/none"]) { app in
            XCTAssertNil(app.shegong.replicaMonitor, "SQLite has no standby: every read goes to the database")
            let token = try await official(app, "sqlite-reader")
            try await enterCommunityWorkers(app, 7, as: token)
            let seen = try await communityWorkers(app, as: token)
            XCTAssertEqual(seen, 7)
            let positions = try await app.count("write_positions")
            XCTAssertEqual(positions, 0, "no positions are kept without a standby")
        }
    }
}
