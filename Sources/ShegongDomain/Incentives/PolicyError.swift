import Foundation

/// One problem in a policy file or in a policy edited in the UI. `shegong policy check` prints
/// them as `第 12 行 versions[0].amounts.社会工作师：…`; nothing is activated while any remains.
public struct PolicyError: Hashable, Codable, Sendable, CustomStringConvertible {
    /// 1-based line in the YAML file; nil for a policy that did not come from a file, or a
    /// problem with the file as a whole.
    public var line: Int?
    /// Where in the policy: `versions[1].from`, `versions[0].amounts.社会工作师`, `` for the root.
    public var path: String
    /// Stable, machine-readable: `policy.key.unknown`, `policy.amount.fraction`, …
    public var code: String
    /// Chinese, says what is wrong and what is expected.
    public var message: String

    public init(line: Int? = nil, path: String, code: String, message: String) {
        self.line = line
        self.path = path
        self.code = code
        self.message = message
    }

    public var description: String {
        let location = line.map { "第 \($0) 行 " } ?? ""
        return "\(location)\(path.isEmpty ? "（文件）" : path)：\(message)"
    }
}

/// All the problems of one policy, as the failure of `IncentivePolicy.parse(yaml:)`.
public struct PolicyErrorList: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [PolicyError]

    public init(_ errors: [PolicyError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
