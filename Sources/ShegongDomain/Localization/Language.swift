import Foundation

/// The interface languages (docs/conventions.md §6: Simplified Chinese by default, English second).
///
/// A page picks its language in this order: an explicit `?lang=` choice, the `lang` cookie the
/// language switch sets, the browser's `Accept-Language`, then Chinese (`Language.resolve`).
public enum Language: String, CaseIterable, Codable, Sendable {
    case zhHans = "zh-Hans"
    case en

    public static let `default`: Language = .zhHans

    /// The value for `<html lang="…">` and for the `lang` cookie.
    public var tag: String { rawValue }

    /// The language's own name, for the switch (a Chinese reader finds “中文” even on an English page).
    public var nativeName: String {
        switch self {
        case .zhHans: return "中文"
        case .en: return "English"
        }
    }

    /// Reads one language tag: `zh`, `zh-CN`, `zh-Hans-CN`, `zh_cn`, `en`, `en-GB`… (case-insensitive).
    /// Every Chinese tag maps to Simplified Chinese, including `zh-TW` and `zh-Hant`: a reader of
    /// traditional characters reads simplified ones better than English. nil for anything else.
    public init?(tag raw: String) {
        let tag = raw.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        let primary = tag.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        switch primary {
        case "zh", "cmn": self = .zhHans
        case "en": self = .en
        default: return nil
        }
    }

    /// The value of the `lang` cookie (or `?lang=` query item) set by the language switch;
    /// nil when absent or not a language we serve, so the next source decides.
    public init?(cookie value: String?) {
        guard let value, !value.isEmpty, value.count <= 35 else { return nil }
        self.init(tag: value)
    }

    /// The best language for an `Accept-Language` header (RFC 9110 §12.5.4): entries ranked by
    /// their `q` weight (default 1; `q=0` means "not this one"), ties kept in header order.
    /// nil when the header names none of ours; `*` alone means "any", which is Chinese.
    public init?(acceptLanguage header: String?) {
        guard let header, !header.isEmpty else { return nil }
        var ranked: [(language: Language?, weight: Double, order: Int)] = []
        for (order, item) in header.split(separator: ",").prefix(50).enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first, !range.isEmpty else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "q" {
                    weight = Double(pair[1]).flatMap { $0.isFinite ? min(1, max(0, $0)) : nil } ?? 0
                }
            }
            guard weight > 0 else { continue }
            ranked.append((range == "*" ? .default : Language(tag: range), weight, order))
        }
        let best = ranked.filter { $0.language != nil }
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order }.first
        guard let language = best?.language else { return nil }
        self = language
    }

    /// The page's language: the explicit choice, else the cookie, else the browser's preference,
    /// else Chinese.
    public static func resolve(query: String? = nil, cookie: String? = nil, acceptLanguage: String? = nil) -> Language {
        Language(cookie: query) ?? Language(cookie: cookie) ?? Language(acceptLanguage: acceptLanguage) ?? .default
    }

    /// The language the policy engine's two-text sentences use (`PolicyText`, `IndicatorMessage`).
    public var policyLanguage: PolicyText.Language { self == .zhHans ? .zh : .en }
}

extension PolicyText {
    /// The sentence in an interface language.
    public func localized(_ language: ShegongDomain.Language) -> String { language == .zhHans ? zh : en }
}

extension IndicatorMessage {
    /// The reason in an interface language.
    public func localized(_ language: Language) -> String { language == .zhHans ? chinese : english }
}
