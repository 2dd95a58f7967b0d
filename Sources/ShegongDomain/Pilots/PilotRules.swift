import Foundation

/// Where a practice case (实践案例) of a fusion pilot stands (docs/pilots.md "The case workflow").
/// Stored as the raw value (`pilot_cases.state`, migration 0054).
public enum PracticeCaseState: String, CaseIterable, Codable, Sendable, CatalogueNamed {
    case draft, submitted, recommended
    /// 优秀实践案例: what the good-case indicator counts.
    case selected
    /// Sent back to the pilot with a reason; it may be edited and submitted again.
    case returned
    /// Refused with a reason; final.
    case rejected

    public var catalogueKey: String { "pilot.case.state.\(rawValue)" }

    /// Title, narrative and evidence may change only while the pilot holds the case.
    public var isEditable: Bool { self == .draft || self == .returned }
}

/// A step of the case workflow. Forward steps need no reason; a step backwards (return, reject)
/// needs one (docs/pilots.md).
public enum PracticeCaseAction: String, CaseIterable, Codable, Sendable, CatalogueNamed {
    case submit, recommend, select
    case `return`, reject

    public var catalogueKey: String { "pilot.case.action.\(rawValue)" }

    /// Who takes the step: the pilot's own editors submit; an official of a region above the
    /// pilot's county takes every other step.
    public var byReviewer: Bool { self != .submit }

    /// Return and reject move a case backwards: never without a reason.
    public var needsReason: Bool { self == .return || self == .reject }

    public var target: PracticeCaseState {
        switch self {
        case .submit: .submitted
        case .recommend: .recommended
        case .select: .selected
        case .return: .returned
        case .reject: .rejected
        }
    }

    /// The states the step may start from.
    public var sources: Set<PracticeCaseState> {
        switch self {
        case .submit: [.draft, .returned]
        case .recommend: [.submitted]
        case .select: [.recommended]
        case .return, .reject: [.submitted, .recommended]
        }
    }

    /// The state after the step, or why it may not be taken (a catalogue code).
    public func apply(to state: PracticeCaseState, reason: String?) -> Result<PracticeCaseState, PilotRuleError> {
        guard sources.contains(state) else { return .failure(PilotRuleError(code: "pilot.case.transition", field: "action")) }
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if needsReason && trimmed.isEmpty { return .failure(PilotRuleError(code: "pilot.case.reason_required", field: "reason")) }
        if trimmed.count > 1000 { return .failure(PilotRuleError(code: "pilot.case.reason_length", field: "reason")) }
        return .success(target)
    }
}

/// A rule of the pilots' records that was broken: a catalogue code and the field it concerns.
public struct PilotRuleError: Error, Equatable, Sendable {
    public var code: String
    public var field: String
    public init(code: String, field: String) {
        self.code = code
        self.field = field
    }
}

/// The time an activity takes on its day, in minutes after midnight Beijing time: from `start`
/// to `end`, within the day (docs/pilots.md "Activities and hours").
public struct ActivitySpan: Equatable, Sendable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var minutes: Int { end - start }

    /// `HH:MM` → minutes after midnight.
    public static func minute(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    public static func text(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    /// From a start time and either an end time or a duration in minutes; the end must come
    /// after the start on the same day.
    public static func make(start: String, end: String?, durationMinutes: Int?) -> Result<ActivitySpan, PilotRuleError> {
        guard let from = minute(start) else { return .failure(PilotRuleError(code: "pilot.activity.start", field: "startTime")) }
        let endText = end?.trimmingCharacters(in: .whitespaces) ?? ""
        let to: Int
        if !endText.isEmpty {
            guard let parsed = minute(endText) else { return .failure(PilotRuleError(code: "pilot.activity.end", field: "endTime")) }
            to = parsed
        } else if let durationMinutes {
            to = from + durationMinutes
        } else {
            return .failure(PilotRuleError(code: "pilot.activity.end_missing", field: "endTime"))
        }
        guard to > from, to <= 24 * 60 else { return .failure(PilotRuleError(code: "pilot.activity.span", field: "endTime")) }
        return .success(ActivitySpan(start: from, end: to))
    }

    /// Whether two spans of the same day share a minute (touching ends do not overlap).
    public func overlaps(_ other: ActivitySpan) -> Bool { start < other.end && other.start < end }
}

/// Hours a participant served in an activity, kept as whole minutes.
public enum ActivityHours {
    /// `1.5` hours → 90 minutes; never negative, never longer than the activity.
    public static func minutes(_ hours: Double, activity: ActivitySpan) -> Result<Int, PilotRuleError> {
        guard hours.isFinite else { return .failure(PilotRuleError(code: "pilot.hours.invalid", field: "hours")) }
        if hours < 0 { return .failure(PilotRuleError(code: "pilot.hours.negative", field: "hours")) }
        let minutes = Int((hours * 60).rounded())
        if minutes > activity.minutes { return .failure(PilotRuleError(code: "pilot.hours.too_long", field: "hours")) }
        return .success(minutes)
    }

    /// Minutes as hours with at most one decimal: 90 → "1.5", 120 → "2".
    public static func text(minutes: Int) -> String {
        let tenths = Int((Double(minutes) / 6).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(tenths / 10) + "." + String(tenths % 10)
    }
}

/// What the public verification shows of a holder's name: the first character, then one `*` for
/// each further character but the last (张*, 张*明, 欧阳**岚 → 欧**岚).
public enum NameMask {
    public static func mask(_ name: String) -> String {
        let chars = Array(name.trimmingCharacters(in: .whitespaces))
        switch chars.count {
        case 0: return ""
        case 1: return "*"
        case 2: return String(chars[0]) + "*"
        default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
        }
    }

    /// The form of a name compared by the verification: surrounding and inner spaces dropped
    /// (full-width too), so “张 三” typed matches 张三.
    public static func normalized(_ name: String) -> String {
        String(name.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && $0 != "\u{3000}" }.map(Character.init))
    }
}

/// A certificate's registration (登记) as the public verification reports it.
public enum RegistrationStanding: Equatable, Sendable {
    /// A registration period covers the day: registered until its end.
    case registered(until: CivilDate)
    /// Registered before, but no period covers the day.
    case expired
    case notRegistered

    /// From the certificate's registration periods (start, end) and the day.
    public static func of(_ periods: [(start: CivilDate, end: CivilDate)], on day: CivilDate) -> RegistrationStanding {
        let covering = periods.filter { $0.start <= day && day <= $0.end }.map(\.end)
        if let until = covering.max() { return .registered(until: until) }
        return periods.isEmpty ? .notRegistered : .expired
    }

    public var code: String {
        switch self {
        case .registered: "registered"
        case .expired: "expired"
        case .notRegistered: "not_registered"
        }
    }
}
