import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import ShegongWeb
import Vapor

/// `shegong-bench lists --database D --key FILE`: issue #15's table over HTTP, on a database a
/// census run filled. The server runs in this process, wired by `configure`; `wrk` drives it on
/// 127.0.0.1. For the most populous region of each level (nation, province, city, county,
/// township) an official scoped to it is made, and with their token:
/// - the people list's first page (20 a page, by name);
/// - a page jump to page 500 (an OFFSET of 9,980 rows, the deepest a jump goes, docs/lists.md);
/// - the page after a cursor (`after`), which is what any deeper page costs;
/// - a name-prefix search (`name=张`);
/// - the census statistics of the scope.
/// `GET /api/v1/health` is the yardstick. The regions are chosen with one GROUP BY each before any
/// timing (not timed).
struct ListBenchmark {
    var options: ServedBenchOptions

    init(arguments: [String]) throws {
        options = try ServedBenchOptions(arguments: arguments, command: "lists")
    }

    func run() async throws {
        try await options.serve { app, base in
            let scopes = try await Self.largestRegions(app)
            print("lists at scale, wrk -t2 -c\(options.connections) -d\(options.seconds)s on 127.0.0.1 (\(DatabaseLocation(setting: options.database)))")
            let health = try options.wrk("\(base)/api/v1/health", token: nil)
            print("  " + Self.padded("health (the yardstick)", 40) + Self.figures(health))
            for scope in scopes {
                let token = try await Self.token(app, region: scope.code)
                print("  \(scope.level) \(scope.code), \(scope.people) people")
                let first = "\(base)/api/v1/people?perPage=20"
                // A scope of one page has no cursor to follow (a small township).
                let cursor = try await nextCursor(app, url: first, token: token)
                let routes: [(String, String)] = [
                    ("people, first page", first),
                    ("people, page 500 (jump)", "\(base)/api/v1/people?perPage=20&page=500"),
                ] + (cursor.map { [("people, page after a cursor", "\(base)/api/v1/people?perPage=20&after=\($0)")] } ?? []) + [
                    ("people, name prefix 张", "\(base)/api/v1/people?perPage=20&name=%E5%BC%A0"),
                    ("census statistics", "\(base)/api/v1/stats/census?region=\(scope.code)"),
                ]
                for (label, url) in routes {
                    let figure = try options.wrk(url, token: token)
                    print("    " + Self.padded(label, 38) + Self.figures(figure)
                          + String(format: "   (%3.0f%% of health; by CPU %3.0f%%)", figure.requestsPerSecond / health.requestsPerSecond * 100,
                                   health.cpuMicrosecondsPerRequest / figure.cpuMicrosecondsPerRequest * 100))
                }
                fflush(nil)
            }
        }
    }

    static func padded(_ label: String, _ width: Int) -> String {
        label + String(repeating: " ", count: max(1, width - label.count))
    }

    static func figures(_ run: WrkRun) -> String {
        String(format: "%8.0f req/s   p50 %7.2f ms   p99 %7.2f ms   CPU %5.0f µs", run.requestsPerSecond, run.p50Milliseconds, run.p99Milliseconds,
               run.cpuMicrosecondsPerRequest)
    }

    /// The `nextCursor` of a first page, percent-encoded for a query; nil when it is the only page.
    func nextCursor(_ app: Application, url: String, token: String) async throws -> String? {
        let response = try await app.client.get(URI(string: url), headers: ["Authorization": "Bearer \(token)"])
        guard response.status == .ok else { throw BenchUsageError("\(url) answered \(response.status.code)") }
        struct Page: Decodable { var nextCursor: String? }
        return try response.content.decode(Page.self).nextCursor.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 }
    }

    struct Scope { var level: String; var code: String; var people: Int }

    /// The nation and, for each path column, the region with the most people.
    static func largestRegions(_ app: Application) async throws -> [Scope] {
        let sql = app.db as! any SQLDatabase
        let total = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("people").first()?
            .decode(column: "n", as: Int.self) ?? 0
        var scopes = [Scope(level: "nation", code: RegionPath.nationCode, people: total)]
        for (level, column) in [("province", "province_code"), ("city", "city_code"), ("county", "county_code"), ("township", "township_code")] {
            let row = try await sql.select().column(SQLColumn(column), as: "code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("people").where(SQLColumn(column), .isNot, SQLLiteral.null).groupBy(SQLColumn(column))
                .orderBy(SQLIdentifier("n"), SQLDirection.descending).limit(1).first()
            guard let row else { continue }
            scopes.append(Scope(level: level, code: try row.decode(column: "code"), people: try row.decode(column: "n")))
        }
        return scopes
    }

    /// A read-only official over `region` (a fresh account per run) and their token.
    static func token(_ app: Application, region: String) async throws -> String {
        let accounts = try app.shegong.accounts()
        let name = "bench-\(region)-\(UInt32.random(in: 0 ... .max))"
        _ = try await accounts.create(username: name, grant: .official(region: try RegionCode.parse(region).get(), access: .read),
                                      actor: "shegong-bench")
        return try await accounts.createToken(username: name, name: "shegong-bench", actor: "shegong-bench").secret
    }
}
