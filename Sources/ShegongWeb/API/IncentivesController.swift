import Foundation
import ShegongDomain
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
        var date: String?
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
        routes.on(.policies) { req in
            var visible: [PolicySummary] = []
            for policy in try await PolicyStore(db: req.db).list() where try await req.policyConcernsPrincipal(jurisdiction: policy.jurisdiction) {
                visible.append(policy)
            }
            return try JSONResponse.make(visible)
        }
        routes.on(.policy) { req in
            let policy = try await Self.policy(req, try req.parameter("id"))
            return try JSONResponse.make(PolicyAnswer(policy: policy, yaml: policy.yamlText))
        }
        routes.on(.policyCheck) { req in
            let policy = try await Self.checked(req)
            return try JSONResponse.make(["id": policy.id, "name": policy.name, "versions": String(policy.versions.count)])
        }
        routes.on(.policyLoad) { req in
            let text = req.body.string ?? ""
            let checked = try await Self.checked(req)
            guard try await req.mayManagePolicy(jurisdiction: checked.jurisdiction.value) else {
                throw APIError(status: .forbidden, code: "policy.jurisdiction_outside_scope",
                               message: "政策的适用地区 \(checked.jurisdiction.value) 不在您的管辖范围内（须有该地区的读写权限）")
            }
            let actor = req.actorName
            let policy = try await req.audited(.policyLoad, "policy", details: checked.name, object: { $0.id }) { tx in
                try await PolicyStore(db: tx).load(yaml: text, actor: actor)
            }
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
            let person = try await req.scopedPerson(try req.parameter("id"))
            return try JSONResponse.make(try await IncentiveLedger(db: req.db, cipher: req.cipher).eligibility(personID: person.id, on: date))
        }
        routes.on(.applications) { req in
            let all = try await IncentiveLedger(db: req.db, cipher: req.cipher)
                .applications(status: req.queryString("status"), policyID: req.queryString("policy"))
            let visible = try await req.peopleInScope(Array(Set(all.map(\.personID))))
            return try JSONResponse.make(all.filter { visible.contains($0.personID) })
        }
        routes.on(.applicationCreate) { req in
            let input = try req.content.decode(NewApplication.self)
            let date = try input.date.map {
                guard let d = CivilDate(censusText: $0) else { throw APIError.badRequest("application.date", "date 须为 YYYY-MM-DD", field: "date") }
                return d
            } ?? CivilDate.today()
            // A worker applies for themself, an employer for its staff, an official for people in its region.
            let principal = try req.requirePrincipal()
            let person = try await req.scopedPerson(input.personID, write: principal.role != .socialWorker)
            let cipher = req.cipher
            let info = try await req.audited(.applicationCreate, "application", details: input.policyID, object: { $0.id }) { tx in
                try await IncentiveLedger(db: tx, cipher: cipher).apply(
                    personID: person.id, policyID: input.policyID, certificateNumber: input.certificateNumber,
                    applicant: String(input.applicant.prefix(100)), on: date)
            }
            return try JSONResponse.make(info, status: .created)
        }
        routes.on(.applicationReview) { req in
            let input = try req.content.decode(Review.self)
            guard let action = IncentiveLedger.ReviewAction(rawValue: input.action) else {
                throw APIError.badRequest("review.action", "action 须为 approve、reject 或 return", field: "action")
            }
            let id = try req.parameter("id")
            guard let application = try await IncentiveLedger(db: req.db, cipher: req.cipher).application(id: id) else {
                throw StoreError.notFound("申请")
            }
            _ = try await req.scopedPerson(application.personID, write: true)
            let (cipher, reviewer) = (req.cipher, req.actorName)
            return try JSONResponse.make(try await req.audited(.applicationReview, "application", details: action.rawValue, object: { $0.id }) { tx in
                try await IncentiveLedger(db: tx, cipher: cipher).review(applicationID: id, action: action, reviewer: reviewer, reason: input.reason)
            })
        }
        routes.on(.allowanceRun) { req in
            let input = try req.content.decode(Run.self)
            guard let month = CivilMonth(iso: input.month) else { throw APIError.badRequest("allowance.month", "month 须为 YYYY-MM", field: "month") }
            let policy = try await Self.policy(req, input.policyID, manage: true)
            let cipher = req.cipher
            return try JSONResponse.make(try await req.audited(.allowanceRun, "policy", details: month.description, object: { _ in policy.id }) { tx in
                try await IncentiveLedger(db: tx, cipher: cipher).runAllowance(policyID: policy.id, month: month)
            })
        }
        routes.on(.paymentBatches) { req in
            var visible: [PaymentBatchInfo] = []
            for batch in try await IncentiveLedger(db: req.db, cipher: req.cipher).batches(policyID: req.queryString("policy"))
            where try await Self.policyVisible(req, batch.policyID) {
                visible.append(batch)
            }
            return try JSONResponse.make(visible)
        }
        routes.on(.paymentBatchApprove) { req in
            let batch = try await Self.batch(req, try req.parameter("id"), manage: true)
            let (cipher, actor) = (req.cipher, req.actorName)
            return try JSONResponse.make(try await req.audited(.batchApprove, "payment_batch", object: { $0.id }) { tx in
                try await IncentiveLedger(db: tx, cipher: cipher).approve(batchID: batch.id, approver: actor)
            })
        }
        routes.on(.paymentBatchPaid) { req in
            let batch = try await Self.batch(req, try req.parameter("id"), manage: true)
            let (cipher, actor) = (req.cipher, req.actorName)
            return try JSONResponse.make(try await req.audited(.batchPaid, "payment_batch", object: { $0.id }) { tx in
                try await IncentiveLedger(db: tx, cipher: cipher).markPaid(batchID: batch.id, actor: actor)
            })
        }
        routes.on(.paymentBatchExport) { req in
            let format = try CensusController.sheetFormat(req)
            let url = CensusController.tempFile(format)
            let id = try await Self.batch(req, try req.parameter("id")).id
            let written = try await IncentiveLedger(db: req.db, cipher: req.cipher).exportBatch(batchID: id, to: url, format: format)
            try await req.audit(.batchExport, "payment_batch", id, details: "\(format.rawValue) lines=\(written.lines) total_fen=\(written.totalFen)")
            return try await CensusController.download(req, url: url, fileName: "发放名单-\(id.prefix(8)).\(format.rawValue)", format: format)
        }
        routes.on(.ledger) { req in
            var visible: [LedgerTotal] = []
            for total in try await IncentiveLedger(db: req.db, cipher: req.cipher)
                .totals(policyID: req.queryString("policy"), byRegion: req.queryString("byRegion") == "true")
            where try await Self.policyVisible(req, total.policyID) {
                visible.append(total)
            }
            return try JSONResponse.make(visible)
        }
    }

    /// A policy the principal may see (404 otherwise, audited), or with `manage` one it may run.
    static func policy(_ req: Request, _ id: String, manage: Bool = false) async throws -> IncentivePolicy {
        guard let policy = try await PolicyStore(db: req.db).policy(id: id) else { throw StoreError.notFound("政策 \(id) ") }
        guard try await req.policyConcernsPrincipal(jurisdiction: policy.jurisdiction.value) else {
            throw try await req.outOfScope("policy", id, what: "政策 \(id) ")
        }
        if manage, !(try await req.mayManagePolicy(jurisdiction: policy.jurisdiction.value)) {
            throw APIError(status: .forbidden, code: "policy.jurisdiction_outside_scope",
                           message: "政策 \(id) 的适用地区不在您有读写权限的管辖范围内")
        }
        return policy
    }

    static func policyVisible(_ req: Request, _ id: String) async throws -> Bool {
        guard let policy = try await PolicyStore(db: req.db).policy(id: id) else { return false }
        return try await req.policyConcernsPrincipal(jurisdiction: policy.jurisdiction.value)
    }

    /// A payment batch of a policy the principal may see (or, with `manage`, run).
    static func batch(_ req: Request, _ id: String, manage: Bool = false) async throws -> PaymentBatchInfo {
        guard let batch = try await IncentiveLedger(db: req.db, cipher: req.cipher).batches(policyID: nil).first(where: { $0.id == id }) else {
            throw StoreError.notFound("发放批次")
        }
        _ = try await policy(req, batch.policyID, manage: manage)
        return batch
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
