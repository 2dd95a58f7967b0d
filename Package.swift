// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Shegong",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shegong", targets: ["shegong"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: validators, value types, census template, spreadsheets, policy engine,
        // indicator maths. No server, no database.
        .target(
            name: "ShegongDomain",
            dependencies: [
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Store: schema, migrations and every SQL statement; SQLite and PostgreSQL behind one API.
        .target(
            name: "ShegongStore",
            dependencies: [
                "ShegongDomain",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")]
        ),
        // Services: every use case as one method taking an explicit principal — who may, the scope
        // as SQL conditions, validation, and the audit entry in the change's transaction. No server.
        .target(
            name: "ShegongServices",
            dependencies: [
                "ShegongDomain",
                "ShegongStore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        // Web: Vapor configuration, JSON API, OpenAPI document, operator commands.
        .target(
            name: "ShegongWeb",
            dependencies: [
                "ShegongDomain",
                "ShegongStore",
                "ShegongServices",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                // The import wizard streams its multipart upload to disk (Vapor's decoder collects it).
                .product(name: "MultipartKit", package: "multipart-kit"),
                // `/metrics` in the Prometheus text format (Operability/Metrics.swift).
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "shegong",
            dependencies: ["ShegongWeb"]
        ),
        .executableTarget(
            name: "shegong-bench",
            dependencies: ["ShegongDomain", "ShegongStore", "ShegongServices", "ShegongWeb"],
            path: "Benchmarks/shegong-bench"
        ),
        .testTarget(
            name: "ShegongDomainTests",
            dependencies: ["ShegongDomain"]
        ),
        // Services and store on a real database (SQLite, or PostgreSQL with SHEGONG_TEST_DATABASE),
        // without booting Vapor.
        .testTarget(
            name: "ShegongServicesTests",
            dependencies: [
                "ShegongServices",
                "ShegongStore",
                "ShegongDomain",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        .testTarget(
            name: "ShegongWebTests",
            dependencies: [
                "ShegongWeb",
                "ShegongStore",
                "ShegongServices",
                .product(name: "XCTVapor", package: "vapor"),
                // MultipartFuzzBody: scripts/fuzz's multipartkit target, replayed by the tests.
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
    ]
)
