import Foundation
import Vapor

/// The request id of the log lines (docs/operations.md, "Logs"): the client's `X-Request-Id` when
/// it is a short token of letters, digits and hyphens that holds nothing the log redacts (an ID
/// or mobile number is also such a token); otherwise one of ours, which must pass the same test:
/// a UUID's last group is 12 hex digits, and about one in a thousand holds a run that reads as a
/// mobile number, which the log would blank out of its own request id.
enum RequestID {
    static let maximumLength = 64

    static func accepting(_ header: String?, make: () -> String = { UUID().uuidString.lowercased() }) -> String {
        if let header, (1...maximumLength).contains(header.utf8.count),
           header.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }),
           LogRedaction.redact(header) == header {
            return header
        }
        var id = make()
        while LogRedaction.redact(id) != id { id = make() }
        return id
    }
}

/// Logs each request once it is answered — method, route template (`/api/v1/people/:id`, never
/// the path with its ids, never the query), status, duration in milliseconds, under the request
/// id — and counts it in the metrics. Outermost, so errors turned into answers are counted too.
/// The id is sent back as `X-Request-Id`.
struct RequestLogMiddleware: AsyncMiddleware {
    /// The route class of a request no route matched (404, 405 before routing).
    static let unmatched = "unmatched"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = RequestID.accepting(request.headers.first(name: .xRequestId))
        request.logger[metadataKey: "request-id"] = .string(id)
        let started = ContinuousClock.now
        do {
            let response = try await next.respond(to: request)
            response.headers.replaceOrAdd(name: .xRequestId, value: id)
            finish(request, status: response.status.code, ContinuousClock.now - started)
            return response
        } catch {
            finish(request, status: (error as? any AbortError)?.status.code ?? 500, ContinuousClock.now - started)
            throw error
        }
    }

    func finish(_ request: Request, status: UInt, _ duration: Duration) {
        let route = Self.routeClass(request)
        let method = request.method.rawValue
        let components = duration.components
        let milliseconds = Double(components.seconds) * 1_000 + Double(components.attoseconds) / 1e15
        request.application.shegong.metrics.request(method: method, route: route, status: status, duration: duration)
        request.logger.info("\(method) \(route)", metadata: [
            "method": .string(method), "route": .string(route), "status": .string(String(status)),
            "duration_ms": .string(String(format: "%.1f", milliseconds)),
        ])
    }

    /// The route's template, `/` for the root, `unmatched` without a route.
    static func routeClass(_ request: Request) -> String {
        guard let route = request.route else { return unmatched }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }
}
