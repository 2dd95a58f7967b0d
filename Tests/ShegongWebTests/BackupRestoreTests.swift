import Crypto
import Foundation
import ShegongStore
import XCTest

/// Issue #12 §3: `shegong backup` leaves a checked, durable copy with a manifest, or nothing;
/// `shegong restore` takes only an intact backup, only into an empty database unless the operator
/// types the database's name, and proves the counts and the audit chain afterwards.
final class BackupRestoreTests: XCTestCase {
    var folders: [URL] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        folders.append(dir)
        return dir
    }

    func run(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: ShegongExecutable.url.path) else {
            throw XCTSkip("shegong executable not found at \(ShegongExecutable.url.path); build it with `swift build`")
        }
        return try ShegongExecutable.run(arguments, in: dir)
    }

    func files(_ dir: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

    func testABackupIsCheckedAndRestoresIntoAnEmptyDatabaseWithItsCountsAndAuditChain() throws {
        // setup: a database with the demo's regions, employers, 60 people and audit entries
        let source = try folder()
        let demo = try run(["demo", "--people", "60"], in: source)
        XCTAssertEqual(demo.status, 0, demo.output)
        XCTAssertEqual(try run(["audit", "verify"], in: source).status, 0)  // an audit entry of its own
        let backups = try folder()
        let backup = backups.appendingPathComponent("nightly.sqlite").path

        // act: back up
        let made = try run(["backup", backup], in: source)

        // check: the file, its manifest (checksum of the file, the copy's counts), nothing else
        XCTAssertEqual(made.status, 0, made.output)
        XCTAssertEqual(try files(backups), ["nightly.sqlite", "nightly.sqlite.manifest.json"])
        let manifest = try BackupManifest.read(backup + ".manifest.json")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        XCTAssertEqual(manifest.sha256, SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual(manifest.bytes, Int64(bytes.count))
        XCTAssertEqual(manifest.format, "sqlite")
        XCTAssertEqual(manifest.counts["people"], 60)
        XCTAssertGreaterThan(manifest.counts["audit_log"] ?? 0, 0)
        XCTAssertGreaterThan(manifest.counts["organizations"] ?? 0, 0)
        let mode = (try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)

        // act: restore into a new, empty database (the same key file: the chain and the sealed numbers need it)
        let target = try folder()
        try FileManager.default.copyItem(at: source.appendingPathComponent("cli.key"), to: target.appendingPathComponent("cli.key"))
        let restored = try run(["restore", backup], in: target)

        // check: counts and chain proved by the command, and again by `audit verify`
        XCTAssertEqual(restored.status, 0, restored.output)
        XCTAssertTrue(restored.output.contains("审计日志完好") && restored.output.contains("人员 60 条"), restored.output)
        let verified = try run(["audit", "verify"], in: target)
        XCTAssertEqual(verified.status, 0, verified.output)

        // a second restore meets a database that holds data: refused, then refused with the wrong
        // name, then done with the name typed out
        let again = try run(["restore", backup], in: target)
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.output.contains("--replace --confirm cli.sqlite"), again.output)
        let wrongName = try run(["restore", backup, "--replace", "--confirm", "shegong.sqlite"], in: target)
        XCTAssertNotEqual(wrongName.status, 0, wrongName.output)
        let replaced = try run(["restore", backup, "--replace", "--confirm", "cli.sqlite"], in: target)
        XCTAssertEqual(replaced.status, 0, replaced.output)
    }

    func testADamagedBackupIsNotRestored() throws {
        // setup
        let source = try folder()
        XCTAssertEqual(try run(["demo", "--people", "10"], in: source).status, 0)
        let backup = try folder().appendingPathComponent("b.sqlite").path
        XCTAssertEqual(try run(["backup", backup], in: source).status, 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: backup))
        let target = try folder()
        try FileManager.default.copyItem(at: source.appendingPathComponent("cli.key"), to: target.appendingPathComponent("cli.key"))
        // act
        let result = try run(["restore", backup], in: target)
        // check: refused by the checksum; the target still holds nobody
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("与清单不符"), result.output)
        XCTAssertFalse(try files(target).contains { $0.contains("restoring") })
    }

    func testABackupOfADamagedDatabaseLeavesNoFileBehind() throws {
        // setup: a database whose pages in the middle are overwritten
        let source = try folder()
        XCTAssertEqual(try run(["demo", "--people", "200"], in: source).status, 0)
        let database = source.appendingPathComponent("cli.sqlite")
        var bytes = try Data(contentsOf: database)
        let page = 4096
        let start = bytes.count * 2 / 5 / page * page
        for i in start..<(start + 8 * page) { bytes[i] = 0xA5 }
        try bytes.write(to: database)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        let backups = try folder()
        let backup = backups.appendingPathComponent("b.sqlite").path
        // act
        let result = try run(["backup", backup], in: source)
        // check: non-zero, and neither the file nor a partial copy nor a manifest is left
        XCTAssertNotEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("未留下备份文件"), result.output)
        XCTAssertEqual(try files(backups), [])
    }

    func testABackupNeverReplacesAnExistingManifest() throws {
        let source = try folder()
        XCTAssertEqual(try run(["migrate", "--yes"], in: source).status, 0)
        let backups = try folder()
        let backup = backups.appendingPathComponent("b.sqlite").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: backup + ".manifest.json"))
        let result = try run(["backup", backup], in: source)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("文件已存在"), result.output)
        XCTAssertEqual(try files(backups), ["b.sqlite.manifest.json"])
    }
}
