import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// Where store and API tests run: in-memory SQLite by default, or a real PostgreSQL when
/// `SHEGONG_TEST_DATABASE` holds a `postgres://` URL (scripts/test runs the suite both ways).
/// On PostgreSQL every test gets a fresh database of its own, dropped afterwards.
enum TestDatabase {
    static var baseURL: String? {
        guard let url = ProcessInfo.processInfo.environment["SHEGONG_TEST_DATABASE"], url.hasPrefix("postgres") else { return nil }
        // Tests create and drop databases: refuse anything but this machine.
        precondition(url.contains("@127.0.0.1") || url.contains("@localhost"), "SHEGONG_TEST_DATABASE must point at localhost")
        return url
    }

    static var engine: String { baseURL == nil ? "SQLite" : "PostgreSQL" }

    static func withPostgresAdmin(_ body: (any SQLDatabase) async throws -> Void) async throws {
        let admin = try await Application.make(.testing)
        do {
            var config = try SQLPostgresConfiguration(url: baseURL!)
            config.coreConfiguration.tls = .disable
            admin.databases.use(.postgres(configuration: config), as: .psql)
            try await body(admin.db as! any SQLDatabase)
        } catch {
            try await admin.asyncShutdown()
            throw error
        }
        try await admin.asyncShutdown()
    }
}

