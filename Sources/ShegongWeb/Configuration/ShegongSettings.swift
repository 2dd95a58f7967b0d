import Foundation
import Logging
import ShegongDomain
import ShegongStore

/// Everything Shegong reads from the environment, in one place (docs/conventions.md §7). Start-up fails fast
/// and names the variable when a value is unusable.
public struct ShegongSettings: Sendable {
    public var database: DatabaseLocation
    /// A PostgreSQL hot standby of `database` for reads that may be a moment old
    /// (`SHEGONG_DATABASE_REPLICA`, docs/deployment.md "Reads from the standby"); nil: none.
    public var replicaURL: String?
    /// How far, in WAL bytes, the standby may be behind the primary and still be read from
    /// (`SHEGONG_DATABASE_REPLICA_MAX_LAG_MB`, default 16).
    public var replicaMaxLagBytes: Int64 = ReplicaMonitor.defaultMaxLagBytes
    public var secretKeyFile: String
    public var logLevel: Logger.Level
    /// `SHEGONG_LOG_LEVEL` was not set: the server logs at info, other commands at warning.
    var logLevelIsDefault = false
    /// How log lines are written: plain text (the default) or one JSON object a line
    /// (`SHEGONG_LOG_FORMAT=json`, Operability/JSONLogHandler.swift).
    public var logFormat: LogFormat = .plain
    /// Who may read `/metrics` (`SHEGONG_METRICS_ALLOW`: addresses and CIDR blocks, comma-separated;
    /// default the loopback addresses). Everyone else gets 404.
    var metricsAllow: [AddressRange] = AddressRange.loopback
    /// Largest census upload the API accepts; larger answers 413.
    public var maxUploadBytes: Int
    /// Cookies always Secure, also when Shegong itself listens on loopback with plain HTTP behind a
    /// TLS proxy that is not in `trustedProxies` (`SHEGONG_SECURE_COOKIES=1`).
    public var secureCookies: Bool
    /// Plain HTTP is intended (`SHEGONG_PLAIN_HTTP=1`, not recommended): cookies without Secure
    /// and without the `__Host-` prefix although Shegong listens on a non-loopback address.
    public var plainHTTP: Bool
    /// The proxies whose `X-Forwarded-For` is believed (`SHEGONG_TRUSTED_PROXIES`: addresses and
    /// CIDR blocks, comma-separated; `SHEGONG_TRUST_PROXY=1` adds the loopback addresses).
    var trustedProxies: [AddressRange]
    /// Login attempts per client address per 5 minutes before 429 (`SHEGONG_LOGIN_RATE_LIMIT`).
    public var loginRateLimit: Int
    /// Password, lockout, session and TOTP rules (`AccountSettings` reads its own variables).
    public var accounts: AccountSettings
    /// The account operator commands act as when they are not given `--as` (`SHEGONG_CLI_ACCOUNT`).
    public var commandLineAccount: String?
    /// The server's own temporary folder (`SHEGONG_TEMP_DIR`, default `shegong-<uid>` in the
    /// system's temporary folder), created 0700 at start (`TempFiles`).
    public var tempDirectory: String
    /// Only help is asked for (`--help`, `-h`): the process opens an in-memory database and
    /// a throwaway key, so reading the help creates no key file and no database (issue #17 §5).
    public var helpOnly = false

