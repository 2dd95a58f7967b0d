import Foundation
import Yams

/// Which region statistics a department enters, as data (issue #3 §2: a department operator
/// enters "the statistics of their field" — 教育 the schools, 民政 the older people and beds,
/// 司法 the community-correction subjects…).
///
/// Grants name a department in free text, so a rule matches by keyword: an operator of
/// "酒泉市教育局" enters what the rule with the keyword 教育 lists. Several rules may match one
/// name; their statistics add up. A name matching no rule enters none.
public struct DepartmentStatistics: Sendable, Equatable {
    public struct Rule: Sendable, Equatable, Codable {
        /// The kind of department, shown to administrators ("教育部门").
        public var name: String
        public var keywords: [String]
        public var statistics: [RegionStatistic]
    }

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// The statistics a department of this name enters.
    public func statistics(department: String) -> Set<RegionStatistic> {
        Set(matchingRules(department: department).flatMap(\.statistics))
    }

    /// The rules whose keywords the department's name contains.
    public func matchingRules(department: String) -> [Rule] {
        rules.filter { rule in rule.keywords.contains { department.contains($0) } }
    }

    /// A problem in a department-statistics file, naming the entry and key.
    public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    /// Reads the YAML format of `Resources/accounts/department-statistics.yaml`: a `departments`
    /// list of `name`, `keywords` and `statistics` (ids such as `schools`). Unknown keys, unknown
    /// statistics, and rules without keywords or statistics are refused.
    public static func parse(yaml text: String) throws -> DepartmentStatistics {
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw FileError(path: "(file)", message: "not YAML: \(error)")
        }
        guard let top = root as? [String: Any], let list = top["departments"] as? [Any] else {
            throw FileError(path: "departments", message: "the file must have a list `departments`")
        }
        if let extra = top.keys.first(where: { $0 != "departments" }) {
            throw FileError(path: extra, message: "unknown key; the file has only `departments`")
        }
        var rules: [Rule] = []
        for (index, item) in list.enumerated() {
            let at = "departments[\(index)]"
            guard let entry = item as? [String: Any] else { throw FileError(path: at, message: "each entry has name, keywords and statistics") }
            if let extra = entry.keys.sorted().first(where: { !["name", "keywords", "statistics"].contains($0) }) {
                throw FileError(path: "\(at).\(extra)", message: "unknown key; an entry has name, keywords and statistics")
            }
            guard let name = (entry["name"] as? String)?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                throw FileError(path: "\(at).name", message: "a name is required")
            }
            let keywords = ((entry["keywords"] as? [Any]) ?? []).map { "\($0)".trimmingCharacters(in: .whitespaces) }
            guard !keywords.isEmpty, !keywords.contains(where: \.isEmpty) else {
                throw FileError(path: "\(at).keywords", message: "at least one non-empty keyword is required")
            }
            var statistics: [RegionStatistic] = []
            for (k, raw) in ((entry["statistics"] as? [Any]) ?? []).enumerated() {
                guard let statistic = RegionStatistic(rawValue: "\(raw)") else {
                    throw FileError(path: "\(at).statistics[\(k)]", message: "unknown statistic \(raw); one of "
                                    + RegionStatistic.allCases.map(\.rawValue).joined(separator: ", "))
                }
                statistics.append(statistic)
            }
            guard !statistics.isEmpty else { throw FileError(path: "\(at).statistics", message: "at least one statistic is required") }
            rules.append(Rule(name: name, keywords: keywords, statistics: statistics))
        }
        return DepartmentStatistics(rules: rules)
    }
}
