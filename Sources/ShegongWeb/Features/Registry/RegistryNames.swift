import Foundation
import ShegongDomain

/// What the registry pages show where a record keeps a code: the census template's values, an
/// organisation's kind, a region code, the channel a change came through — each by its name in
/// the page's language, the raw value when the catalogue does not know it (so nothing is hidden).
enum RegistryNames {
    static func sex(_ raw: String, _ t: LocalizedTexts) -> String { Sex(rawValue: raw).map(t.name) ?? raw }

    static func postCategory(_ raw: String?, _ t: LocalizedTexts) -> String {
        raw.map { PostCategory(rawValue: $0).map(t.name) ?? $0 } ?? ""
    }

    /// A certificate level; nil or 无 is "no certificate".
    static func level(_ raw: String?, _ t: LocalizedTexts) -> String {
        guard let raw, raw != CensusFacts.none else { return t("certificateLevel.none") }
        return CertificateLevel(rawValue: raw).map(t.name) ?? raw
    }

    static func serviceFields(_ raw: [String], _ t: LocalizedTexts) -> String {
        raw.map { ServiceField(rawValue: $0).map(t.name) ?? $0 }.joined(separator: t("message.list_separator"))
    }

    static func organizationKind(_ raw: String?, _ t: LocalizedTexts) -> String {
        raw.map { OrganizationKind(rawValue: $0).map(t.name) ?? $0 } ?? ""
    }

    /// The census template's 是 / 否.
    static func yesNo(_ raw: String, _ t: LocalizedTexts) -> String {
        switch raw {
        case "是": return t("common.yes")
        case "否": return t("common.no")
        default: return raw
        }
    }

    /// "肃州区（620902）" when the region's name is known, the code alone otherwise.
    static func region(_ code: String?, _ names: [String: String], _ t: LocalizedTexts) -> String {
        guard let code, !code.isEmpty else { return "" }
        return names[code].map { t("registry.region.named", $0, code) } ?? code
    }

    /// A region by its name with its code second (`<span class="code">`, small and grey), the code
    /// alone when the name is not known.
    static func regionNode(_ code: String?, _ names: [String: String]) -> Node {
        guard let code, !code.isEmpty else { return .empty }
        guard let name = names[code] else { return .span(.class("code"), .text(code)) }
        return .group(.text(name), " ", .span(.class("code"), .text(code)))
    }

    /// The channel a change came through, as the stores record it: `web`, `api`, `api:certificates`,
    /// `import:FILE`, `demo…`.
    static func source(_ raw: String, _ t: LocalizedTexts) -> String {
        if raw == "web" { return t("registry.source.web") }
        if raw == "api" || raw.hasPrefix("api:") { return t("registry.source.api") }
        if raw.hasPrefix("import:") { return t("registry.source.import", String(raw.dropFirst("import:".count))) }
        if raw.hasPrefix("demo") { return t("registry.source.demo") }
        return raw
    }
}
