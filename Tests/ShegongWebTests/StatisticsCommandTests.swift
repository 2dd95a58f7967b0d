import Foundation
import XCTest

/// `shegong import statistics` and `import exam-passes` act as a named account through the
/// services: audited under its name with the counts, refused to an account that may not write.
final class StatisticsCommandTests: XCTestCase {
    func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try ShegongExecutable.run(arguments, in: dir)
    }

    func testACommandLineStatisticsImportIsAuditedUnderTheAccountAndAReaderIsRefused() throws {
        guard FileManager.default.isExecutableFile(atPath: ShegongExecutable.url.path) else {
            return XCTFail("shegong executable not found at \(ShegongExecutable.url.path); build it with `swift build`")
        }
        // setup: a writer and a reader over 酒泉市, a file of 肃州区's schools, a pass list
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try run(["user", "add", "jqwriter", "--role", "official", "--region", "620900", "--access", "readwrite"], in: dir).status, 0)
        XCTAssertEqual(try run(["user", "add", "jqreader", "--role", "official", "--region", "620900", "--access", "read"], in: dir).status, 0)
        let statistics = dir.appendingPathComponent("stats.csv")
        try "地区代码,年份,中小学校数,养老机构床位数\n620902,2024,40,300\n".write(to: statistics, atomically: true, encoding: .utf8)
        let passes = dir.appendingPathComponent("passes.csv")
        try "身份证号,证书等级,证书编号,发证日期\n".write(to: passes, atomically: true, encoding: .utf8)

        // act
        let anonymous = try run(["import", "statistics", statistics.path], in: dir)
        let byReader = try run(["import", "statistics", statistics.path, "--as", "jqreader"], in: dir)
        let passesByReader = try run(["import", "exam-passes", passes.path, "--year", "2025", "--as", "jqreader"], in: dir)
        let byWriter = try run(["import", "statistics", statistics.path, "--as", "jqwriter"], in: dir)
        let imports = try run(["audit", "search", "--action", "statistics.import"], in: dir)
        let denials = try run(["audit", "search", "--action", "access.denied"], in: dir)

        // check
        XCTAssertNotEqual(anonymous.status, 0)
        XCTAssertTrue(anonymous.output.contains("--as"), anonymous.output)
        XCTAssertNotEqual(byReader.status, 0, "a read-only official enters no statistics")
        XCTAssertNotEqual(passesByReader.status, 0, "a read-only official imports no pass list")
        XCTAssertEqual(byWriter.status, 0, byWriter.output)
        XCTAssertTrue(byWriter.output.contains("共 2 项"), byWriter.output)
        let imported = imports.output.split(separator: "\n").filter { $0.contains("statistics.import") }
        XCTAssertEqual(imported.count, 1, imports.output)
        XCTAssertTrue(imported.first?.contains("jqwriter") == true, imports.output)
        XCTAssertTrue(imported.first?.contains("stats.csv: 2") == true, imports.output)
        let denied = denials.output.split(separator: "\n").filter { $0.contains("jqreader") }
        XCTAssertEqual(denied.count, 2, denials.output)
        XCTAssertTrue(denied.allSatisfy { $0.contains("cli import") }, denials.output)
    }
}
