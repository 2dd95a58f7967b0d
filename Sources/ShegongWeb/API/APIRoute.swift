import Vapor

/// Every JSON API route, in one list: routes are registered from it and the OpenAPI document is
/// written from it, so neither can drift from the other.
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

    var method: HTTPMethod {
        switch self {
        case .regionCreate, .personCreate, .organizationCreate, .certificateCreate, .registrationCreate, .censusImport: return .POST
        case .statisticsImport, .practiceBaseCreate, .pilotCommunityCreate, .measureReportCreate, .examCreate, .targetCreate, .examPassImport: return .POST
        case .personUpdate, .organizationUpdate, .regionUpdate, .certificateUpdate: return .PUT
        case .statisticsUpdate: return .PUT
        case .policyCheck, .policyLoad, .policySimulation, .applicationCreate, .applicationReview, .allowanceRun,
             .paymentBatchApprove, .paymentBatchPaid: return .POST
        default: return .GET
        }
    }

    /// Path after `/api/v1`, with `:name` parameters.
    var path: [PathComponent] {
        switch self {
        case .health: return ["health"]
        case .openAPI: return ["openapi.json"]
        case .regions, .regionCreate: return ["regions"]
        case .region, .regionUpdate: return ["regions", ":code"]
        case .people, .personCreate: return ["people"]
        case .person, .personUpdate: return ["people", ":id"]
        case .organizations, .organizationCreate: return ["organizations"]
        case .organization, .organizationUpdate: return ["organizations", ":id"]
        case .certificates, .certificateCreate: return ["certificates"]
        case .certificate, .certificateUpdate: return ["certificates", ":id"]
        case .registrationCreate: return ["certificates", ":id", "registrations"]
        case .censusStats: return ["stats", "census"]
        case .censusImport: return ["imports", "census"]
        case .censusImportReport: return ["imports", "census", ":id", "report"]
        case .censusExport: return ["exports", "census"]
        case .censusTemplate: return ["templates", "census"]
        case .statistics, .statisticsUpdate: return ["statistics"]
        case .statisticsImport: return ["statistics", "import"]
        case .indicators: return ["indicators"]
        case .indicator: return ["indicators", ":id"]
        case .indicatorChildren: return ["indicators", ":id", "children"]
        case .practiceBases, .practiceBaseCreate: return ["practice-bases"]
        case .pilotCommunities, .pilotCommunityCreate: return ["pilot-communities"]
        case .plans: return ["plans"]
        case .plan: return ["plans", ":id"]
        case .measureReportCreate: return ["measures", ":id", "reports"]
        case .evidence: return ["evidence", ":id"]
        case .targets, .targetCreate: return ["targets"]
        case .exams, .examCreate: return ["exams"]
        case .examPassImport: return ["exams", "passes"]
        case .policies, .policyLoad: return ["policies"]
        case .policy: return ["policies", ":id"]
        case .policyCheck: return ["policies", "check"]
        case .policySimulation: return ["policies", "simulate"]
        case .eligibility: return ["people", ":id", "eligibility"]
        case .applications, .applicationCreate: return ["applications"]
        case .applicationReview: return ["applications", ":id", "reviews"]
        case .allowanceRun: return ["allowance-runs"]
        case .paymentBatches: return ["payment-batches"]
        case .paymentBatchApprove: return ["payment-batches", ":id", "approve"]
        case .paymentBatchPaid: return ["payment-batches", ":id", "paid"]
        case .paymentBatchExport: return ["payment-batches", ":id", "export"]
        case .ledger: return ["ledger"]
        case .paymentLine: return ["payment-lines", ":id"]
        }
    }

    static let prefix: [PathComponent] = ["api", "v1"]

    /// `/api/v1/people/{id}` as OpenAPI writes it.
    var openAPIPath: String {
        "/api/v1/" + path.map { component -> String in
            if case .parameter(let name) = component { return "{\(name)}" }
            return component.description
        }.joined(separator: "/")
    }
}

extension RoutesBuilder {
    @discardableResult
    func on(_ route: APIRoute, body: HTTPBodyStreamStrategy = .collect,
            use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        grouped(APIRoute.prefix).on(route.method, route.path, body: body) { req in
            try await route.authorize(req)
            return try await handler(req)
        }
    }
}
