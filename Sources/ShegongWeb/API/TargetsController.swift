import Fluent
import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Targets with their live assessment (progress, required vs actual path, projection, at-risk flag).
struct TargetsController: RouteCollection {
    struct PointDTO: Codable {
        var date: String
        var required: Double
        var actual: Double?
    }
    struct ObservationDTO: Codable {
        var date: String
        var value: Double
    }
    struct AssessmentDTO: Codable {
        var status: String
        var statusName: String
        var reason: MessageDTO
        var current: ObservationDTO?
        var baseline: ObservationDTO?
        var progress: Double?
        var progressBar: Double?
        var requiredAtCurrent: Double?
        var aheadOfPath: Double?
        var projection: Double?
        var trendPerDay: Double?
        var path: [PointDTO]
        init(_ a: TargetAssessment) {
            status = a.status.rawValue; statusName = a.status.chineseName; reason = MessageDTO(a.reason)
            current = a.current.map { ObservationDTO(date: $0.date.description, value: $0.value) }
            baseline = a.baseline.map { ObservationDTO(date: $0.date.description, value: $0.value) }
            progress = a.progress; progressBar = a.progressBar; requiredAtCurrent = a.requiredAtCurrent
            aheadOfPath = a.aheadOfPath; projection = a.projection; trendPerDay = a.trend?.slopePerDay
            path = a.path.map { PointDTO(date: $0.date.description, required: $0.required, actual: $0.actual) }
        }
    }
    struct CountySumDTO: Codable {
        var counties: [String]
        var sum: Double?
        var gap: Double?
        var note: MessageDTO?
    }
    struct TargetDTO: Codable {
        var id: String
        var plan: String?
        var indicator: String
        var indicatorName: String
        var unit: String
        var region: String
        var comparator: String
        var value: Double
        var statement: String
        var baseline: ObservationDTO?
        var deadline: String
        var period: DatePeriod?
        var note: String?
        var assessment: AssessmentDTO
        var observations: [ObservationDTO]
        var countyTargets: CountySumDTO?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.targets) { req in
            let region = try await req.regionParameter()
            let asOf = try req.queryDate("asOf", default: .today())!
            let answers = try await AssessedTarget.load(db: req.db, region: region, asOf: asOf).map { line in
                let target = line.target, definition = line.definition
                return TargetDTO(
                    id: target.id, plan: line.planID, indicator: definition.id, indicatorName: definition.chineseName, unit: definition.unit,
                    region: target.region.value, comparator: target.comparator.rawValue, value: target.value, statement: target.statement,
                    baseline: target.baseline.map { ObservationDTO(date: $0.date.description, value: $0.value) },
                    deadline: target.deadline.description, period: target.period, note: target.note, assessment: AssessmentDTO(line.assessment),
                    observations: line.observations.map { ObservationDTO(date: $0.date.description, value: $0.value) },
                    countyTargets: line.countySum.map { sum in
                        CountySumDTO(counties: sum.counties.map(\.id), sum: sum.sum, gap: sum.gap, note: sum.note.map(MessageDTO.init))
                    })
            }
            return try JSONResponse.make(answers)
        }
    }
}

/// A target with its live assessment, as the API and the dashboard show it.
struct AssessedTarget: Sendable {
    var planID: String?
    var target: Target
    var definition: IndicatorDefinition
    var assessment: TargetAssessment
    var observations: [TargetObservation]
    /// A city's target beside the sum of its counties' targets for the same indicator (issue #5 §5).
    var countySum: CountyTargetSum?

    /// The targets set for `region` or a region inside it, assessed from month-end values as of `asOf`.
    static func load(db: any Database, region: Region, asOf: CivilDate) async throws -> [AssessedTarget] {
        let scope = region.level == .nation ? nil : try? RegionCode.parse(region.code).get()
        let plans = PlanStore(db: db)
        let all = try await plans.targets()
        var planStarts: [String: CivilDate] = [:]
        for item in try await plans.list() { planStarts[item.id] = item.periodFrom.flatMap { CivilDate(iso: $0) } }
        let progress = TargetProgress(db: db)
        var lines: [AssessedTarget] = []
        for stored in all where scope.map({ $0.contains(stored.target.region) }) ?? true {
            let target = stored.target
            guard let definition = IndicatorCatalogue.definition(id: target.indicatorID) else { continue }
            let (assessment, observations) = try await progress.assess(target, planStart: stored.planID.flatMap { planStarts[$0] }, asOf: asOf)
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
}
