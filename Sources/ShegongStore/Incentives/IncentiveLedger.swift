import Crypto
import FluentKit
import Foundation
import SQLKit
import ShegongDomain

public struct ApplicationInfo: Codable, Sendable, Equatable {
    public var id: String
    public var personID: String
    public var policyID: String
    public var level: String
    public var certificateNumber: String
    public var amountFen: Int
    public var status: ApplicationStatus
    /// The review level now due (e.g. `township`), nil when decided.
    public var awaiting: String?
    public var applicant: String
    /// The account that submitted it (nil for applications entered before four eyes): it may not approve it.
    public var submittedBy: String?
    /// The day the application was entered (the server's date).
    public var submittedOn: String
    /// A paper application entered late by an office: the date on the paper, and why it came late.
    public var paperDate: String?
    public var paperReason: String?
    public var reason: String?
    public var decision: EligibilityDecision
    /// The applicant's name, so pages name the application by its person, never by its id.
    public var personName: String? = nil
}

/// A paper application an office enters after the day it was handed in: the window is checked
/// against the paper's date, which is recorded with the reason (never the entry date).
public struct PaperApplication: Sendable, Equatable {
    public var date: CivilDate
    public var reason: String

    public init(date: CivilDate, reason: String) {
        self.date = date
        self.reason = reason
    }
}

public struct PaymentBatchInfo: Codable, Sendable, Equatable {
    public var id: String
    /// The readable number finance staff use (`422826-202611-01`, docs/policies.md "Batch numbers").
    public var number: String
    public var policyID: String
    public var month: String
    public var kind: String
    public var status: PaymentBatchStatus
    public var lines: Int
    public var totalFen: Int
    public var approvedBy: String?
    public var paidBy: String?
}

public struct AllowanceRunResult: Codable, Sendable {
    public var batch: PaymentBatchInfo
    public var considered: Int
    public var added: Int
    public var arrearsAdded: Int
    /// Committed (approved or paid) plus this batch, against the policy's cap for the year; nil without a cap.
    public var budgetWarning: CatalogueMessage?
}

public struct LedgerTotal: Codable, Sendable, Equatable {
    public var policyID: String
    public var month: String?
    public var regionCode: String?
    public var state: PaymentLineState
    public var lines: Int
    public var totalFen: Int
}

