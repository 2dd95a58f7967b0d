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
    /// What is wrong and what is expected, by catalogue key (usually `code`) and arguments
    /// (`Catalogue+PolicyMessages.swift`).
    public var text: CatalogueMessage

    public init(line: Int? = nil, path: String, code: String, text: CatalogueMessage) {
        self.line = line
        self.path = path
        self.code = code
        self.text = text
    }

    /// A problem worded by the catalogue entry of its own code.
    public init(line: Int? = nil, path: String, code: String, _ arguments: String...) {
        self.init(line: line, path: path, code: code, text: CatalogueMessage(code, arguments: arguments))
    }

    /// Chinese, says what is wrong and what is expected: the `message` of the JSON API and the CLI.
    public var message: String { text.chinese }

    public func message(_ language: Language) -> String { text.text(language) }

    /// The message after its line (“第 12 行：…”), for a list with no place of its own for the line.
    public var textWithLine: CatalogueMessage {
        guard let line else { return text }
        return CatalogueMessage("policy.error.line", String(line), CatalogueMessage.message(text))
    }

    public var description: String {
        let location = line.map { "第 \($0) 行 " } ?? ""
        return "\(location)\(path.isEmpty ? "（文件）" : path)：\(message)"
    }
}

// The JSON shape stays `{line, path, code, message}` (`CatalogueMessage` codes as its Chinese text).
extension PolicyError {
    private enum CodingKeys: String, CodingKey { case line, path, code, text = "message" }
}

/// All the problems of one policy, as the failure of `IncentivePolicy.parse(yaml:)`.
public struct PolicyErrorList: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [PolicyError]

    public init(_ errors: [PolicyError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// The terms a policy file's vocabulary errors name (“未知的审核层级…”), in the message's language.
enum PolicyTerm: String, CaseIterable, CatalogueNamed {
    case kind, reviewLevel = "review_level", postCategory = "post_category", employerKind = "employer_kind"
    case upgrade, proRata = "pro_rata", budgetPeriod = "budget_period"

    var catalogueKey: String { "policy.term.\(rawValue)" }
}

