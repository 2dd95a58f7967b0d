import Foundation

/// What policies would cost: people qualifying and money per month and per calendar year,
/// grouped by region, without paying anything (docs/conventions.md §4.4, issue 4 §7). Pure and incremental:
/// the store streams person snapshots in with `add(_:)` (bounded memory), then reads `result`.
///
/// Estimates: allowances are decided month by month with the snapshot as given (a person's
/// future changes are unknown); one-time awards count certificates issued in the period,
/// as if each holder applied on the issue date.
public struct PolicySimulation: Sendable {
    public let policies: [IncentivePolicy]
    public let month: CivilMonth
    /// People are grouped by the code of this level on their region path (`nil` group when
    /// the path has none).
    public let groupLevel: RegionLevel
    private var figures: [Key: PolicySimulationFigures] = [:]

    private struct Key: Hashable { var policy: Int; var region: RegionCode? }

    public init(policies: [IncentivePolicy], month: CivilMonth, groupLevel: RegionLevel) {
        self.policies = policies
        self.month = month
        self.groupLevel = groupLevel
    }

    public mutating func add(_ person: PersonSnapshot) {
        let region = person.regionPath.first { $0.level == groupLevel }
        for (index, policy) in policies.enumerated() where person.regionPath.contains(policy.jurisdiction) {
            var cost = PolicySimulationFigures()
            switch policy.kind {
            case .monthlyAllowance:
                for current in month.monthsOfYear where policy.isInForce(during: current) {
                    let decision = IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: current)
                    guard decision.eligible else { continue }
                    cost.yearFen += decision.amountFen
                    cost.peopleInYear = 1
                    if current == month {
                        cost.monthFen += decision.amountFen
                        cost.peopleInMonth = 1
                    }
                }
            case .oneTimeAward:
                for certificate in person.certificates where certificate.issueDate.year == month.year {
                    let decision = IncentiveEngine.oneTimeAward(policy: policy, person: person, certificate: certificate,
                                                                applicationDate: certificate.issueDate)
                    guard decision.eligible else { continue }
                    cost.yearFen += decision.amountFen
                    cost.peopleInYear = 1
                    if CivilMonth(certificate.issueDate) == month {
                        cost.monthFen += decision.amountFen
                        cost.peopleInMonth = 1
                    }
                }
            }
            if cost.peopleInYear > 0 {
                figures[Key(policy: index, region: region), default: PolicySimulationFigures()].add(cost)
            }
        }
    }

    public mutating func add<People: Sequence>(contentsOf people: People) where People.Element == PersonSnapshot {
        for person in people { add(person) }
    }

    /// One line per policy and region group with someone qualifying, sorted by policy order
    /// then region code (the no-region group last).
    public var result: PolicySimulationResult {
        let lines = figures.map { key, value in
            PolicySimulationLine(policyIndex: key.policy, policyID: policies[key.policy].id, region: key.region, figures: value)
        }.sorted {
            if $0.policyIndex != $1.policyIndex { return $0.policyIndex < $1.policyIndex }
            switch ($0.region, $1.region) {
            case let (a?, b?): return a < b
            case (_?, nil): return true
            default: return false
            }
        }
        return PolicySimulationResult(month: month, groupLevel: groupLevel, lines: lines)
    }

    /// All people at once.
    public static func run<People: Sequence>(policies: [IncentivePolicy], people: People, month: CivilMonth,
                                             groupLevel: RegionLevel) -> PolicySimulationResult where People.Element == PersonSnapshot {
        var simulation = PolicySimulation(policies: policies, month: month, groupLevel: groupLevel)
        simulation.add(contentsOf: people)
        return simulation.result
    }

    /// A draft policy (new, or a change to a live one) side by side with the live policy, by
    /// region; `live` nil for a policy that does not exist yet.
    public static func compare<People: Sequence>(draft: IncentivePolicy, live: IncentivePolicy?, people: People, month: CivilMonth,
                                                 groupLevel: RegionLevel) -> [PolicyComparisonRow] where People.Element == PersonSnapshot {
        let result = run(policies: [draft] + (live.map { [$0] } ?? []), people: people, month: month, groupLevel: groupLevel)
        var rows: [RegionCode?: PolicyComparisonRow] = [:]
        for line in result.lines {
            var row = rows[line.region] ?? PolicyComparisonRow(region: line.region, draft: PolicySimulationFigures(), live: PolicySimulationFigures())
            if line.policyIndex == 0 { row.draft = line.figures } else { row.live = line.figures }
            rows[line.region] = row
        }
        return rows.values.sorted {
            switch ($0.region, $1.region) {
            case let (a?, b?): return a < b
            case (_?, nil): return true
            default: return false
            }
        }
    }
}

/// People and money for one policy in one region group.
public struct PolicySimulationFigures: Hashable, Codable, Sendable {
    /// People paid something in the simulated month.
    public var peopleInMonth = 0
    public var monthFen = 0
    /// People paid something in the month's calendar year.
    public var peopleInYear = 0
    public var yearFen = 0

    public init() {}

    public mutating func add(_ other: PolicySimulationFigures) {
        peopleInMonth += other.peopleInMonth
        monthFen += other.monthFen
        peopleInYear += other.peopleInYear
        yearFen += other.yearFen
    }
}

public struct PolicySimulationLine: Hashable, Codable, Sendable {
    /// Position of the policy in the simulation's list (a draft may share its live policy's id).
    public var policyIndex: Int
    public var policyID: String
    public var region: RegionCode?
    public var figures: PolicySimulationFigures
}

public struct PolicySimulationResult: Hashable, Codable, Sendable {
    public var month: CivilMonth
    public var groupLevel: RegionLevel
    public var lines: [PolicySimulationLine]

    /// Sum over regions for the policy at `policyIndex`.
    public func total(policyIndex: Int) -> PolicySimulationFigures {
        lines.filter { $0.policyIndex == policyIndex }.reduce(into: PolicySimulationFigures()) { $0.add($1.figures) }
    }
}

public struct PolicyComparisonRow: Hashable, Codable, Sendable {
    public var region: RegionCode?
    public var draft: PolicySimulationFigures
    public var live: PolicySimulationFigures

    /// Draft minus live, per year.
    public var yearDifferenceFen: Int { draft.yearFen - live.yearFen }
}
