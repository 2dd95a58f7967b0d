import Foundation
import XCTest

/// The web module decodes, calls a service and encodes (docs/architecture.md): who may, in which
/// scope, and the audit entry are decided in `ShegongServices`, so an API handler, a page or a view
/// that reads a store or the database itself skips all three. This reads the sources and names
/// each place that does.
final class LayeringTests: XCTestCase {
    /// The files that may still reach the store, each for its reason.
    static let exempt: [String: String] = [
        // The accounts' pages: `AccountStore` checks and audits each change itself.
        "AccountPages.swift": "accounts", "AdminPages.swift": "accounts", "AccountServices.swift": "accounts",
        // Where the services' contexts, the database and the feature wiring are made.
        "ReplicaReadRoute.swift": "context", "configure.swift": "set-up",
        "CensusFeature.swift": "wiring", "Metrics.swift": "database metrics", "HealthController.swift": "database ping",
        "CommandSupport.swift": "the operator commands' database",
    ]

    /// An operator command: a shell on the server is already beyond any role; those that act for
    /// an account go through the services with `--as` (`CommandLineAuditTests`).
    static func isCommand(_ name: String) -> Bool { name.hasSuffix("Command.swift") || name.hasSuffix("Commands.swift") }

    /// A store made or used directly, the database, or the services' context's own stores.
    static let direct = try! NSRegularExpression(pattern: [
        #"\b[A-Z][A-Za-z]*Store(\.init)?\("#, #"\b(req|request|application|app)\.(db|sql)\b"#,
        #"\bservices\.(db|sql|people|regions|auditLog)\b"#, #"\bauditLog\.(search|verify|append)\b"#, #"GrantNames\.load\("#,
    ].joined(separator: "|"))

    func testNoHandlerPageOrViewReadsAStoreOrTheDatabaseItself() throws {
        let web = FeatureRegistryTests.repository.appendingPathComponent("Sources/ShegongWeb")
        var found: [String] = []
        for case let file as URL in FileManager.default.enumerator(at: web, includingPropertiesForKeys: nil)!
        where file.pathExtension == "swift" && Self.exempt[file.lastPathComponent] == nil && !Self.isCommand(file.lastPathComponent) {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                && Self.direct.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                found.append("\(file.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        XCTAssertEqual(found, [], "reads that skip the services:\n" + found.joined(separator: "\n"))
    }

    func testEveryExemptionIsStillNeeded() throws {
        let web = FeatureRegistryTests.repository.appendingPathComponent("Sources/ShegongWeb")
        var needed: Set<String> = []
        for case let file as URL in FileManager.default.enumerator(at: web, includingPropertiesForKeys: nil)!
        where Self.exempt[file.lastPathComponent] != nil {
            let text = try String(contentsOf: file, encoding: .utf8)
            if Self.direct.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { needed.insert(file.lastPathComponent) }
        }
        XCTAssertEqual(Set(Self.exempt.keys).subtracting(needed), [], "an exemption that hides nothing (the file is gone or reads no store) should go")
    }
}
