import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import Vapor

/// `shegong-bench auth --database D --key FILE`: what authentication and the audit log cost a
/// request (issue #3's note). The server runs in this process, wired by `configure`, with two
/// extra routes that do exactly what two API routes do but without the gate and the audit entry;
/// `wrk` (Debian's) drives both over HTTP on 127.0.0.1, one after the other.
///
/// - read: `GET /api/v1/stats/census` with a bearer token (the token and account are looked up,
///   the role checked) against `GET /bench/open/stats` (the same summary, no credential);
/// - write: `PUT /api/v1/regions/{code}` (gate, then the rename and its audit entry in one
///   transaction) against `PUT /bench/open/regions/{code}` (the rename alone), one connection;
/// - the token lookup alone, in process: read every time against the principal cache
///   (docs/security.md, "Principal cache").
struct AuthBenchmark {
    var options: ServedBenchOptions
    var seconds: Int { options.seconds }
    var connections: Int { options.connections }

    init(arguments: [String]) throws {
        options = try ServedBenchOptions(arguments: arguments, command: "auth")
    }

    func run() async throws {
        var token = ""
        try await options.serve(prepare: { app in
            token = try await Self.benchToken(app)
            app.get("bench", "open", "stats") { req async throws -> Response in
                let nation = try await RegionStore(req.db).region(code: RegionPath.nationCode)!
                let summary = try await CensusStatsStore(sql: req.db as! any SQLDatabase).summary(region: nation, asOf: .today())
                return try Self.json(summary)
            }
            app.put("bench", "open", "regions", ":code") { req async throws -> Response in
                let name = try req.content.get(String.self, at: "name")
                return try Self.json(try await RegionStore(req.db).rename(code: req.parameters.get("code")!, to: name, now: Date()).name)
            }
        }) { app, base in
            let county = "620902"
            print("auth and audit, \(seconds) s per run, \(connections) connections, wrk on 127.0.0.1 (\(DatabaseLocation(setting: options.database)))")
            let openRead = try wrk("\(base)/bench/open/stats")
            let authRead = try wrk("\(base)/api/v1/stats/census", token: token)
            print(String(format: "  read  without auth        %8.0f req/s", openRead))
            print(String(format: "  read  with bearer token   %8.0f req/s   (%.0f%%)", authRead, authRead / openRead * 100))
            // The lookup alone, in this process (no HTTP): the credential and its account read on
            // every call, as before issue #15 item 2, against this server's principal cache.
            let everyTime = try await lookups(app, token: token, cache: nil)
            let kept = try await lookups(app, token: token, cache: PrincipalCache())
            print(String(format: "  token lookups, read every time   %8.0f /s   (%d at a time)", everyTime, connections))
            print(String(format: "  token lookups, principal cache   %8.0f /s   (%.1f×)", kept, kept / everyTime))
            fflush(nil)   // every C stream, so a crash on shutdown cannot lose the figures
            // Writes with one connection: SQLite has one writer at a time, and the figure should be
            // what auth and audit add to a write, not how writers queue.
            let openWrite = try wrk("\(base)/bench/open/regions/\(county)", put: true, connections: 1)
            let authWrite = try wrk("\(base)/api/v1/regions/\(county)", token: token, put: true, connections: 1)
            print(String(format: "  write without auth/audit  %8.0f req/s   (1 connection)", openWrite))
            print(String(format: "  write with auth + audit   %8.0f req/s   (%.0f%%)", authWrite, authWrite / openWrite * 100))
        }
    }

    /// Bearer-token lookups per second, `connections` at a time for `seconds`; `cache` nil reads
    /// the token and its account on every call.
    func lookups(_ app: Application, token: String, cache: PrincipalCache?) async throws -> Double {
        let authenticator = Authenticator(db: app.db, settings: try app.shegong.accountSettings(), audit: app.shegong.auditLog,
                                          writes: app.shegong.writeQueue, cache: cache)
        let end = Date().addingTimeInterval(Double(seconds))
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var n = 0
                    while Date() < end {
                        guard try await authenticator.principal(bearerToken: token) != nil else { throw BenchUsageError("the token opened nothing") }
                        n += 1
                    }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(count) / Double(seconds)
    }

    /// A national read-write official's token (a fresh account per run).
    static func benchToken(_ app: Application) async throws -> String {
        let accounts = try app.shegong.accounts()
        let name = "bench-\(UInt32.random(in: 0 ... .max))"
        _ = try await accounts.create(username: name, grant: .official(region: try RegionCode.parse(RegionPath.nationCode).get(), access: .readWrite),
                                      actor: "shegong-bench")
        return try await accounts.createToken(username: name, name: "shegong-bench", actor: "shegong-bench").secret
    }

    static func json<T: Encodable>(_ value: T) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try JSONEncoder().encode(value)))
    }

    /// Requests per second from one wrk run. A PUT renames the region to a new name each time.
    func wrk(_ url: String, token: String? = nil, put: Bool = false, connections: Int? = nil) throws -> Double {
        let rename = """
            local n = 0
            request = function()
              n = n + 1
              return wrk.format("PUT", nil, nil, '{"name":"基准地区' .. n .. '"}')
            end
            """
        return try options.wrk(url, token: token, connections: connections, luaBody: put ? rename : "").requestsPerSecond
    }
}
