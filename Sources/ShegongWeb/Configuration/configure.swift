import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOSSL
import SQLKit
import ShegongStore
import Vapor

/// Wires databases, migrations, the personal-data key, middleware, and the features' routes and commands.
/// The executable and the tests both start here.
public func configure(_ app: Application, settings: ShegongSettings) async throws {
    app.logger.logLevel = settings.logLevel
    app.shegong.settings = settings

    // The server's own temporary folder (0700), before anything can write a temporary file.
    app.shegong.tempFiles = try TempFiles(directory: URL(fileURLWithPath: settings.tempDirectory, isDirectory: true))

    switch settings.database {
    case .sqliteFile(let path):
        try DatabaseFileModes.createOwnerOnly(path)
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url):
        var config = try SQLPostgresConfiguration(url: url)
        if !url.contains("sslmode=") { config.coreConfiguration.tls = .disable }
        // One connection per event loop (the driver's default) starves under load: a request in a
        // transaction that also reads outside it holds one and waits for another (docs/operations.md).
        app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: PostgresPool.connectionsPerEventLoop,
                                    sqlLogLevel: .trace), as: .psql)
    }
    if case .sqliteFile = settings.database {
        try await DatabaseMaintenance(app.db as! any SQLDatabase).useWriteAheadLog()
    }
    if !settings.database.isPostgres {
        // A second line behind the write queue: each connection (one per event loop) waits for
        // another process's lock instead of failing or spinning (docs/operations.md).
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(logger: app.logger, on: eventLoop) as? any SQLDatabase else { continue }
            try await DatabaseMaintenance(db).setBusyTimeout()
        }
    }
    if case .sqliteFile(let path) = settings.database {
        // A database made before this rule (or by a process without Shegong's umask) is tightened
        // here; SQLite then creates the -wal and -shm files with the database file's own mode.
        DatabaseFileModes.restrict(path)
    }
    app.migrations.add(ShegongMigrations.all)
    app.lifecycle.use(FirstStartAdministrator())
    app.lifecycle.use(SignInsFavoured())
    // Shutdown waits for the import wizard's background runs before the pools close.
    app.shegong.backgroundJobs = BackgroundJobs()
    app.lifecycle.use(BackgroundJobsShutdown())

    let (cipher, created) = settings.helpOnly
        ? (PersonalDataCipher.throwaway(), false)
        : try PersonalDataCipher.loadOrCreate(path: settings.secretKeyFile)
    if created { app.logger.notice("created personal-data key file \(settings.secretKeyFile) (mode 0600): back it up with the database") }
    app.shegong.cipher = cipher
    app.storage[ShegongServices.AuditLogKey.self] = AuditLog(cipher: cipher)
    app.storage[CSRF.KeyKey.self] = CSRF.deriveKey(cipher)

    let metrics = ShegongMetrics()
    app.shegong.metrics = metrics
    var writes = WriteQueue.for(app.db)
    writes.observeWait = { metrics.writeWait($0) }
    app.shegong.writeQueue = writes
    // Principals of the last second, checked against the accounts' generation (docs/security.md).
    app.shegong.principalCache = PrincipalCache()
    // A standby for reads that may be a moment old (SHEGONG_DATABASE_REPLICA, docs/deployment.md).
    try configureReplica(app, settings: settings)
    // Counted in the database, so every server behind a balancer shares one limit (docs/deployment.md).
    app.shegong.loginRateLimiter = LoginRateLimiter(limit: settings.loginRateLimit,
                                                    addressKey: { cipher.index("login-address:" + $0) })

    // Outermost first: every response (errors included) gets the security headers; errors become
    // JSON under /api and a page elsewhere; then who is asking is resolved.
    // Each request is logged once answered, as method, route template, status and duration under
    // its request id: never the path with its ids or the query, which can carry an ID number (the
    // log handler redacts such numbers too, `LogRedaction`); and counted in the metrics.
    app.middleware = .init()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(APIErrorMiddleware(environment: app.environment))
    // An API path asked with a method it does not have: 405 from the declarations, before routing.
    app.middleware.use(MethodNotAllowedMiddleware())
    app.middleware.use(PrincipalMiddleware())
    app.routes.defaultMaxBodySize = "1mb"
    // Multipart bodies decoded as content pass MultipartKit's crashes by a guarded parser first.
    ContentConfiguration.global.use(decoder: GuardedFormDataDecoder(), for: .formData)

    // Each feature registers its API endpoints, pages and commands (Features/).
    try WebFeatures.register(app)
    // Prometheus metrics for the addresses SHEGONG_METRICS_ALLOW admits (Operability/Metrics.swift).
    ShegongMetrics.register(app)
}

