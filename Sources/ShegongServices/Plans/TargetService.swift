import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// A target with its live assessment, as the API and the dashboard show it.
public struct AssessedTarget: Sendable {
    public var planID: String?
    public var target: Target
    public var definition: IndicatorDefinition
    public var assessment: TargetAssessment
    public var observations: [TargetObservation]
    /// A city's target beside the sum of its counties' targets for the same indicator (docs/indicators.md).
    public var countySum: CountyTargetSum?
}

/// Targets: the targets of a region in the caller's scope with their live assessment, and setting
/// a target in a region the caller may change (audited).
public struct TargetService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .departmentOperator)
    public static let setters = Permission.write(.official)

    /// The targets set for `region` or a region inside it, assessed from month-end values as of
    /// `asOf`. The targets are chosen by region in one query, with the plans' start dates in
    /// another; the month-end values of all of them are read together (`TargetProgress.assess(all:)`:
    /// a fixed number of queries however many targets); the counties' sums come from the same list.
    public func targets(in region: Region, asOf: CivilDate) async throws -> [AssessedTarget] {
        try await context.require(caller, Self.readers, "target")
        try await context.requireReadable(caller, region)
        let scope = region.level == .nation ? RegionCode.nation : try RegionCode.parse(region.code).get()
        let reads = await context.readDatabase(for: caller)
        let plans = PlanStore(db: reads)
        let all = try await plans.targets(in: scope).filter { IndicatorCatalogue.definition(id: $0.target.indicatorID) != nil }
        var planStarts: [String: CivilDate] = [:]
        for item in try await plans.list() { planStarts[item.id] = item.periodFrom.flatMap { CivilDate(iso: $0) } }
        let assessed = try await TargetProgress(db: reads)
            .assess(all: all.map { TargetProgress.Item($0.target, planStart: $0.planID.flatMap { planStarts[$0] }) }, asOf: asOf)
        var lines: [AssessedTarget] = []
        for (stored, (assessment, observations)) in zip(all, assessed) {
            let target = stored.target
            guard let definition = IndicatorCatalogue.definition(id: target.indicatorID) else { continue }
            var countySum: CountyTargetSum?
            if target.region.level == .city {
                let candidates = all.map(\.target).filter { $0.region.level == .county && target.region.contains($0.region) && $0.indicatorID == target.indicatorID }
                if !candidates.isEmpty { countySum = CountyTargetSum(city: target, counties: candidates, definition: definition) }
            }
            lines.append(AssessedTarget(planID: stored.planID, target: target, definition: definition, assessment: assessment,
                                        observations: observations, countySum: countySum))
        }
        return lines
    }

    /// Sets a target (not part of a plan) in a region the caller may change: outside the scope the
    /// audited 404, in sight but read-only the audited 403; validated by the store (422). Returns
    /// the target assessed as of today.
    public func create(_ target: Target) async throws -> AssessedTarget? {
        try await context.require(caller, Self.setters, "target", target.id)
        guard let region = try await context.regions.region(code: target.region.value) else {
            throw StoreError(.invalid, code: "validation", text: .init("validation.target"),
                             details: [.init(field: "region", code: "target.region.unknown", target.region.value)])
        }
        _ = try await context.region(caller, code: region.code, field: "region")
        guard caller.scope.mayWrite(region: region.path) else {
            throw try await context.forbidden(caller, "region", region.code, AccessDenied(code: "scope.read_only", region.code))
        }
        _ = try await context.audited(caller, .targetCreate, "target", details: target.statement, object: { (_: Bool) in target.id }) { tx in
            try await PlanStore(db: tx).addTarget(target)
            return true
        }
        return try await targets(in: region, asOf: context.today).first { $0.target.id == target.id }
    }
}
