import Foundation

extension IncentivePolicy {
    /// The policy as a policy file, in canonical form: every version written out in full (no
    /// inheritance), amounts in yuan with two decimals, free text double-quoted. A policy edited
    /// in the web UI is saved and audited as this text; `parse(yaml:)` reads it back to an equal
    /// policy.
    public var yamlText: String {
        var out: [String] = []
        func q(_ text: String) -> String {
            var escaped = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                default:
                    if scalar.value < 0x20 { escaped += String(format: "\\x%02X", scalar.value) } else { escaped.unicodeScalars.append(scalar) }
                }
            }
            return escaped + "\""
        }
        out.append("id: \(id)")
        out.append("name: \(q(name))")
        if let englishName { out.append("name_en: \(q(englishName))") }
        out.append("jurisdiction: \"\(jurisdiction.value)\"")
        out.append("kind: \(kind.rawValue)")
        out.append("review_levels: [\(reviewLevels.map(\.englishName).joined(separator: ", "))]")
        if placeholderAmounts { out.append("placeholder_amounts: true") }
        if let notes { out.append("notes: \(q(notes))") }
        out.append("sources:")
        for source in sources {
            out.append("  \(source.id):")
            out.append("    document: \(q(source.document))")
            if let article = source.article { out.append("    article: \(q(article))") }
            if let quote = source.quote { out.append("    quote: \(q(quote))") }
            if let url = source.url { out.append("    url: \(q(url))") }
        }
        out.append("versions:")
        for version in versions {
            out.append("  - from: \(version.from)")
            if let to = version.to { out.append("    to: \(to)") }
            if let source = version.source { out.append("    source: \(source)") }
            let cited = PolicyRule.citable.filter { version.ruleSources[$0] != nil }
            if !cited.isEmpty {
                out.append("    rule_sources:")
                for rule in cited { out.append("      \(rule.rawValue): \(version.ruleSources[rule]!)") }
            }
            if let notes = version.notes { out.append("    notes: \(q(notes))") }
            out.append("    amounts:")
            for level in CertificateLevel.allCases {
                if let fen = version.amounts[level] { out.append("      \(level.rawValue): \(PolicyMoney.yuanText(fen: fen))") }
            }
            if let regions = version.workRegions {
                out.append("    work_regions: [\(regions.map { "\"\($0.value)\"" }.joined(separator: ", "))]")
            }
            out.append("    low_score_area_certificates: \(version.lowScoreAreaCertificatesCount)")
            if let groups = version.qualifyingPosts {
                out.append("    qualifying_posts:")
                for group in groups {
                    var prefix = "      - "
                    if let categories = group.postCategories {
                        out.append("\(prefix)post_categories: [\(categories.map(\.rawValue).joined(separator: ", "))]")
                        prefix = "        "
                    }
                    if let kinds = group.employerKinds {
                        out.append("\(prefix)employer_kinds: [\(kinds.map(\.rawValue).joined(separator: ", "))]")
                    }
                }
            }
            if version.minimumMonthsInPost > 0 { out.append("    minimum_months_in_post: \(version.minimumMonthsInPost)") }
            if let window = version.applicationWindow {
                out.append("    application_window:")
                out.append("      within: \(window.lengthText)")
                out.append("      inclusive: \(window.inclusive)")
            }
            if let upgrade = version.upgrade { out.append("    upgrade: \(upgrade.rawValue)") }
            if let proRata = version.proRata { out.append("    pro_rata: \(proRata.rawValue)") }
            if let cap = version.budgetCap {
                out.append("    budget_cap:")
                out.append("      amount: \(PolicyMoney.yuanText(fen: cap.amountFen))")
                out.append("      per: \(cap.period.rawValue)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
