import SQLKit
import ShegongStore
import ShegongDomain
import Vapor

/// `GET /api/v1/health` (liveness): 200 with JSON when the database answers, 503 when it does not.
/// `GET /api/v1/ready` (readiness): 200 when the database answers and every migration of this
/// build is applied; 503 otherwise, each failed check a detail (`field` names it).
struct HealthController: RouteCollection {
    struct Health: Codable {
        var status: String
        var database: String
        var time: String
    }

    struct Readiness: Codable {
        var status: String
        var database: String
        var migrations: Int
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
        routes.on(.ready) { req in
            let engine = req.application.shegong.settings.database.isPostgres ? "postgresql" : "sqlite"
            let maintenance = DatabaseMaintenance(req.sql)
            var problems: [APIErrorBody.Detail] = []
            var applied = 0
            do {
                try await maintenance.ping()
                let pending = try await maintenance.pendingMigrations()
                applied = ShegongMigrations.all.count - pending.count
                if !pending.isEmpty {
                    let names = pending.prefix(5).map { $0.split(separator: ".").last.map(String.init) ?? $0 }.joined(separator: ", ")
                    problems.append(.init(field: "migrations", code: "ready.migrations",
                                          text: CatalogueMessage("ready.migrations", arguments: [String(pending.count), names])))
                }
            } catch {
                req.logger.warning("readiness: database unreachable: \(String(reflecting: error))")
                problems.append(.init(field: "database", code: "ready.database", text: CatalogueMessage("ready.database")))
            }
            guard problems.isEmpty else {
                throw APIError(status: .serviceUnavailable, code: "ready.not_ready", message: CatalogueMessage("ready.not_ready").chinese,
                               details: problems, text: CatalogueMessage("ready.not_ready"))
            }
            return try JSONResponse.make(Readiness(status: "ready", database: engine, migrations: applied))
        }
    }
}