/// Applications, allowance runs, payment batches and the ledger (issue #4). Amounts are integer
/// fen throughout. A person is never paid twice for the same policy and month (allowance) or the
/// same policy and level (award): the unique key on payment_lines makes it impossible, and runs
/// insert with ON CONFLICT DO NOTHING so running again changes nothing.
public struct IncentiveLedger: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    /// Allowance runs decide the common shapes in SQL (`AllowanceShapes`); tests turn it off to
    /// compare with the engine deciding everyone.
    public var decideByShape = true

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    func policy(_ id: String) async throws -> IncentivePolicy {
        guard let policy = try await PolicyStore(db: db).policy(id: id) else { throw StoreError.notFound(.policy, id) }
        return policy
    }

    // MARK: Eligibility

    /// Every active policy that could apply to the person on `date`, with explanations.
    public func eligibility(personID: String, on date: CivilDate) async throws -> [EligibilityDecision] {
        guard let snapshot = try await SnapshotBuilder(sql: db.sql).snapshot(personID: personID) else { throw StoreError.notFound(.person) }
        return IncentiveEngine.decisions(policies: try await PolicyStore(db: db).active(), person: snapshot, on: date)
    }

    // MARK: Applications for one-time awards

    /// Submits an application entered on `date`; the window (against the paper's date for a paper
    /// application) and every other rule are checked now, and a refusal carries the explanation.
    /// One application per person, policy and level.
    public func apply(personID: String, policyID: String, certificateNumber: String?, applicant: String,
                      on date: CivilDate, paper: PaperApplication? = nil, now: Date = Date(), submittedBy: String? = nil) async throws -> ApplicationInfo {
        let policy = try await policy(policyID)
        guard policy.kind == .oneTimeAward else {
            throw StoreError(.invalid, code: "application.kind", "\(policy.name)")
        }
        guard let snapshot = try await SnapshotBuilder(sql: db.sql).snapshot(personID: personID) else { throw StoreError.notFound(.person) }
        let certificate = certificateNumber.flatMap { n in snapshot.certificates.first { $0.number == n } }
            ?? snapshot.certificates.max { ($0.level.rank, $0.issueDate) < ($1.level.rank, $1.issueDate) }
        guard let certificate else {
            throw StoreError(.invalid, code: "application.no_certificate",
                             details: [.init(field: "certificateNumber", code: "application.no_certificate", text: .init("application.no_certificate.field"))])
        }
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: snapshot, certificate: certificate, applicationDate: paper?.date ?? date)
        guard decision.eligible else {
            throw StoreError(.invalid, code: "application.ineligible", text: .bilingual(decision.summary),
                             details: decision.failedChecks.map { .init(field: $0.rule.rawValue, code: "rule.\($0.rule.rawValue)", text: .bilingual($0.message)) })
        }
        let id = RecordID.make(), stamp = Timestamp.string(now)
        // ON CONFLICT DO NOTHING, then look: a failed INSERT would abort a PostgreSQL transaction
        // the caller may be in (its audit entry), and two submissions at once must not both land.
        try await db.sql.insert(into: "award_applications")
            .columns("id", "person_id", "policy_id", "level", "certificate_number", "amount_fen", "status", "review_step",
                     "applicant", "submitted_on", "paper_date", "paper_reason", "decision", "reason", "created_at", "updated_at", "submitted_by")
            .values(id, personID, policyID, certificate.level.rawValue, certificate.number, decision.amountFen, ApplicationStatus.submitted.rawValue, 0,
                    applicant, date.description, paper?.date.description, paper?.reason,
                    String(decoding: try Self.jsonEncoder.encode(decision), as: UTF8.self), nil as String?, stamp, stamp, submittedBy)
            .ignoringConflicts(with: ["person_id", "policy_id", "level"])
            .run()
        guard let created = try await application(id: id) else {
            throw StoreError(.conflict, code: "application.duplicate", CatalogueMessage.name(certificate.level), "\(policy.name)")
        }
        return created
    }

    public func application(id: String) async throws -> ApplicationInfo? {
        guard let row = try await db.sql.select().column("*")
            .column(SQLRaw("(SELECT name FROM people WHERE people.id = award_applications.person_id) AS person_name"))
            .from("award_applications").where("id", .equal, id).first() else { return nil }
        var levels = ReviewLevelCache(store: PolicyStore(db: db))
        return try await info(row, levels: &levels)
    }

    /// Applications of people inside `scope`, newest first, a page at a time: the scope is a
    /// condition of the query, so a county sees its newest whatever the rest of the country holds.
    /// The page is the one after application `after` (the last id of the previous page: a keyset
    /// on (created_at, id), which rows added meanwhile cannot shift), else page `page` by offset.
    /// An `after` that names no application is `StoreError.notFound(.application)`.
    public func applications(status: String?, policyID: String?, scope: Scope, after: String? = nil, page: Int = 1, perPage: Int = 200) async throws -> [ApplicationInfo] {
        var cursor: ListCursor?
        if let after {
            guard let row = try await db.sql.select().column("created_at").from("award_applications").where("id", .equal, after).first() else {
                throw StoreError.notFound(.application)
            }
            cursor = ListCursor(list: "applications", key: try row.decode(column: "created_at"), id: after)
        }
        let rows = try await applicationsQuery(status: status, policyID: policyID, scope: scope, after: cursor, page: page, perPage: perPage).all()
        var levels = ReviewLevelCache(store: PolicyStore(db: db))
        var result: [ApplicationInfo] = []
        for row in rows { result.append(try await info(row, levels: &levels)) }
        return result
    }

    /// Newest first by (created_at, id), the order of the `award_applications_list*` indexes.
    func applicationsQuery(status: String?, policyID: String?, scope: Scope, after: ListCursor?, page: Int, perPage: Int) -> SQLSelectBuilder {
        let sql = db.sql
        var query = sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("a")))
            .column(SQLAlias(SQLColumn("name", table: "p"), as: SQLIdentifier("person_name")))
            .from(SQLAlias(SQLIdentifier("award_applications"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "a"), .equal, SQLColumn("id", table: "p"))
            .where(scope.peopleCondition(table: "p"))
        if let status { query = query.where(SQLColumn("status", table: "a"), .equal, SQLBind(status)) }
        if let policyID { query = query.where(SQLColumn("policy_id", table: "a"), .equal, SQLBind(policyID)) }
        let key = Keyset.textKey(SQLColumn("created_at", table: "a"), on: sql), id = Keyset.textKey(SQLColumn("id", table: "a"), on: sql)
        if let after {
            query = Keyset.after(query, key: key, id: id, keyValue: SQLBind(after.key), idValue: SQLBind(after.id), descending: true)
        } else {
            query = query.offset(max(0, page - 1) * perPage)
        }
        return query.orderBy(SQLOrderBy(expression: key, direction: SQLDirection.descending))
            .orderBy(SQLOrderBy(expression: id, direction: SQLDirection.descending)).limit(perPage)
    }

    /// The plan of a first page (tests and docs/lists.md).
    public func applicationsPlan(status: String? = nil, scope: Scope, perPage: Int = 200) async throws -> String {
        try await Keyset.plan(applicationsQuery(status: status, policyID: nil, scope: scope, after: nil, page: 1, perPage: perPage).query, on: db.sql)
    }

    /// The review levels of each policy, each policy file parsed once per call.
    struct ReviewLevelCache {
        let store: PolicyStore
        var levels: [String: [RegionLevel]] = [:]

        mutating func of(_ policyID: String) async throws -> [RegionLevel] {
            if let known = levels[policyID] { return known }
            let found = (try? await store.policy(id: policyID)?.reviewLevels) ?? []
            levels[policyID] = found
            return found
        }
    }

    private func info(_ row: any SQLRow, levels cache: inout ReviewLevelCache) async throws -> ApplicationInfo {
        let policyID: String = try row.decode(column: "policy_id")
        let status: ApplicationStatus = try row.decode(column: "status")
        let step: Int = try row.decode(column: "review_step")
        let levels = try await cache.of(policyID)
        return ApplicationInfo(
            id: try row.decode(column: "id"), personID: try row.decode(column: "person_id"), policyID: policyID,
            level: try row.decode(column: "level"), certificateNumber: try row.decode(column: "certificate_number"),
            amountFen: try row.decode(column: "amount_fen", as: Int.self), status: status,
            awaiting: status == .submitted && step < levels.count ? levels[step].englishName.lowercased() : nil,
            applicant: try row.decode(column: "applicant"), submittedBy: try row.decode(column: "submitted_by", as: String?.self), submittedOn: try row.decode(column: "submitted_on"),
            paperDate: try row.decode(column: "paper_date"), paperReason: try row.decode(column: "paper_reason"),
            reason: try row.decode(column: "reason"),
            decision: try JSONDecoder().decode(EligibilityDecision.self, from: Data((try row.decode(column: "decision", as: String.self)).utf8)),
            personName: (try? row.decode(column: "person_name", as: String?.self)) ?? nil)
    }

    public enum ReviewAction: String, Codable, Sendable, CaseIterable { case approve, reject, `return` }

    /// One review step. Approval at the last level the policy names grants the award: a payment
    /// line in the policy's award batch for the month. The step is claimed with a conditional
    /// UPDATE, so two reviewers acting at once cannot both approve.
    public func review(applicationID: String, action: ReviewAction, reviewer: String, reason: String?, now: Date = Date()) async throws -> ApplicationInfo {
        guard let current = try await application(id: applicationID) else { throw StoreError.notFound(.application) }
        guard current.status == .submitted else {
            throw StoreError(.conflict, code: "application.decided", CatalogueMessage.name(current.status))
        }
        if action != .approve, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError(.invalid, code: "review.reason",
                             details: [.init(field: "reason", code: "review.reason", text: .init("review.reason.field"))])
        }
        let policy = try await policy(current.policyID)
        let stamp = Timestamp.string(now)
        let today = CivilDate.today(now: now)
        let row = try await db.sql.select().column("review_step").from("award_applications").where("id", .equal, applicationID).first()
        let step: Int = try row!.decode(column: "review_step")
        let final = step + 1 >= policy.reviewLevels.count
        let newStatus: ApplicationStatus
        switch action {
        case .approve: newStatus = final ? .approved : .submitted
        case .reject: newStatus = .rejected
        case .return: newStatus = .returned
        }
        let level = step < policy.reviewLevels.count ? policy.reviewLevels[step].englishName.lowercased() : "final"
        try await db.transaction { tx in
            let claimed = try await tx.sql.update("award_applications")
                .set("status", to: newStatus.rawValue).set("review_step", to: action == .approve ? step + 1 : step)
                .set("reason", to: reason).set("updated_at", to: stamp)
                .where("id", .equal, applicationID).where("status", .equal, ApplicationStatus.submitted.rawValue).where("review_step", .equal, step)
                .returning("id").all()
            guard !claimed.isEmpty else {
                throw StoreError(.conflict, code: "application.concurrent")
            }
            try await tx.sql.insert(into: "application_reviews").columns("application_id", "step", "level", "reviewer", "action", "reason", "at")
                .values(applicationID, step, level, reviewer, action.rawValue, reason, stamp).run()
            if action == .approve && final {
                let batch = try await self.batch(policy: policy, month: CivilMonth(today), kind: "award", on: tx.sql, now: now)
                try await Self.addRunner(reviewer, batchID: batch, on: tx.sql, now: now)
                let region = try await tx.sql.select().column("region_code").from("people").where("id", .equal, current.personID).first()
                try await tx.sql.insert(into: "payment_lines")
                    .columns("id", "batch_id", "policy_id", "person_id", "region_code", "kind", "month", "level", "amount_fen", "state",
                             "dedupe_key", "application_id", "explanation", "created_at")
                    .values(RecordID.make(), batch, policy.id, current.personID, try region!.decode(column: "region_code", as: String.self),
                            "award", nil as String?, current.level, current.amountFen, PaymentLineState.approved.rawValue, "award:\(current.level)", applicationID,
                            String(decoding: try Self.jsonEncoder.encode(current.decision), as: UTF8.self), stamp)
                    .run()
            }
        }
        return try await application(id: applicationID)!
    }

    /// A returned application goes back to the first review level once corrected.
    public func resubmit(applicationID: String, now: Date = Date()) async throws -> ApplicationInfo {
        let updated = try await db.sql.update("award_applications").set("status", to: ApplicationStatus.submitted.rawValue).set("review_step", to: 0)
            .set("updated_at", to: Timestamp.string(now))
            .where("id", .equal, applicationID).where("status", .equal, ApplicationStatus.returned.rawValue).returning("id").all()
        guard !updated.isEmpty else { throw StoreError(.conflict, code: "application.not_returned") }
        return try await application(id: applicationID)!
    }

    // MARK: Monthly allowance runs

    /// Computes a month's allowance from the registry as it stood in that month, with arrears for
    /// earlier months a late-entered certificate makes owed. Lines already on file are left alone,
    /// so a second run changes nothing; an approved batch is never recomputed.
    public func runAllowance(policyID: String, month: CivilMonth, now: Date = Date(), runBy: String? = nil) async throws -> AllowanceRunResult {
        let policy = try await policy(policyID)
        guard policy.kind == .monthlyAllowance else {
            throw StoreError(.invalid, code: "allowance.kind", "\(policy.name)")
        }
        guard policy.isInForce(during: month) else {
            throw StoreError(.invalid, code: "allowance.not_in_force", "\(policy.name)", "\(month)")
        }
        guard let jurisdiction = try await RegionStore(db).region(code: policy.jurisdiction.value) else {
            throw StoreError.notFound(.region, policy.jurisdiction.value)
        }
        let stamp = Timestamp.string(now)
        let firstMonth = policy.versions.first.map { CivilMonth($0.from) } ?? month
        return try await db.transaction { tx in
            let batchID = try await self.batch(policy: policy, month: month, kind: "allowance", on: tx.sql, now: now)
            if let runBy { try await Self.addRunner(runBy, batchID: batchID, on: tx.sql, now: now) }
            let status = try await tx.sql.select().column("status").from("payment_batches").where("id", .equal, batchID).first()!
                .decode(column: "status", as: PaymentBatchStatus.self)
            guard status == .draft else {
                throw StoreError(.conflict, code: "allowance.batch_closed", text: .init("allowance.batch_closed.\(status.rawValue)", "\(month)"))
            }
            var added = 0, arrears = 0
            // The common case in SQL by shape; the engine person by person for everyone else (`AllowanceShapes`).
            let ids: [String], considered: Int
            if decideByShape, let shapes = AllowanceShapes(policy: policy, month: month, jurisdiction: jurisdiction) {
                considered = try await Self.holderCount(in: jurisdiction, postCategories: policy.possiblePostCategories, on: tx.sql)
                let before = try await Self.lineCount(batchID: batchID, on: tx.sql)
                let revision = try await tx.sql.select().column(SQLFunction("MAX", args: SQLColumn("id")), as: "id")
                    .from("incentive_policy_revisions").where("policy_id", .equal, policyID).first()?.decode(column: "id", as: Int?.self)
                try await shapes.insertLines(batchID: batchID, revision: revision, stamp: stamp, on: tx.sql)
                added = try await Self.lineCount(batchID: batchID, on: tx.sql) - before
                ids = try await shapes.slowPersonIDs(firstMonth: firstMonth, on: tx.sql)
            } else {
                ids = try await Self.holderIDs(in: jurisdiction, postCategories: policy.possiblePostCategories, on: tx.sql)
                considered = ids.count
            }
            // Each chunk: read its snapshots and paid months, decide on every core, then write its
            // lines while the next chunk is read and decided (one connection: reads wait for the write).
            var pendingWrite: Task<Void, any Error>?
            var start = 0
            do {
                while start < ids.count {
                    let chunk = Array(ids[start..<min(ids.count, start + 2_000)])
                    start += chunk.count
                    let snapshots = try await SnapshotBuilder(sql: tx.sql).snapshots(personIDs: chunk)
                    var paid: [String: Set<CivilMonth>] = [:]
                    for row in try await tx.sql.select().columns("person_id", "month").from("payment_lines")
                        .where("policy_id", .equal, policyID).where("person_id", .in, chunk).where("month", .isNot, SQLLiteral.null)
                        .where("state", .notEqual, PaymentLineState.rejected.rawValue).all() {
                        if let m = CivilMonth(iso: try row.decode(column: "month")) { paid[try row.decode(column: "person_id"), default: []].insert(m) }
                    }
                    let people = chunk.compactMap { id in snapshots[id].map { ($0, paid[id] ?? []) } }
                    let decided = try await Self.decideInParallel(people, policy: policy, month: month, firstMonth: firstMonth,
                                                                  batchID: batchID, stamp: stamp)
                    added += decided.added
                    arrears += decided.arrears
                    try await pendingWrite?.value
                    let rows = decided.rows
                    pendingWrite = rows.isEmpty ? nil : Task {
                        var builder = tx.sql.insert(into: "payment_lines")
                            .columns("id", "batch_id", "policy_id", "person_id", "region_code", "kind", "month", "level", "amount_fen", "state",
                                     "dedupe_key", "application_id", "explanation", "created_at")
                        for row in rows { builder = builder.values(row) }
                        try await builder.ignoringConflicts(with: ["policy_id", "person_id", "dedupe_key"]).run()
                    }
                }
                try await pendingWrite?.value
            } catch {
                // Never leave a write running on the transaction's connection while it rolls back.
                _ = try? await pendingWrite?.value
                throw error
            }
            let info = try await Self.batchInfo(id: batchID, on: tx.sql)
            let warning = try await Self.budgetWarning(policy: policy, month: month, pendingFen: info.totalFen, on: tx.sql)
            return AllowanceRunResult(batch: info, considered: considered, added: added, arrearsAdded: arrears, budgetWarning: warning)
        }
    }

    static func holderCount(in jurisdiction: Region, postCategories: Set<PostCategory>?, on sql: any SQLDatabase) async throws -> Int {
        try await holderQuery(in: jurisdiction, postCategories: postCategories, on: sql, count: true).first()!.decode(column: "n", as: Int.self)
    }

    static func lineCount(batchID: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("payment_lines")
            .where("batch_id", .equal, batchID).where("kind", .equal, "allowance").first()!.decode(column: "n", as: Int.self)
    }

    /// Candidates of an incentive: certificate holders working in the jurisdiction's subtree and,
    /// when the policy names the only post categories that qualify, who have held one of them.
    static func holderIDs(in jurisdiction: Region, postCategories: Set<PostCategory>? = nil, on sql: any SQLDatabase) async throws -> [String] {
        try await holderQuery(in: jurisdiction, postCategories: postCategories, on: sql, count: false).orderBy("id").all().map { try $0.decode(column: "id") }
    }

    static func holderQuery(in jurisdiction: Region, postCategories: Set<PostCategory>?, on sql: any SQLDatabase, count: Bool) -> SQLSelectBuilder {
        var query = sql.select().from("people").where("certificate_level", .isNot, SQLLiteral.null)
        query = count ? query.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n") : query.column("id")
        if let column = RegionPath.column(for: jurisdiction.level) { query = query.where(SQLColumn(column), .equal, SQLBind(jurisdiction.code)) }
        if let categories = postCategories {
            query = query.where(SQLQueryString(
                "EXISTS (SELECT 1 FROM employments e WHERE e.person_id = people.id AND e.post_category IN (\(binds: categories.map(\.rawValue).sorted())))"))
        }
        return query
    }

    struct Decided: Sendable {
        var rows: [[any Encodable & Sendable]] = []
        var added = 0
        var arrears = 0
    }

    /// The month's line (and arrears) of each person, split over the machine's cores: the engine
    /// and the JSON explanations are the CPU-bound part of a run.
    static func decideInParallel(_ people: [(PersonSnapshot, Set<CivilMonth>)], policy: IncentivePolicy, month: CivilMonth,
                                 firstMonth: CivilMonth, batchID: String, stamp: String) async throws -> Decided {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, people.count / 250))
        let size = (people.count + parts - 1) / max(parts, 1)
        return try await withThrowingTaskGroup(of: (Int, Decided).self) { group in
            for part in 0..<parts {
                let slice = Array(people[min(people.count, part * size)..<min(people.count, (part + 1) * size)])
                group.addTask {
                    var decided = Decided()
                    let encoder = JSONEncoder()   // one per task: the same settings as `jsonEncoder`
                    encoder.outputFormatting = jsonEncoder.outputFormatting
                    for (person, paidMonths) in slice {
                        let region = person.regionPath.last?.value ?? ""
                        var decisions: [(EligibilityDecision, String)] = []
                        let current = IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: month)
                        if current.eligible, !paidMonths.contains(month) { decisions.append((current, "allowance")) }
                        if month > firstMonth {
                            for owed in IncentiveEngine.monthsOwed(policy: policy, person: person, from: firstMonth,
                                                                   through: month.adding(months: -1), paidMonths: paidMonths) {
                                decisions.append((owed, "arrears"))
                            }
                        }
                        for (decision, kind) in decisions {
                            let m = decision.month ?? month
                            decided.rows.append([RecordID.make(), batchID, policy.id, person.id, region, kind, m.description,
                                                 decision.certificate?.level.rawValue, decision.amountFen, PaymentLineState.draft.rawValue, "month:\(m)", nil as String?,
                                                 String(decoding: try encoder.encode(decision), as: UTF8.self), stamp])
                            if kind == "allowance" { decided.added += 1 } else { decided.arrears += 1 }
                        }
                    }
                    return (part, decided)
                }
            }
            var results: [(Int, Decided)] = []
            for try await result in group { results.append(result) }
            var all = Decided()
            for (_, part) in results.sorted(by: { $0.0 < $1.0 }) {
                all.rows += part.rows
                all.added += part.added
                all.arrears += part.arrears
            }
            return all
        }
    }

    /// The batch of a policy, month and kind, created as a draft when missing, numbered after the
    /// batches of the same jurisdiction and month (`BatchNumberFormat`, docs/policies.md).
    func batch(policy: IncentivePolicy, month: CivilMonth, kind: String, on sql: any SQLDatabase, now: Date) async throws -> String {
        func existing() async throws -> String? {
            try await sql.select().column("id").from("payment_batches").where("policy_id", .equal, policy.id)
                .where("month", .equal, month.description).where("kind", .equal, kind).first()?.decode(column: "id")
        }
        if let id = try await existing() { return id }
        let numbered = try await sql.raw("""
            SELECT COUNT(*) AS n FROM payment_batches b JOIN incentive_policies p ON p.id = b.policy_id
            WHERE p.jurisdiction = \(bind: policy.jurisdiction.value) AND b.month = \(bind: month.description)
            """).first()!.decode(column: "n", as: Int.self)
        let number = BatchNumberFormat.number(jurisdiction: policy.jurisdiction.value, month: month.description, sequence: numbered + 1)
        try await sql.insert(into: "payment_batches").columns("id", "policy_id", "month", "kind", "status", "created_at", "number")
            .values(RecordID.make(), policy.id, month.description, kind, PaymentBatchStatus.draft.rawValue, Timestamp.string(now), number)
            .ignoringConflicts(with: ["policy_id", "month", "kind"]).run()
        return try await existing()!
    }

    /// Records that `username` put lines into a batch (a run, a final approval): four eyes keeps
    /// them from approving it.
    static func addRunner(_ username: String, batchID: String, on sql: any SQLDatabase, now: Date) async throws {
        try await sql.insert(into: "payment_batch_runners").columns("batch_id", "username", "first_at")
            .values(batchID, username, Timestamp.string(now)).ignoringConflicts(with: ["batch_id", "username"]).run()
    }

    static func batchInfo(id: String, on sql: any SQLDatabase) async throws -> PaymentBatchInfo {
        guard let info = try await batchInfoIfAny(id: id, on: sql) else { throw StoreError.notFound(.batch) }
        return info
    }

    static func batchInfoIfAny(id: String, on sql: any SQLDatabase) async throws -> PaymentBatchInfo? {
        guard let row = try await sql.select().column("*").from("payment_batches").where("id", .equal, id).first() else { return nil }
        let totals = try await sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .column(SQLAlias(SQLRaw("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)"), as: SQLIdentifier("total")))
            .from("payment_lines").where("batch_id", .equal, id).where("state", .notEqual, PaymentLineState.rejected.rawValue).first()!
        return PaymentBatchInfo(id: id, number: try Self.number(row, id: id), policyID: try row.decode(column: "policy_id"), month: try row.decode(column: "month"),
                                kind: try row.decode(column: "kind"), status: try row.decode(column: "status"),
                                lines: try totals.decode(column: "n", as: Int.self), totalFen: try totals.decode(column: "total", as: Int.self),
                                approvedBy: try row.decode(column: "approved_by"), paidBy: try row.decode(column: "paid_by", as: String?.self))
    }

    /// The stored number; a batch without one (none after migration 0058) shows its id's start.
    static func number(_ row: any SQLRow, id: String) throws -> String {
        try row.decode(column: "number", as: String?.self) ?? String(id.prefix(8))
    }

    /// One batch with its totals, or nil.
    public func batch(id: String) async throws -> PaymentBatchInfo? {
        try await Self.batchInfoIfAny(id: id, on: db.sql)
    }

    /// The batches of `policyIDs`, newest month first, in one query, each counted over the lines of
    /// people inside `scope` only (a county official sees its part of a city's batch).
    /// `only` narrows it to one batch (its page), so the policy's other batches are not summed.
    public func batches(policyIDs: Set<String>, scope: Scope, only batchID: String? = nil) async throws -> [PaymentBatchInfo] {
        guard !policyIDs.isEmpty else { return [] }
        let oneBatch: SQLQueryString = batchID.map { "AND b.id = \(bind: $0)" } ?? ""
        let sorted = policyIDs.sorted()
        let totals: SQLQueryString = """
            SELECT l.batch_id, COUNT(*) AS n, CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT) AS total
            FROM payment_lines l JOIN people p ON p.id = l.person_id JOIN payment_batches lb ON lb.id = l.batch_id
            WHERE l.state <> \(bind: PaymentLineState.rejected.rawValue) AND lb.policy_id IN (\(binds: sorted)) AND \(scope.peopleCondition(table: "p"))
            \(batchID.map { SQLQueryString("AND l.batch_id = \(bind: $0)") } ?? "")
            GROUP BY l.batch_id
            """
        let rows = try await db.sql.raw("""
            SELECT b.id, b.number, b.policy_id, b.month, b.kind, b.status, b.approved_by, b.paid_by,
                   CAST(COALESCE(t.n, 0) AS BIGINT) AS n, CAST(COALESCE(t.total, 0) AS BIGINT) AS total
            FROM payment_batches b LEFT JOIN (\(totals)) t ON t.batch_id = b.id
            WHERE b.policy_id IN (\(binds: sorted)) \(oneBatch)
            ORDER BY b.month DESC, b.policy_id, b.kind
            """).all()
        return try rows.map { row in
            PaymentBatchInfo(id: try row.decode(column: "id"), number: try Self.number(row, id: try row.decode(column: "id")),
                             policyID: try row.decode(column: "policy_id"), month: try row.decode(column: "month"),
                             kind: try row.decode(column: "kind"), status: try row.decode(column: "status"),
                             lines: try row.decode(column: "n", as: Int.self), totalFen: try row.decode(column: "total", as: Int.self),
                             approvedBy: try row.decode(column: "approved_by"), paidBy: try row.decode(column: "paid_by", as: String?.self))
        }
    }

    /// Every batch with its whole totals (operator commands on the server).
    public func batches(policyID: String?) async throws -> [PaymentBatchInfo] {
        var query = db.sql.select().column("id").from("payment_batches")
        if let policyID { query = query.where("policy_id", .equal, policyID) }
        var result: [PaymentBatchInfo] = []
        for row in try await query.orderBy("month", .descending).all() {
            result.append(try await Self.batchInfo(id: try row.decode(column: "id"), on: db.sql))
        }
        return result
    }

    /// Approves a draft batch and its lines. Claimed with a conditional UPDATE: approving twice,
    /// or two reviewers at once, approves once; the second gets a conflict.
    public func approve(batchID: String, approver: String, now: Date = Date()) async throws -> PaymentBatchInfo {
        try await transition(batchID: batchID, from: .draft, to: .approved, lineState: (.draft, .approved), actor: approver, now: now)
    }

    /// Records that the bank has paid an approved batch.
    public func markPaid(batchID: String, actor: String, now: Date = Date()) async throws -> PaymentBatchInfo {
        try await transition(batchID: batchID, from: .approved, to: .paid, lineState: (.approved, .paid), actor: actor, now: now)
    }

    private func transition(batchID: String, from: PaymentBatchStatus, to: PaymentBatchStatus, lineState: (PaymentLineState, PaymentLineState),
                            actor: String, now: Date) async throws -> PaymentBatchInfo {
        let stamp = Timestamp.string(now)
        return try await db.transaction { tx in
            var update = tx.sql.update("payment_batches").set("status", to: to.rawValue)
            update = to == .approved ? update.set("approved_at", to: stamp).set("approved_by", to: actor)
                : update.set("paid_at", to: stamp).set("paid_by", to: actor)
            let claimed = try await update.where("id", .equal, batchID).where("status", .equal, from.rawValue).returning("id").all()
            guard !claimed.isEmpty else {
                guard let info = try? await Self.batchInfo(id: batchID, on: tx.sql) else { throw StoreError.notFound(.batch) }
                throw StoreError(.conflict, code: "batch.state", CatalogueMessage.name(info.status), CatalogueMessage.name(to))
            }
            try await tx.sql.update("payment_lines").set("state", to: lineState.1.rawValue)
                .where("batch_id", .equal, batchID).where("state", .equal, lineState.0.rawValue).run()
            return try await Self.batchInfo(id: batchID, on: tx.sql)
        }
    }

    /// The payment list for the finance office: masked IDs, one line per payment, the total and a
    /// SHA-256 checksum over the lines so a changed file is detected.
    @discardableResult
    /// Only the lines of people inside `scope` are written (the whole batch for the office that
    /// runs the policy, whose region contains its jurisdiction).
    public func exportBatch(batchID: String, scope: Scope, to url: URL, format: SpreadsheetFormat) async throws -> (lines: Int, totalFen: Int, checksum: String) {
        let info = try await Self.batchInfo(id: batchID, on: db.sql)
        let rows = try await payableLines(batchID: batchID, scope: scope).all()
        let sink = try CensusSink(url: url, format: format, sheetName: "发放名单")
        // The region by name for the finance office, its code beside it for systems that match on codes.
        try sink.write(["序号", "姓名", "身份证号", "所在地区", "地区代码", "类型", "月份", "证书等级", "金额", "状态"].map { .text($0) })
        var hasher = SHA256()
        var total = 0
        for (i, row) in rows.enumerated() {
            let amount: Int = try row.decode(column: "amount_fen")
            total += amount
            let cells: [String] = [try row.decode(column: "name"), try row.decode(column: "id_masked"),
                                   try row.decode(column: "region_name", as: String?.self) ?? "", try row.decode(column: "region_code"),
                                   Self.kindName(try row.decode(column: "kind")), try row.decode(column: "month", as: String?.self) ?? "",
                                   try row.decode(column: "level", as: String?.self) ?? "", MoneyText.text(fen: amount, language: .zhHans),
                                   Self.lineStateName(try row.decode(column: "state"))]
            hasher.update(data: Data(((try row.decode(column: "id", as: String.self)) + "|" + cells.joined(separator: "|") + "\n").utf8))
            try sink.write([.number(Double(i + 1), raw: String(i + 1))] + cells.map { .text($0) })
        }
        let checksum = PersonalDataCipher.hex(hasher.finalize())
        try sink.write([.text("合计"), .text("\(rows.count) 笔"), .empty, .empty, .empty, .empty, .text(info.month), .empty, .text(MoneyText.text(fen: total, language: .zhHans)), .empty])
        try sink.write([.text("合计（大写）"), .text(MoneyText.capital(fen: total))])
        try sink.write([.text("批次编号"), .text(info.number)])
        try sink.write([.text("校验码"), .text("SHA-256 \(checksum)")])
        try sink.close()
        return (rows.count, total, checksum)
    }

    /// A line's state as the (Chinese) payment list names it.
    static func lineStateName(_ state: String) -> String {
        PaymentLineState(rawValue: state).map { Catalogue.text($0.catalogueKey, .zhHans) } ?? state
    }

    static func kindName(_ kind: String) -> String {
        switch kind {
        case "allowance": return "月度津贴"
        case "arrears": return "补发津贴"
        case "award": return "一次性奖励"
        default: return kind
        }
    }

    // MARK: Ledger

    /// Totals by policy, month and state (and region when asked) of `policyIDs`, over the lines of
    /// people inside `scope` only.
    public func totals(policyIDs: Set<String>, scope: Scope, byRegion: Bool) async throws -> [LedgerTotal] {
        guard !policyIDs.isEmpty else { return [] }
        let groupColumns = byRegion ? "l.policy_id, b.month, l.region_code, l.state" : "l.policy_id, b.month, l.state"
        let query = db.sql.select().column(SQLRaw(groupColumns))
            .column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .column(SQLAlias(SQLRaw("CAST(SUM(l.amount_fen) AS BIGINT)"), as: SQLIdentifier("total")))
            .from(SQLAlias(SQLIdentifier("payment_lines"), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier("payment_batches"), as: SQLIdentifier("b")), on: SQLColumn("batch_id", table: "l"), .equal, SQLColumn("id", table: "b"))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "l"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("policy_id", table: "l"), .in, SQLBind.group(policyIDs.sorted()))
            .where(scope.peopleCondition(table: "p"))
        return try await query.groupBy(SQLRaw(groupColumns)).orderBy(SQLRaw(groupColumns)).all().map {
            LedgerTotal(policyID: try $0.decode(column: "policy_id"), month: try $0.decode(column: "month"),
                        regionCode: byRegion ? try $0.decode(column: "region_code") : nil, state: try $0.decode(column: "state"),
                        lines: try $0.decode(column: "n", as: Int.self), totalFen: try $0.decode(column: "total", as: Int.self))
        }
    }

    /// A warning when committed spending plus `pendingFen` crosses the policy's budget cap for the year.
    static func budgetWarning(policy: IncentivePolicy, month: CivilMonth, pendingFen: Int, on sql: any SQLDatabase) async throws -> CatalogueMessage? {
        guard let cap = policy.version(on: month.firstDay)?.budgetCap else { return nil }
        let committed = try await sql.select().column(SQLAlias(SQLRaw("CAST(COALESCE(SUM(l.amount_fen), 0) AS BIGINT)"), as: SQLIdentifier("total")))
            .from(SQLAlias(SQLIdentifier("payment_lines"), as: SQLIdentifier("l")))
            .join(SQLAlias(SQLIdentifier("payment_batches"), as: SQLIdentifier("b")), on: SQLColumn("batch_id", table: "l"), .equal, SQLColumn("id", table: "b"))
            .where(SQLColumn("policy_id", table: "l"), .equal, SQLBind(policy.id))
            .where(SQLColumn("state", table: "l"), .in, SQLBind.group(PaymentLineState.committed.map(\.rawValue)))
            .where(SQLColumn("month", table: "b"), .like, SQLBind("\(month.year)-%")).first()!.decode(column: "total", as: Int.self)
        guard committed + pendingFen > cap.amountFen else { return nil }
        return CatalogueMessage("allowance.budget_warning", String(month.year), PolicyMoney.yuanText(fen: committed),
                                PolicyMoney.yuanText(fen: pendingFen), PolicyMoney.yuanText(fen: cap.amountFen))
    }
}

