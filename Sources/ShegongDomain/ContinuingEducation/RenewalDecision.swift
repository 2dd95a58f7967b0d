import Foundation

/// The rules a registration decision checks, in order (docs/training.md, "Registration and renewal").
public enum RenewalRule: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    /// Registered for the first time within one year of the certificate's issue date.
    case firstRegistration = "first_registration"
    /// The hours the period requires: by the level held on its last day.
    case requiredHours = "required_hours"
    /// A completed social-work degree counts 90 hours once, on its completion date.
    case degree
    /// The hours done in the period against those required.
    case hoursDone = "hours_done"
    /// Renewal is applied for in the period's last three months (or after it ended).
    case window

    public var catalogueKey: String { "renewal.rule.\(rawValue)" }
}

/// One rule checked, like an eligibility check: the rule, the outcome, and the facts it saw as a
/// catalogue message (`renewal.check.<rule>.<case>` with its arguments), so every page shows it
/// in its own language.
public struct RenewalCheck: Hashable, Codable, Sendable {
    public var rule: RenewalRule
    public var outcome: RuleOutcome
    /// Catalogue key of the sentence stating the facts and the outcome.
    public var key: String
    /// The facts: dates, hours, names (`CatalogueMessage.name`).
    public var facts: [String]

    public init(rule: RenewalRule, outcome: RuleOutcome, key: String, facts: [String]) {
        self.rule = rule
        self.outcome = outcome
        self.key = key
        self.facts = facts
    }

    public var message: CatalogueMessage { CatalogueMessage(key, arguments: facts) }
}

/// Where a period stands on a day.
public enum PeriodState: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    /// Ended, and a later period follows it.
    case past
    /// Running, before its renewal window.
    case current
    /// In its last three months: renewal is due.
    case window
    /// Ended without a following period: renewal is overdue.
    case overdue
    /// Starts after the day asked about.
    case future

    public var catalogueKey: String { "renewal.state.\(rawValue)" }
}

/// One registration period explained: the level and hours it requires, the credits it counts,
/// and each rule with its facts.
public struct PeriodDecision: Hashable, Codable, Sendable {
    public var period: RegistrationPeriod
    public var state: PeriodState
    public var level: CertificateLevel?
    public var requiredMinutes: Int
    public var doneMinutes: Int
    public var credits: [EducationCredit]
    public var checks: [RenewalCheck]

    /// Hours done reach those required.
    public var hoursMet: Bool { level != nil && doneMinutes >= requiredMinutes }
    public var shortMinutes: Int { max(0, requiredMinutes - doneMinutes) }
    /// A renewal may be recorded: the window has opened (or the period ended) and the hours are met.
    public var renewable: Bool { checks.allSatisfy { $0.outcome != .failed } }
    public var failedChecks: [RenewalCheck] { checks.filter { $0.outcome == .failed } }
}

/// A person's registration status on a day: the first registration (due or overdue) and every
/// period explained, latest last.
public struct RegistrationDecision: Hashable, Codable, Sendable {
    public enum Status: String, Codable, Sendable, CaseIterable, CatalogueNamed {
        /// No certificate: nothing to register.
        case noCertificate = "no_certificate"
        /// First registration due, still within a year of the issue date.
        case firstDue = "first_due"
        /// First registration not made within a year of the issue date.
        case firstOverdue = "first_overdue"
        /// Registered, before the renewal window.
        case current
        /// In the renewal window.
        case window
        /// The last period ended without renewal.
        case overdue

        public var catalogueKey: String { "renewal.status.\(rawValue)" }
    }

    public var today: CivilDate
    public var status: Status
    /// The earliest certificate's issue date and the first registration's deadline.
    public var firstIssue: CivilDate?
    public var firstDeadline: CivilDate?
    public var firstRegistration: RenewalCheck?
    public var periods: [PeriodDecision]

    public var latest: PeriodDecision? { periods.last }
    /// The latest period is in its window or overdue and its hours are short.
    public var short: Bool {
        guard let latest, status == .window || status == .overdue else { return false }
        return !latest.hoursMet
    }
}

