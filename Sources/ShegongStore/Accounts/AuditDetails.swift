import Foundation
import ShegongDomain

/// An audit entry's details as the audit page (and its export) shows them (issue #17 §2): the stores write them as
/// `key=value` words (`role=official region=620900 access=read`, `file=census.csv rows=1 rejected=1`);
/// the page names each part from the catalogue (`audit.detail.<key>`) and each value that is a
/// code by its name — a role, an access, a region, an organisation or a person by name, true and
/// false as yes and no. Words that are no such part (`->`, a path) stay as written.
public enum AuditDetails {
    /// The keys the catalogue names.
    public static let keys: Set<String> = ["role", "region", "access", "department", "organization", "person", "file", "dryRun", "rows",
                                    "created", "updated", "rejected", "added", "unchanged", "format", "reveal", "people", "lines",
                                    "total_fen", "owner", "name", "sessions_ended", "retry_after", "consecutive", "intact", "checked"]

    /// The `key=value` parts of `details` (nil values for words that are none).
    public static func parts(_ details: String) -> [(key: String?, value: String)] {
        details.split(separator: " ", omittingEmptySubsequences: true).map { word in
            let text = String(word)
            if let equals = text.firstIndex(of: "="), keys.contains(String(text[..<equals])) {
                return (String(text[..<equals]), String(text[text.index(after: equals)...]))
            }
            return (nil, text)
        }
    }

    /// The regions, organisations and people the details of `entries` name.
    public static func referenced(_ details: [String]) -> (regions: [String], organizations: [String], people: [String]) {
        var regions: [String] = [], organizations: [String] = [], people: [String] = []
        for text in details {
            for part in parts(text) {
                switch part.key {
                case "region": regions.append(part.value.trimmingCharacters(in: CharacterSet(charactersIn: ";")))
                case "organization": organizations.append(part.value.trimmingCharacters(in: CharacterSet(charactersIn: ";")))
                case "person": people.append(part.value.trimmingCharacters(in: CharacterSet(charactersIn: ";")))
                default: continue
                }
            }
        }
        return (regions, organizations, people)
    }

    /// The details in words of `language`.
    public static func text(_ details: String, names: GrantNames, _ language: Language) -> String {
        let t = Catalogue.standard.texts(language)
        return parts(details).map { part -> String in
            guard let key = part.key else { return part.value }
            // A value may end a clause ("region=620900;"): the mark is kept after the name.
            let trailing = part.value.hasSuffix(";") ? ";" : ""
            let raw = trailing.isEmpty ? part.value : String(part.value.dropLast())
            let value: String
            switch key {
            case "role": value = Role(rawValue: raw).map { Catalogue.text("role.\($0.rawValue)", language) } ?? raw
            case "access": value = Access(rawValue: raw).map { Catalogue.text("access.\($0.rawValue)", language) } ?? raw
            case "region":
                value = raw == RegionPath.nationCode ? t("regionLevel.nation") : names.regions[raw].map { t("registry.region.named", $0, raw) } ?? raw
            case "organization": value = names.organizations[raw] ?? raw
            case "person": value = names.people[raw] ?? raw
            case "dryRun", "reveal", "intact": value = raw == "true" ? t("common.yes") : raw == "false" ? t("common.no") : raw
            default: value = raw
            }
            return t("audit.detail.\(key)") + t("plans.label_separator") + value + trailing
        }.joined(separator: " ")
    }
}
