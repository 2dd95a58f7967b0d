import Foundation

/// A message for the user, kept as its catalogue key and arguments rather than as finished text,
/// so each page shows it in its own language while the JSON API and the CLI keep the Chinese.
///
/// Errors carry one beside their stable `code` (`census.id.invalid`, `password.too_short`). The
/// key is usually the code; it differs where one code has several wordings (a `validation` error
/// says which form was wrong) or where a wrapper's code keeps an inner error's wording
/// (`census.id.invalid` shows the identifier's own `id.check_digit` message). The texts live in
/// `Catalogue+Messages.swift`.
public struct CatalogueMessage: Hashable, Sendable {
    public var key: String
    /// Positional values for the template's `{0}`, `{1}`… (numbers, codes, values as the user gave them).
    public var arguments: [String]

    public init(_ key: String, _ arguments: String...) {
        self.init(key, arguments: arguments)
    }

    public init(_ key: String, arguments: [String]) {
        self.key = key
        self.arguments = arguments
    }

    /// Key of the template that shows its one argument as it is, in every language.
    public static let verbatimKey = "message.verbatim"

    /// Text that has no catalogue entry — an issue stored before messages were kept by key, or a
    /// reason from outside Shegong — shown as it is, in every language.
    public static func verbatim(_ text: String) -> CatalogueMessage {
        CatalogueMessage(verbatimKey, text)
    }

    /// Key of a message built in the domain with both texts (eligibility explanations, indicator
    /// and target messages): the arguments are the Chinese and the English.
    public static let bilingualKey = "message.bilingual"

    public static func bilingual(chinese: String, english: String) -> CatalogueMessage {
        CatalogueMessage(bilingualKey, chinese, english)
    }

    public static func bilingual(_ text: PolicyText) -> CatalogueMessage { bilingual(chinese: text.zh, english: text.en) }

    public static func bilingual(_ message: IndicatorMessage) -> CatalogueMessage {
        bilingual(chinese: message.chinese, english: message.english)
    }

    /// An argument that is itself a domain name (a role, a certificate level), shown in the
    /// message's language: the value's catalogue key behind a control character no input carries.
    public static func name(_ value: some CatalogueNamed) -> String { namePrefix + value.catalogueKey }

    /// An argument that is a list of values as the user must write them (keys, codes), joined in
    /// the message's language: “id、name” in Chinese, “id, name” in English.
    public static func list(_ values: [String]) -> String { listPrefix + values.joined(separator: String(listSeparator)) }

    /// An argument that is itself a message (a YAML value's shape, an identifier's own error, a
    /// message after its line number), shown in the outer message's language. Key and arguments
    /// are kept as a JSON array, so the inner message may carry names, lists and messages too.
    public static func message(_ inner: CatalogueMessage) -> String {
        let parts = (try? JSONEncoder().encode([inner.key] + inner.arguments)) ?? Data()
        return messagePrefix + String(decoding: parts, as: UTF8.self)
    }

    private static let namePrefix = "\u{1}", listPrefix = "\u{2}", messagePrefix = "\u{3}"
    private static let listSeparator: Character = "\u{1E}"

    public func text(_ language: Language) -> String {
        switch key {
        case Self.verbatimKey: return arguments.first ?? ""
        case Self.bilingualKey where arguments.count == 2: return arguments[language == .en ? 1 : 0]
        default: return Catalogue.text(key, language, arguments: arguments.map { Self.argument($0, language) })
        }
    }

    private static func argument(_ value: String, _ language: Language) -> String {
        if value.hasPrefix(namePrefix) { return Catalogue.text(String(value.dropFirst()), language) }
        if value.hasPrefix(listPrefix) {
            return value.dropFirst().split(separator: listSeparator, omittingEmptySubsequences: false)
                .joined(separator: Catalogue.text("message.list_separator", language))
        }
        if value.hasPrefix(messagePrefix), let parts = try? JSONDecoder().decode([String].self, from: Data(value.dropFirst().utf8)),
           let key = parts.first {
            return CatalogueMessage(key, arguments: Array(parts.dropFirst())).text(language)
        }
        return value
    }

    /// The text in Chinese: the `message` of the JSON API and the CLI.
    public var chinese: String { text(.zhHans) }
}

// In JSON a message is its Chinese text — the language of the JSON API, the CLI and stored
// reports — and a decoded one keeps that text as it was written. So the errors that carry one
// (`CensusIssue`, `StoreError.Detail`, `PolicyError`) keep their `{…, code, message}` shape with
// synthesised coding.
extension CatalogueMessage: Codable {
    public init(from decoder: any Decoder) throws {
        self = .verbatim(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(chinese)
    }
}
