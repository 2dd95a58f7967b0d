import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
@testable import ShegongWeb
import XCTVapor
import XCTest

/// Issue #3 "Tests": every API route called by every role (and by nobody), on both databases.
/// A role the route is not for gets 403, no credential 401; a role it is for passes the gate (its
/// answer is then the handler's: 200, 404 outside its scope, 422 for the empty body…). The routes,
/// their methods and paths come from the endpoint declarations; the table of who may call them is
/// written out here, apart from the declarations' `RouteAccess`, so a change to who may do what
/// fails this test until it is made on purpose in both places.
final class RoleRouteMatrixTests: XCTestCase {
    enum Subject: String, CaseIterable {
        case anonymous, system, security, audit, officialRead, officialWrite, department, organization, worker
    }

    static let registryReaders: Set<Subject> = [.officialRead, .officialWrite, .organization, .worker]
    static let aggregateReaders: Set<Subject> = [.officialRead, .officialWrite, .department]

    /// Who passes each route's gate, written here by hand and compared with the declarations: an
    /// endpoint without its row here fails the test.
    static let allowedByEndpoint: [String: Set<Subject>] = {
        let rows: [(Set<Subject>, [String])] = [
            (Set(Subject.allCases), ["health", "ready", "openAPI", "certificateVerify"]),
            (registryReaders, ["people", "peopleExport", "person", "certificates", "certificate", "censusTemplate", "eligibility", "applications"]),
            ([.officialRead, .officialWrite, .organization], ["organizations", "organizationsExport", "organization", "censusImportReport", "censusImportChanges", "censusExport"]),
            ([.officialWrite, .organization], ["personCreate", "personUpdate", "certificateCreate", "certificateUpdate", "registrationCreate", "organizationUpdate", "censusImport"]),
            ([.officialWrite, .organization, .worker], ["applicationCreate"]),
            ([.officialWrite], ["organizationCreate", "regionCreate", "regionUpdate", "practiceBaseCreate", "pilotCommunityCreate", "examCreate", "targetCreate", "examPassImport", "policyLoad", "allowanceRun", "paymentBatchApprove", "paymentBatchPaid", "applicationReview"]),
            (aggregateReaders, ["regions", "region", "censusStats", "statistics", "indicators", "indicator", "indicatorChildren", "practiceBases", "pilotCommunities", "plans", "plan", "evidence", "targets", "exams"]),
            ([.officialWrite, .department], ["statisticsUpdate", "statisticsImport", "measureReportCreate"]),
            ([.officialWrite], ["measureConfirm", "measureReturn"]),
            ([.officialRead, .officialWrite, .organization], ["pilots", "pilot", "pilotVolunteerHours", "pilotCase", "pilotEvidence"]),
            ([.officialWrite, .organization], ["pilotUpdate", "pilotMemberAdd", "pilotVolunteerAdd", "pilotTeamCreate", "pilotActivityCreate",
                                               "pilotCaseCreate", "pilotCaseUpdate", "pilotCaseStep", "pilotCaseEvidenceAdd"]),
            // The system administrator may also call it (the grant form's picker), but this test's
            // administrators still hold a one-time password, so every route answers them 403;
            // RegionPickerTests.testTheChoicesAPIAnswersChildrenAndNameSearchesInsideTheScope signs one in fully.
            ([.officialRead, .officialWrite, .department, .organization], ["regionChoices"]),
            // The accounts' export is the system and security administrators', the audit log's the
            // audit administrator's: here they still hold a one-time password, so 403 for all;
            // ExportsListsTests calls both with fully signed-in administrators.
            ([], ["accountsExport", "auditExport"]),
            ([.officialRead, .officialWrite], ["policies", "policy", "policyCheck", "policySimulation", "paymentBatches", "paymentBatchExport", "ledger", "paymentLine"]),
            ([.officialRead, .officialWrite], ["practiceBase"]),
            ([.officialWrite], ["practiceBaseUpdate", "practiceBasePlacementCreate"]),
            ([.officialRead, .officialWrite, .organization], ["organizationPosts", "postTotals"]),
            ([.officialWrite, .organization], ["postCreate", "postUpdate", "postFill", "postVacate"]),
            (registryReaders, ["personLedger", "educationEvidence", "degreeStudies"]),
            ([.officialWrite], ["recognitionCreate", "registrationFirst", "registrationRenew"]),
            ([.officialWrite, .organization], ["degreeStudyCreate", "degreeStudyComplete"]),
            ([.officialRead, .officialWrite, .organization], ["registrationList", "registrationExport"]),
            (registryReaders, ["trainingCourses", "trainingCourse", "trainingSession", "trainingMaterials"]),
            ([.officialRead, .officialWrite, .organization], ["trainers"]),
            ([.officialWrite, .organization], ["trainingCourseCreate", "trainingSessionCreate", "trainingAttendanceCreate", "trainingSessionComplete"]),
            ([.officialWrite, .organization], ["trainerCreate", "trainingMaterialCreate"]),
            ([.officialWrite, .organization, .worker], ["trainingEnrolmentCreate"]),
        ]
        return Dictionary(uniqueKeysWithValues: rows.flatMap { allowed, names in names.map { ($0, allowed) } })
    }()

