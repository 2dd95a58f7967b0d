import Vapor
import XCTest
@testable import ShegongStore
@testable import ShegongWeb

/// `Request.queryValue` reads the query once per request; it must answer what Vapor's
/// `query[String.self, at:]` answers, for ordinary queries and for odd ones alike.
final class QueryValuesTests: XCTestCase {
    static let keys = ["a", "b", "region", "name", "a b", "张", "", "a]"]

    func testItAnswersAsVaporDoesForOrdinaryAndOddQueries() async throws {
        var queries = [
            "region=620902&perPage=20&page=2", "name=%E5%BC%A0&name=%E6%9D%8E", "a=1+2&b=x%2By", "a", "a=", "=x", "&&a=1&&",
            "a=%ZZ", "a=1&b=%ZZ", "a%ZZ=1&b=2", "a[b]=1", "a[b]=1&a=2", "a=2&a[]=3", "a[b=1&b=2", "a%5Bb%5D=1", "a=x=y",
            "a%20b=1", "a+b=1", "%E5%BC%A0=1", "a]=1", "a=%",
        ]
        // And random ones over the characters that matter to the parser.
        var generator = SeededRandom(seed: 20261205)
        let pieces = ["a", "b", "=", "&", "+", "%", "%2", "%41", "%5B", "%5D", "%E5%BC%A0", "[", "]", "x", "1", "region", "%ZZ"]
        for _ in 0..<2_000 {
            queries.append((0..<Int.random(in: 1...10, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        let app = try await Application.make(.testing)
        for query in queries {
            let request = Request(application: app, method: .GET, url: URI(string: "/x?" + query), on: app.eventLoopGroup.next())
            for key in Self.keys {
                XCTAssertEqual(request.queryValue(key), request.query[String.self, at: key], "\(key) in \(query)")
            }
        }
        try await app.asyncShutdown()
    }
}
