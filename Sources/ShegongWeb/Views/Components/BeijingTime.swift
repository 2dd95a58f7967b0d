import Foundation

/// Instants are stored in UTC; the users work in Beijing time, so pages show them there, to the
/// minute (`2026-12-05 07:31`).
enum BeijingTime {
    static func minute(_ date: Date) -> String { String(AuditCommands.beijing(date).prefix(16)) }

    /// A stored ISO 8601 instant (`2026-12-04T23:30:36Z`); a text that is none is shown as it is.
    static func minute(iso text: String) -> String {
        ISO8601DateFormatter().date(from: text).map(minute) ?? text
    }
}
