import Foundation
import NIOCore
import ShegongDomain
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Each API endpoint is declared once (`Endpoint`, listed by its feature); registration, the query check, the
/// 405 answer and the OpenAPI document come from that declaration. These tests hold the pieces
/// to it: every declaration registered exactly once through the gate, every operation documented
/// with its real summary, success schema and errors, and the answers the document promises.
final class EndpointDeclarationTests: XCTestCase {
    typealias JSON = [String: Any]

    static func key(_ method: HTTPMethod, _ path: [PathComponent]) -> String {
        "\(method.rawValue) /" + path.map { component -> String in
            if case .parameter(let name) = component { return ":\(name)" }
            return component.description
        }.joined(separator: "/")
    }

    func testEveryDeclaredEndpointIsRegisteredOnceAndEveryAPIRouteIsDeclared() async throws {
        try await withApp { app in
            // setup
            let declared = Dictionary(uniqueKeysWithValues: Endpoint.all.map {
                (Self.key($0.method, Endpoint.prefix + $0.path), $0.name)
            })
            XCTAssertEqual(declared.count, Endpoint.all.count, "two endpoints declare the same method and path")
            XCTAssertEqual(Set(Endpoint.all.map(\.name)).count, Endpoint.all.count, "two endpoints have the same name")
            // act
            let registered = app.routes.all.filter { $0.path.first?.description == "api" }
            // check
            var seen: [String: Int] = [:]
            for route in registered {
                let key = Self.key(route.method, route.path)
                seen[key, default: 0] += 1
                guard let name = declared[key] else {
                    XCTFail("\(key) is registered but not declared")
                    continue
                }
                // Registered through `on(_:)`, so it passes the gate and the query check.
                XCTAssertEqual(route.userInfo[Endpoint.userInfoKey] as? String, name, "\(key) bypasses RoutesBuilder.on(_:)")
            }
            for (key, name) in declared {
                XCTAssertEqual(seen[key], 1, "\(name) (\(key)) is registered \(seen[key] ?? 0) times")
            }
        }
    }

    func testEveryOperationHasItsSummarySuccessSchemaAndErrors() async throws {
        try await withApp { app in
            var document: JSON = [:]
            try await app.api(.GET, "/api/v1/openapi.json", token: "") { res async throws in
                XCTAssertEqual(res.status, .ok)
                document = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! JSON
            }
            let paths = try XCTUnwrap(document["paths"] as? [String: [String: JSON]])
            var operations = 0
            for (path, byMethod) in paths {
                for (method, op) in byMethod {
                    operations += 1
                    let name = "\(method.uppercased()) \(path)"
                    let id = op["operationId"] as? String ?? ""
                    let summary = op["summary"] as? String ?? ""
                    XCTAssertFalse(summary.isEmpty, "\(name): no summary")
                    XCTAssertNotEqual(summary, id, "\(name): the summary is only the operation id")
                    let responses = op["responses"] as? [String: JSON] ?? [:]
                    let successes = responses.filter { $0.key.hasPrefix("2") }
                    XCTAssertFalse(successes.isEmpty, "\(name): no success response")
                    for (status, response) in successes {
                        let content = response["content"] as? [String: JSON] ?? [:]
                        XCTAssertFalse(content.isEmpty, "\(name) \(status): no content")
                        for (type, media) in content { XCTAssertNotNil(media["schema"], "\(name) \(status) \(type): no schema") }
                    }
                    for (status, response) in responses where !status.hasPrefix("2") {
                        let schema = (response["content"] as? [String: JSON])?["application/json"]?["schema"] as? JSON
                        XCTAssertEqual(schema?["$ref"] as? String, "#/components/schemas/Error", "\(name) \(status): not the error shape")
                    }
                    // The errors its facts imply.
                    let parameters = op["parameters"] as? [JSON] ?? []
                    if !(op["security"] as? [Any] ?? []).isEmpty {
                        XCTAssertNotNil(responses["401"], "\(name): 401 undocumented")
                        XCTAssertNotNil(responses["403"], "\(name): 403 undocumented")
                    }
                    if parameters.contains(where: { $0["in"] as? String == "path" }) { XCTAssertNotNil(responses["404"], "\(name): 404 undocumented") }
                    if parameters.contains(where: { $0["in"] as? String == "query" }) { XCTAssertNotNil(responses["400"], "\(name): 400 undocumented") }
                    if let body = op["requestBody"] as? JSON {
                        XCTAssertNotNil(responses["413"], "\(name): 413 undocumented")
                        if (body["content"] as? JSON)?["application/json"] != nil {
                            XCTAssertNotNil(responses["415"], "\(name): takes JSON but 415 undocumented")
                            XCTAssertNotNil(responses["400"], "\(name): takes JSON but 400 undocumented")
                        }
                    }
                    for parameter in parameters {
                        XCTAssertNotNil(parameter["schema"], "\(name): parameter \(parameter["name"] ?? "?") has no schema")
                    }
                }
            }
            XCTAssertEqual(operations, Endpoint.all.count)

            // The payment line fell through to a default before: its real summary and its 200.
            let line = try XCTUnwrap(paths["/api/v1/payment-lines/{id}"]?["get"])
            XCTAssertEqual(line["summary"] as? String, "发放明细及判定说明")
            let ok = try XCTUnwrap((line["responses"] as? [String: JSON])?["200"])
            let schema = try XCTUnwrap(((ok["content"] as? [String: JSON])?["application/json"])?["schema"] as? JSON)
            XCTAssertEqual(schema["type"] as? String, "object")
            XCTAssertNotNil((schema["properties"] as? JSON)?["decision"])
            // Health is documented with its 503.
            XCTAssertNotNil((paths["/api/v1/health"]?["get"]?["responses"] as? JSON)?["503"])
        }
    }

