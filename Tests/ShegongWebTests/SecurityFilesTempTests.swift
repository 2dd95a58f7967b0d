import Foundation
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// A clock the test moves by hand (no test waits an hour).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()
    var now: Date { lock.withLock { current } }
    func advance(minutes: Double) { lock.withLock { current += minutes * 60 } }
}

/// Issue #10 §8: an uploaded census file holds full ID and mobile numbers in clear. It lives in the
/// server's own 0700 temporary folder, 0600, only while a commit may still need it; nothing is left
/// there after a rejected dry run, a commit, a cancellation, or an hour of neglect.
final class SecurityFilesTempTests: XCTestCase {
    /// A fresh temporary folder for one app, and the app started with it.
    func withTempApp(_ body: (Application, URL) async throws -> Void) async throws {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-tmp-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temp) }
        try await withApp(environment: [TempFiles.environmentKey: temp.path]) { app in try await body(app, temp) }
    }

    func files(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func mode(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func clerk(_ app: Application) async throws -> BrowserSession {
        try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                             username: "suzhou-clerk")
    }

    var goodFile: Data { Data(CensusRow.csv([CensusRow()]).utf8) }
    var badFile: Data {
        var bad = CensusRow()
        bad.mobile = "12345"
        return Data(CensusRow.csv([bad]).utf8)
    }

    /// Uploads `file` through the wizard and waits for its dry run; the status page's path and HTML.
    func dryRun(_ browser: BrowserSession, _ file: Data) async throws -> (path: String, html: String) {
        let res = try await browser.upload("/import", fileName: "census.csv", file: file)
        XCTAssertEqual(res.status, .seeOther, res.body.string)
        let path = try XCTUnwrap(res.headers.first(name: .location))
        return (path, try await RegistryPageTests.statusPage(browser, path))
    }

    func testARejectedDryRunLeavesNothingInTheTemporaryFolder() async throws {
        try await withTempApp { app, temp in
            // setup
            let browser = try await clerk(app)
            // act
            let (_, html) = try await dryRun(browser, badFile)
            // check
            XCTAssertTrue(html.contains(#"id="report-csv""#), html)
            XCTAssertEqual(try files(temp), [], "the rejected file is deleted")
        }
    }

    func testAFileIsKeptOwnerOnlyUntilItsCommitAndThenDeleted() async throws {
        try await withTempApp { app, temp in
            // setup
            let browser = try await clerk(app)
            // act
            let (path, html) = try await dryRun(browser, goodFile)
            // check: kept for the commit, private, and the page says for how long
            XCTAssertTrue(html.contains(#"id="import-commit""#), html)
            XCTAssertTrue(html.contains(Catalogue.text("file.import.kept", .zhHans, "60")), html)
            let kept = try files(temp)
            XCTAssertEqual(kept.count, 1)
            XCTAssertEqual(try mode(temp), 0o700)
            XCTAssertEqual(try mode(temp.appendingPathComponent(kept[0])), 0o600)
            // act
            let commit = try await browser.post(path + "/commit", form: [:])
            XCTAssertEqual(commit.status, .seeOther)
            let done = try await RegistryPageTests.statusPage(browser, path)
            // check
            XCTAssertTrue(done.contains("导入完成"), done)
            let people = try await app.count("people")
            XCTAssertEqual(people, 1)
            XCTAssertEqual(try files(temp), [], "the committed file is deleted")
        }
    }

    func testACancelledUploadIsDeletedAtOnce() async throws {
        try await withTempApp { app, temp in
            // setup
            let browser = try await clerk(app)
            let (path, html) = try await dryRun(browser, goodFile)
            XCTAssertTrue(html.contains(#"id="import-cancel""#), html)
            // act
            let cancel = try await browser.post(path + "/cancel", form: [:])
            // check
            XCTAssertEqual(cancel.status, .seeOther)
            XCTAssertEqual(cancel.headers.first(name: .location), "/import")
            XCTAssertEqual(try files(temp), [])
            let gone = try await browser.get(path)
            XCTAssertEqual(gone.status, .notFound)
            let people = try await app.count("people")
            XCTAssertEqual(people, 0)
        }
    }

    func testAnAbandonedUploadIsDeletedOnceAnHourHasPassed() async throws {
        try await withTempApp { app, temp in
            // setup: a checked file never committed
            let clock = TestClock()
            await app.shegong.importUploads.useClock { clock.now }
            let browser = try await clerk(app)
            let (path, _) = try await dryRun(browser, goodFile)
            XCTAssertEqual(try files(temp).count, 1)
            // act: 59 minutes later the periodic sweep leaves it
            clock.advance(minutes: 59)
            await app.shegong.importUploads.sweep()
            // check
            XCTAssertEqual(try files(temp).count, 1, "within the hour the file waits for its commit")
            let stillThere = try await browser.get(path)
            XCTAssertEqual(stillThere.status, .ok)
            // act: past the hour, the next upload (rejected, so it leaves nothing itself) sweeps
            clock.advance(minutes: 2)
            _ = try await dryRun(browser, badFile)
            // check
            XCTAssertEqual(try files(temp), [], "the abandoned upload is gone")
            let gone = try await browser.get(path)
            XCTAssertEqual(gone.status, .notFound)
        }
    }

    /// Files no upload refers to — a download cut off, an upload from before a restart — go too.
    func testTheSweepRemovesStrayFilesOlderThanAnHour() async throws {
        try await withTempApp { app, temp in
            // setup
            let clock = TestClock()
            await app.shegong.importUploads.useClock { clock.now }
            let stray = try app.shegong.tempFiles.create("download", extension: "xlsx")
            // act
            clock.advance(minutes: 30)
            await app.shegong.importUploads.sweep()
            let afterHalfAnHour = try files(temp)
            clock.advance(minutes: 31)
            await app.shegong.importUploads.sweep()
            // check
            XCTAssertEqual(afterHalfAnHour, [stray.lastPathComponent])
            XCTAssertEqual(try files(temp), [])
        }
    }

    func testTheAPIImportAndTheDownloadsLeaveNothingBehind() async throws {
        try await withTempApp { app, temp in
            // setup
            var bad = CensusRow()
            bad.mobile = "12345"
            // act
            try await app.api(.POST, "/api/v1/imports/census?fileName=bad.csv", beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([bad]))
            }, afterResponse: { res in XCTAssertEqual(res.status, .unprocessableEntity) })
            try await app.api(.POST, "/api/v1/imports/census", beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([CensusRow()]))
            }, afterResponse: { res in XCTAssertEqual(res.status, .ok, res.body.string) })
            try await app.api(.GET, "/api/v1/exports/census?format=csv") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertTrue(res.body.string.contains("张三"))
            }
            // check
            XCTAssertEqual(try files(temp), [])
        }
    }

    func testTheTemporaryFolderIsRefusedWhenItIsALink() throws {
        // setup
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-tmp-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let link = base.appendingPathComponent("tmp")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: base)
        // act, check
        XCTAssertThrowsError(try TempFiles(directory: link)) { error in
            XCTAssertTrue("\(error)".contains(link.path), "\(error)")
        }
    }
}
