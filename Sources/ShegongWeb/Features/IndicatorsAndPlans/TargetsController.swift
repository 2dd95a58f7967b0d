import Fluent
import Foundation
import ShegongDomain
import ShegongServices
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

    /// A target set through the API (not part of a plan).
    struct NewTarget: Codable {
        struct Observation: Codable { var date: String; var value: Double }
        struct Period: Codable { var from: String; var to: String }
        var id: String?
        var indicator: String
        var region: String
        var comparator: String
        var value: Double
        var tolerance: Double?
        var baseline: Observation?
        var deadline: String
        var period: Period?
        var note: String?

        /// The target, or every field that is wrong (422).
        func target() throws -> Target {
            var details: [APIErrorBody.Detail] = []
            func date(_ text: String, _ field: String) -> CivilDate? {
                guard let d = CivilDate(iso: text) else {
                    details.append(.init(field: field, value: text, code: "target.date.invalid", message: "\(field) 须为日期 YYYY-MM-DD"))
                    return nil
                }
                return d
            }
            let code = RegionCode.parse(region.trimmingCharacters(in: .whitespaces))
            if case .failure(let e) = code { details.append(.init(field: "region", value: region, code: "target.region.invalid", message: e.message)) }
            let comparatorValue = TargetComparator.parse(comparator)
            if comparatorValue == nil {
                details.append(.init(field: "comparator", value: comparator, code: "target.comparator.invalid", message: "比较方式须为 ≥、≤、=、> 或 <"))
            }
            let deadlineDate = date(deadline, "deadline")
            let baselineDate = baseline.flatMap { date($0.date, "baseline.date") }
            let periodFrom = period.flatMap { date($0.from, "period.from") }, periodTo = period.flatMap { date($0.to, "period.to") }
            if let periodFrom, let periodTo, periodTo < periodFrom {
                details.append(.init(field: "period", code: "target.period.order", message: "统计期的结束早于开始"))
            }
            let name = id?.trimmingCharacters(in: .whitespaces)
            if let name, name.isEmpty || name.count > 64 {
                details.append(.init(field: "id", code: "target.id.invalid", message: "目标编号须为 1–64 个字符"))
            }
            guard details.isEmpty, case .success(let regionCode) = code, let comparatorValue, let deadlineDate else {
                throw APIError(status: .unprocessableEntity, code: "validation", message: "目标有误", details: details)
            }
            return Target(id: name ?? "target-" + UUID().uuidString.prefix(8).lowercased(), indicatorID: indicator, region: regionCode,
                          comparator: comparatorValue, value: value, tolerance: tolerance,
                          baseline: baselineDate.map { TargetObservation(date: $0, value: baseline!.value) }, deadline: deadlineDate,
                          period: periodFrom.flatMap { from in periodTo.flatMap { DatePeriod(from: from, to: $0) } },
                          note: note.map { String($0.prefix(500)) })
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.targetCreate) { req in
            let target = try req.content.decode(NewTarget.self).target()
            let line = try await req.targets.create(target)
            return try JSONResponse.make(try line.map(Self.dto), status: .created)
        }
        routes.on(.targets) { req in
            let region = try await req.regionParameter()
            let asOf = try req.queryDate("asOf", default: .today())!
            return try JSONResponse.make(try await req.targets.targets(in: region, asOf: asOf).map(Self.dto))
        }
    }

    static func dto(_ line: AssessedTarget) throws -> TargetDTO {
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
}

extension Request {
    /// The target use cases for the signed-in account (`TargetService`).
    var targets: TargetService {
        get throws { TargetService(context: services, caller: try caller) }
    }
}
