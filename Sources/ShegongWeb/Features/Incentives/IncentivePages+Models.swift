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
    /// The names of the policies' jurisdictions the caller may read, by code.
    var regionNames: [String: String] = [:]

    /// The active monthly allowances, the policies an allowance run may be started for.
    var monthlyPolicies: [PolicySummary] {
        policies.filter { $0.kind == IncentiveKind.monthlyAllowance.rawValue && $0.active }
    }

    /// The policy's name in the page's language for a batch or a ledger row (an unknown policy,
    /// which `batches` never returns, shows nothing rather than its id).
    func policyName(_ id: String, _ language: Language) -> String {
        policies.first { $0.id == id }?.displayName.localized(language) ?? ""
    }

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
    /// False: the part of the batch in scope holds more than `total` lines (the count's cap).
    var totalIsExact = true
    /// The next page's `after` (nil on the last page).
    var nextCursor: String?
    /// The names of the lines' regions, by code.
    var regionNames: [String: String] = [:]
    /// A read-write official who may run the policy: the next step's button is shown.
    var mayManage = false
    static let perPage = 100

    /// With `manage`, the whole batch as its approver confirms it (a read-write official of the
    /// policy's jurisdiction), else the part in the caller's scope.
    static func load(_ service: IncentiveService, id: String, after: ListCursor? = nil, page: Int, manage: Bool = false) async throws -> BatchPageModel {
        let batch = try await service.batch(id, manage: manage)
        // The batch is of a policy the caller may see (checked by `batch`), so this reads one
        // policy row and audits nothing.
        let policy = try await service.policy(batch.policyID)
        let lines = try await service.lines(batchID: batch.id, after: after, page: page)
        return BatchPageModel(batch: batch, policyName: policy.displayName, lines: lines.rows, page: lines.page, total: lines.total,
                              totalIsExact: lines.totalIsExact, nextCursor: lines.nextCursor, mayManage: manage)
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
    /// Where the person works now, by name.
    var employerName: String?
    var mayReview: Bool

    static func load(people: PersonService, application: ApplicationInfo, principal: Principal) async throws -> ApplicationModel {
        // The service showed the application only for a person in scope, so the name is visible too.
        let detail = try await people.person(application.personID)
        let employer = detail.employments.first { $0.endDate == nil }?.organizationName ?? detail.employments.last?.organizationName
        return ApplicationModel(application: application, personName: detail.person.name, employerName: employer,
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
