import Foundation

/// A work plan (方案、举措) of a jurisdiction: key tasks, their measures, and the plan's targets
/// (issue 5 §4). Status is never stored: it is computed from progress reports and the date.
public struct Plan: Hashable, Codable, Sendable, Identifiable {
    /// Stable id (`jiuquan-2025`).
    public var id: String
    public var name: String
    public var jurisdiction: RegionCode
    public var jurisdictionName: String
    /// Who issued the plan (酒泉市委社会工作部).
    public var issuedBy: String?
    public var issued: CivilDate?
    public var period: PlanPeriod
    /// The source document, as a reader would look it up.
    public var source: String
    /// What the plan file adds to the source: inferred departments, split sentences …
    public var sourceNote: String?
    public var keyTasks: [KeyTask]
    public var targets: [Target]

    public init(id: String, name: String, jurisdiction: RegionCode, jurisdictionName: String, issuedBy: String? = nil,
                issued: CivilDate? = nil, period: PlanPeriod, source: String, sourceNote: String? = nil,
                keyTasks: [KeyTask], targets: [Target] = []) {
        self.id = id
        self.name = name
        self.jurisdiction = jurisdiction
        self.jurisdictionName = jurisdictionName
        self.issuedBy = issuedBy
        self.issued = issued
        self.period = period
        self.source = source
        self.sourceNote = sourceNote
        self.keyTasks = keyTasks
        self.targets = targets
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, jurisdiction, jurisdictionName = "jurisdiction_name", issuedBy = "issued_by", issued, period, source
        case sourceNote = "source_note", keyTasks = "key_tasks", targets
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        jurisdiction = try c.decode(RegionCode.self, forKey: .jurisdiction)
        jurisdictionName = try c.decode(String.self, forKey: .jurisdictionName)
        issuedBy = try c.decodeIfPresent(String.self, forKey: .issuedBy)
        issued = try c.decodeIfPresent(CivilDate.self, forKey: .issued)
        period = try c.decode(PlanPeriod.self, forKey: .period)
        source = try c.decode(String.self, forKey: .source)
        sourceNote = try c.decodeIfPresent(String.self, forKey: .sourceNote)
        keyTasks = try c.decode([KeyTask].self, forKey: .keyTasks)
        targets = try c.decodeIfPresent([Target].self, forKey: .targets) ?? []
    }

    public var measures: [Measure] { keyTasks.flatMap(\.measures) }
}

/// The period a plan covers. Sources often give only the end ("到 2027 年年底").
public struct PlanPeriod: Hashable, Codable, Sendable {
    public var from: CivilDate?
    public var to: CivilDate

    public init(from: CivilDate? = nil, to: CivilDate) {
        self.from = from
        self.to = to
    }
}

/// A key task (重点工作) grouping measures.
public struct KeyTask: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var title: String
    public var measures: [Measure]

    public init(id: String, title: String, measures: [Measure]) {
        self.id = id
        self.title = title
        self.measures = measures
    }
}

/// A measure (举措): what is to be done, who leads, who cooperates, by when.
public struct Measure: Hashable, Codable, Sendable, Identifiable {
    public var id: String
    public var text: String
    public var lead: String
    public var cooperating: [String]
    public var deadline: CivilDate
    /// The source names the departments of the plan but not who leads or cooperates on this
    /// measure; the file's assignment is an inference to be confirmed.
    public var departmentsInferred: Bool
    public var note: String?
    public var reports: [ProgressReport]
    /// The lead department's record (migration 0066): what a department operator's account is
    /// compared with; nil for a measure not stored yet (its `lead` names it).
    public var leadDepartmentID: String?
    /// The cooperating departments' records, in the order of `cooperating`.
    public var cooperatingDepartmentIDs: [String] = []

    public init(id: String, text: String, lead: String, cooperating: [String] = [], deadline: CivilDate,
                departmentsInferred: Bool = false, note: String? = nil, reports: [ProgressReport] = [],
                leadDepartmentID: String? = nil, cooperatingDepartmentIDs: [String] = []) {
        self.leadDepartmentID = leadDepartmentID
        self.cooperatingDepartmentIDs = cooperatingDepartmentIDs
        self.id = id
        self.text = text
        self.lead = lead
        self.cooperating = cooperating
        self.deadline = deadline
        self.departmentsInferred = departmentsInferred
        self.note = note
        self.reports = reports
    }

    private enum CodingKeys: String, CodingKey {
        case id, text, lead, cooperating, deadline, departmentsInferred = "departments_inferred", note, reports
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        text = try c.decode(String.self, forKey: .text)
        lead = try c.decode(String.self, forKey: .lead)
        cooperating = try c.decodeIfPresent([String].self, forKey: .cooperating) ?? []
        deadline = try c.decode(CivilDate.self, forKey: .deadline)
        departmentsInferred = try c.decodeIfPresent(Bool.self, forKey: .departmentsInferred) ?? false
        note = try c.decodeIfPresent(String.self, forKey: .note)
        reports = try c.decodeIfPresent([ProgressReport].self, forKey: .reports) ?? []
    }
}

/// A department's report on a measure (进展报告), with its evidence files.
/// A report with `completes` marks the measure done on its date.
public struct ProgressReport: Hashable, Codable, Sendable {
    public var date: CivilDate
    public var text: String
    /// The names of the evidence. A plan file (or a report made before files were kept) may name
    /// evidence that has no stored file; every stored file is also in `files`.
    public var evidence: [String]
    public var completes: Bool
    /// The stored evidence files (the store fills them; plan files have none).
    public var files: [EvidenceFile]
    /// For a report that marks the measure done: whether the plan owner has confirmed it (issue
    /// #18 §2). Nil for reports that need no confirmation (plan files, reports made before the rule,
    /// a done report by the plan owner themself).
    public var confirmation: CompletionConfirmation?
    /// Why the plan owner returned it, when they did.
    public var returnReason: String?

    public init(date: CivilDate, text: String, evidence: [String] = [], completes: Bool = false, files: [EvidenceFile] = [],
                confirmation: CompletionConfirmation? = nil, returnReason: String? = nil) {
        self.date = date
        self.text = text
        self.evidence = evidence
        self.completes = completes
        self.files = files
        self.confirmation = confirmation
        self.returnReason = returnReason
    }

    /// Marks the measure done: it says so and nothing holds it back (awaiting or returned).
    public var completesConfirmed: Bool {
        completes && (confirmation == nil || confirmation == .confirmed)
    }

    /// Says the measure is done and waits for the plan owner.
    public var awaitsConfirmation: Bool { completes && confirmation == .awaiting }

    /// Evidence names with no stored file behind them.
    public var evidenceWithoutFile: [String] {
        var stored = files.map(\.fileName)
        return evidence.filter { name in
            guard let i = stored.firstIndex(of: name) else { return true }
            stored.remove(at: i)
            return false
        }
    }

    private enum CodingKeys: String, CodingKey { case date, text, evidence, completes }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        date = try c.decode(CivilDate.self, forKey: .date)
        text = try c.decode(String.self, forKey: .text)
        evidence = try c.decodeIfPresent([String].self, forKey: .evidence) ?? []
        completes = try c.decodeIfPresent(Bool.self, forKey: .completes) ?? false
        files = []
    }
}

/// Where a "done" report stands with the plan owner: a measure marked done by the department that
/// leads it (or by an official below the plan's region) is done only once an official of the plan's
/// region confirms it; returned with a reason, it is not done.
public enum CompletionConfirmation: String, Codable, Sendable, CaseIterable {
    case awaiting, confirmed, returned
}
