import Foundation
import ShegongDomain
@testable import ShegongStore
import Vapor
import XCTest
import ShegongServices
@testable import ShegongWeb

/// Each feature registers its own endpoints, navigation, audit actions and texts (Features/); these
/// tests keep the registrations complete, so a part added without registering it fails here.
final class FeatureRegistryTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryCatalogueTextBelongsToExactlyOneFeature() {
        var owner: [String: String] = [:]
        for feature in WebFeatures.all {
            for entry in feature.catalogue {
                if let other = owner[entry.key], other != "\(type(of: feature))" {
                    XCTFail("\(entry.key) is registered by \(other) and \(type(of: feature))")
                }
                owner[entry.key] = "\(type(of: feature))"
            }
        }
        let unregistered = Set(Catalogue.allEntries.map(\.key)).subtracting(owner.keys)
        XCTAssertEqual(unregistered.sorted(), [], "texts no feature registers (add the area to its feature's `catalogue`)")
    }

    /// Every action the code writes to the audit log (a `static let …: AuditAction = "…"` anywhere
    /// in Sources) is registered by exactly one feature, so the audit page can name and filter it.
    func testEveryAuditActionInTheCodeIsRegisteredByOneFeature() throws {
        let declared = try Self.declaredAuditActions()
        XCTAssertGreaterThan(declared.count, 40)
        let registered = WebFeatures.auditActions.map(\.rawValue)
        XCTAssertEqual(registered.count, Set(registered).count, "an action registered twice: \(registered.sorted())")
        XCTAssertEqual(declared.subtracting(registered).sorted(), [], "actions no feature registers")
        XCTAssertEqual(Set(registered).subtracting(declared).sorted(), [], "registered actions the code does not declare")
        for action in registered {
            for language in Language.allCases {
                XCTAssertTrue(Catalogue.standard.defines("auditAction.\(action)", in: language), "\(action) has no \(language) name for the audit page")
            }
        }
    }

    /// Each navigation link of each role leads to a page that role may open, labelled in both languages.
    func testEveryNavigationLinkIsARegisteredPageWithItsLabel() async throws {
        try await withApp { app in
            let pages = Set(app.routes.all.filter { $0.method == .GET }.map { "/" + $0.path.map(\.description).joined(separator: "/") })
            let county = try RegionCode.parse("620902").get()
            let grants: [Grant] = [.systemAdministrator, .securityAdministrator, .auditAdministrator, .official(region: county, access: .read),
                                   .official(region: county, access: .readWrite), .departmentOperator(department: "民政局", region: county),
                                   .organizationManager(organization: "o"), .socialWorker(person: "p")]
            for grant in grants {
                let principal = Principal(userID: "u", username: "u", grant: grant, scope: .noBusinessData, mustChangePassword: false,
                                          mustEnrolTOTP: false, credential: .commandLine)
                let entries = WebFeatures.navigation(for: principal)
                XCTAssertFalse(entries.isEmpty, "\(grant): no navigation")
                XCTAssertEqual(entries.map(\.order), entries.map(\.order).sorted())
                for entry in entries {
                    XCTAssertTrue(pages.contains(entry.path), "\(entry.path) is not a page")
                    for language in Language.allCases {
                        XCTAssertTrue(Catalogue.standard.defines(entry.key, in: language), "\(entry.key) has no \(language) text")
                    }
                }
            }
        }
    }

    static func declaredAuditActions() throws -> Set<String> {
        let pattern = try NSRegularExpression(pattern: #"static let \w+: AuditAction = "([a-z_.]+)""#)
        var actions: Set<String> = []
        let sources = repository.appendingPathComponent("Sources")
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                actions.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return actions
    }
}
