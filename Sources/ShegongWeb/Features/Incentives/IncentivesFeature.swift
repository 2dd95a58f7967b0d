import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Incentive policies as data: checking and loading them, explained eligibility, applications,
/// monthly allowance runs, payment batches and the ledger; the pages and the policy, eligibility
/// and allowance commands.
struct IncentivesFeature: WebFeature {
    var endpoints: [Endpoint] {
        [.policies, .policy, .policyCheck, .policyLoad, .policySimulation, .eligibility, .applications, .applicationCreate, .applicationReview,
         .allowanceRun, .paymentBatches, .paymentBatchApprove, .paymentBatchPaid, .paymentBatchExport, .ledger, .paymentLine]
    }

    var schemas: [String: JSONValue] { Endpoint.incentiveSchemas }

    func register(_ app: Application) throws {
        try app.register(collection: IncentivesController())
        try app.register(collection: IncentivePages())
        try app.register(collection: IncentivePrintPages())
        try app.register(collection: PolicyFormPages())
    }

    func navigation(for principal: Principal) -> [NavigationEntry] {
        [.official, .organizationManager, .socialWorker].contains(principal.role) ? [.init(order: 90, key: "nav.incentives", path: "/incentives")] : []
    }

    var auditActions: [AuditAction] {
        [.policyLoad, .applicationCreate, .applicationReview, .allowanceRun, .batchApprove, .batchPaid, .batchExport, .batchPrint, .fourEyesSet]
    }
    var catalogue: [CatalogueEntry] { Catalogue.incentivePageEntries + Catalogue.pgincentivesEntries + Catalogue.moneyEntries
        + Catalogue.incentivePrintingEntries + Catalogue.policyFormEntries }

    var commands: [(name: String, command: any AnyAsyncCommand)] {
        [("policy", PolicyCommands.group), ("eligibility", EligibilityCommand()), ("allowance", AllowanceCommands.group), ("four-eyes", FourEyesCommand())]
    }
}
