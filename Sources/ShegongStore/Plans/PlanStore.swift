import Crypto
import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A plan in lists: its period and how its measures stand on a date.
public struct PlanListItem: Codable, Sendable {
    public var id: String
    public var name: String
    public var jurisdiction: String
    public var jurisdictionName: String
    public var periodFrom: String?
    public var periodTo: String
    public var keyTasks: Int
    public var measures: Int
    public var targets: Int

    /// The list entry of a plan already loaded (its counts from its tasks, measures and targets).
    public init(plan: Plan) {
        id = plan.id; name = plan.name; jurisdiction = plan.jurisdiction.value; jurisdictionName = plan.jurisdictionName
        periodFrom = plan.period.from?.description; periodTo = plan.period.to.description
        keyTasks = plan.keyTasks.count; measures = plan.keyTasks.reduce(0) { $0 + $1.measures.count }; targets = plan.targets.count
    }

    init(id: String, name: String, jurisdiction: String, jurisdictionName: String, periodFrom: String?, periodTo: String,
         keyTasks: Int, measures: Int, targets: Int) {
        self.id = id; self.name = name; self.jurisdiction = jurisdiction; self.jurisdictionName = jurisdictionName
        self.periodFrom = periodFrom; self.periodTo = periodTo; self.keyTasks = keyTasks; self.measures = measures; self.targets = targets
    }
}

/// A target as stored, with the plan it belongs to (nil for targets set on their own).
public struct StoredTarget: Sendable {
    public var planID: String?
    public var target: Target
}

