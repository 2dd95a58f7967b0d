import Foundation
import NIOCore
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #12 §5: structured logs and Prometheus metrics, as an operator reads them.
final class OperabilityLogTests: XCTestCase {
    /// With `SHEGONG_LOG_FORMAT=json` each line is one JSON object; a request's line names its
    /// route template, status, duration and request id, and holds neither the ID number nor the
    /// name that its path and query carried.
    func testJSONLinesCarryTheRequestIDAndRouteButNoIDNumberOrName() async throws {
        CapturedLog.installed
        try await withApp(environment: ["SHEGONG_LOG_FORMAT": "json"]) { app in
            // setup
            let token = try await app.officialToken()
            let id = CensusRow.makeID(7)
            let name = "欧阳娜娜"
            let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            var statuses: [UInt] = []
            // act: a person's path with an ID number, a list queried by name and ID number (with an
            // ID number offered as the request id), a path no route knows
            let lines = try await CapturedLog.shared.capture(json: true) {
                try await app.api(.GET, "/api/v1/people/\(id)?name=\(encoded)&idNumber=\(id)", token: token,
                                  headers: ["X-Request-Id": "trace-42"]) { res in
                    statuses.append(res.status.code)
                    XCTAssertEqual(res.headers.first(name: .xRequestId), "trace-42")
                }
                try await app.api(.GET, "/api/v1/people?name=\(encoded)&idNumber=\(id)", token: token, headers: ["X-Request-Id": id]) { res in
                    statuses.append(res.status.code)
                    let given = res.headers.first(name: .xRequestId) ?? ""
                    XCTAssertFalse(given.isEmpty)
                    XCTAssertNotEqual(given, id, "an ID number is not taken as a request id")
                }
                try await app.test(.GET, "/no-such-page/\(id)?name=\(encoded)", headers: ["X-Request-Id": "<script>"]) { res async throws in
                    statuses.append(res.status.code)
                }
            }
            // check: every line is a JSON object with time, level and message…
            let log = lines.joined(separator: "\n")
            XCTAssertFalse(lines.isEmpty)
            var requests: [[String: Any]] = []
            for line in lines {
                let object = try XCTUnwrap(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
                let time = try XCTUnwrap(object["time"] as? String, line)
                XCTAssertNotNil(time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression), time)
                XCTAssertNotNil(object["level"] as? String, line)
                XCTAssertNotNil(object["message"] as? String, line)
                if object["route"] != nil { requests.append(object) }
            }
            // …the three requests are there, by route template, with status, duration and request id…
            XCTAssertEqual(requests.map { $0["route"] as? String }, ["/api/v1/people/:id", "/api/v1/people", "unmatched"], log)
            XCTAssertEqual(requests.map { ($0["status"] as? NSNumber)?.uintValue }, statuses.map { $0 }, log)
            XCTAssertEqual(requests.first?["request_id"] as? String, "trace-42")
            for request in requests {
                let requestID = try XCTUnwrap(request["request_id"] as? String, "\(request)")
                XCTAssertNotNil(requestID.range(of: "^[A-Za-z0-9-]{1,64}$", options: .regularExpression), requestID)
                XCTAssertNotNil(request["duration_ms"] as? NSNumber, "\(request)")
                XCTAssertEqual(request["level"] as? String, "info")
            }
            // …and no line holds the ID number, the name, or the query
            for secret in [id, String(id.prefix(17)), name, encoded, "idNumber", "<script>"] {
                XCTAssertFalse(log.contains(secret), "\(secret) is in the log:\n\(log)")
            }
        }
    }

    /// A CI run failed once on a request id of ours whose last group held 13812345678: the log blanked
    /// it as a mobile number, and the line's request id no longer matched the answer's.
    func testOurRequestIDsNeverHoldWhatTheLogBlanksOut() {
        var made = ["942f6df8-69c8-4464-bc1e-13812345678f", "0b7e4c2a-5d1f-4e8b-9a3c-6f2d1e0a9b8c"]
        XCTAssertEqual(RequestID.accepting(nil, make: { made.removeFirst() }), "0b7e4c2a-5d1f-4e8b-9a3c-6f2d1e0a9b8c")
        XCTAssertEqual(RequestID.accepting("trace-42", make: { XCTFail("the client's id is taken"); return "" }), "trace-42")
    }

