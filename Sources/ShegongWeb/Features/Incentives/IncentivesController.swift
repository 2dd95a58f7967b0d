import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// Incentive programmes through the API (issue #4), scoped (issue #3): officials see the policies
/// that apply in their region or part of it, and run, load and approve only those whose
/// jurisdiction lies in their region with read-write access; workers and employers see and make
/// applications for themselves and their staff. Who acted is the account, recorded in the audit log
/// in the same transaction as the change.
struct IncentivesController: RouteCollection {
    struct PolicyAnswer: Codable {
        var policy: IncentivePolicy
        var yaml: String
    }
    struct NewApplication: Codable {
        var personID: String
        var policyID: String
        var certificateNumber: String?
        var applicant: String
        /// Refused: the application date is the server's (docs/security.md).
        var date: String?
        /// A paper application entered late by a read-write official: the paper's date and why.
        var paperDate: String?
        var paperReason: String?

        func paper() throws -> PaperApplication? {
            if date != nil {
                throw StoreError(.invalid, code: "application.date_server_set", details: [.init(field: "date", code: "application.date_server_set")])
            }
            guard paperDate != nil || paperReason != nil else { return nil }
            guard let raw = paperDate, let date = CivilDate(censusText: raw) else {
                throw APIError.badRequest("application.date", "paperDate 须为 YYYY-MM-DD", field: "paperDate")
            }
            return PaperApplication(date: date, reason: String((paperReason ?? "").prefix(500)))
        }
    }
    struct Review: Codable {
        var action: String
        var reason: String?
    }
    struct Run: Codable {
        var policyID: String
        var month: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.policies) { req in try JSONResponse.make(try await req.incentives.visiblePolicies()) }
        routes.on(.policy) { req in
            let policy = try await req.incentives.policy(try req.parameter("id"))
            return try JSONResponse.make(PolicyAnswer(policy: policy, yaml: policy.yamlText))
        }
        routes.on(.policyCheck) { req in
            let policy = try await req.incentives.check(yaml: req.body.string ?? "")
            return try JSONResponse.make(["id": policy.id, "name": policy.name, "versions": String(policy.versions.count)])
        }
        routes.on(.policyLoad) { req in
            let text = req.body.string ?? ""
            let policy = try await req.incentives.load(yaml: text)
            return try JSONResponse.make(PolicyAnswer(policy: policy, yaml: text), status: .created)
        }
        routes.on(.policySimulation) { req in
            let month = try req.queryString("month").map {
                guard let m = CivilMonth(iso: $0) else { throw APIError.badRequest("request.query", "month 须为 YYYY-MM", field: "month") }
                return m
            } ?? CivilMonth(CivilDate.today())
            let levels: [String: RegionLevel] = ["province": .province, "city": .city, "county": .county, "township": .township]
            guard let level = levels[req.queryString("by") ?? "county"] else {
                throw APIError.badRequest("request.query", "by 须为 province、city、county 或 township", field: "by")
            }
            return try JSONResponse.make(try await req.incentives.simulate(yaml: req.body.string ?? "", month: month, by: level))
        }
        routes.on(.eligibility) { req in
            let date = try CertificatesController.date(req, "date") ?? CivilDate.today()
            return try JSONResponse.make(try await req.incentives.eligibility(personID: try req.parameter("id"), on: date))
        }
        routes.on(.applications) { req in
            try JSONResponse.make(try await req.incentives.applications(status: req.queryString("status"), policyID: req.queryString("policy"),
                                                                      after: req.queryString("after"), page: try req.queryInt("page", default: 1)))
        }
        routes.on(.applicationCreate) { req in
            let input = try req.content.decode(NewApplication.self)
            let info = try await req.incentives.apply(personID: input.personID, policyID: input.policyID,
                                                      certificateNumber: input.certificateNumber, applicant: input.applicant, paper: try input.paper())
            return try JSONResponse.make(info, status: .created)
        }
        routes.on(.applicationReview) { req in
            let input = try req.content.decode(Review.self)
            guard let action = IncentiveLedger.ReviewAction(rawValue: input.action) else {
                throw APIError.badRequest("review.action", "action 须为 approve、reject 或 return", field: "action")
            }
            return try JSONResponse.make(try await req.incentives.review(applicationID: try req.parameter("id"), action: action, reason: input.reason))
        }
        routes.on(.allowanceRun) { req in
            let input = try req.content.decode(Run.self)
            guard let month = CivilMonth(iso: input.month) else { throw APIError.badRequest("allowance.month", "month 须为 YYYY-MM", field: "month") }
            let metrics = req.application.shegong.metrics
            return try JSONResponse.make(try await ShegongMetrics.timed(metrics.allowanceRun) {
                try await req.incentives.runAllowance(policyID: input.policyID, month: month)
            })
        }
        routes.on(.paymentBatches) { req in try JSONResponse.make(try await req.incentives.batches(policyID: req.queryString("policy"))) }
        routes.on(.paymentBatchApprove) { req in
            try JSONResponse.make(try await req.incentives.approve(batchID: try req.parameter("id"), expected: try Self.confirmation(req)))
        }
        routes.on(.paymentBatchPaid) { req in
            try JSONResponse.make(try await req.incentives.markPaid(batchID: try req.parameter("id"), expected: try Self.confirmation(req)))
        }
        routes.on(.paymentBatchExport) { req in
            let format = try CensusController.sheetFormat(req)
            let id = try req.parameter("id")
            let url = CensusController.tempFile(req, format)
            try await req.incentives.export(batchID: id, to: url, format: format)
            let number = try await req.incentives.batch(id).number
            return try await CensusController.download(req, url: url, fileName: "发放名单-\(number).\(format.rawValue)", format: format)
        }
        routes.on(.paymentLine) { req in try JSONResponse.make(try await req.incentives.line(id: try req.parameter("id"))) }
        routes.on(.ledger) { req in
            try JSONResponse.make(try await req.incentives.ledger(policyID: req.queryString("policy"), byRegion: req.queryString("byRegion") == "true"))
        }
    }

    /// `?lines=&totalFen=`: what the caller confirmed, when both are given.
    static func confirmation(_ req: Request) throws -> BatchConfirmation? {
        guard req.queryString("lines") != nil || req.queryString("totalFen") != nil else { return nil }
        return BatchConfirmation(lines: try req.queryInt("lines", default: -1), totalFen: try req.queryInt("totalFen", default: -1))
    }
}