    public static let logLevelKey = "SHEGONG_LOG_LEVEL"
    public static let maxUploadKey = "SHEGONG_MAX_UPLOAD_MB"
    public static let secureCookiesKey = "SHEGONG_SECURE_COOKIES"
    public static let trustProxyKey = "SHEGONG_TRUST_PROXY"
    public static let trustedProxiesKey = "SHEGONG_TRUSTED_PROXIES"
    public static let plainHTTPKey = "SHEGONG_PLAIN_HTTP"
    public static let loginRateLimitKey = "SHEGONG_LOGIN_RATE_LIMIT"
    public static let commandLineAccountKey = "SHEGONG_CLI_ACCOUNT"
    public static let logFormatKey = "SHEGONG_LOG_FORMAT"
    public static let metricsAllowKey = "SHEGONG_METRICS_ALLOW"
    public static let replicaKey = "SHEGONG_DATABASE_REPLICA"
    public static let replicaMaxLagKey = "SHEGONG_DATABASE_REPLICA_MAX_LAG_MB"

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        database = DatabaseLocation(environment: environment)
        if let raw = environment[Self.replicaKey]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") else {
                throw SettingsError(variable: Self.replicaKey, message: "must be a postgres:// URL of a hot standby; got \(DatabaseLocation(setting: raw))")
            }
            replicaURL = raw
        }
        if let raw = environment[Self.replicaMaxLagKey], !raw.isEmpty {
            guard let mb = Int64(raw), (1...1_048_576).contains(mb) else {
                throw SettingsError(variable: Self.replicaMaxLagKey, message: "must be a whole number of MiB 1–1048576; got \(raw)")
            }
            replicaMaxLagBytes = mb << 20
        }
        secretKeyFile = environment[PersonalDataCipher.keyFileEnvironmentKey].flatMap { $0.isEmpty ? nil : $0 } ?? "./shegong.key"
        if let mode = PersonalDataCipher.exposedMode(ofKeyFile: secretKeyFile) {
            throw SettingsError(variable: PersonalDataCipher.keyFileEnvironmentKey, message: """
                file \(secretKeyFile) is readable or writable by group or others (mode 0\(String(mode, radix: 8))); \
                whoever reads it can decrypt every stored ID and mobile number. Restrict it with: chmod 600 \(secretKeyFile)
                """)
        }
        tempDirectory = environment[TempFiles.environmentKey].flatMap { $0.isEmpty ? nil : $0 } ?? TempFiles.defaultDirectory().path
        if let raw = environment[Self.logLevelKey], !raw.isEmpty {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                throw SettingsError(variable: Self.logLevelKey, message: "must be one of trace, debug, info, notice, warning, error, critical; got \(raw)")
            }
            logLevel = level
        } else {
            logLevel = .info
            logLevelIsDefault = true
        }
        if let raw = environment[Self.logFormatKey], !raw.isEmpty {
            guard let format = LogFormat(rawValue: raw.lowercased()) else {
                throw SettingsError(variable: Self.logFormatKey, message: "must be plain or json; got \(raw)")
            }
            logFormat = format
        }
        if let raw = environment[Self.metricsAllowKey], !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            metricsAllow = []
            for entry in raw.split(separator: ",") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let range = AddressRange(String(entry)) else {
                    throw SettingsError(variable: Self.metricsAllowKey, message: "must be IP addresses or CIDR blocks separated by commas; got \(entry)")
                }
                metricsAllow.append(range)
            }
        }
        if let raw = environment[Self.maxUploadKey], !raw.isEmpty {
            guard let mb = Int(raw), mb > 0 else { throw SettingsError(variable: Self.maxUploadKey, message: "must be a positive number of MiB; got \(raw)") }
            maxUploadBytes = mb << 20
        } else {
            maxUploadBytes = 512 << 20
        }
        func flag(_ key: String) -> Bool { ["1", "true", "yes"].contains((environment[key] ?? "").lowercased()) }
        secureCookies = flag(Self.secureCookiesKey)
        commandLineAccount = environment[Self.commandLineAccountKey].flatMap { $0.isEmpty ? nil : $0 }
        plainHTTP = flag(Self.plainHTTPKey)
        if secureCookies && plainHTTP {
            throw SettingsError(variable: Self.plainHTTPKey, message: "contradicts \(Self.secureCookiesKey)=1; set one of them")
        }
        trustedProxies = flag(Self.trustProxyKey) ? AddressRange.loopback : []
        for entry in (environment[Self.trustedProxiesKey] ?? "").split(separator: ",") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let range = AddressRange(String(entry)) else {
                throw SettingsError(variable: Self.trustedProxiesKey, message: "must be IP addresses or CIDR blocks separated by commas; got \(entry)")
            }
            trustedProxies.append(range)
        }
        if let raw = environment[Self.loginRateLimitKey], !raw.isEmpty {
            guard let n = Int(raw), (1...10_000).contains(n) else {
                throw SettingsError(variable: Self.loginRateLimitKey, message: "must be a whole number 1–10000; got \(raw)")
            }
            loginRateLimit = n
        } else {
            loginRateLimit = 20
        }
        do {
            accounts = try AccountSettings(environment: environment)
        } catch let error as StoreError {
            throw SettingsError(variable: "account settings", message: error.message)
        }
        // Checked here so a bad file stops the start with the entry and key named; the rules in
        // force are read once from the same variable (`DepartmentStatistics.inForce`).
        do {
            _ = try DepartmentStatistics.load(environment: environment)
        } catch let error as DepartmentStatistics.FileError {
            throw SettingsError(variable: DepartmentStatistics.fileEnvironmentKey, message: error.description)
        }
    }
}

extension ShegongSettings {
    /// Whether the command line only asks for help, in any position Vapor's commands accept it.
    public static func asksOnlyForHelp(_ arguments: [String]) -> Bool {
        let words = arguments.dropFirst()
        return words.contains("--help") || words.contains("-h")
    }

    /// The settings for this command line: a command other than `serve` prints its own results and
    /// keeps the framework's info lines (migrations, SQL) to itself unless a level was asked for.
    public func forCommandLine(_ arguments: [String]) -> ShegongSettings {
        var settings = Self.asksOnlyForHelp(arguments) ? forHelpOnly() : self
        if let command = arguments.dropFirst().first, command != "serve", logLevelIsDefault {
            settings.logLevel = .warning
        }
        return settings
    }

    /// These settings, changed so that nothing on disk is read or created.
    public func forHelpOnly() -> ShegongSettings {
        var settings = self
        settings.helpOnly = true
        settings.database = .sqliteMemory
        return settings
    }
}

public struct SettingsError: Error, CustomStringConvertible {
    public let variable: String
    public let message: String
    public var description: String { "\(variable) \(message)" }
}
