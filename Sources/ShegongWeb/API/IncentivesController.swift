import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Incentive programmes through the API (issue #4). Who acts is named in the body until accounts
/// arrive with issue #3.
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
        var date: String?
    }
    struct Review: Codable {
        var action: String
        var reviewer: String
        var reason: String?
    }
    struct Run: Codable {
        var policyID: String
        var month: String
    }
    struct Actor: Codable {
        var actor: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.policies) { req in
            try JSONResponse.make(try await PolicyStore(db: req.db).list())
        }
        routes.on(.policy) { req in
            let id = try req.parameter("id")
            guard let policy = try await PolicyStore(db: req.db).policy(id: id) else { throw StoreError.notFound("政策 \(id) ") }
            return try JSONResponse.make(PolicyAnswer(policy: policy, yaml: policy.yamlText))
        }
        routes.on(.policyCheck) { req in
            let policy = try await Self.checked(req)
            return try JSONResponse.make(["id": policy.id, "name": policy.name, "versions": String(policy.versions.count)])
        }
        routes.on(.policyLoad) { req in
            let text = req.body.string ?? ""
            _ = try await Self.checked(req)
            let policy = try await PolicyStore(db: req.db).load(yaml: text, actor: "api")
            req.logger.notice("policy \(policy.id) loaded through the API")
            return try JSONResponse.make(PolicyAnswer(policy: policy, yaml: text), status: .created)
        }
        routes.on(.policySimulation) { req in
            let draft = try await Self.checked(req)
            let month = try req.queryString("month").map {
                guard let m = CivilMonth(iso: $0) else { throw APIError.badRequest("request.query", "month 须为 YYYY-MM", field: "month") }
                return m
            } ?? CivilMonth(CivilDate.today())
            let levels: [String: RegionLevel] = ["province": .province, "city": .city, "county": .county, "township": .township]
            guard let level = levels[req.queryString("by") ?? "county"] else {
                throw APIError.badRequest("request.query", "by 须为 province、city、county 或 township", field: "by")
            }
            let rows = try await IncentiveLedger(db: req.db, cipher: req.cipher).simulate(draft: draft, month: month, groupLevel: level)
            return try JSONResponse.make(rows)
        }
        routes.on(.eligibility) { req in
            let date = try CertificatesController.date(req, "date") ?? CivilDate.today()
            return try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher)
                .eligibility(personID: try req.parameter("id"), on: date))
        }
        routes.on(.applications) { req in
            try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher)
                .applications(status: req.queryString("status"), policyID: req.queryString("policy")))
        }
        routes.on(.applicationCreate) { req in
            let input = try req.content.decode(NewApplication.self)
            let date = try input.date.map {
                guard let d = CivilDate(censusText: $0) else { throw APIError.badRequest("application.date", "date 须为 YYYY-MM-DD", field: "date") }
                return d
            } ?? CivilDate.today()
            let info = try await IncentiveLedger(db: req.db, cipher: req.cipher).apply(
                personID: input.personID, policyID: input.policyID, certificateNumber: input.certificateNumber,
                applicant: input.applicant, on: date)
            return try JSONResponse.make(info, status: .created)
        }
        routes.on(.applicationReview) { req in
            let input = try req.content.decode(Review.self)
            guard let action = IncentiveLedger.ReviewAction(rawValue: input.action) else {
                throw APIError.badRequest("review.action", "action 须为 approve、reject 或 return", field: "action")
            }
            return try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher).review(
                applicationID: try req.parameter("id"), action: action, reviewer: input.reviewer, reason: input.reason))
        }
        routes.on(.allowanceRun) { req in
            let input = try req.content.decode(Run.self)
            guard let month = CivilMonth(iso: input.month) else { throw APIError.badRequest("allowance.month", "month 须为 YYYY-MM", field: "month") }
            return try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher).runAllowance(policyID: input.policyID, month: month))
        }
        routes.on(.paymentBatches) { req in
            try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher).batches(policyID: req.queryString("policy")))
        }
        routes.on(.paymentBatchApprove) { req in
            let actor = (try? req.content.decode(Actor.self).actor) ?? nil
            return try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher)
                .approve(batchID: try req.parameter("id"), approver: actor ?? "api"))
        }
        routes.on(.paymentBatchPaid) { req in
            let actor = (try? req.content.decode(Actor.self).actor) ?? nil
            return try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher)
                .markPaid(batchID: try req.parameter("id"), actor: actor ?? "api"))
        }
        routes.on(.paymentBatchExport) { req in
            let format = try CensusController.sheetFormat(req)
            let url = CensusController.tempFile(format)
            let id = try req.parameter("id")
            try await IncentiveLedger(db: req.db, cipher: req.cipher).exportBatch(batchID: id, to: url, format: format)
            return try await CensusController.download(req, url: url, fileName: "发放名单-\(id.prefix(8)).\(format.rawValue)", format: format)
        }
        routes.on(.ledger) { req in
            try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher)
                .totals(policyID: req.queryString("policy"), byRegion: req.queryString("byRegion") == "true"))
        }
    }

    /// The request body as a policy file, with every error reported (422) and nothing activated.
    static func checked(_ req: Request) async throws -> IncentivePolicy {
        switch try await PolicyStore(db: req.db).check(yaml: req.body.string ?? "") {
        case .success(let policy): return policy
        case .failure(let errors):
            throw APIError(status: .unprocessableEntity, code: "policy.invalid", message: "政策文件有 \(errors.errors.count) 处错误",
                           details: errors.errors.map { .init(field: $0.path, row: $0.line, code: $0.code, message: $0.message) })
        }
    }
}
