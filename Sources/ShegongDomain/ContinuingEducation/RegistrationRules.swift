import Foundation

/// One continuing-education credit as the ledger (`education_credits`) holds it.
public struct EducationCredit: Hashable, Codable, Sendable {
    public enum Source: String, Codable, Sendable, CaseIterable {
        /// A completed training session (training writes these).
        case session
        /// A completed social-work degree: 90 hours, once, on the completion date.
        case degree
        /// Other learning an office recognised with evidence.
        case recognised
    }

    public var id: String
    public var source: Source
    public var referenceID: String
    public var minutes: Int
    public var creditedOn: CivilDate
    public var description: String

    public init(id: String, source: Source, referenceID: String, minutes: Int, creditedOn: CivilDate, description: String) {
        self.id = id
        self.source = source
        self.referenceID = referenceID
        self.minutes = minutes
        self.creditedOn = creditedOn
        self.description = description
    }
}

/// A certificate level a person holds from its issue date on.
public struct HeldLevel: Hashable, Codable, Sendable {
    public var level: CertificateLevel
    public var issueDate: CivilDate

    public init(level: CertificateLevel, issueDate: CivilDate) {
        self.level = level
        self.issueDate = issueDate
    }
}

/// A registration period (注册有效期): three years from its first day, both days included.
public struct RegistrationPeriod: Hashable, Codable, Sendable {
    public var start: CivilDate
    public var end: CivilDate

    public init(start: CivilDate, end: CivilDate) {
        self.start = start
        self.end = end
    }

    /// The period that starts on `start` (`RegistrationRules.periodEnd`).
    public init(start: CivilDate) {
        self.init(start: start, end: RegistrationRules.periodEnd(start: start))
    }

    /// The first day of the renewal window: the last three months of the period.
    public var windowOpens: CivilDate { RegistrationRules.windowOpens(end: end) }
    /// The first day of the following period.
    public var nextStart: CivilDate { end.adding(days: 1) }

    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }
}

/// The registration and continuing-education rules (docs/training.md, "Registration and renewal"):
/// 《社会工作者职业水平证书登记办法》 and 《社会工作者继续教育办法》 as Shegong applies them.
public enum RegistrationRules {
    /// Each registration lasts three years.
    public static let periodMonths = 36
    /// Renewal is applied for in the last three months of a period.
    public static let windowMonths = 3
    /// The first registration is due within one year of the certificate's issue date.
    public static let firstRegistrationMonths = 12
    /// A completed social-work degree counts 90 hours.
    public static let degreeMinutes = 90 * 60

    /// The same day `months` later; a 29 February that the target year lacks becomes 1 March
    /// (docs/training.md: the anniversary of 29 February in a non-leap year is 1 March, so a
    /// period that began on 29 February ends on 28 February).
    public static func anniversary(of date: CivilDate, months: Int) -> CivilDate {
        let moved = date.adding(months: months)
        return moved.day == date.day ? moved : moved.adding(days: 1)
    }

    /// The last day of the period starting on `start`: the day before its third anniversary.
    public static func periodEnd(start: CivilDate) -> CivilDate {
        anniversary(of: start, months: periodMonths).adding(days: -1)
    }

    /// The first day of the renewal window of a period ending on `end`: three months before the
    /// following period's first day.
    public static func windowOpens(end: CivilDate) -> CivilDate {
        let next = end.adding(days: 1)
        let back = next.adding(months: -windowMonths)
        return back.day == next.day ? back : back.adding(days: 1)
    }

    /// The last day a first registration is on time: the issue date's first anniversary, that
    /// day included, as the incentive windows count it; a certificate issued on 29 February has
    /// until 28 February of the next year (the month's last day where the day is missing).
    public static func firstRegistrationDeadline(issue: CivilDate) -> CivilDate {
        issue.adding(months: firstRegistrationMonths)
    }

    /// The level whose hours a period requires: the highest level held on the period's last day
    /// (an assumption, docs/training.md: a level raised within a period raises the requirement).
    public static func levelRequired(levels: [HeldLevel], period: RegistrationPeriod) -> CertificateLevel? {
        levels.filter { $0.issueDate <= period.end }.map(\.level).max()
    }

    /// Hours required per period by level: 72 for assistants, 90 for intermediate and senior.
    public static func requiredMinutes(_ level: CertificateLevel) -> Int { level.continuingEducationHoursPerPeriod * 60 }

    /// The credits of `period` and the minutes they count: every session and recognised credit
    /// dated inside it, and one completed degree (90 hours, on its completion date) at most.
    public static func counted(_ credits: [EducationCredit], in period: RegistrationPeriod) -> (credits: [EducationCredit], minutes: Int, degree: EducationCredit?) {
        let inside = credits.filter { period.contains($0.creditedOn) }.sorted { ($0.creditedOn, $0.id) < ($1.creditedOn, $1.id) }
        let degree = inside.first { $0.source == .degree }
        let counted = inside.filter { $0.source != .degree || $0.id == degree?.id }
        let minutes = counted.reduce(0) { $0 + ($1.source == .degree ? degreeMinutes : max(0, $1.minutes)) }
        return (counted, minutes, degree)
    }

    /// The earliest issue date whose first-registration deadline is `today` or later: a holder
    /// without a registration whose certificate was issued before it is overdue.
    public static func firstRegistrationIssueCutoff(today: CivilDate) -> CivilDate {
        var date = today.adding(months: -firstRegistrationMonths).adding(days: -3)
        while firstRegistrationDeadline(issue: date) < today { date = date.adding(days: 1) }
        return date
    }

    /// The latest period end whose renewal window has opened by `today`: a current period ending
    /// on or before it is in its window.
    public static func latestEndInWindow(today: CivilDate) -> CivilDate {
        var end = today.adding(months: windowMonths).adding(days: 3)
        while windowOpens(end: end) > today { end = end.adding(days: -1) }
        return end
    }

    /// Minutes as hours for people: `72`, `7.5`.
    public static func hoursText(_ minutes: Int) -> String {
        minutes % 60 == 0 ? String(minutes / 60) : String(format: "%.1f", Double(minutes) / 60)
    }
}
