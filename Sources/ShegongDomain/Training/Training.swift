import Foundation

/// The tier a course belongs to (docs/training.md "Training"): 酒泉's three tiers — city
/// demonstration, county backbone, township full coverage — Hubei's free exam preparation, or other.
public enum TrainingTier: String, CaseIterable, Codable, Sendable, CatalogueNamed {
    case city, county, township, exam, other
    public var catalogueKey: String { "training.tier.\(rawValue)" }
}

/// Whom a course is for (宣城: in-service training by audience).
public enum TrainingAudience: String, CaseIterable, Codable, Sendable, CatalogueNamed {
    case newEntrant = "new_entrant"
    case transfer
    case institutionStaff = "institution_staff"
    case organizationManager = "organization_manager"
    case communityWorker = "community_worker"
    case all
    public var catalogueKey: String { "training.audience.\(rawValue)" }
}

/// What a course teaches: 宣城's six subjects, or one of the registry's service fields
/// (stored as the field's own name, 养老, 禁毒 …).
public enum TrainingTopic: Hashable, Codable, Sendable {
    case subject(Subject)
    case field(ServiceField)

    public enum Subject: String, CaseIterable, Codable, Sendable, CatalogueNamed {
        case general, law, practice, ethics, leadership, innovation
        public var catalogueKey: String { "training.topic.\(rawValue)" }
    }

    public static var all: [TrainingTopic] { Subject.allCases.map(TrainingTopic.subject) + ServiceField.allCases.map(TrainingTopic.field) }

    public init?(code: String) {
        if let subject = Subject(rawValue: code) { self = .subject(subject) }
        else if let field = ServiceField(rawValue: code) { self = .field(field) }
        else { return nil }
    }

    public var code: String {
        switch self {
        case .subject(let s): return s.rawValue
        case .field(let f): return f.rawValue
        }
    }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let topic = TrainingTopic(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown topic \(code)"))
        }
        self = topic
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// A session's days and daily hours, and the rules attendance must keep: a day inside the
/// session's dates and no more minutes than a session day holds (docs/training.md).
public struct SessionSchedule: Hashable, Sendable {
    public var startsOn: CivilDate
    public var endsOn: CivilDate
    public var minutesPerDay: Int

    public init(startsOn: CivilDate, endsOn: CivilDate, minutesPerDay: Int) {
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.minutesPerDay = minutesPerDay
    }

    public var days: Int { endsOn.daysSinceEpoch - startsOn.daysSinceEpoch + 1 }
    /// The most a participant can attend.
    public var totalMinutes: Int { days * minutesPerDay }

    /// A session lasts 1–60 days of 30 minutes to 12 hours each: what a training plan holds.
    public static let maxDays = 60
    public static let minutesPerDayRange = 30...720

    /// The problems of a schedule as entered, by field (empty when it is sound).
    public static func problems(startsOn: CivilDate?, endsOn: CivilDate?, minutesPerDay: Int) -> [(field: String, code: String)] {
        var problems: [(String, String)] = []
        if startsOn == nil { problems.append(("startsOn", "training.session.date")) }
        if endsOn == nil { problems.append(("endsOn", "training.session.date")) }
        if let startsOn, let endsOn {
            if endsOn < startsOn { problems.append(("endsOn", "training.session.ends_before")) }
            else if endsOn.daysSinceEpoch - startsOn.daysSinceEpoch + 1 > maxDays { problems.append(("endsOn", "training.session.too_long")) }
        }
        if !minutesPerDayRange.contains(minutesPerDay) { problems.append(("hoursPerDay", "training.session.hours_per_day")) }
        return problems
    }

    /// Why `minutes` on `day` cannot be recorded, or nil: the day outside the session, or more
    /// minutes than the day holds, or none at all.
    public func attendanceProblem(day: CivilDate, minutes: Int) -> String? {
        if day < startsOn || day > endsOn { return "training.attendance.day_outside" }
        if minutes <= 0 { return "training.attendance.minutes" }
        if minutes > minutesPerDay { return "training.attendance.too_many_minutes" }
        return nil
    }

    /// Whether two sessions share a day (a trainer cannot teach both).
    public func overlaps(_ other: SessionSchedule) -> Bool {
        startsOn <= other.endsOn && other.startsOn <= endsOn
    }
}

/// Hours as an office writes them (`3`, `2.5`, `1.25`) to whole minutes; nil for anything else.
public enum TrainingHours {
    public static func minutes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 8, let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")),
              value > 0, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        let minutes = NSDecimalNumber(decimal: value * 60).doubleValue
        guard minutes.rounded() == minutes, minutes <= 24 * 60 else { return nil }
        return Int(minutes)
    }

    /// Minutes as hours for a page: `3`, `2.5`, `1.25`.
    public static func text(_ minutes: Int) -> String {
        if minutes % 60 == 0 { return String(minutes / 60) }
        var text = String(format: "%.2f", Double(minutes) / 60)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

/// A trainer's level in the pool (师资库): the lowest office that recognised them.
public enum TrainerLevel: String, CaseIterable, Codable, Sendable, CatalogueNamed {
    case national, province, city, county
    public var catalogueKey: String { "training.trainer.level.\(rawValue)" }
}
