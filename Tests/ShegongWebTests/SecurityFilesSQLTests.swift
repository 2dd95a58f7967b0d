import Foundation
import XCTest

/// Issue #10 §12: values reach SQL only as binds or `\(literal:)`, which SQLKit quotes for the
/// dialect; `unsafeRaw` splices text as it is, so one hand-quoted value is an injection waiting
/// for its first non-constant input.
final class SecurityFilesSQLTests: XCTestCase {
    /// Files allowed to use `unsafeRaw`, and why. Migrations are never edited once shipped.
    static let allowed: [String: String] = [
        "ShegongStore/Migrations/0040_AddFirstCertifiedOn.swift": "a shipped migration: column names and a year expression from code constants",
    ]

    func testNoSourceSplicesValuesThroughUnsafeRaw() throws {
        // setup
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        XCTAssertGreaterThan(files.count, 50, "the sources were not found at \(sources.path)")
        // act
        var offenders: [String] = []
        for file in files {
            let relative = String(file.path.dropFirst(sources.path.count + 1))
            guard Self.allowed[relative] == nil else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() where line.contains("unsafeRaw:") {
                offenders.append("\(relative):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        // check
        XCTAssertEqual(offenders, [], "use \\(bind:), \\(literal:) or \\(ident:) instead")
    }
}