/// Plans, key tasks, measures, progress reports and targets. Plans are written once (from a seed
/// file or an import) and read back as the domain's `Plan`, so status, overdue and "who is late"
/// are always the domain's computation on the day asked — never a stored status.
public struct PlanStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    /// The API id of a measure: `plan id:measure id` (`jiuquan-2025:2.2`).
    public static func measureKey(plan: String, measure: String) -> String { "\(plan):\(measure)" }

    /// Writes a plan that is not stored yet (same id: left alone, so reports entered since are kept).
    /// Returns whether it was written.
    @discardableResult
    public func add(_ plan: Plan, now: Date = Date()) async throws -> Bool {
        let issues = PlanLibrary.validate(plan)
        if !issues.isEmpty {
            throw StoreError(.invalid, code: "plan.invalid", "\(plan.name)",
                             details: issues.map { .init(field: $0.location, code: $0.message.code, text: .bilingual($0.message)) })
        }
        return try await db.transaction { tx in
            let sql = tx.sql
            if try await sql.select().column("id").from("plans").where("id", .equal, plan.id).first() != nil { return false }
            let stamp = Timestamp.string(now)
            try await sql.insert(into: "plans")
                .columns("id", "name", "jurisdiction", "jurisdiction_name", "issued_by", "issued", "period_from", "period_to",
                         "source", "source_note", "created_at")
                .values(plan.id, plan.name, plan.jurisdiction.value, plan.jurisdictionName, plan.issuedBy, plan.issued?.description,
                        plan.period.from?.description, plan.period.to.description, plan.source, plan.sourceNote, stamp).run()
            var tasks: [[any Encodable & Sendable]] = []
            var measures: [[any Encodable & Sendable]] = []
            var reports: [[any Encodable & Sendable]] = []
            var position = 0
            for (t, task) in plan.keyTasks.enumerated() {
                tasks.append(["\(plan.id):\(task.id)", plan.id, task.id, t, task.title])
                for measure in task.measures {
                    let key = Self.measureKey(plan: plan.id, measure: measure.id)
                    let (lead, cooperating) = try await Self.departments(of: measure, in: plan.jurisdiction, on: sql, now: now)
                    measures.append([key, plan.id, task.id, measure.id, position, measure.text, lead.name, JSONList.text(cooperating.map(\.name)),
                                     measure.deadline.description, measure.departmentsInferred, measure.note, lead.id,
                                     JSONList.text(cooperating.map(\.id))])
                    position += 1
                    for report in measure.reports {
                        reports.append([RecordID.make(), key, report.date.description, report.text, JSONList.text(report.evidence),
                                        report.completes, "seed", stamp])
                    }
                }
            }
            try await sql.insertChunked(into: "plan_key_tasks", columns: ["id", "plan_id", "task_id", "position", "title"], rows: tasks)
            try await sql.insertChunked(into: "plan_measures", columns: ["id", "plan_id", "task_id", "measure_id", "position", "text", "lead",
                                                                        "cooperating", "deadline", "departments_inferred", "note",
                                                                        "lead_department_id", "cooperating_department_ids"], rows: measures)
            try await sql.insertChunked(into: "measure_reports", columns: ["id", "measure_id", "date", "text", "evidence", "completes",
                                                                          "reported_by", "created_at"], rows: reports)
            for (i, target) in plan.targets.enumerated() {
                try await Self.insert(target, plan: plan.id, position: i, on: sql)
            }
            return true
        }
    }

    /// A measure's lead and cooperating department records: the ones it names by id
    /// (`leadDepartmentID`, `cooperatingDepartmentIDs`, chosen on a form), else by name resolved in
    /// the plan's jurisdiction (`DepartmentStore.resolve`: plans read from files).
    static func departments(of measure: Measure, in jurisdiction: RegionCode, on sql: any SQLDatabase,
                            now: Date) async throws -> (lead: Department, cooperating: [Department]) {
        let store = DepartmentStore(sql: sql)
        func record(id: String?, name: String) async throws -> Department {
            if let id, let found = try await store.department(id: id) { return found }
            return try await store.resolve(name: name, in: jurisdiction, now: now)
        }
        let lead = try await record(id: measure.leadDepartmentID, name: measure.lead)
        var cooperating: [Department] = []
        for (i, name) in measure.cooperating.enumerated() {
            let id = i < measure.cooperatingDepartmentIDs.count ? measure.cooperatingDepartmentIDs[i] : nil
            cooperating.append(try await record(id: id, name: name))
        }
        return (lead, cooperating)
    }

    /// A target set on its own (not part of a plan), validated; a duplicate id is a conflict.
    public func addTarget(_ target: Target) async throws {
        let issues = target.validate()
        guard issues.isEmpty else {
            throw StoreError(.invalid, code: "target.invalid",
                             text: .bilingual(chinese: issues.map(\.chinese).joined(separator: "；"), english: issues.map(\.english).joined(separator: "; ")),
                             details: issues.map { .init(field: Self.field(of: $0.code), code: $0.code, text: .bilingual($0)) })
        }
        try await db.transaction { tx in
            if try await tx.sql.select().column("id").from("targets").where("id", .equal, target.id).first() != nil {
                throw StoreError(.conflict, code: "target.duplicate", "\(target.id)",
                                 details: [.init(field: "id", code: "target.duplicate", text: .init("target.duplicate.field"))])
            }
            let position = try await tx.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from("targets")
                .first()?.decode(column: "n", as: Int.self) ?? 0
            try await Self.insert(target, plan: nil, position: position, on: tx.sql)
        }
    }

    /// The input field a target problem is about: `target.baseline.after_deadline` → `baseline`.
    static func field(of code: String) -> String {
        code.split(separator: ".").dropFirst().first.map(String.init) ?? "target"
    }

    static func insert(_ target: Target, plan: String?, position: Int, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "targets")
            .columns("id", "plan_id", "indicator_id", "region_code", "comparator", "value", "tolerance", "baseline_date", "baseline_value",
                     "deadline", "period_from", "period_to", "note", "position")
            .values(target.id, plan, target.indicatorID, target.region.value, target.comparator.rawValue, target.value, target.tolerance,
                    target.baseline?.date.description, target.baseline?.value, target.deadline.description,
                    target.period?.from.description, target.period?.to.description, target.note, position)
            .run()
    }

    public func list() async throws -> [PlanListItem] {
        let sql = db.sql
        let rows = try await sql.select().columns("id", "name", "jurisdiction", "jurisdiction_name", "period_from", "period_to")
            .column(SQLAlias(SQLRaw("(SELECT COUNT(*) FROM plan_key_tasks t WHERE t.plan_id = plans.id)"), as: SQLIdentifier("tasks")))
            .column(SQLAlias(SQLRaw("(SELECT COUNT(*) FROM plan_measures m WHERE m.plan_id = plans.id)"), as: SQLIdentifier("measures")))
            .column(SQLAlias(SQLRaw("(SELECT COUNT(*) FROM targets g WHERE g.plan_id = plans.id)"), as: SQLIdentifier("targets")))
            .from("plans").orderBy("jurisdiction").orderBy("id").all()
        return try rows.map { row in
            PlanListItem(id: try row.decode(column: "id"), name: try row.decode(column: "name"), jurisdiction: try row.decode(column: "jurisdiction"),
                         jurisdictionName: try row.decode(column: "jurisdiction_name"), periodFrom: try row.decode(column: "period_from"),
                         periodTo: try row.decode(column: "period_to"), keyTasks: try row.decode(column: "tasks", as: Int.self),
                         measures: try row.decode(column: "measures", as: Int.self), targets: try row.decode(column: "targets", as: Int.self))
        }
    }

    static func date(_ row: any SQLRow, _ column: String) throws -> CivilDate? {
        try row.decode(column: column, as: String?.self).flatMap { CivilDate(iso: $0) }
    }

    /// The plan as the domain knows it, with every progress report.
    public func plan(id: String) async throws -> Plan? {
        try await plans(where: SQLBinaryExpression(SQLColumn("id"), .equal, SQLBind(id))).first
    }

    /// The plans whose jurisdiction lies on the chain of `own` — the region itself, a region above
    /// it, or one inside it (a county official follows the city's and the province's plans too) —
    /// and, when `around` is given, on its chain as well; in jurisdiction and id order, each with
    /// its measures, reports and targets. A fixed number of queries however many plans match.
    public func plans(inChainOf own: RegionCode, around: RegionCode? = nil) async throws -> [Plan] {
        var conditions: [any SQLExpression] = []
        for code in [own, around].compactMap({ $0 }) where code != .nation { conditions.append(Self.chainCondition(code)) }
        let condition = conditions.isEmpty ? nil : conditions.dropFirst().reduce(conditions[0]) {
            SQLBinaryExpression(SQLGroupExpression($0), .and, SQLGroupExpression($1)) as any SQLExpression
        }
        return try await plans(where: condition)
    }

    /// `jurisdiction` is `code`, a structural ancestor of it, or a code below it (by prefix: the
    /// codes below a province share its first 2 digits, below a city its first 4, below a county
    /// its 6, below a township its 9).
    static func chainCondition(_ code: RegionCode) -> any SQLExpression {
        var ancestors: [String] = []
        var current: RegionCode? = code
        while let c = current { ancestors.append(c.value); current = c.parent }
        let inside = Self.inside(code, column: "jurisdiction")
        return SQLBinaryExpression(SQLBinaryExpression(SQLColumn("jurisdiction"), .in, SQLBind.group(ancestors)), .or, inside)
    }

    /// The plans matching `condition` (all when nil), loaded together: the plans, their key tasks,
    /// measures, reports, evidence files and targets, one query each.
    func plans(where condition: (any SQLExpression)?) async throws -> [Plan] {
        let sql = db.sql
        var query = sql.select().column("*").from("plans")
        if let condition { query = query.where(condition) }
        let rows = try await query.orderBy("jurisdiction").orderBy("id").all()
        let ids: [String] = try rows.map { try $0.decode(column: "id") }
        guard !ids.isEmpty else { return [] }
        let planIDs = SQLBind.group(ids)
        let measuresOfPlans = SQLGroupExpression(SQLQueryString("SELECT id FROM plan_measures WHERE plan_id IN (\(binds: ids))"))
        let filesByReport = try await evidenceFiles(measuresIn: measuresOfPlans)
        var reportsByMeasure: [String: [ProgressReport]] = [:]
        for r in try await sql.select().columns("id", "measure_id", "date", "text", "evidence", "completes", "confirmation", "return_reason")
            .from("measure_reports")
            .where(SQLColumn("measure_id"), .in, measuresOfPlans)
            .orderBy("date").orderBy("created_at").all() {
            guard let date = try Self.date(r, "date") else { continue }
            reportsByMeasure[try r.decode(column: "measure_id"), default: []].append(
                ProgressReport(date: date, text: try r.decode(column: "text"), evidence: JSONList.strings(try r.decode(column: "evidence")) ?? [],
                               completes: try r.decode(column: "completes", as: Bool.self),
                               files: filesByReport[try r.decode(column: "id", as: String.self)] ?? [],
                               confirmation: try r.decode(column: "confirmation", as: String?.self).flatMap(CompletionConfirmation.init(rawValue:)),
                               returnReason: try r.decode(column: "return_reason", as: String?.self)))
        }
        /// Keyed by `plan id` and `task id`.
        var measuresByTask: [String: [String: [Measure]]] = [:]
        for m in try await sql.select().column("*").from("plan_measures").where(SQLColumn("plan_id"), .in, planIDs)
            .orderBy("plan_id").orderBy("position").all() {
            guard let deadline = try Self.date(m, "deadline") else { continue }
            let key: String = try m.decode(column: "id")
            measuresByTask[try m.decode(column: "plan_id"), default: [:]][try m.decode(column: "task_id"), default: []].append(
                Measure(id: try m.decode(column: "measure_id"), text: try m.decode(column: "text"), lead: try m.decode(column: "lead"),
                        cooperating: JSONList.strings(try m.decode(column: "cooperating")) ?? [], deadline: deadline,
                        departmentsInferred: try m.decode(column: "departments_inferred", as: Bool.self), note: try m.decode(column: "note"),
                        reports: reportsByMeasure[key] ?? [],
                        leadDepartmentID: try m.decode(column: "lead_department_id", as: String?.self),
                        cooperatingDepartmentIDs: JSONList.strings(try m.decode(column: "cooperating_department_ids", as: String?.self) ?? "[]") ?? []))
        }
        var tasksByPlan: [String: [KeyTask]] = [:]
        for t in try await sql.select().columns("plan_id", "task_id", "title").from("plan_key_tasks").where(SQLColumn("plan_id"), .in, planIDs)
            .orderBy("plan_id").orderBy("position").all() {
            let planID: String = try t.decode(column: "plan_id"), taskID: String = try t.decode(column: "task_id")
            tasksByPlan[planID, default: []].append(
                KeyTask(id: taskID, title: try t.decode(column: "title"), measures: measuresByTask[planID]?[taskID] ?? []))
        }
        var targetsByPlan: [String: [Target]] = [:]
        for stored in try await targets(where: SQLBinaryExpression(SQLColumn("plan_id"), .in, planIDs)) {
            targetsByPlan[stored.planID ?? "", default: []].append(stored.target)
        }
        return try rows.compactMap { row in
            let id: String = try row.decode(column: "id")
            guard case .success(let jurisdiction) = RegionCode.parse(try row.decode(column: "jurisdiction")),
                  let to = try Self.date(row, "period_to") else { return nil }
            return Plan(id: id, name: try row.decode(column: "name"), jurisdiction: jurisdiction,
                        jurisdictionName: try row.decode(column: "jurisdiction_name"),
                        issuedBy: try row.decode(column: "issued_by"), issued: try Self.date(row, "issued"),
                        period: PlanPeriod(from: try Self.date(row, "period_from"), to: to), source: try row.decode(column: "source"),
                        sourceNote: try row.decode(column: "source_note"), keyTasks: tasksByPlan[id] ?? [],
                        targets: targetsByPlan[id] ?? [])
        }
    }

    /// Targets of one plan, or (plan nil) all targets, in plan order.
    public func targets(plan: String? = nil) async throws -> [StoredTarget] {
        try await targets(where: plan.map { SQLBinaryExpression(SQLColumn("plan_id"), .equal, SQLBind($0)) })
    }

    /// Targets set for `region` or a region inside it (all targets for the nation), in plan order:
    /// the region condition is in the query.
    public func targets(in region: RegionCode) async throws -> [StoredTarget] {
        guard region != .nation else { return try await targets(where: nil) }
        return try await targets(where: Self.inside(region, column: "region_code")).filter { region.contains($0.target.region) }
    }

    /// `column` holds `code` or a code below it by structure: the codes below a province share its
    /// first 2 digits, below a city its first 4, below a county its 6, below a township its 9
    /// (region codes are digits only, so the pattern has no wildcard but its end).
    static func inside(_ code: RegionCode, column: String) -> any SQLExpression {
        let prefixLength: Int = switch code.level {
        case .nation: 0
        case .province: 2
        case .city: 4
        case .county: 6
        case .township: 9
        case .community: 12
        }
        return SQLBinaryExpression(SQLColumn(column), .like, SQLBind(String(code.value.prefix(prefixLength)) + "%"))
    }

    func targets(where condition: (any SQLExpression)?) async throws -> [StoredTarget] {
        var query = db.sql.select().column("*").from("targets")
        if let condition { query = query.where(condition) }
        return try await query.orderBy("plan_id").orderBy("position").all().compactMap { row in
            guard case .success(let region) = RegionCode.parse(try row.decode(column: "region_code")),
                  let comparator = TargetComparator(rawValue: try row.decode(column: "comparator")),
                  let deadline = try Self.date(row, "deadline") else { return nil }
            var baseline: TargetObservation?
            if let date = try Self.date(row, "baseline_date"), let value = try row.decode(column: "baseline_value", as: Double?.self) {
                baseline = TargetObservation(date: date, value: value)
            }
            var period: DatePeriod?
            if let from = try Self.date(row, "period_from"), let to = try Self.date(row, "period_to") { period = DatePeriod(from: from, to: to) }
            let target = Target(id: try row.decode(column: "id"), indicatorID: try row.decode(column: "indicator_id"), region: region,
                                comparator: comparator, value: try row.decode(column: "value", as: Double.self),
                                tolerance: try row.decode(column: "tolerance", as: Double?.self), baseline: baseline, deadline: deadline,
                                period: period, note: try row.decode(column: "note"))
            return StoredTarget(planID: try row.decode(column: "plan_id"), target: target)
        }
    }

    public struct ReportInput: Codable, Sendable {
        public var date: String
        public var text: String
        /// Evidence names without files: refused (`report.evidence.file_required`) — evidence is
        /// uploaded as files (`addReport(files:)`), and a name alone proves nothing. Kept so that
        /// old clients get that answer rather than a silently ignored field.
        public var evidence: [String]?
        public var completes: Bool?
        /// The reporting department (a department operator's own; an official may name one).
        public var department: String?
        public init(date: String, text: String, evidence: [String]? = nil, completes: Bool? = nil, department: String? = nil) {
            self.date = date
            self.text = text
            self.evidence = evidence
            self.completes = completes
            self.department = department
        }
    }

    /// Adds a progress report with its evidence files to a measure (`plan id:measure id`). The date
    /// may not be in the future; each file must pass `EvidenceRules` (type by extension and bytes,
    /// size, name). Any problem — every one is named, with the file — and nothing is written: the
    /// report and its files go in one transaction.
    ///
    /// `confirmation` is `.awaiting` for a "done" report that waits for the plan owner
    /// (`decideCompletion`); nil otherwise.
    public func addReport(measureKey: String, _ input: ReportInput, files: [EvidenceUpload] = [], uploadedBy: String = "api",
                          today: CivilDate = .today(), now: Date = Date(), confirmation: CompletionConfirmation? = nil) async throws -> ProgressReport {
        guard try await db.sql.select().column("id").from("plan_measures").where("id", .equal, measureKey).first() != nil else {
            throw StoreError.notFound(.measure, measureKey)
        }
        var details: [StoreError.Detail] = []
        let date = CivilDate(censusText: input.date)
        if date == nil {
            details.append(.init(field: "date", code: "report.date.invalid", "\(input.date)"))
        } else if let date, date > today {
            details.append(.init(field: "date", code: "report.date.future", "\(date)"))
        }
        let text = input.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...2000).contains(text.count) {
            details.append(.init(field: "text", code: "report.text.invalid"))
        }
        for (i, name) in (input.evidence ?? []).enumerated() {
            let problem = EvidenceRules.nameProblem(name) ?? IndicatorMessage(
                code: "report.evidence.file_required",
                chinese: "佐证材料“\(name)”没有文件：请以 multipart/form-data 上传文件本身（字段 evidence），不能只填文件名",
                english: "evidence “\(name)” has no file: upload the file itself as multipart/form-data (field evidence), not only its name")
            details.append(.init(field: "evidence[\(i)]", code: problem.code, text: .bilingual(problem)))
        }
        if files.count > EvidenceRules.maxFiles {
            details.append(.init(field: "evidence", code: "report.evidence.count", "\(EvidenceRules.maxFiles)", "\(files.count)"))
        }
        var checked: [(upload: EvidenceUpload, kind: EvidenceRules.Kind)] = []
        for (i, file) in files.enumerated() {
            switch EvidenceRules.check(fileName: file.fileName, content: file.content) {
            case .accepted(let kind): checked.append((file, kind))
            case .refused(let problem): details.append(.init(field: "evidence[\(i)]", code: problem.code, text: .bilingual(problem)))
            }
        }
        let department = input.department?.trimmingCharacters(in: .whitespaces) ?? ""
        if department.count > 100 { details.append(.init(field: "department", code: "report.department.invalid")) }
        guard details.isEmpty, let date else { throw StoreError(.invalid, code: "validation", text: .init("validation.report"), details: details) }
        let reportID = RecordID.make(), stamp = Timestamp.string(now), contents = checked.map(\.upload.content)
        let stored = checked.map { file, kind in
            EvidenceFile(id: RecordID.make(), fileName: file.fileName, contentType: EvidenceRules.contentType(kind, file.content), size: file.content.count,
                         sha256: PersonalDataCipher.hex(SHA256.hash(data: file.content)))
        }
        let completes = input.completes ?? false
        let report = ProgressReport(date: date, text: text, evidence: stored.map(\.fileName), completes: completes, files: stored,
                                    confirmation: completes ? confirmation : nil)
        try await db.transaction { tx in
            try await tx.sql.insert(into: "measure_reports")
                .columns("id", "measure_id", "date", "text", "evidence", "completes", "reported_by", "created_at", "confirmation")
                .values(reportID, measureKey, date.description, text, JSONList.text(report.evidence), report.completes,
                        department.isEmpty ? "api" : department, stamp, report.confirmation?.rawValue).run()
            for (position, (file, content)) in zip(stored, contents).enumerated() {
                try await tx.sql.insert(into: "measure_evidence")
                    .columns("id", "report_id", "measure_id", "position", "file_name", "content_type", "byte_size", "sha256", "content",
                             "uploaded_by", "created_at")
                    .values(file.id, reportID, measureKey, position, file.fileName, file.contentType, file.size, file.sha256, content,
                            uploadedBy, stamp).run()
            }
        }
        return report
    }

    /// The plan owner's answer to the "done" reports of a measure that wait for it: confirmed (the
    /// measure is done from the report's date) or returned with the reason (it is not). Nothing
    /// waiting is a conflict (`measure.not_awaiting`). Returns how many reports it decided.
    @discardableResult
    public func decideCompletion(measureKey: String, confirm: Bool, reason: String?, by username: String, now: Date = Date()) async throws -> Int {
        let sql = db.sql
        let waiting = try await sql.select().column("id").from("measure_reports")
            .where("measure_id", .equal, measureKey).where("confirmation", .equal, CompletionConfirmation.awaiting.rawValue).all()
        guard !waiting.isEmpty else {
            throw StoreError(.conflict, code: "measure.not_awaiting", text: .init("measure.not_awaiting", measureKey))
        }
        try await sql.update("measure_reports")
            .set("confirmation", to: (confirm ? CompletionConfirmation.confirmed : .returned).rawValue)
            .set("confirmed_by", to: username)
            .set("confirmed_at", to: Timestamp.string(now))
            .set("return_reason", to: confirm ? nil : reason)
            .where("measure_id", .equal, measureKey).where("confirmation", .equal, CompletionConfirmation.awaiting.rawValue)
            .run()
        return waiting.count
    }
}
