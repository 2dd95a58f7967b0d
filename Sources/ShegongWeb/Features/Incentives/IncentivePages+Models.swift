import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore

// What each incentive page shows, loaded through the services (IncentiveService, PersonService)
// and nothing else; the views in IncentiveViews.swift and IncentivePolicyViews.swift only render it.

/// `/incentives`: officials see the policies of their region, the payment batches and the ledger
/// of those policies; everyone sees the applications in their scope.
struct IncentiveOverview {
    /// The policies that concern an official (empty for other roles).
    var policies: [PolicySummary] = []
    var showsPolicies = false
    var batches: [PaymentBatchInfo] = []
    var ledger: [LedgerTotal] = []
    var applications: [ApplicationInfo] = []
    /// A social worker's own record: the way to their eligibility.
    var ownPerson: String?
    /// A read-write official: new policy, allowance runs, batch approval.
    var mayManage = false
    /// The month an allowance run proposes (the current one).
    var currentMonth: CivilMonth

    /// The active monthly allowances, the policies an allowance run may be started for.
    var monthlyPolicies: [PolicySummary] {
        policies.filter { $0.kind == IncentiveKind.monthlyAllowance.rawValue && $0.active }
    }

    /// The policy's name for a batch or a ledger row (its id only if the summary is missing).
    func policyName(_ id: String) -> String { policies.first { $0.id == id }?.name ?? id }

    static func load(_ service: IncentiveService, principal: Principal, today: CivilDate) async throws -> IncentiveOverview {
        var model = IncentiveOverview(mayManage: IncentivePages.isWriter(principal), currentMonth: CivilMonth(today))
        if IncentivePages.isOfficial(principal) {
            model.showsPolicies = true
            model.policies = try await service.visiblePolicies()
            let visible = Set(model.policies.map(\.id))
            model.batches = try await service.batches(policyID: nil, visible: visible)
            model.ledger = try await service.ledger(policyID: nil, byRegion: false, visible: visible)
        }
        if case .socialWorker(let person) = principal.grant { model.ownPerson = person }
        model.applications = try await service.applications(status: nil, policyID: nil)
        return model
    }
}

/// `/incentives/batches/ID`: a batch, its policy and a page of its lines (people in scope).
struct BatchPageModel {
    var batch: PaymentBatchInfo
    /// The policy's name, so the page says which policy rather than its id.
    var policyName: PolicyText
    var lines: [PaymentLineRow]
    var page: Int
    var total: Int
    static let perPage = 100

    static func load(_ service: IncentiveService, id: String, page: Int) async throws -> BatchPageModel {
        let batch = try await service.batch(id)
        // The batch is of a policy the caller may see (checked by `batch`), so this reads one
        // policy row and audits nothing.
        let policy = try await service.policy(batch.policyID)
        let lines = try await service.lines(batchID: batch.id, page: page)
        return BatchPageModel(batch: batch, policyName: policy.displayName, lines: lines.rows, page: page, total: lines.total)
    }
}

/// `/incentives/eligibility/PERSON`: every policy's decision for one person on one day.
struct EligibilityModel {
    var personID: String
    var personName: String
    var date: CivilDate
    var decisions: [EligibilityDecision]

    static func load(people: PersonService, incentives: IncentiveService, personID: String, date: CivilDate) async throws -> EligibilityModel {
        let person = try await people.person(personID).person
        let decisions = try await incentives.eligibility(personID: person.id, on: date)
        return EligibilityModel(personID: person.id, personName: person.name, date: date, decisions: decisions)
    }
}

/// `/incentives/applications/ID`: an application, whom it is for, and whether the caller reviews it.
struct ApplicationModel {
    var application: ApplicationInfo
    var personName: String
    var mayReview: Bool

    static func load(people: PersonService, application: ApplicationInfo, principal: Principal) async throws -> ApplicationModel {
        // The service showed the application only for a person in scope, so the name is visible too.
        let person = try await people.person(application.personID).person
        return ApplicationModel(application: application, personName: person.name,
                                mayReview: IncentivePages.isWriter(principal) && application.awaiting != nil)
    }
}

/// The policy editor (`/incentives/policies/new`, a policy's page, and the answer to its form):
/// the file as typed and what the last button did with it.
struct PolicyEditorModel {
    enum Outcome {
        case none
        case checked(IncentivePolicy)
        case simulated([PolicyComparisonRow], month: CivilMonth)
        case errors(PolicyErrorList)
    }

    var yaml: String
    var outcome: Outcome = .none
    /// The month the simulation counts (the one asked for, else the current one).
    var month: CivilMonth
    /// Only a read-write official may activate a file; others check and simulate.
    var mayActivate: Bool
}
