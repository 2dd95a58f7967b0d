import Foundation
import XCTest

/// The web module decodes, calls a service and encodes (docs/architecture.md): who may, in which
/// scope, and the audit entry are decided in `ShegongServices`, so an API handler, a page or a view
/// that reads a store or the database itself skips all three. This reads the sources and names
/// each place that does.
final class LayeringTests: XCTestCase {
    /// Where the web module may still reach the store: the accounts feature, whose `AccountStore`
    /// checks and audits each change itself (sign-in runs before there is a caller); the operator
    /// commands (a shell on the server is already beyond any role); the feature's start-up wiring;
    /// the health check, which only pings the database.
    static func allowed(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return path.contains("/Features/Accounts/") || name.contains("Command") || name.hasSuffix("Feature.swift")
            || name == "HealthController.swift" || path.contains("/Configuration/") || name == "RequestPrincipal.swift"
    }

    func testNoHandlerPageOrViewReadsAStoreOrTheDatabaseItself() throws {
        let web = FeatureRegistryTests.repository.appendingPathComponent("Sources/ShegongWeb")
        let direct = try NSRegularExpression(pattern: #"\b[A-Z][A-Za-z]*Store\(|\b(req|request)\.(db|sql)\b|GrantNames\.load\("#)
        var found: [String] = []
        for case let file as URL in FileManager.default.enumerator(at: web, includingPropertiesForKeys: nil)!
        where file.pathExtension == "swift" && !Self.allowed(file.path) {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (number, line) in lines.enumerated()
            where direct.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                found.append("\(file.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        XCTAssertEqual(found, [], "reads that skip the services:\n" + found.joined(separator: "\n"))
    }
}
