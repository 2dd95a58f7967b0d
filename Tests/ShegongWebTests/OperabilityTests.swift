import Foundation
import SQLKit
import ShegongStore
import ShegongWeb
import XCTVapor
import XCTest

/// What an operator's balancer and monitoring see (docs/operations.md).
final class OperabilityTests: XCTestCase {
    /// Ready once every migration is applied; a database behind this build answers 503 and names
    /// the check that failed, while liveness still answers 200.
    func testReadinessSaysWhenMigrationsArePending() async throws {
        try await withApp { app in
            // check: migrated, ready
            try await app.test(.GET, "/api/v1/ready", afterResponse: { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                XCTAssertEqual(body["status"] as? String, "ready")
                XCTAssertEqual(body["migrations"] as? Int, ShegongMigrations.all.count)
            })
            // act: the database forgets its last migration, as one restored from an older build would
            let last = ShegongMigrations.all.last!.name
            try await app.sql.delete(from: "_fluent_migrations").where("name", .equal, last).run()
            // check: not ready, saying which; still alive
            try await app.test(.GET, "/api/v1/ready", afterResponse: { res async throws in
                XCTAssertEqual(res.status, .serviceUnavailable)
                let error = (try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any])["error"] as! [String: Any]
                XCTAssertEqual(error["code"] as? String, "ready.not_ready")
                let details = error["details"] as! [[String: Any]]
                XCTAssertEqual(details.map { $0["field"] as? String }, ["migrations"])
                XCTAssertTrue((details.first?["message"] as? String ?? "").contains("1"), res.body.string)
            })
            try await app.test(.GET, "/api/v1/health", afterResponse: { res async throws in XCTAssertEqual(res.status, .ok) })
        }
    }
}
