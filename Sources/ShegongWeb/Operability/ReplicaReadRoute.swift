import Fluent
import Foundation
import Prometheus
import ShegongServices
import ShegongStore
import Vapor

extension ShegongMetrics {
    static var replicaReads: MetricNameDescriptor { MetricNameDescriptor(namespace: "shegong", metricName: "replica_reads", unitName: "total",
                                                   helpText: "Requests whose reads that may be a moment old were routed, by where they went (replica or primary) and why (replica, own_write, lagging, unavailable).") }

    /// One routing decision of `SHEGONG_DATABASE_REPLICA` (docs/deployment.md "Reads from the standby").
    public func replicaRead(_ choice: ReplicaMonitor.Choice) {
        registry.makeCounter(descriptor: Self.replicaReads,
                             labels: [("database", choice == .replica ? "replica" : "primary"), ("reason", choice.rawValue)]).increment()
    }
}

extension Request {
    struct ReadRouteKey: StorageKey { typealias Value = ReadRoute }

    /// This request's read route when a standby is configured: made on first use and kept for the
    /// request, so the standby is asked at most once per request and a change made in the request
    /// sends its later reads to the primary.
    var readRoute: ReadRoute? {
        guard let monitor = application.shegong.replicaMonitor else { return nil }
        if let route = storage[ReadRouteKey.self] { return route }
        let route = ReadRoute(primary: db, replica: db(.replica), monitor: monitor)
        storage[ReadRouteKey.self] = route
        return route
    }

    /// The services' context for work that outlives this request (the import wizard's background
    /// run): on the application's database, with a read route of its own on it, so that a change
    /// the work commits still records the caller's write position.
    var backgroundServices: ServiceContext {
        let app = application
        let reads = app.shegong.replicaMonitor.map { ReadRoute(primary: app.db, replica: app.db(.replica), monitor: $0) }
        return ServiceContext(db: app.db, cipher: cipher, auditLog: auditLog, writes: app.shegong.writeQueue, reads: reads,
                              principalCache: app.shegong.principalCache)
    }
}
