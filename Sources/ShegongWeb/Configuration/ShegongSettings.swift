import Foundation
import Logging
import ShegongStore

/// Everything Shegong reads from the environment, in one place (DESIGN §7). Start-up fails fast
/// and names the variable when a value is unusable.
public struct ShegongSettings: Sendable {
    public var database: DatabaseLocation
    public var secretKeyFile: String
    public var logLevel: Logger.Level
    /// Largest census upload the API accepts; larger answers 413.
    public var maxUploadBytes: Int

    public static let logLevelKey = "SHEGONG_LOG_LEVEL"
    public static let maxUploadKey = "SHEGONG_MAX_UPLOAD_MB"

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        database = DatabaseLocation(environment: environment)
        secretKeyFile = environment[PersonalDataCipher.keyFileEnvironmentKey].flatMap { $0.isEmpty ? nil : $0 } ?? "./shegong.key"
        if let raw = environment[Self.logLevelKey], !raw.isEmpty {
            guard let level = Logger.Level(rawValue: raw.lowercased()) else {
                throw SettingsError(variable: Self.logLevelKey, message: "must be one of trace, debug, info, notice, warning, error, critical; got \(raw)")
            }
            logLevel = level
        } else {
            logLevel = .info
        }
        if let raw = environment[Self.maxUploadKey], !raw.isEmpty {
            guard let mb = Int(raw), mb > 0 else { throw SettingsError(variable: Self.maxUploadKey, message: "must be a positive number of MiB; got \(raw)") }
            maxUploadBytes = mb << 20
        } else {
            maxUploadBytes = 512 << 20
        }
    }
}

public struct SettingsError: Error, CustomStringConvertible {
    public let variable: String
    public let message: String
    public var description: String { "\(variable) \(message)" }
}
