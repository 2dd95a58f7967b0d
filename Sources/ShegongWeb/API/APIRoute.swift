import Vapor

/// The typed name of every JSON API endpoint: routes are registered by it and links built from it.
/// Its facts — method, path, roles, parameters, schemas, errors — are its `Endpoint` declaration,
/// from which registration, the query check, the 405 answer and the OpenAPI document are derived.
enum APIRoute: String, CaseIterable {
    case health
    case openAPI
    case regions, region, regionCreate, regionUpdate
    case people, person, personCreate, personUpdate
    case organizations, organization, organizationCreate, organizationUpdate
    case certificates, certificate, certificateCreate, certificateUpdate, registrationCreate
    case censusStats, censusImport, censusImportReport, censusExport, censusTemplate
    // Issue 5: region statistics, indicators, practice bases and pilots, plans, targets, exams.
    case statistics, statisticsUpdate, statisticsImport
    case indicators, indicator, indicatorChildren
    case practiceBases, practiceBaseCreate, pilotCommunities, pilotCommunityCreate
    case plans, plan, measureReportCreate, evidence, targets, targetCreate, exams, examCreate, examPassImport
    // Issue 4: incentive policies, eligibility, applications, allowance runs, payment batches, ledger.
    case policies, policy, policyCheck, policyLoad, policySimulation, eligibility
    case applications, applicationCreate, applicationReview
    case allowanceRun, paymentBatches, paymentBatchApprove, paymentBatchPaid, paymentBatchExport, ledger, paymentLine

    /// The endpoint's declaration (`API/Endpoints/`, one file per feature). One exhaustive switch:
    /// a new case does not compile until it is declared.
    var endpoint: Endpoint {
        switch self {
        case .health: return .health
        case .openAPI: return .openAPI
        case .regions: return .regions
        case .region: return .region
        case .regionCreate: return .regionCreate
        case .regionUpdate: return .regionUpdate
        case .people: return .people
        case .person: return .person
        case .personCreate: return .personCreate
        case .personUpdate: return .personUpdate
        case .organizations: return .organizations
        case .organization: return .organization
        case .organizationCreate: return .organizationCreate
        case .organizationUpdate: return .organizationUpdate
        case .certificates: return .certificates
        case .certificate: return .certificate
        case .certificateCreate: return .certificateCreate
        case .certificateUpdate: return .certificateUpdate
        case .registrationCreate: return .registrationCreate
        case .censusStats: return .censusStats
        case .censusImport: return .censusImport
        case .censusImportReport: return .censusImportReport
        case .censusExport: return .censusExport
        case .censusTemplate: return .censusTemplate
        case .statistics: return .statistics
        case .statisticsUpdate: return .statisticsUpdate
        case .statisticsImport: return .statisticsImport
        case .indicators: return .indicators
        case .indicator: return .indicator
        case .indicatorChildren: return .indicatorChildren
        case .practiceBases: return .practiceBases
        case .practiceBaseCreate: return .practiceBaseCreate
        case .pilotCommunities: return .pilotCommunities
        case .pilotCommunityCreate: return .pilotCommunityCreate
        case .plans: return .plans
        case .plan: return .plan
        case .measureReportCreate: return .measureReportCreate
        case .evidence: return .evidence
        case .targets: return .targets
        case .targetCreate: return .targetCreate
        case .exams: return .exams
        case .examCreate: return .examCreate
        case .examPassImport: return .examPassImport
        case .policies: return .policies
        case .policy: return .policy
        case .policyCheck: return .policyCheck
        case .policyLoad: return .policyLoad
        case .policySimulation: return .policySimulation
        case .eligibility: return .eligibility
        case .applications: return .applications
        case .applicationCreate: return .applicationCreate
        case .applicationReview: return .applicationReview
        case .allowanceRun: return .allowanceRun
        case .paymentBatches: return .paymentBatches
        case .paymentBatchApprove: return .paymentBatchApprove
        case .paymentBatchPaid: return .paymentBatchPaid
        case .paymentBatchExport: return .paymentBatchExport
        case .ledger: return .ledger
        case .paymentLine: return .paymentLine
        }
    }

    var method: HTTPMethod { endpoint.method }
    /// Path after `/api/v1`, with `:name` parameters.
    var path: [PathComponent] { endpoint.path }
    var access: RouteAccess { endpoint.access }

    static let prefix: [PathComponent] = ["api", "v1"]

    /// `/api/v1/people/{id}` as OpenAPI writes it.
    var openAPIPath: String { endpoint.openAPIPath }

    /// Where `RoutesBuilder.on(_:)` leaves the route's name on the Vapor route it registers.
    static let userInfoKey = "shegong.apiRoute"
}

extension RoutesBuilder {
    @discardableResult
    func on(_ route: APIRoute, body: HTTPBodyStreamStrategy = .collect,
            use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        let endpoint = route.endpoint
        let registered = grouped(APIRoute.prefix).on(endpoint.method, endpoint.path, body: body) { req in
            try await route.authorize(req)
            // Read per request: a declaration may depend on the date (the statistics' years).
            try route.endpoint.checkQuery(req)
            return try await handler(req)
        }
        registered.userInfo[APIRoute.userInfoKey] = route
        return registered
    }
}
