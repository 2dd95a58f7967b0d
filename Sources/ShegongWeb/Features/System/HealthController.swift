import SQLKit
import ShegongStore
import Vapor

/// `GET /api/v1/health`: 200 with JSON when the database answers, 503 when it does not.
struct HealthController: RouteCollection {
    struct Health: Codable {
        var status: String
        var database: String
        var time: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.health) { req in
            let engine = req.application.shegong.settings.database.isPostgres ? "postgresql" : "sqlite"
            do {
                try await DatabaseMaintenance(req.sql).ping()
            } catch {
                req.logger.warning("health check: database unreachable: \(String(reflecting: error))")
                throw APIError(status: .serviceUnavailable, code: "database.unreachable", message: "数据库无法连接")
            }
            return try JSONResponse.make(Health(status: "ok", database: engine, time: ISO8601DateFormatter().string(from: Date())))
        }
    }
}
