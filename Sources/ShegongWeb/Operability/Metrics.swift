import Foundation
import Prometheus
import SQLKit
import ShegongStore
import Vapor

/// The server's Prometheus metrics (issue #12 §5, docs/operations.md "Metrics"), one registry per
/// application, read at `GET /metrics` by the addresses `SHEGONG_METRICS_ALLOW` names.
///
/// Labels carry only route templates (`/api/v1/people/:id`), methods, status codes and fixed
/// words: never a path with ids, a query, a name or an account.
public final class ShegongMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    /// Request latency buckets: reads should answer under 200 ms, writes under 500 ms.
    static let latencyBuckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                             .milliseconds(100), .milliseconds(200), .milliseconds(500), .seconds(1),
                                             .milliseconds(2_500), .seconds(5), .seconds(10)]
    /// Imports and allowance runs: from a fraction of a second to a million-row file.
    static let jobBuckets: [Duration] = [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
                                         .seconds(300), .seconds(900), .seconds(1_800)]
    /// Waiting for a turn in the write queue.
    static let waitBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
                                          .milliseconds(500), .seconds(2), .seconds(10)]

    // Computed: swift-prometheus's descriptor type is not Sendable.
    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "http_requests", unitName: "total",
                                               helpText: "Requests answered, by method, route template and status code.") }
    static var latency: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "http_request_duration", unitName: "seconds",
                                              helpText: "Time from a request's arrival to its response head, by method and route template.") }
    static var censusImport: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "census_import_duration", unitName: "seconds",
                                                   helpText: "Census imports by the server (API and import wizard), by mode (dry_run or commit).") }
    static var allowanceRun: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "allowance_run_duration", unitName: "seconds",
                                                   helpText: "Monthly allowance runs by the server (API and page).") }
    static var writeWait: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "write_queue_wait", unitName: "seconds",
                                                helpText: "How long a write transaction waited for its turn in the write queue.") }
    static var writeWaiting: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "write_queue_waiting", unitName: "transactions",
                                                   helpText: "Write transactions waiting for their turn in the write queue now.") }
    static var poolMax: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "db_pool_max", unitName: "connections",
                                              helpText: "Connections the server's database pool may open (all event loops).") }
    static var connections: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "db_server", unitName: "connections",
                                                  helpText: "PostgreSQL: connections to this database by state, from pg_stat_activity (all clients).") }

    public init() {}

    /// One answered request.
    public func request(method: String, route: String, status: UInt, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))]).increment()
        record(duration, in: Self.latency, labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets)
    }

    public func censusImport(dryRun: Bool, duration: Duration) {
        record(duration, in: Self.censusImport, labels: [("mode", dryRun ? "dry_run" : "commit")], buckets: Self.jobBuckets)
    }

    public func allowanceRun(duration: Duration) {
        record(duration, in: Self.allowanceRun, buckets: Self.jobBuckets)
    }

    public func writeWait(_ duration: Duration) {
        record(duration, in: Self.writeWait, buckets: Self.waitBuckets)
    }

    /// One observation of the duration histogram `descriptor` with `labels`.
    func record(_ duration: Duration, in descriptor: MetricNameDescriptor, labels: [(String, String)] = [], buckets: [Duration]) {
        registry.makeDurationHistogram(descriptor: descriptor, labels: labels, buckets: buckets).record(duration)
    }

    /// `body`'s time (also when it fails) handed to `record`.
    public static func timed<T>(_ record: (Duration) -> Void, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        defer { record(ContinuousClock.now - started) }
        return try await body()
    }

    /// The text exposition, after the gauges read at scrape time are brought up to date.
    func scrape(_ app: Application) async -> String {
        let settings = app.shegong.settings
        let loops = app.eventLoopGroup.makeIterator().reduce(0) { n, _ in n + 1 }
        let perLoop = settings.database.isPostgres ? PostgresPool.connectionsPerEventLoop : 1
        registry.makeGauge(descriptor: Self.poolMax, labels: []).set(Double(loops * perLoop))
        if let gate = app.shegong.writeQueue.gate {
            registry.makeGauge(descriptor: Self.writeWaiting, labels: []).set(Double(await gate.depth))
        }
        if settings.database.isPostgres, let sql = app.db as? any SQLDatabase,
           let counts = try? await DatabaseMaintenance(sql).connectionsByState() {
            for state in ["active", "idle", "idle in transaction"] {
                registry.makeGauge(descriptor: Self.connections, labels: [("state", state.replacingOccurrences(of: " ", with: "_"))])
                    .set(Double(counts[state] ?? 0))
            }
        }
        return registry.emitToString()
    }

    /// `GET /metrics`: the text format for addresses `SHEGONG_METRICS_ALLOW` admits (the client
    /// address as the rate limit and the audit log see it: behind a trusted proxy, the forwarded
    /// one); 404, as for a path that does not exist, for everyone else.
    static func register(_ app: Application) {
        app.get("metrics") { req async throws -> Response in
            guard Self.admits(req) else { throw Abort(.notFound) }
            let text = await req.application.shegong.metrics.scrape(req.application)
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
            headers.cacheControl = .init(noStore: true)
            return Response(status: .ok, headers: headers, body: .init(string: text))
        }
    }

    static func admits(_ req: Request) -> Bool {
        guard let address = req.clientIP, let bytes = AddressRange.parse(address) else { return false }
        return req.application.shegong.settings.metricsAllow.contains { $0.contains(bytes) }
    }
}

extension ShegongServices {
    struct MetricsKey: StorageKey { typealias Value = ShegongMetrics }

    /// This application's metrics (made in `configure`).
    public var metrics: ShegongMetrics {
        get {
            if let metrics = app.storage[MetricsKey.self] { return metrics }
            let metrics = ShegongMetrics()
            app.storage[MetricsKey.self] = metrics
            return metrics
        }
        nonmutating set { app.storage[MetricsKey.self] = newValue }
    }
}