extension RegistrationRules {
    /// A person's registration status on `today`: `levels` are their certificates, `periods` the
    /// registrations recorded (any order), `credits` the whole ledger.
    public static func decide(levels: [HeldLevel], periods: [RegistrationPeriod], credits: [EducationCredit],
                              today: CivilDate) -> RegistrationDecision {
        let periods = periods.sorted { $0.start < $1.start }
        let firstIssue = levels.map(\.issueDate).min()
        let deadline = firstIssue.map(firstRegistrationDeadline(issue:))
        var first: RenewalCheck?
        if let firstIssue, let deadline {
            let issued = firstIssue.description, due = deadline.description
            if let start = periods.first?.start {
                first = start <= deadline
                    ? RenewalCheck(rule: .firstRegistration, outcome: .passed, key: "renewal.check.first.on_time", facts: [issued, due, start.description])
                    : RenewalCheck(rule: .firstRegistration, outcome: .failed, key: "renewal.check.first.late", facts: [issued, due, start.description])
            } else if today <= deadline {
                first = RenewalCheck(rule: .firstRegistration, outcome: .notChecked, key: "renewal.check.first.due", facts: [issued, due])
            } else {
                first = RenewalCheck(rule: .firstRegistration, outcome: .failed, key: "renewal.check.first.overdue", facts: [issued, due])
            }
        }
        let decisions = periods.enumerated().map { index, period in
            decide(period: period, followed: index + 1 < periods.count, levels: levels, credits: credits, today: today)
        }
        let status: RegistrationDecision.Status
        if levels.isEmpty {
            status = .noCertificate
        } else if let latest = decisions.last {
            switch latest.state {
            case .window: status = .window
            case .overdue: status = .overdue
            case .current, .past, .future: status = .current
            }
        } else {
            status = today <= deadline! ? .firstDue : .firstOverdue
        }
        return RegistrationDecision(today: today, status: status, firstIssue: firstIssue, firstDeadline: deadline,
                                    firstRegistration: first, periods: decisions)
    }

    /// One period on `today`; `followed` when a later period was recorded.
    public static func decide(period: RegistrationPeriod, followed: Bool, levels: [HeldLevel], credits: [EducationCredit],
                              today: CivilDate) -> PeriodDecision {
        let state: PeriodState
        if today < period.start { state = .future }
        else if today > period.end { state = followed ? .past : .overdue }
        else if today >= period.windowOpens { state = .window }
        else { state = .current }
        let level = levelRequired(levels: levels, period: period)
        let required = level.map(requiredMinutes) ?? 0
        let (counted, done, degree) = counted(credits, in: period)
        var checks: [RenewalCheck] = []
        if let level {
            let raised = levels.contains { $0.issueDate > period.start && $0.issueDate <= period.end && $0.level == level }
                && levels.contains { $0.issueDate <= period.start && $0.level < level }
            checks.append(RenewalCheck(rule: .requiredHours, outcome: .passed,
                                       key: raised ? "renewal.check.required.raised" : "renewal.check.required.level",
                                       facts: [CatalogueMessage.name(level), period.end.description, hoursText(required)]))
        } else {
            checks.append(RenewalCheck(rule: .requiredHours, outcome: .failed, key: "renewal.check.required.none",
                                       facts: [period.end.description]))
        }
        if let degree {
            checks.append(RenewalCheck(rule: .degree, outcome: .passed, key: "renewal.check.degree.counted",
                                       facts: [degree.creditedOn.description, hoursText(degreeMinutes)]))
        } else {
            checks.append(RenewalCheck(rule: .degree, outcome: .notChecked, key: "renewal.check.degree.none", facts: []))
        }
        if level != nil {
            let met = done >= required
            checks.append(RenewalCheck(rule: .hoursDone, outcome: met ? .passed : .failed,
                                       key: met ? "renewal.check.hours.met" : "renewal.check.hours.short",
                                       facts: [hoursText(done), hoursText(required), hoursText(max(0, required - done))]))
        }
        let window = [period.windowOpens.description, period.end.description]
        switch state {
        case .future, .current:
            checks.append(RenewalCheck(rule: .window, outcome: .failed, key: "renewal.check.window.not_open", facts: window))
        case .window:
            checks.append(RenewalCheck(rule: .window, outcome: .passed, key: "renewal.check.window.open", facts: window))
        case .overdue:
            checks.append(RenewalCheck(rule: .window, outcome: .passed, key: "renewal.check.window.late", facts: window))
        case .past:
            checks.append(RenewalCheck(rule: .window, outcome: .notChecked, key: "renewal.check.window.renewed", facts: window))
        }
        return PeriodDecision(period: period, state: state, level: level, requiredMinutes: required, doneMinutes: done,
                              credits: counted, checks: checks)
    }
}
