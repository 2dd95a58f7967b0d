import Foundation
import Logging
import ShegongDomain
@testable import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Every line the process logs while a test captures, as the terminal would show it (message,
/// metadata, the logger's own metadata). Outside a capture the handler behaves as swift-log's
/// default (standard output at the level the app sets, info and above).
final class CapturedLog: @unchecked Sendable {
    static let shared = CapturedLog()
    private let lock = NSLock()
    private var capturing = false
    /// Lines are written by `JSONLogHandler` (as with `SHEGONG_LOG_FORMAT=json`).
    private var json = false
    private var captured: [String] = []

    /// Installs the redacting handler over the capturing one for the whole test process, once
    /// (as `main.swift` installs it over the standard error handler).
    static let installed: Void = {
        LogRedaction.bootstrap(level: .info) { label in CapturingLogHandler(label: label) }
    }()

    var isCapturing: Bool { lock.withLock { capturing } }
    var writesJSON: Bool { lock.withLock { json } }
    func append(_ line: String) { lock.withLock { if capturing { captured.append(line) } } }

    /// The lines logged while `body` runs.
    func capture(json: Bool = false, _ body: () async throws -> Void) async rethrows -> [String] {
        lock.withLock { capturing = true; self.json = json; captured = [] }
        defer { lock.withLock { capturing = false; self.json = false } }
        try await body()
        return lock.withLock { captured }
    }
}

struct CapturingLogHandler: LogHandler {
    var inner: StreamLogHandler
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) { inner = StreamLogHandler.standardOutput(label: label) }

    /// Everything while capturing; otherwise the level set on the logger.
    var logLevel: Logger.Level {
        get { CapturedLog.shared.isCapturing ? .trace : inner.logLevel }
        set { inner.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        if CapturedLog.shared.isCapturing, CapturedLog.shared.writesJSON {
            var handler = JSONLogHandler(label: "test") { CapturedLog.shared.append($0) }
            handler.metadata = metadata
            handler.metadataProvider = metadataProvider
            handler.logLevel = .trace
            handler.log(event: event)
        } else if CapturedLog.shared.isCapturing {
            let all = metadata.merging(metadataProvider?.get() ?? [:]) { a, _ in a }.merging(event.metadata ?? [:]) { _, b in b }
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            CapturedLog.shared.append("\(event.level) \(event.message) \(fields) \(event.error.map { "\($0)" } ?? "")")
        } else if event.level >= max(inner.logLevel, .info) {  // no trace noise outside a capture
            inner.log(event: event)
        }
    }
}

final class SecurityFilesLogTests: XCTestCase {
    static let residentID = CensusRow.makeID(7)
    static let mobile = "13912345678"
    static let sessionValue = "Zm9vYmFyYmF6cXV4c2Vzc2lvbnZhbHVlMTIzNDU2"

    /// A real HTTP server at `SHEGONG_LOG_LEVEL=trace`: the request heads (URI with the query,
    /// every header) and the SQL with its binds are all logged, and none of the secrets are.
    func testAtTraceLevelTheLogHoldsNoIDNumberMobileTokenOrCookie() async throws {
        CapturedLog.installed
        try await withApp(environment: ["SHEGONG_LOG_LEVEL": "trace"]) { app in
            // setup
            let token = try await app.officialToken()
            var person = CensusRow()
            person.id = Self.residentID
            person.mobile = Self.mobile
            _ = try await importFile(app, try writeTemp(CensusRow.csv([person])))
            let server = try app.testable(method: .running(hostname: "127.0.0.1", port: 0))
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: token)
            headers.add(name: .cookie, value: "shegong_session=\(Self.sessionValue); shegong_csrf=abc")
            // act
            let lines = try await CapturedLog.shared.capture {
                try await server.test(.GET, "/api/v1/people?idNumber=\(Self.residentID)&mobile=\(Self.mobile)", headers: headers) { res async throws in
                    XCTAssertEqual(res.status, .ok)
                    XCTAssertTrue(res.body.string.contains("张三"), res.body.string)
                }
                try await server.test(.GET, "/people?name=\(Self.residentID)", headers: headers) { _ async throws in }
                try await server.test(.GET, "/api/v1/people?idNumber=\(Self.residentID)", headers: ["Authorization": "Bearer sgt_not-a-real-token"]) { res async throws in
                    XCTAssertEqual(res.status, .unauthorized)
                }
            }
            // check: the trace lines are there…
            let log = lines.joined(separator: "\n")
            XCTAssertTrue(lines.contains { $0.contains("Decoded HTTP part") }, "trace logging was not captured:\n\(log)")
            XCTAssertTrue(lines.contains { $0.contains("GET /api/v1/people") && !$0.contains("Decoded") }, "the route is logged:\n\(log)")
            XCTAssertTrue(lines.contains { $0.contains("SELECT") }, "SQL is logged at trace:\n\(log)")
            // …and hold none of the secrets
            let secrets = [Self.residentID, String(Self.residentID.prefix(17)), Self.mobile, token, String(token.dropFirst(4)),
                           Self.sessionValue, "sgt_not-a-real-token"]
            for secret in secrets {
                XCTAssertFalse(log.contains(secret), "\(secret) is in the log:\n\(log)")
            }
            XCTAssertFalse(log.contains("idNumber="), "the query is in the log:\n\(log)")
        }
    }

    /// `redact` skips the rules for a text none of them can match; it must still equal the rules
    /// applied in full, for texts near every rule's edge and for random ones.
    func testTheQuickLookNeverPassesWhatARuleWouldRewrite() {
        var texts = ["1381234567", "13812345678", "x 1381234567 y", "BEARER abc", "Bearer", "bearer\tq", "SGT_x", "sgt_a", "sg t_a",
                     "request 0b0e6f4c-1d2e-4c3a-9f00-123456789012", "/api/v1/people", "GET /api/v1/people/:id", "200", "12.5",
                     "４２０１０２１９９０", String(repeating: "9", count: 10), "a(b", "k:v", "q=1", "/p?x", "[0a](3 bytes)"]
        var generator = SeededRandom(seed: 31)
        let pieces = ["1", "3", "8", "0", "X", "x", "B", "e", "a", "r", "E", "R", "s", "g", "t", "_", " ", "(", ":", "=", "?", "/",
                      "\"", "[", "]", "张", "-", "sgt_", "Bearer ", "138", "1234567890"]
        for _ in 0..<5_000 {
            texts.append((0..<Int.random(in: 1...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts where !LogRedaction.mayMatchARule(text) {
            XCTAssertEqual(LogRedaction.applyingRules(text), text, "a rule rewrites \(text)")
        }
        XCTAssertFalse(LogRedaction.mayMatchARule("0b0e6f4c-1d2e-4c3a-9f00-a1b2c3d4e5f6"), "a request id needs no rule")
        XCTAssertFalse(LogRedaction.mayMatchARule("GET /api/v1/people"))
    }

    func testTheRedactionRules() {
        let id = Self.residentID
        let cases: [(String, String)] = [
            ("GET /people?idNumber=\(id)", "GET /people?[redacted]"),
            ("person \(id) found", "person [id redacted] found"),
            ("old ID 420102750101123 here", "old ID [id redacted] here"),
            ("call 13812345678.", "call [mobile redacted]."),
            (#"headers: [("Authorization", "Bearer sgt_abc"), ("Cookie", "shegong_session=xyz")]"#,
             #"headers: [("Authorization", "[redacted]"), ("Cookie", "[redacted]")]"#),
            ("Set-Cookie: shegong_session=xyz; Path=/", "Set-Cookie: [redacted]"),
            ("token sgt_AbC-123_x used", "token sgt_[redacted] used"),
            ("auth Bearer abc.def", "auth Bearer [redacted]"),
            ("username=a&currentPassword=Secret1!&totp=123456", "username=a&currentPassword=[redacted]&totp=[redacted]"),
            ("Decoded HTTP part: body([69 64 3d ... 33 38](120 bytes))", "Decoded HTTP part: body([body redacted](120 bytes))"),
            ("region 620902 has 12 people in 2025", "region 620902 has 12 people in 2025"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(LogRedaction.redact(input), expected, input)
            XCTAssertEqual(LogRedaction.applyingRules(input), expected, input)
        }
        let metadata: Logger.Metadata = ["q": "\(id)", "list": [.string(Self.mobile)], "nested": ["cookie": "shegong_session=abc"]]
        XCTAssertEqual(LogRedaction.redact(metadata), ["q": "[id redacted]", "list": ["[mobile redacted]"], "nested": ["cookie": "shegong_session=[redacted]"]])
    }
}