    func testTheFormatAndTheMetricsAddressesAreChecked() {
        XCTAssertThrowsError(try ShegongSettings(environment: ["SHEGONG_LOG_FORMAT": "xml"]))
        XCTAssertThrowsError(try ShegongSettings(environment: ["SHEGONG_METRICS_ALLOW": "10.0.0.0/8, everyone"]))
        XCTAssertEqual(try ShegongSettings(environment: [:]).logFormat, .plain)
        XCTAssertEqual(try ShegongSettings(environment: ["SHEGONG_LOG_FORMAT": "JSON"]).logFormat, .json)
    }
}

final class OperabilityMetricsTests: XCTestCase {
    func metrics(_ app: Application, peer: String = "127.0.0.1") async throws -> (HTTPStatus, String) {
        let res = try await app.send(.GET, "/metrics", peer: peer)
        return (res.status, res.body.string ?? "")
    }

    /// The value of the series `name{labels}` (0 when it is not there yet).
    func value(_ text: String, _ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? -1
        }
        return 0
    }

    /// The loopback address reads the metrics, and a request shows up in the counter and the
    /// latency histogram of its route class, never with the id of its path.
    func testLoopbackReadsMetricsThatGrowAfterARequest() async throws {
        try await withApp { app in
            // setup
            let token = try await app.officialToken()
            let (status, before) = try await metrics(app)
            XCTAssertEqual(status, .ok)
            let missing = UUID().uuidString.lowercased()
            // act
            try await app.test(.GET, "/api/v1/health") { res async throws in XCTAssertEqual(res.status, .ok) }
            try await app.api(.GET, "/api/v1/people/\(missing)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            let (_, after) = try await metrics(app)
            // check
            let health = #"shegong_http_requests_total{method="GET",route="/api/v1/health",status="200"}"#
            XCTAssertEqual(value(after, health), value(before, health) + 1, after)
            XCTAssertEqual(value(after, #"shegong_http_requests_total{method="GET",route="/api/v1/people/:id",status="404"}"#), 1, after)
            XCTAssertEqual(value(after, #"shegong_http_request_duration_seconds_count{method="GET",route="/api/v1/health"}"#),
                           value(before, #"shegong_http_request_duration_seconds_count{method="GET",route="/api/v1/health"}"#) + 1, after)
            XCTAssertTrue(after.contains("shegong_db_pool_max_connections"), after)
            XCTAssertFalse(after.contains(missing), "a path's id is not a label")
            XCTAssertFalse(after.contains(token))
        }
    }

    /// An address `SHEGONG_METRICS_ALLOW` does not admit gets 404, as for a path that does not exist.
    func testOtherAddressesGetNotFound() async throws {
        try await withApp { app in
            let (status, body) = try await metrics(app, peer: "10.1.2.3")
            XCTAssertEqual(status, .notFound)
            XCTAssertFalse(body.contains("shegong_http"))
            let (v6, _) = try await metrics(app, peer: "::1")
            XCTAssertEqual(v6, .ok)
        }
        try await withApp(environment: ["SHEGONG_METRICS_ALLOW": "10.1.0.0/16"]) { app in
            let (allowed, _) = try await metrics(app, peer: "10.1.2.3")
            XCTAssertEqual(allowed, .ok)
            let (loopback, _) = try await metrics(app, peer: "127.0.0.1")
            XCTAssertEqual(loopback, .notFound, "the list replaces the default")
            let (other, _) = try await metrics(app, peer: "10.2.0.1")
            XCTAssertEqual(other, .notFound)
        }
    }

    /// A census import through the API and an allowance run each add one observation to their
    /// duration histograms.
    func testAnImportAndAnAllowanceRunShowInTheirHistograms() async throws {
        try await withApp { app in
            // setup: the county's monthly allowance policy
            _ = try await PolicyStore(db: app.db).load(yaml: try PolicyStore.seedFiles().first { $0.name == "xianfeng-monthly-allowance.yaml" }!.yaml,
                                                        actor: "test")
            let (_, before) = try await metrics(app)
            XCTAssertEqual(value(before, #"shegong_census_import_duration_seconds_count{mode="dry_run"}"#), 0)
            // act
            var person = CensusRow(); person.region = "422826"; person.category = "村干部"; person.employer = ""
            try await app.api(.POST, "/api/v1/imports/census?dryRun=true", beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([person]))
            }, afterResponse: { res in XCTAssertEqual(res.status, .ok, res.body.string) })
            try await app.api(.POST, "/api/v1/imports/census", beforeRequest: { req in
                req.body = ByteBuffer(string: CensusRow.csv([person]))
            }, afterResponse: { res in XCTAssertEqual(res.status, .ok, res.body.string) })
            try await app.api(.POST, "/api/v1/allowance-runs", beforeRequest: { req in
                try req.content.encode(["policyID": "xianfeng-monthly-allowance", "month": CivilMonth(CivilDate.today()).description])
            }, afterResponse: { res in XCTAssertEqual(res.status, .ok, res.body.string) })
            // check
            let (_, after) = try await metrics(app)
            XCTAssertEqual(value(after, #"shegong_census_import_duration_seconds_count{mode="dry_run"}"#), 1, after)
            XCTAssertEqual(value(after, #"shegong_census_import_duration_seconds_count{mode="commit"}"#), 1, after)
            XCTAssertEqual(value(after, "shegong_allowance_run_duration_seconds_count"), 1, after)
            XCTAssertGreaterThan(value(after, "shegong_allowance_run_duration_seconds_sum"), 0)
        }
    }
}

/// Issue #12 §5, stopping the server: shutdown waits for the import wizard's background runs
/// before the database pools close, so a commit under way completes whole.
final class ShutdownTests: XCTestCase {
    actor Events {
        var all: [String] = []
        func add(_ event: String) { all.append(event) }
    }

    /// Shutdown that has begun waiting returns only after the job it found has ended.
    func testShutdownWaitsForABackgroundJobToEnd() async throws {
        let jobs = BackgroundJobs()
        let events = Events()
        let (release, releaser) = AsyncStream<Void>.makeStream()
        await jobs.start {
            for await _ in release { break }
            await events.add("import committed")
        }
        let shutdown = Task {
            await jobs.drain()
            await events.add("database closed")
        }
        while !(await jobs.isDraining) { await Task.yield() }
        let running = await jobs.count
        XCTAssertEqual(running, 1)
        releaser.yield(())
        await shutdown.value
        let order = await events.all
        XCTAssertEqual(order, ["import committed", "database closed"])
        let left = await jobs.count
        XCTAssertEqual(left, 0)
    }

    /// A wizard commit is one of those jobs: what shutdown waits for (the same `drain`) ends with
    /// the import committed and its status recorded, with no polling of the status page.
    func testAWizardCommitIsWaitedForAndCompletesWhole() async throws {
        try await withApp { app in
            // setup: a checked file
            let browser = try await BrowserSession.signIn(app, grant: .official(region: try RegionCode.parse(CensusRow.county).get(), access: .readWrite),
                                                          username: "suzhou-clerk")
            let rows = [CensusRow(), { var r = CensusRow(); r.name = "李四"; r.id = CensusRow.makeID(2); r.number = "2024620002"; return r }()]
            let upload = try await browser.upload("/import", fileName: "census.csv", file: Data(CensusRow.csv(rows).utf8))
            let status = try XCTUnwrap(upload.headers.first(name: .location))
            await app.shegong.backgroundJobs.drain()
            let checked = try await browser.get(status).body.string
            XCTAssertTrue(checked.contains(#"<form id="import-commit""#), checked)
            // act: commit, then what shutdown does
            let commit = try await browser.post(status + "/commit", form: [:])
            XCTAssertEqual(commit.status, .seeOther)
            await BackgroundJobsShutdown().shutdownAsync(app)
            // check: both rows are in, the page says so, nothing is left running
            let people = try await app.count("people")
            XCTAssertEqual(people, 2)
            let done = try await browser.get(status).body.string
            XCTAssertTrue(done.contains("导入完成"), done)
            let left = await app.shegong.backgroundJobs.count
            XCTAssertEqual(left, 0)
        }
    }
}