/// Starts Shegong exactly as the executable does, migrated, on a fresh database; shuts it down after.
func withApp(maxUploadMB: Int? = nil, environment extra: [String: String] = [:], _ body: (Application) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var environment = ["SHEGONG_SECRET_KEY_FILE": dir.appendingPathComponent("key").path, "SHEGONG_LOG_LEVEL": "warning"]
    if let maxUploadMB { environment["SHEGONG_MAX_UPLOAD_MB"] = String(maxUploadMB) }
    environment.merge(extra) { _, new in new }
    var databaseName: String?
    if let base = TestDatabase.baseURL {
        let name = "shegong_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await TestDatabase.withPostgresAdmin { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        databaseName = name
        var components = URLComponents(string: base)!
        components.path = "/" + name
        environment["SHEGONG_DATABASE"] = components.string!
    } else {
        environment["SHEGONG_DATABASE"] = dir.appendingPathComponent("test.sqlite").path
    }
    let app = try await Application.make(.testing)
    do {
        try await configure(app, settings: try ShegongSettings(environment: environment))
        try await app.autoMigrate()
        try await body(app)
    } catch {
        try await app.asyncShutdown()
        if let databaseName { try await TestDatabase.withPostgresAdmin { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: databaseName)").run() } }
        throw error
    }
    try await app.asyncShutdown()
    if let databaseName { try await TestDatabase.withPostgresAdmin { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: databaseName)").run() } }
}

extension Application {
    var sql: any SQLDatabase { db as! any SQLDatabase }

    struct OfficialTokenKey: StorageKey { typealias Value = String }

    /// A bearer token for a new account with `grant` (its one-time password is never changed:
    /// tokens do not depend on it).
    func token(_ grant: Grant, username: String) async throws -> String {
        let accounts = try shegong.accounts()
        _ = try await accounts.create(username: username, grant: grant, actor: "test")
        return try await accounts.createToken(username: username, name: "test", actor: "test").secret
    }

    /// The token of a national read-write official, made on first use: the account the API
    /// tests act as unless they say otherwise.
    func officialToken() async throws -> String {
        if let token = storage[OfficialTokenKey.self] { return token }
        let token = try await self.token(.official(region: try RegionCode.parse(RegionPath.nationCode).get(), access: .readWrite),
                                         username: "national-official")
        storage[OfficialTokenKey.self] = token
        return token
    }

    /// `test` as the national official, or as `token`'s owner; `token: ""` sends no credential.
    @discardableResult
    func api(_ method: HTTPMethod, _ path: String, token: String? = nil, headers: HTTPHeaders = [:],
             file: StaticString = #filePath, line: UInt = #line,
             beforeRequest: @escaping (inout XCTHTTPRequest) async throws -> Void = { _ in },
             afterResponse: @escaping (XCTHTTPResponse) async throws -> Void = { _ in }) async throws -> any XCTApplicationTester {
        var headers = headers
        let bearer: String
        if let token { bearer = token } else { bearer = try await officialToken() }
        if !bearer.isEmpty, headers.first(name: .authorization) == nil { headers.bearerAuthorization = .init(token: bearer) }
        return try await test(method, path, headers: headers, file: file, line: line, beforeRequest: beforeRequest, afterResponse: afterResponse)
    }

    /// `api` with only a response check (the trailing-closure form).
    @discardableResult
    func api(_ method: HTTPMethod, _ path: String, token: String? = nil, headers: HTTPHeaders = [:],
             file: StaticString = #filePath, line: UInt = #line,
             afterResponse: @escaping (XCTHTTPResponse) async throws -> Void) async throws -> any XCTApplicationTester {
        try await api(method, path, token: token, headers: headers, file: file, line: line, beforeRequest: { _ in }, afterResponse: afterResponse)
    }

    func count(_ table: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }

    /// The township and community levels the demo adds (no people), and the seed plans without
    /// the demo's progress reports (tests report on them themselves).
    func loadDemoGeography() async throws {
        _ = try await DemoDataSet(people: 0, progressReports: false).load(db: db, cipher: shegong.cipher)
    }
}

/// A person row for the census template, valid unless a test changes it.
struct CensusRow {
    static let county = "620902"           // 酒泉市肃州区
    static var header: [String] { CensusColumn.allCases.map(\.rawValue) }

    var name = "张三"
    var id = CensusRow.makeID(1)
    var sex = ""
    var mobile = "13812345678"
    var region = CensusRow.county
    var employer = "酒泉市肃州区阳光社会工作服务中心"
    var creditCode = ""
    var category = "社区工作者"
    var fields = "社区、养老"
    var education = "本科"
    var degree = "是"
    var level = "助理社会工作师"
    var number = "2024620001"
    var issued = "2024-06-15"

    var cells: [String] { [name, id, sex, mobile, region, employer, creditCode, category, fields, education, degree, level, number, issued] }

    /// A valid resident ID from 肃州区 with sequence `n` (born 1988-05-20).
    static func makeID(_ n: Int, birth: CivilDate = CivilDate(year: 1988, month: 5, day: 20)!) -> String {
        ResidentID.make(addressCode: county, birthDate: birth, sequence: n)!.value
    }

    static func csv(_ rows: [CensusRow]) -> String {
        ([header] + rows.map(\.cells)).map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}

func writeTemp(_ text: String, ext: String = "csv", encoding: String.Encoding = .utf8) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("census-\(UUID().uuidString).\(ext)")
    try text.data(using: encoding)!.write(to: url)
    return url
}

func importFile(_ app: Application, _ url: URL, dryRun: Bool = false) async throws -> CensusImportReport {
    let reader = try Spreadsheet.openReader(url: url)
    return try await CensusImporter(db: app.db, cipher: app.shegong.cipher)
        .run(reader: reader, fileName: url.lastPathComponent, format: url.pathExtension, dryRun: dryRun, actor: "test")
}

/// Maintained aggregates must equal a fresh GROUP BY scan of people.
func assertAggregatesMatchScan(_ app: Application, region code: String, file: StaticString = #filePath, line: UInt = #line) async throws {
    let region = try await RegionStore(app.db).region(code: code)!
    let stats = CensusStatsStore(sql: app.sql)
    func table(_ counts: [CensusCount]) -> [String: Int] {
        var t: [String: Int] = [:]
        for c in counts where c.count != 0 { t["\(c.key.dimension.rawValue)=\(c.key.value)", default: 0] += c.count }
        return t
    }
    let scan = try await stats.scanCounts(region: region)
    let maintained = try await stats.counts(region: code)
    XCTAssertEqual(table(maintained), table(scan), "aggregates of \(code) differ from a scan", file: file, line: line)
    // The statistics page reads only the dimensions a summary shows (`CensusSummary.dimensions`).
    let today = CivilDate.today()
    let summary = try await stats.summary(region: region, asOf: today)
    XCTAssertEqual(summary, CensusSummary(counts: scan, asOf: today), "the summary of \(code) differs from one made of a scan",
                   file: file, line: line)
}

/// The built `shegong` executable beside the test bundle, run the way an operator would, on a
/// SQLite database and key file inside `dir`.
enum ShegongExecutable {
    static var url: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("shegong")
    }

    /// Runs `body` in a new empty folder, removed afterwards; when the executable is not built the
    /// test fails saying how to build it.
    static func inScratchFolder(_ name: String, file: StaticString = #filePath, line: UInt = #line, _ body: (URL) throws -> Void) throws {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            return XCTFail("shegong executable not found at \(url.path); build it with `swift build`", file: file, line: line)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(dir)
    }

    static func run(_ arguments: [String], in dir: URL, environment extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["SHEGONG_DATABASE"] = dir.appendingPathComponent("cli.sqlite").path
        environment["SHEGONG_SECRET_KEY_FILE"] = dir.appendingPathComponent("cli.key").path
        environment["SHEGONG_LOG_LEVEL"] = "error"
        environment.merge(extra) { _, given in given }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
