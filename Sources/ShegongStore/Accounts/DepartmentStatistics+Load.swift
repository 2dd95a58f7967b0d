import Foundation
import ShegongDomain

extension DepartmentStatistics {
    /// The variable naming an office's own department-statistics file.
    public static let fileEnvironmentKey = "SHEGONG_DEPARTMENT_STATISTICS"

    /// The shipped rules (`Resources/accounts/department-statistics.yaml`).
    public static func shipped() throws -> DepartmentStatistics {
        guard let url = Bundle.module.url(forResource: "department-statistics", withExtension: "yaml", subdirectory: "Resources/accounts") else {
            throw FileError(path: "department-statistics.yaml", message: "missing from the build")
        }
        return try parse(yaml: String(contentsOf: url, encoding: .utf8))
    }

    /// The office's file when `SHEGONG_DEPARTMENT_STATISTICS` names one, else the shipped rules.
    /// Start-up calls this so a bad file stops the server with the entry and key named.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DepartmentStatistics {
        guard let path = environment[fileEnvironmentKey], !path.isEmpty else { return try shipped() }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(path: path, message: "cannot be read: \(error.localizedDescription)")
        }
        do {
            return try parse(yaml: text)
        } catch let error as FileError {
            throw FileError(path: "\(path) \(error.path)", message: error.message)
        }
    }

    /// The rules in force, read once (start-up has checked them; see `ShegongSettings`).
    public static let inForce: DepartmentStatistics = (try? load()) ?? DepartmentStatistics(rules: [])
}
