import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Plans with measures whose status is computed on the day asked, who is late, and progress reports.
struct PlansController: RouteCollection {
    /// An evidence file of a report; a name without a stored file (a report made before files were
    /// kept, or named in a plan file) has no id, size, hash or url.
    struct EvidenceDTO: Codable {
        var id: String?
        var fileName: String
        var contentType: String?
        var size: Int?
        var sha256: String?
        /// `GET` it (with the same credentials) for the file itself.
        var url: String?
        init(_ f: EvidenceFile) {
            id = f.id; fileName = f.fileName; contentType = f.contentType; size = f.size; sha256 = f.sha256; url = "/api/v1/evidence/\(f.id)"
        }
        init(name: String) { fileName = name }
    }
    struct ReportDTO: Codable {
        var date: String
        var text: String
        var evidence: [EvidenceDTO]
        var completes: Bool
        init(_ r: ProgressReport) {
            date = r.date.description; text = r.text; completes = r.completes
            evidence = r.files.map(EvidenceDTO.init) + r.evidenceWithoutFile.map(EvidenceDTO.init(name:))
        }
    }
    struct MeasureDTO: Codable {
        /// API id: `plan id:measure number`, used by POST /measures/{id}/reports.
        var id: String
        var number: String
        var text: String
        var lead: String
        var cooperating: [String]
        var deadline: String
        var departmentsInferred: Bool
        var note: String?
        var status: String
        var statusName: String
        var daysOverdue: Int?
        var completedLate: Bool
        var reports: [ReportDTO]
        init(plan: String, _ m: Measure, asOf: CivilDate) {
            id = PlanStore.measureKey(plan: plan, measure: m.id); number = m.id; text = m.text; lead = m.lead
            cooperating = m.cooperating; deadline = m.deadline.description; departmentsInferred = m.departmentsInferred; note = m.note
            let s = m.status(asOf: asOf)
            status = s.rawValue; statusName = s.chineseName; daysOverdue = m.daysOverdue(asOf: asOf)
            completedLate = m.completedLate(asOf: asOf); reports = m.reports(asOf: asOf).map(ReportDTO.init)
        }
    }
    struct TaskDTO: Codable {
        var id: String
        var title: String
        var measures: [MeasureDTO]
    }
    struct DepartmentDTO: Codable {
        var department: String
        var counts: [String: Int]
        var overdue: [String]
    }
    struct SummaryDTO: Codable {
        var counts: [String: Int]
        /// Lead departments, the most overdue first: who is late.
        var departments: [DepartmentDTO]
        init(plan: Plan, asOf: CivilDate) {
            let s = PlanStatusSummary(plan: plan, asOf: asOf)
            counts = Dictionary(uniqueKeysWithValues: MeasureStatus.allCases.map { ($0.rawValue, s.count($0)) })
            departments = s.departments.map { line in
                DepartmentDTO(department: line.department,
                              counts: Dictionary(uniqueKeysWithValues: line.counts.map { ($0.key.rawValue, $0.value) }),
                              overdue: line.overdue.map { PlanStore.measureKey(plan: plan.id, measure: $0) })
            }
        }
    }
    struct PlanDTO: Codable {
        var id: String
        var name: String
        var jurisdiction: String
        var jurisdictionName: String
        var issuedBy: String?
        var issued: String?
        var periodFrom: String?
        var periodTo: String
        var source: String
        var sourceNote: String?
        var asOf: String
        var summary: SummaryDTO
        var keyTasks: [TaskDTO]
        var targets: [String]
        init(_ p: Plan, asOf: CivilDate) {
            id = p.id; name = p.name; jurisdiction = p.jurisdiction.value; jurisdictionName = p.jurisdictionName
            issuedBy = p.issuedBy; issued = p.issued?.description; periodFrom = p.period.from?.description
            periodTo = p.period.to.description; source = p.source; sourceNote = p.sourceNote; self.asOf = asOf.description
            summary = SummaryDTO(plan: p, asOf: asOf)
            keyTasks = p.keyTasks.map { t in TaskDTO(id: t.id, title: t.title, measures: t.measures.map { MeasureDTO(plan: p.id, $0, asOf: asOf) }) }
            targets = p.targets.map(\.id)
        }
    }
    struct ListItem: Codable {
        var plan: PlanListItem
        var counts: [String: Int]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.plans) { req in
            let asOf = try req.queryDate("asOf", default: .today())!
            return try JSONResponse.make(try await req.plans.plans().map { ListItem(plan: PlanListItem(plan: $0), counts: SummaryDTO(plan: $0, asOf: asOf).counts) })
        }
        routes.on(.plan) { req in
            let asOf = try req.queryDate("asOf", default: .today())!
            return try JSONResponse.make(PlanDTO(try await req.plans.plan(id: try req.parameter("id")), asOf: asOf))
        }
        // Streamed: a multipart body with files is read within its own limit (`ReportSubmission`).
        routes.on(.measureReportCreate, body: .stream) { req in
            let key = try req.parameter("id")
            let submission = try await ReportSubmission.receive(req)
            let (planID, measureID) = Self.measureKey(key)
            let measure = try await req.plans.addReport(planID: planID, measureID: measureID, submission.input, files: submission.files)
            return try JSONResponse.make(MeasureDTO(plan: planID, measure, asOf: .today()), status: .created)
        }
        // The plan owner's answer to a measure marked done (issue #18 §2): confirm, or return with a reason.
        routes.on(.measureConfirm) { req in
            let (planID, measureID) = Self.measureKey(try req.parameter("id"))
            let measure = try await req.plans.decideCompletion(planID: planID, measureID: measureID, confirm: true, reason: nil)
            return try JSONResponse.make(MeasureDTO(plan: planID, measure, asOf: .today()))
        }
        routes.on(.measureReturn) { req in
            struct Body: Decodable { var reason: String? }
            let (planID, measureID) = Self.measureKey(try req.parameter("id"))
            let body = try req.content.decode(Body.self)
            let measure = try await req.plans.decideCompletion(planID: planID, measureID: measureID, confirm: false, reason: body.reason)
            return try JSONResponse.make(MeasureDTO(plan: planID, measure, asOf: .today()))
        }
        routes.on(.evidence) { req in try await req.evidenceDownload(id: try req.parameter("id")) }
    }
}

extension PlansController {
    /// `plan id:measure id` split at its first colon.
    static func measureKey(_ key: String) -> (plan: String, measure: String) {
        (String(key.prefix { $0 != ":" }), String(key.drop { $0 != ":" }.dropFirst()))
    }
}

extension Request {
    /// The plan use cases for the signed-in account (`PlanService`).
    var plans: PlanService {
        get throws { PlanService(context: services, caller: try caller) }
    }
}
