import Vapor

extension Endpoint {
    static let prefix: [PathComponent] = ["api", "v1"]

    /// Where `RoutesBuilder.on(_:)` leaves the endpoint's name on the Vapor route it registers.
    static let userInfoKey = "shegong.endpoint"

    /// Every endpoint of every feature (`WebFeatures.all`), in feature order.
    static var all: [Endpoint] { WebFeatures.all.flatMap(\.endpoints) }
}

extension RoutesBuilder {
    /// Registers `endpoint`'s handler behind its gate and query check. The declaration is read
    /// again for each request: one may depend on the date (the statistics' years).
    @discardableResult
    func on(_ endpoint: @autoclosure @escaping @Sendable () -> Endpoint, body: HTTPBodyStreamStrategy = .collect,
            use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        let declared = endpoint()
        let registered = grouped(Endpoint.prefix).on(declared.method, declared.path, body: body) { req in
            let current = endpoint()
            try await current.authorize(req)
            try current.checkQuery(req)
            return try await handler(req)
        }
        registered.userInfo[Endpoint.userInfoKey] = declared.name
        return registered
    }
}
