import Foundation

/// A measure's status on a date — computed, never typed (issue 5 §4: "overdue is computed").
public enum MeasureStatus: String, CaseIterable, Codable, Sendable {
    /// No progress report yet and the deadline not passed.
    case notStarted = "not_started"
    /// At least one report, none completing it, deadline not passed.
    case inProgress = "in_progress"
    /// A report dated on or before the date completes it.
    case done
    /// The deadline has passed (the date is after it) and no report completes it.
    case overdue
    /// A report marks it done and waits for the plan owner's confirmation (issue #18 §2).
    case awaitingConfirmation = "awaiting_confirmation"

    public var chineseName: String {
        switch self {
        case .notStarted: return "未开始"
        case .inProgress: return "进行中"
        case .done: return "已完成"
        case .overdue: return "已逾期"
        case .awaitingConfirmation: return "待确认"
        }
    }

    public var englishName: String {
        switch self {
        case .notStarted: return "Not started"
        case .inProgress: return "In progress"
        case .done: return "Done"
        case .overdue: return "Overdue"
        case .awaitingConfirmation: return "Awaiting confirmation"
        }
    }
}

extension Measure {
    /// Reports known on `asOf` (dated on or before it), oldest first.
    public func reports(asOf: CivilDate) -> [ProgressReport] {
        reports.filter { $0.date <= asOf }.sorted { $0.date < $1.date }
    }

    /// The date of the first report that completes the measure (confirmed where it had to be), if any by `asOf`.
    public func completedOn(asOf: CivilDate) -> CivilDate? {
        reports(asOf: asOf).first(where: \.completesConfirmed)?.date
    }

    /// The status on `asOf`. The deadline day itself is not overdue; the day after is.
    /// A measure completed after its deadline is done (`completedLate` tells). A "done" report
    /// waiting for the plan owner makes it `awaitingConfirmation`, late or not: the department has
    /// reported, the owner is to act; one returned counts as an ordinary report.
    public func status(asOf: CivilDate) -> MeasureStatus {
        if completedOn(asOf: asOf) != nil { return .done }
        if reports(asOf: asOf).contains(where: \.awaitsConfirmation) { return .awaitingConfirmation }
        if asOf > deadline { return .overdue }
        return reports(asOf: asOf).isEmpty ? .notStarted : .inProgress
    }

    /// Done, but the completing report is dated after the deadline.
    public func completedLate(asOf: CivilDate) -> Bool {
        guard let done = completedOn(asOf: asOf) else { return false }
        return done > deadline
    }

    /// Days past the deadline on `asOf` for a measure not done (nil when not overdue).
    public func daysOverdue(asOf: CivilDate) -> Int? {
        status(asOf: asOf) == .overdue ? asOf.daysSinceEpoch - deadline.daysSinceEpoch : nil
    }
}

/// A plan's measures by status and by lead department on a date: the plan page's "who is late".
public struct PlanStatusSummary: Hashable, Sendable {
    public struct DepartmentLine: Hashable, Sendable {
        public var department: String
        public var counts: [MeasureStatus: Int]
        /// Ids of this department's overdue measures, in plan order.
        public var overdue: [String]
    }

    public var asOf: CivilDate
    public var counts: [MeasureStatus: Int]
    /// One line per lead department, the most overdue first, then by name.
    public var departments: [DepartmentLine]

    public init(plan: Plan, asOf: CivilDate) {
        self.asOf = asOf
        var counts: [MeasureStatus: Int] = [:]
        var lines: [String: DepartmentLine] = [:]
        var order: [String] = []
        for measure in plan.measures {
            let status = measure.status(asOf: asOf)
            counts[status, default: 0] += 1
            if lines[measure.lead] == nil {
                lines[measure.lead] = DepartmentLine(department: measure.lead, counts: [:], overdue: [])
                order.append(measure.lead)
            }
            lines[measure.lead]!.counts[status, default: 0] += 1
            if status == .overdue { lines[measure.lead]!.overdue.append(measure.id) }
        }
        self.counts = counts
        departments = order.compactMap { lines[$0] }.sorted {
            $0.overdue.count != $1.overdue.count ? $0.overdue.count > $1.overdue.count : $0.department < $1.department
        }
    }

    public func count(_ status: MeasureStatus) -> Int { counts[status] ?? 0 }
}