extension Application {
    public var shegong: ShegongServices { .init(app: self) }
}

extension DatabaseID {
    /// The PostgreSQL hot standby of `SHEGONG_DATABASE_REPLICA` (docs/deployment.md "Reads from the standby").
    static let replica = DatabaseID(string: "psql-replica")
}

/// With `SHEGONG_DATABASE_REPLICA` on PostgreSQL: a second, smaller pool on the standby and the
/// monitor that decides, per request, whether reads that may be a moment old go there. On SQLite
/// the setting is ignored with an error in the log (a SQLite file has no standby).
func configureReplica(_ app: Application, settings: ShegongSettings) throws {
    guard let url = settings.replicaURL else { return }
    guard settings.database.isPostgres else {
        app.logger.error("\(ShegongSettings.replicaKey) is ignored: the database is SQLite (\(settings.database)), which has no standby; every read goes to it")
        return
    }
    var config = try SQLPostgresConfiguration(url: url)
    if !url.contains("sslmode=") { config.coreConfiguration.tls = .disable }
    app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: PostgresPool.replicaConnectionsPerEventLoop,
                                connectionPoolTimeout: .seconds(5), sqlLogLevel: .trace), as: .replica, isDefault: false)
    let metrics = app.shegong.metrics, logger = app.logger
    app.shegong.replicaMonitor = ReplicaMonitor(maxLagBytes: settings.replicaMaxLagBytes,
                                                observe: { metrics.replicaRead($0) },
                                                warn: { logger.warning("\($0)") })
    app.logger.notice("reads that may be a moment old go to the standby \(DatabaseLocation.postgres(url: url)) when it has replayed the reader's own changes")
}

/// Per-application values the routes and commands share.
public struct ShegongServices {
    let app: Application

    struct SettingsKey: StorageKey { typealias Value = ShegongSettings }
    struct CipherKey: StorageKey { typealias Value = PersonalDataCipher }
    struct WriteQueueKey: StorageKey { typealias Value = WriteQueue }
    struct ReplicaMonitorKey: StorageKey { typealias Value = ReplicaMonitor }

    /// The standby's monitor when `SHEGONG_DATABASE_REPLICA` is in use; nil: every read goes to the primary.
    public var replicaMonitor: ReplicaMonitor? {
        get { app.storage[ReplicaMonitorKey.self] }
        nonmutating set { app.storage[ReplicaMonitorKey.self] = newValue }
    }

    /// The one path of this process's write transactions (a queue on SQLite, retries on PostgreSQL).
    public var writeQueue: WriteQueue {
        get { app.storage[WriteQueueKey.self] ?? WriteQueue(gate: nil) }
        nonmutating set { app.storage[WriteQueueKey.self] = newValue }
    }

    public var settings: ShegongSettings {
        get { app.storage[SettingsKey.self]! }
        nonmutating set { app.storage[SettingsKey.self] = newValue }
    }

    public var cipher: PersonalDataCipher {
        get { app.storage[CipherKey.self]! }
        nonmutating set { app.storage[CipherKey.self] = newValue }
    }
}

extension Request {
    var cipher: PersonalDataCipher { application.shegong.cipher }
    var sql: any SQLDatabase { db as! any SQLDatabase }
}

/// The PostgreSQL connection pool of the server.
enum PostgresPool {
    /// Per event loop (one loop per core): 16 connections on two cores, well under PostgreSQL's
    /// default `max_connections` of 100.
    static let connectionsPerEventLoop = 8
    /// The standby's pool (`SHEGONG_DATABASE_REPLICA`): fewer, since only some reads go there.
    static let replicaConnectionsPerEventLoop = 4
}