extension IncentiveLedger {
    /// A draft policy (or a change to a live one) evaluated against the registry as it is, side by
    /// side with the live policy of the same id, by region at `groupLevel`. Nothing is written.
    /// Only the people inside `scope` are counted (nil: everyone — operator commands).
    public func simulate(draft: IncentivePolicy, month: CivilMonth, groupLevel: RegionLevel, scope: Scope? = nil) async throws -> [PolicyComparisonRow] {
        let live = try await PolicyStore(db: db).policy(id: draft.id)
        guard let jurisdiction = try await RegionStore(db).region(code: draft.jurisdiction.value) else {
            throw StoreError.notFound(.region, draft.jurisdiction.value)
        }
        // SnapshotBuilder reads in chunks of its own.
        var query = Self.holderQuery(in: jurisdiction, postCategories: nil, on: db.sql, count: false)
        if let scope { query = query.where(scope.peopleCondition(table: "people")) }
        let ids = try await query.orderBy("id").all().map { try $0.decode(column: "id", as: String.self) }
        let people = try await SnapshotBuilder(sql: db.sql).snapshots(personIDs: ids).values.sorted { $0.id < $1.id }
        return PolicySimulation.compare(draft: draft, live: live, people: people, month: month, groupLevel: groupLevel)
    }
}
