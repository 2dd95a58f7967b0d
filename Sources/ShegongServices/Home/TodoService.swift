import Foundation
import ShegongDomain
import ShegongStore

/// What waits for the caller (issue #18 §4, docs/ui.md "To-dos on the home page"), counted in the
/// caller's scope by one query each.
public struct Todos: Sendable, Equatable {
    /// Applications waiting at the review level of the caller's region (read-write officials).
    public var applicationsToReview = 0
    /// Draft batches with lines the caller may approve (four eyes: not those they ran).
    public var batchesToApprove = 0
    /// Approved batches the caller may record paid (four eyes: not those they approved).
    public var batchesToMarkPaid = 0
    /// Measures not done whose deadline has passed or falls within `TodoService.dueWindowDays`, by plan.
    public var measures: [MeasureTodo] = []

    public init() {}

    public var isEmpty: Bool { applicationsToReview == 0 && batchesToApprove == 0 && batchesToMarkPaid == 0 && measures.isEmpty }
}

public struct TodoService: Sendable {
    let context: ServiceContext
    let caller: Caller

    /// A measure is "due" from 30 days before its deadline: a month to report on it in time.
    public static let dueWindowDays = 30

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public func todos() async throws -> Todos {
        var todos = Todos()
        let store = TodoStore(db: context.db)
        let today = context.today, dueBy = today.adding(days: Self.dueWindowDays)
        switch caller.scope {
        case .region(let subtree, let access):
            if access == .readWrite { try await incentives(&todos, subtree: subtree) }
            if case .success(let region) = RegionCode.parse(subtree.code) {
                todos.measures = try await store.measures(region: region, lead: nil, today: today, dueBy: dueBy)
            }
        case .department(let name, let subtree):
            if case .success(let region) = RegionCode.parse(subtree.code) {
                todos.measures = try await store.measures(region: region, lead: name, today: today, dueBy: dueBy)
            }
        case .noBusinessData, .organization, .person:
            break
        }
        return todos
    }

    /// A read-write official's applications to review and batches to approve or record paid, of
    /// the policies that concern them (`IncentiveService.visiblePolicies`).
    private func incentives(_ todos: inout Todos, subtree: RegionSubtree) async throws {
        let service = IncentiveService(context: context, caller: caller)
        let summaries = try await service.visiblePolicies()
        guard !summaries.isEmpty, let own = try await context.regions.region(code: subtree.code) else { return }
        let policyStore = PolicyStore(db: context.db)
        var steps: [(policyID: String, step: Int)] = []
        var fourEyes: Set<String> = [], managed: Set<String> = []
        for summary in summaries {
            if let policy = try await policyStore.policy(id: summary.id) {
                for (index, level) in policy.reviewLevels.enumerated() where level == own.level { steps.append((policy.id, index)) }
            }
            if try await service.fourEyesApplies(jurisdiction: summary.jurisdiction) { fourEyes.insert(summary.id) }
            if try await service.mayManage(jurisdiction: summary.jurisdiction) { managed.insert(summary.id) }
        }
        let store = TodoStore(db: context.db), me = caller.username
        todos.applicationsToReview = try await store.applicationsAwaiting(steps: steps, scope: caller.scope, caller: me, fourEyesPolicies: fourEyes)
        todos.batchesToApprove = try await store.batchesToApprove(policyIDs: managed, caller: me, fourEyesPolicies: fourEyes)
        todos.batchesToMarkPaid = try await store.batchesToMarkPaid(policyIDs: managed, caller: me, fourEyesPolicies: fourEyes)
    }
}