    /// A JSON body sent as another type answers 415, as the document now says for every such endpoint.
    func testAJSONBodyOfAnotherTypeAnswers415AsDocumented() async throws {
        try await withApp { app in
            var responses: JSON = [:]
            try await app.api(.GET, "/api/v1/openapi.json") { res async throws in
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! JSON
                responses = ((doc["paths"] as! [String: [String: JSON]])["/api/v1/applications"]!["post"]!["responses"] as! JSON)
            }
            XCTAssertNotNil(responses["415"])
            try await app.api(.POST, "/api/v1/applications", beforeRequest: { req in
                req.headers.contentType = .xml
                req.body = ByteBuffer(string: "<application><personID>x</personID></application>")
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unsupportedMediaType)
                XCTAssertEqual(try res.content.decode(APIErrorBody.self).error.code, "request.unsupported_media_type")
            })
        }
    }

    func testAMethodAPathDoesNotHaveAnswers405WithTheMethodsItHas() async throws {
        try await withApp { app in
            // act / check: TRACE on a list, DELETE on a record, PUT on an action.
            try await app.api(.TRACE, "/api/v1/people") { res async throws in
                XCTAssertEqual(res.status, .methodNotAllowed)
                XCTAssertEqual(res.headers.first(name: .allow), "GET, HEAD, POST")
                let body = try res.content.decode(APIErrorBody.self)
                XCTAssertEqual(body.error.code, "request.method_not_allowed")
                XCTAssertTrue(body.error.message.contains("TRACE"), body.error.message)
            }
            try await app.api(.DELETE, "/api/v1/people/some-id") { res async throws in
                XCTAssertEqual(res.status, .methodNotAllowed)
                XCTAssertEqual(res.headers.first(name: .allow), "GET, HEAD, PUT")
            }
            try await app.api(.PUT, "/api/v1/payment-batches/b1/approve") { res async throws in
                XCTAssertEqual(res.status, .methodNotAllowed)
                XCTAssertEqual(res.headers.first(name: .allow), "POST")
            }
            // Anonymous callers get the same answer: the method is wrong whoever asks.
            try await app.api(.TRACE, "/api/v1/health", token: "") { res async throws in
                XCTAssertEqual(res.status, .methodNotAllowed)
            }
            // A path that does not exist stays 404; a method the path has still reaches its handler.
            try await app.api(.TRACE, "/api/v1/no-such-thing") { res async throws in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.GET, "/api/v1/people") { res async throws in XCTAssertEqual(res.status, .ok) }
            // The fixed segment names the resource: /policies/check only takes POST, though
            // /policies/{id} would take GET.
            try await app.api(.OPTIONS, "/api/v1/policies/check") { res async throws in
                XCTAssertEqual(res.status, .methodNotAllowed)
                XCTAssertEqual(res.headers.first(name: .allow), "POST")
            }
            try await app.api(.GET, "/api/v1/policies/check") { res async throws in XCTAssertEqual(res.status, .methodNotAllowed) }
            try await app.api(.GET, "/api/v1/policies/no-such-policy") { res async throws in XCTAssertEqual(res.status, .notFound) }
        }
    }

    func testDeclaredQueryParametersAreCheckedBeforeTheHandler() async throws {
        try await withApp { app in
            func rejected(_ path: String, naming field: String, file: StaticString = #filePath, line: UInt = #line) async throws {
                try await app.api(.GET, path) { res async throws in
                    XCTAssertEqual(res.status, .badRequest, path, file: file, line: line)
                    let body = try res.content.decode(APIErrorBody.self)
                    XCTAssertEqual(body.error.code, "request.query", path, file: file, line: line)
                    XCTAssertEqual(body.error.details.first?.field, field, path, file: file, line: line)
                    XCTAssertTrue(body.error.message.contains(field), body.error.message, file: file, line: line)
                }
            }
            // The two schemathesis found accepted.
            try await rejected("/api/v1/exams?year=twenty", naming: "year")
            try await rejected("/api/v1/ledger?byRegion=maybe", naming: "byRegion")
            // An integer, a boolean and an enumeration elsewhere.
            try await rejected("/api/v1/people?perPage=many", naming: "perPage")
            try await rejected("/api/v1/people/p1?reveal=yes", naming: "reveal")
            try await rejected("/api/v1/certificates?level=%E5%A4%A7%E5%B8%88", naming: "level")
            try await rejected("/api/v1/exports/census?format=pdf", naming: "format")
            // Good values still reach the handler, and an empty value counts as absent.
            try await app.api(.GET, "/api/v1/exams?year=2025") { res async throws in XCTAssertEqual(res.status, .ok) }
            try await app.api(.GET, "/api/v1/ledger?byRegion=true") { res async throws in XCTAssertEqual(res.status, .ok) }
            try await app.api(.GET, "/api/v1/ledger?byRegion=") { res async throws in XCTAssertEqual(res.status, .ok) }
            // The English text of the message is in the catalogue too.
            XCTAssertEqual(CatalogueMessage("api.parameter.integer", "year", "twenty").text(.en),
                           "The parameter year must be a whole number; received “twenty”")
        }
    }

    /// The check runs after the gate: without a credential the answer is 401, not 400.
    func testTheQueryCheckComesAfterTheGate() async throws {
        try await withApp { app in
            try await app.api(.GET, "/api/v1/exams?year=twenty", token: "") { res async throws in
                XCTAssertEqual(res.status, .unauthorized)
            }
        }
    }
}
