import Foundation

/// Where the data lives, read from `SHEGONG_DATABASE` (DESIGN §7): a SQLite file path
/// (default `./shegong.sqlite`) or a `postgres://` URL.
public enum DatabaseLocation: Equatable, Sendable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)

    public static let environmentKey = "SHEGONG_DATABASE"

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(setting: environment[DatabaseLocation.environmentKey])
    }

    public init(setting: String?) {
        let value = (setting ?? "").trimmingCharacters(in: .whitespaces)
        if value.isEmpty {
            self = .sqliteFile(path: "./shegong.sqlite")
        } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if value == ":memory:" {
            self = .sqliteMemory
        } else {
            self = .sqliteFile(path: value)
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// Printable without the password.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "SQLite \(path)"
        case .sqliteMemory: return "SQLite (in memory)"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "PostgreSQL" }
            if parts.password != nil { parts.password = "***" }
            return "PostgreSQL \(parts.string ?? "")"
        }
    }
}
