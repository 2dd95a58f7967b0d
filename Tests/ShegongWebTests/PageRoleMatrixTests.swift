import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Every page a browser can ask for, by every role and by nobody — the pages' counterpart of
/// `RoleRouteMatrixTests`. Nobody is sent to the login page; a role the page is not for gets 403;
/// a role it is for passes the gate (its answer is then the handler's: 200, 404 for a made-up id).
/// The table is written out here, apart from the pages' own `allow:` rules, so a change to who may
/// see a page fails this test until it is made on purpose in both places.
final class PageRoleMatrixTests: XCTestCase {
    enum Subject: String, CaseIterable {
        case anonymous, system, security, audit, officialRead, officialWrite, department, organization, worker
    }

    static let everyone: Set<Subject> = Set(Subject.allCases).subtracting([.anonymous])
    static let personalData: Set<Subject> = [.officialRead, .officialWrite, .organization, .worker]
    static let registryWriters: Set<Subject> = [.officialWrite, .organization]
    static let regional: Set<Subject> = [.officialRead, .officialWrite, .department]
    static let officials: Set<Subject> = [.officialRead, .officialWrite]
    static let incentiveUsers: Set<Subject> = [.officialRead, .officialWrite, .organization, .worker]

    /// Who passes the gate of each GET page, by its path pattern.
    static func allowed(_ path: String) -> Set<Subject>? {
        switch path {
        case "", "account", "account/totp", "account/password": return everyone
        case "people", "people/:id", "people/:id/print": return personalData
        case "people/new", "people/:id/edit", "people/bulk/preview", "people/bulk", "import", "import/:token", "import/reports/:id": return registryWriters
        case "organizations", "organizations/:id", "export": return [.officialRead, .officialWrite, .organization]
        case "organizations/new", "exams/new", "plans/new", "plans/:id/edit": return [.officialWrite]
        case "plans/:id/tasks/:task/edit", "plans/:id/tasks/:task/delete", "plans/:id/measures/:measure/edit", "plans/:id/measures/:measure/delete",
             "plans/:id/targets/:target/edit", "plans/:id/targets/:target/delete": return [.officialWrite]
        case "organizations/:id/edit": return [.officialWrite, .organization]
        case "regions", "regions/:code", "statistics", "dashboard", "dashboard/print", "figures", "figures/:code",
             "plans/:id", "plans/evidence/:id": return regional
        case "incentives", "incentives/eligibility/:person", "incentives/applications/:id", "incentives/applications/:id/print": return incentiveUsers
        case "incentives/batches/:id", "incentives/lines/:id", "incentives/batches/:id/export", "incentives/batches/:id/print",
             "incentives/policies/:id": return officials
        case "incentives/policies/new", "incentives/policies/form", "incentives/policies/:id/form": return [.officialWrite]
        case "pilots", "pilots/:id", "pilots/:id/hours", "pilots/evidence/:id", "pilots/cases/:id": return [.officialRead, .officialWrite, .organization]
        case "people/:id/ledger", "education-evidence/:id", "degree-studies": return personalData
        case "registrations": return [.officialRead, .officialWrite, .organization]
        case "training", "training/courses/:id", "training/sessions/:id", "training/resources", "training/resources/:id/file": return personalData
        case "training/trainers": return [.officialRead, .officialWrite, .organization]
        case "departments": return [.system, .officialRead, .officialWrite]
        case "training/coverage": return regional
        case "admin/users": return [.system, .security]
        case "admin/users/:name/grant": return [.security]
        case "admin/audit": return [.audit]
        case "admin/four-eyes": return [.system, .security]
        case "bases", "bases/:id": return officials
        case "bases/new", "bases/:id/edit": return [.officialWrite]
        case "posts", "organizations/:id/posts": return [.officialRead, .officialWrite, .organization]
        default: return nil
        }
    }

    /// Pages anyone may open without signing in. `metrics` is not a page: it answers by client
    /// address, not by account (OperabilityMetricsTests).
    static let open: Set<String> = ["login", "lang", "verify", "metrics"]

    func testEveryRoleOnEveryPage() async throws {
        try await withApp { app in
            // setup: an organisation and a person for the manager's and the worker's grants
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            let person = try await app.sql.select().column("id").column("organization_id").from("people").first()!
            let grants: [Subject: Grant] = [
                .system: .systemAdministrator, .security: .securityAdministrator, .audit: .auditAdministrator,
                .officialRead: .official(region: try RegionCode.parse("620900").get(), access: .read),
                .officialWrite: .official(region: try RegionCode.parse("620900").get(), access: .readWrite),
                .department: .departmentOperator(department: "民政局", region: try RegionCode.parse("620900").get()),
                .organization: .organizationManager(organization: try person.decode(column: "organization_id", as: String.self)),
                .worker: .socialWorker(person: try person.decode(column: "id", as: String.self)),
            ]
            var cookies: [Subject: HTTPHeaders] = [.anonymous: [:]]
            for (subject, grant) in grants {
                cookies[subject] = ["Cookie": "shegong_session=\(try await BrowserSession.signIn(app, grant: grant, username: "p-\(subject.rawValue.lowercased())").sessionCookie)"]
            }

            // act and check: every GET page outside the API and the static files
            var failures: [String] = [], seen = 0
            for route in app.routes.all where route.method == .GET {
                let pattern = route.path.map(\.description).joined(separator: "/")
                if pattern.hasPrefix("api/") || pattern.hasPrefix("static/") || Self.open.contains(pattern) { continue }
                guard let allowed = Self.allowed(pattern) else {
                    failures.append("page /\(pattern) is missing from the matrix")
                    continue
                }
                seen += 1
                let path = "/" + route.path.map { component -> String in
                    if case .parameter = component { return "no-such-id" }
                    return component.description
                }.joined(separator: "/")
                for subject in Subject.allCases {
                    var status: HTTPResponseStatus = .ok
                    var location = ""
                    try await app.test(.GET, path, headers: cookies[subject]!, afterResponse: { res async in
                        status = res.status
                        location = res.headers.first(name: .location) ?? ""
                    })
                    if subject == .anonymous {
                        if !location.hasPrefix("/login") { failures.append("\(path) anonymous: \(status.code) → \(location), expected the login page") }
                    } else if allowed.contains(subject) {
                        if status == .forbidden || location.hasPrefix("/login") { failures.append("\(path) as \(subject.rawValue): \(status.code), expected to pass") }
                    } else if status != .forbidden {
                        failures.append("\(path) as \(subject.rawValue): \(status.code), expected 403")
                    }
                }
            }
            XCTAssertGreaterThan(seen, 30)
            XCTAssertTrue(failures.isEmpty, "\n" + failures.joined(separator: "\n"))
        }
    }
}
