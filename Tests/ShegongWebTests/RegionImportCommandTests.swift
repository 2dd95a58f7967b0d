import Foundation
import XCTest

/// `shegong import regions FILE --as USER` acts as the named account (issue #11): a read-only
/// official is refused and the refusal audited; a read-write official's import is audited under
/// its name.
final class RegionImportCommandTests: XCTestCase {
    func testARegionImportActsAsTheNamedAccountAndIsAudited() throws {
        guard FileManager.default.isExecutableFile(atPath: ShegongExecutable.url.path) else {
            return XCTFail("shegong executable not found at \(ShegongExecutable.url.path); build it with `swift build`")
        }
        // setup: two Suzhou (肃州区) officials and a file of one township and one community
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func run(_ arguments: [String]) throws -> (status: Int32, output: String) { try ShegongExecutable.run(arguments, in: dir) }
        XCTAssertEqual(try run(["user", "add", "szwriter", "--role", "official", "--region", "620902", "--access", "readwrite"]).status, 0)
        XCTAssertEqual(try run(["user", "add", "szreader", "--role", "official", "--region", "620902", "--access", "read"]).status, 0)
        let file = dir.appendingPathComponent("regions.csv")
        try "地区代码,地区名称\r\n620902901,测试镇\r\n620902901001,测试村\r\n".write(to: file, atomically: true, encoding: .utf8)

        // act
        let anonymous = try run(["import", "regions", file.path])
        let byReader = try run(["import", "regions", file.path, "--as", "szreader"])
        let byWriter = try run(["import", "regions", file.path, "--as", "szwriter"])
        let imports = try run(["audit", "search", "--action", "region.import"])
        let denials = try run(["audit", "search", "--action", "access.denied"])

        // check
        XCTAssertNotEqual(anonymous.status, 0)
        XCTAssertTrue(anonymous.output.contains("--as"), anonymous.output)
        XCTAssertNotEqual(byReader.status, 0, "a read-only official adds no regions")
        XCTAssertEqual(byWriter.status, 0, byWriter.output)
        XCTAssertTrue(byWriter.output.contains("新增 2"), byWriter.output)
        XCTAssertTrue(imports.output.contains("szwriter"), imports.output)
        XCTAssertTrue(denials.output.split(separator: "\n").contains { $0.contains("szreader") && $0.contains("cli import regions") },
                      denials.output)
    }
}
