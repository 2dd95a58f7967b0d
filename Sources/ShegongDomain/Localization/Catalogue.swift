import Foundation

/// One interface string in both languages. An empty `en` means "not translated yet": English
/// pages then show the Chinese text (the catalogue test refuses that in the shipped catalogue).
public struct CatalogueEntry: Hashable, Sendable {
    public var key: String
    public var zhHans: String
    public var en: String

    public init(_ key: String, _ zhHans: String, _ en: String) {
        self.key = key
        self.zhHans = zhHans
        self.en = en
    }
}

/// Every user-facing string of the web interface (docs/conventions.md §6), by key: `nav.people`,
/// `census.import.title`, `status.measure.overdue`…
///
/// Texts are plain text, never HTML: a page escapes what `text` returns, arguments included.
/// Arguments are positional — `{0}`, `{1}` — so a translation may put them in another order
/// (“第 {0} 页，共 {1} 页” / “Page {0} of {1}”).
///
/// Lookup never fails at run time: a key missing in English falls back to Chinese, a key missing
/// in both is shown as the key itself (visible, so a test or a reviewer catches it).
public struct Catalogue: Sendable {
    private let tables: [Language: [String: String]]

    /// A catalogue from one table per language (tests build small ones).
    public init(tables: [Language: [String: String]]) {
        self.tables = tables
    }

    /// A catalogue from entries; an empty translation is left out so that it falls back.
    public init(entries: [CatalogueEntry]) {
        var zh: [String: String] = [:], en: [String: String] = [:]
        for entry in entries {
            if !entry.zhHans.isEmpty { zh[entry.key] = entry.zhHans }
            if !entry.en.isEmpty { en[entry.key] = entry.en }
        }
        tables = [.zhHans: zh, .en: en]
    }

    /// The shipped catalogue: all areas (`Catalogue+Navigation.swift`, `Catalogue+Census.swift`, …).
    public static let standard = Catalogue(entries: allEntries)

    /// The shipped entries, area by area, in source order.
    public static var allEntries: [CatalogueEntry] {
        navigationEntries + actionEntries + censusEntries + registryEntries + statusEntries
            + dashboardEntries + dashboardPageEntries + chartEntries + errorEntries + accountEntries + accountPageEntries + accountPickEntries
            + incentivePageEntries + registryPageEntries + figuresEntries + messageEntries + evidenceEntries + serviceEntries + fileEntries
            + securityEntries + apiEntries + fidelityEntries + planServiceEntries + registryServiceEntries
            + importPageEntries + importsEntries
            + operationsEntries
            + adminPageEntries
            + pgRegistryEntries
            + pgincentivesEntries
            + englishWalkEntries
            + pgPlansEntries
            + printingEntries
            + incentivePrintingEntries
            + todoEntries
            + reliabilityEntries
            + pilotEntries + verificationEntries
            + moneyEntries
            + practiceBaseEntries
            + continuingEducationEntries
            + trainingEntries + trainingCoverageEntries
            + plainNameEntries
            + gapsEntries
            + fourEyesPageEntries
            + listsEntries
            + keysetEntries
            + policyFormEntries
            + measureConfirmationEntries
            + examFormEntries
            + exportsEntries
            + planFormEntries
            + planEditEntries
    }

    /// Keys given more than once in the shipped entries (the later one would win silently).
    public static var duplicateKeys: [String] {
        var seen: Set<String> = [], duplicates: [String] = []
        for entry in allEntries where !seen.insert(entry.key).inserted { duplicates.append(entry.key) }
        return duplicates
    }

    /// The keys one language defines, sorted.
    public func keys(_ language: Language) -> [String] { (tables[language] ?? [:]).keys.sorted() }

    /// Whether `language` itself defines `key` (without falling back).
    public func defines(_ key: String, in language: Language) -> Bool { tables[language]?[key] != nil }

    /// The raw template with its `{n}` placeholders, after the fallback; nil when no language has it.
    public func template(_ key: String, _ language: Language) -> String? {
        tables[language]?[key] ?? tables[.default]?[key]
    }

    /// The text of `key` in `language` with `{0}`, `{1}`… replaced by `arguments`.
    public func text(_ key: String, _ language: Language, arguments: [String]) -> String {
        guard let template = template(key, language) else { return key }
        return Self.fill(template, arguments)
    }

    public func text(_ key: String, _ language: Language, _ arguments: String...) -> String {
        text(key, language, arguments: arguments)
    }

    /// The standard catalogue's text (the form pages use).
    public static func text(_ key: String, _ language: Language, arguments: [String]) -> String {
        standard.text(key, language, arguments: arguments)
    }

    public static func text(_ key: String, _ language: Language, _ arguments: String...) -> String {
        standard.text(key, language, arguments: arguments)
    }

    /// The catalogue bound to one language, for a page: `let t = Catalogue.standard.texts(.en); t("nav.people")`.
    public func texts(_ language: Language) -> LocalizedTexts { LocalizedTexts(catalogue: self, language: language) }

    /// Replaces each `{n}` (n = decimal digits) by `arguments[n]`; a placeholder without an
    /// argument stays as written so the gap shows; any other brace is literal text.
    public static func fill(_ template: String, _ arguments: [String]) -> String {
        guard template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"),
               close > afterOpen, rest[afterOpen..<close].allSatisfy({ $0.isASCII && $0.isNumber }),
               let index = Int(rest[afterOpen..<close]), index < arguments.count {
                out += arguments[index]
                rest = rest[rest.index(after: close)...]
            } else {
                out.append("{")
                rest = rest[afterOpen...]
            }
        }
        out += rest
        return out
    }

    /// The placeholder numbers a template uses, sorted and without repeats (`"{1} of {0}"` → [0, 1]).
    public static func placeholders(in template: String) -> [Int] {
        var found: Set<Int> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), close > afterOpen,
               rest[afterOpen..<close].allSatisfy({ $0.isASCII && $0.isNumber }), let index = Int(rest[afterOpen..<close]) {
                found.insert(index)
                rest = rest[rest.index(after: close)...]
            } else {
                rest = rest[afterOpen...]
            }
        }
        return found.sorted()
    }
}

/// The catalogue in one language, callable: `t("pager.page", "2", "10")`.
public struct LocalizedTexts: Sendable {
    public let catalogue: Catalogue
    public let language: Language

    public func callAsFunction(_ key: String, _ arguments: String...) -> String {
        catalogue.text(key, language, arguments: arguments)
    }

    /// The localized name of a domain value (`t.name(MeasureStatus.overdue)`).
    public func name(_ value: some CatalogueNamed) -> String {
        catalogue.text(value.catalogueKey, language, arguments: [])
    }
}

/// A domain value whose interface name lives in the catalogue (statuses, categories, levels…).
public protocol CatalogueNamed {
    var catalogueKey: String { get }
}

extension CatalogueNamed {
    public func localizedName(_ language: Language) -> String { Catalogue.text(catalogueKey, language) }
}