    func testEveryRoleOnEveryRoute() async throws {
        try await withApp { app in
            // An organisation and a person for the organisation manager's and the worker's grants.
            _ = try await importFile(app, try writeTemp(CensusRow.csv([CensusRow()])))
            let person = try await app.sql.select().column("id").column("organization_id").from("people").first()!
            let personID = try person.decode(column: "id", as: String.self)
            let organizationID = try person.decode(column: "organization_id", as: String.self)
            let county = try RegionCode.parse("620902").get()
            let grants: [Subject: Grant] = [
                .system: .systemAdministrator, .security: .securityAdministrator, .audit: .auditAdministrator,
                .officialRead: .official(region: county, access: .read), .officialWrite: .official(region: county, access: .readWrite),
                .department: .departmentOperator(department: "民政局", region: county),
                .organization: .organizationManager(organization: organizationID), .worker: .socialWorker(person: personID),
            ]
            var tokens: [Subject: String] = [.anonymous: ""]
            // Administrators hold no API tokens (issue #10 item 5): they call with a session cookie.
            var cookies: [Subject: HTTPHeaders] = [:]
            for (subject, grant) in grants {
                let username = "m-\(subject.rawValue.lowercased())"
                guard grant.role.isAdministrator else { tokens[subject] = try await app.token(grant, username: username); continue }
                let store = try app.shegong.accounts()
                let created = try await store.create(username: username, grant: grant, actor: "test")
                guard case .success(let session) = try await store.login(username: username, password: created.oneTimePassword) else { return XCTFail("login") }
                tokens[subject] = ""
                cookies[subject] = ["Cookie": "shegong_session=\(session.token)"]
            }

            var failures: [String] = []
            // Each declared endpoint, by its declared method and path.
            for endpoint in Endpoint.all {
                let path = "/api/v1/" + endpoint.path.map { component -> String in
                    if case .parameter = component { return "no-such-id" }
                    return component.description
                }.joined(separator: "/")
                guard let allowed = Self.allowedByEndpoint[endpoint.name] else {
                    failures.append("\(endpoint.name): no row in the expected matrix")
                    continue
                }
                for subject in Subject.allCases {
                    var status: HTTPResponseStatus = .ok
                    try await app.api(endpoint.method, path, token: tokens[subject]!, headers: cookies[subject] ?? [:]) { status = $0.status }
                    let expected: String
                    let ok: Bool
                    if allowed.contains(subject) {
                        expected = "not 401/403"
                        ok = status != .unauthorized && status != .forbidden
                    } else {
                        expected = subject == .anonymous ? "401" : "403"
                        ok = status == (subject == .anonymous ? .unauthorized : .forbidden)
                    }
                    if !ok { failures.append("\(endpoint.method) \(path) as \(subject.rawValue): \(status.code), expected \(expected)") }
                }
            }
            XCTAssertTrue(failures.isEmpty, "\n" + failures.joined(separator: "\n"))
        }
    }
}
