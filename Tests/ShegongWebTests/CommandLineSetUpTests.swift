import Foundation
@testable import ShegongWeb
import XCTest

/// Issue #17 §5: an IT officer reading the help before the first real start must not find a key
/// file and an empty database made behind their back in the folder they happened to be in.
final class CommandLineSetUpTests: XCTestCase {
    func testHelpCreatesNoKeyFileAndNoDatabase() throws {
        guard FileManager.default.isExecutableFile(atPath: ShegongExecutable.url.path) else {
            return XCTFail("shegong executable not found at \(ShegongExecutable.url.path); build it with `swift build`")
        }
        for arguments in [["--help"], ["import", "--help"], ["demo", "-h"]] {
            // setup: an empty folder
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-help-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            // act
            let result = try ShegongExecutable.run(arguments, in: dir)
            // check: the help is printed and the folder is still empty
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.output)")
            XCTAssertTrue(result.output.contains("Usage"), "\(arguments): \(result.output)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "\(arguments)")
        }
    }

    func testOnlyHelpWordsCountAsAskingForHelp() {
        XCTAssertTrue(ShegongSettings.asksOnlyForHelp(["shegong", "--help"]))
        XCTAssertTrue(ShegongSettings.asksOnlyForHelp(["shegong", "allowance", "run", "-h"]))
        XCTAssertFalse(ShegongSettings.asksOnlyForHelp(["shegong", "serve"]))
        XCTAssertFalse(ShegongSettings.asksOnlyForHelp(["shegong"]))
        XCTAssertFalse(ShegongSettings.asksOnlyForHelp(["shegong", "import", "census", "help.csv"]))
    }

    func testTheDemoShowsItsProgressInChineseAndNoFrameworkLogs() throws {
        try ShegongExecutable.inScratchFolder("demo") { dir in
            // setup: an empty folder, and no log level asked for
            // act
            let result = try ShegongExecutable.run(["demo", "--people", "30"], in: dir, environment: ["SHEGONG_LOG_LEVEL": ""])
            // check: each stage announced, the closing summary, and none of the framework's info lines
            XCTAssertEqual(result.status, 0, result.output)
            for stage in ["正在写入地区与用人单位", "正在导入人员：30 / 30", "正在计算各月津贴批次", "演示数据已载入"] {
                XCTAssertTrue(result.output.contains(stage), "\(stage) in \(result.output)")
            }
            XCTAssertFalse(result.output.contains("[ INFO ]"), result.output)
            XCTAssertFalse(result.output.contains("Migrator"), result.output)
        }
    }

    func testTheAccountListNamesTheRegionBesideItsCode() throws {
        try ShegongExecutable.inScratchFolder("users") { dir in
            // setup: the demo's regions; an official of 肃州区 and an operator of 酒泉市民政局
            XCTAssertEqual(try ShegongExecutable.run(["demo", "--people", "10"], in: dir).status, 0)
            let official = try ShegongExecutable.run(["user", "add", "sz.rw", "--role", "official", "--region", "620902", "--access", "readwrite"], in: dir)
            let operatorAdded = try ShegongExecutable.run(["user", "add", "jq.mz", "--role", "department_operator", "--region", "620900",
                                                           "--department", "酒泉市民政局"], in: dir)
            XCTAssertEqual(official.status, 0, official.output)
            XCTAssertEqual(operatorAdded.status, 0, operatorAdded.output)
            // act
            let listed = try ShegongExecutable.run(["user", "list"], in: dir)
            // check: the code a script cuts, then the name an operator reads
            XCTAssertEqual(listed.status, 0, listed.output)
            let lines = listed.output.split(separator: "\n").map(String.init)
            XCTAssertTrue(lines.contains { $0.hasPrefix("sz.rw\tofficial\t620902（肃州区） readwrite") }, listed.output)
            XCTAssertTrue(lines.contains { $0.hasPrefix("jq.mz\tdepartment_operator\t620900（酒泉市） 酒泉市民政局") }, listed.output)
        }
    }
}
