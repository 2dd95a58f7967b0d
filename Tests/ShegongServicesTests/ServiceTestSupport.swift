import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore

/// A migrated database for service tests, without Vapor: a SQLite file in a temporary folder, or
/// with `SHEGONG_TEST_DATABASE=postgres://…@127.0.0.1…` a PostgreSQL database of its own, dropped
/// afterwards (scripts/test runs the suite both ways).
enum ServiceTestDatabase {
    static let logger = Logger(label: "shegong.services.test")

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["SHEGONG_TEST_DATABASE"], url.hasPrefix("postgres") else { return nil }
        precondition(url.contains("@127.0.0.1") || url.contains("@localhost"), "SHEGONG_TEST_DATABASE must point at localhost")
        return url
    }

    /// Runs `body` with a context over a fresh, migrated database and a fixed clock.
    static func with(now: Date = Date(timeIntervalSince1970: 1_764_000_000),
                     _ body: (ServiceContext) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-services-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        var dropName: String?
        if let base = postgresURL {
            let name = "shegong_s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            try await admin(base) { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            dropName = name
            var components = URLComponents(string: base)!
            components.path = "/" + name
            var config = try SQLPostgresConfiguration(url: components.string!)
            config.coreConfiguration.tls = .disable
            databases.use(.postgres(configuration: config), as: .psql)
        } else {
            databases.use(.sqlite(.file(dir.appendingPathComponent("test.sqlite").path)), as: .sqlite)
        }
        do {
            let migrations = Migrations()
            migrations.add(ShegongMigrations.all)
            let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
            let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoop)
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
            let db = databases.database(logger: logger, on: eventLoop)!
            let cipher = try PersonalDataCipher.loadOrCreate(path: dir.appendingPathComponent("key").path).cipher
            let context = ServiceContext(db: db, cipher: cipher, auditLog: AuditLog(cipher: cipher), writes: .for(db), now: { now })
            try await body(context)
        } catch {
            await databases.shutdownAsync()
            if let dropName, let base = postgresURL { try? await admin(base) { try await $0.raw("DROP DATABASE \(unsafeRaw: dropName)").run() } }
            throw error
        }
        await databases.shutdownAsync()
        if let dropName, let base = postgresURL { try await admin(base) { try await $0.raw("DROP DATABASE \(unsafeRaw: dropName)").run() } }
    }

    static func admin(_ url: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        var config = try SQLPostgresConfiguration(url: url)
        config.coreConfiguration.tls = .disable
        databases.use(.postgres(configuration: config), as: .psql)
        do {
            try await body(databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any()) as! any SQLDatabase)
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }
}

/// Plain hashing for tests: the account rules are the store's, the cost is not the point here.
struct PlainHashing: PasswordHashing {
    func hash(_ password: String) throws -> String { "plain:" + password }
    func verify(_ password: String, against hash: String) throws -> Bool { hash == "plain:" + password }
}

extension ServiceContext {
    /// An account with `grant`, as an operator command acting as it would be the caller.
    func caller(_ grant: Grant, username: String) async throws -> Caller {
        let accounts = AccountStore(db: db, cipher: cipher, hasher: PlainHashing(), writes: writes)
        _ = try await accounts.create(username: username, grant: grant, actor: "test")
        let principal = try await accounts.commandLinePrincipal(username: username)!
        return Caller(principal: principal, address: nil, origin: "cli test")
    }
}

extension Grant {
    static func official(_ code: String, _ access: Access) -> Grant {
        .official(region: try! RegionCode.parse(code).get(), access: access)
    }
}
