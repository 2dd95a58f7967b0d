import ShegongDomain
import Vapor

/// A request for a declared API path with a method the path does not have (TRACE, DELETE on a
/// list, PUT on a report…) answers 405 in the JSON error shape, with an `Allow` header naming the
/// methods it has; Vapor's router alone would answer 404, as for a path that does not exist.
/// HEAD is answered where GET is (Vapor serves it from the GET route).
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    private let endpoints: [Endpoint]

    init(routes: [Endpoint] = Endpoint.all) {
        endpoints = routes
    }

    /// The declared methods of the API path `path`; empty when no endpoint has that path. Where
    /// a fixed segment and a parameter both match (`/policies/check`, `/policies/{id}`), the path
    /// with the fixed segment is the resource, as in OpenAPI: `GET /policies/check` answers 405.
    func methods(of path: String) -> [HTTPMethod] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count >= Endpoint.prefix.count, segments[0] == "api" else { return [] }
        let matching = endpoints.filter { $0.matches(segments) }
        func fixed(_ endpoint: Endpoint) -> [Bool] {
            endpoint.path.map { if case .constant = $0 { return true } else { return false } }
        }
        guard let best = matching.map(fixed).max(by: { a, b in
            zip(a, b).first { $0 != $1 }.map { !$0.0 && $0.1 } ?? false
        }) else { return [] }
        var methods: [HTTPMethod] = []
        for endpoint in matching where fixed(endpoint) == best && !methods.contains(endpoint.method) {
            methods.append(endpoint.method)
        }
        return methods
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let allowed = methods(of: request.url.path)
        let asked = request.method == .HEAD ? HTTPMethod.GET : request.method
        guard !allowed.isEmpty, !allowed.contains(asked) else { return try await next.respond(to: request) }
        let names = (allowed.contains(.GET) ? allowed + [.HEAD] : allowed).map(\.rawValue).sorted()
        let text = CatalogueMessage("api.method_not_allowed", request.url.path, request.method.rawValue, CatalogueMessage.list(names))
        let body = APIErrorBody(error: .init(code: "request.method_not_allowed", message: text.chinese, details: [], text: text))
        let response = try JSONResponse.make(body, status: .methodNotAllowed)
        response.headers.replaceOrAdd(name: .allow, value: names.joined(separator: ", "))
        return response
    }
}
