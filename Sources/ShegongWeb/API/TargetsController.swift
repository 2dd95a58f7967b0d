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
            let scope = region.level == .nation ? nil : try? RegionCode.parse(region.code).get()
            let plans = PlanStore(db: req.db)
            let all = try await plans.targets()
            var planStarts: [String: CivilDate] = [:]
            for item in try await plans.list() { planStarts[item.id] = item.periodFrom.flatMap { CivilDate(iso: $0) } }
            let progress = TargetProgress(db: req.db)
            var answers: [TargetDTO] = []
            for stored in all where scope.map({ $0.contains(stored.target.region) }) ?? true {
                let target = stored.target
                guard let definition = IndicatorCatalogue.definition(id: target.indicatorID) else { continue }
                let (assessment, observations) = try await progress.assess(target, planStart: stored.planID.flatMap { planStarts[$0] }, asOf: asOf)
                var countySum: CountySumDTO?
                if target.region.level == .city {
                    let candidates = all.map(\.target).filter { $0.region.level == .county && target.region.contains($0.region) && $0.indicatorID == target.indicatorID }
                    if !candidates.isEmpty {
                        let sum = CountyTargetSum(city: target, counties: candidates, definition: definition)
                        countySum = CountySumDTO(counties: sum.counties.map(\.id), sum: sum.sum, gap: sum.gap, note: sum.note.map(MessageDTO.init))
                    }
                }
                answers.append(TargetDTO(
                    id: target.id, plan: stored.planID, indicator: definition.id, indicatorName: definition.chineseName, unit: definition.unit,
                    region: target.region.value, comparator: target.comparator.rawValue, value: target.value, statement: target.statement,
                    baseline: target.baseline.map { ObservationDTO(date: $0.date.description, value: $0.value) },
                    deadline: target.deadline.description, period: target.period, note: target.note, assessment: AssessmentDTO(assessment),
                    observations: observations.map { ObservationDTO(date: $0.date.description, value: $0.value) }, countyTargets: countySum))
            }
            return try JSONResponse.make(answers)
        }
    }
}
