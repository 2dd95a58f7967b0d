import Foundation
import XCTest

/// Operator commands act as a named account (`--as`): only what that account may do on the web,
/// in its scope, and audited under its name like the web's changes (issue #11).
final class CommandLineAuditTests: XCTestCase {
    func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try ShegongExecutable.run(arguments, in: dir)
    }

    func testACommandLineApprovalIsAuditedUnderTheAccountAndScopeAndRoleApply() throws {
        guard FileManager.default.isExecutableFile(atPath: ShegongExecutable.url.path) else {
            return XCTFail("shegong executable not found at \(ShegongExecutable.url.path); build it with `swift build`")
        }
        // setup: the demo's Xuancheng allowance has this month's draft batch
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try run(["demo", "--people", "60"], in: dir).status, 0)
        XCTAssertEqual(try run(["user", "add", "xcfinance", "--role", "official", "--region", "341800", "--access", "readwrite"], in: dir).status, 0)
        XCTAssertEqual(try run(["user", "add", "jqreader", "--role", "official", "--region", "620900", "--access", "read"], in: dir).status, 0)
        let policy = "xuancheng-community-allowance"

        // act
        let anonymous = try run(["allowance", "batches", "--policy", policy], in: dir)
        let listed = try run(["allowance", "batches", "--policy", policy, "--as", "xcfinance"], in: dir)
        let draft = listed.output.split(separator: "\n").first { $0.contains("\tdraft\t") }.map { String($0.split(separator: "\t")[0]) }
        let batch = try XCTUnwrap(draft, listed.output)
        let otherRegion = try run(["allowance", "approve", batch, "--as", "jqreader"], in: dir)
        let approved = try run(["allowance", "approve", batch, "--as", "xcfinance"], in: dir)
        let revealByReader = try run(["export", "census", dir.appendingPathComponent("all.csv").path, "--reveal", "--as", "jqreader"], in: dir)
        let approvals = try run(["audit", "search", "--action", "payment_batch.approve"], in: dir)
        let denials = try run(["audit", "search", "--action", "access.denied"], in: dir)

        // check
        XCTAssertNotEqual(anonymous.status, 0)
        XCTAssertTrue(anonymous.output.contains("--as"), anonymous.output)
        XCTAssertNotEqual(otherRegion.status, 0, "a Jiuquan reader cannot see, let alone approve, Xuancheng's batch")
        XCTAssertEqual(approved.status, 0, approved.output)
        XCTAssertTrue(approved.output.contains("approved"), approved.output)
        XCTAssertNotEqual(revealByReader.status, 0, "full identifiers need read-write access")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("all.csv").path))
        XCTAssertTrue(approvals.output.contains("xcfinance"), approvals.output)
        XCTAssertTrue(approvals.output.contains("payment_batch.approve"), approvals.output)
        let denied = denials.output.split(separator: "\n").filter { $0.contains("jqreader") }
        XCTAssertEqual(denied.count, 2, denials.output)
        XCTAssertTrue(denied.allSatisfy { $0.contains("cli ") }, denials.output)
    }
}
