import Foundation

// JSON objects keyed by level title (`{"社会工作师": 200000}`) rather than Swift's default
// key/value array for non-String dictionary keys.
extension CertificateLevel: CodingKeyRepresentable {}

extension IncentivePolicy {
    /// The rules a policy must satisfy whatever it was written in (YAML file or web form).
    /// Errors carry the key path (`versions[1].from`); the YAML reader adds line numbers.
    /// Region codes are checked for form only: whether they exist is for the caller to check
    /// against the region tree (`jurisdiction`, `PolicyVersion.workRegions`).
    public func validationErrors() -> [PolicyError] {
        var errors: [PolicyError] = []
        func add(_ path: String, code: String, text: CatalogueMessage) {
            errors.append(PolicyError(path: path, code: code, text: text))
        }
        /// A problem worded by the catalogue entry of its own code.
        func add(_ path: String, code: String, _ arguments: String...) {
            add(path, code: code, text: CatalogueMessage(code, arguments: arguments))
        }

        if !IncentivePolicy.isValidID(id) {
            add("id", code: "policy.id.invalid", id)
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            add("name", code: "policy.name.empty")
        }
        if reviewLevels.isEmpty {
            add("review_levels", code: "policy.review.empty")
        }
        // Review goes upwards: township → county → city, never above the paying government.
        for (index, level) in reviewLevels.enumerated() {
            if level < jurisdiction.level {
                add("review_levels[\(index)]", code: "policy.review.above_jurisdiction",
                    level.englishName, CatalogueMessage.name(level), CatalogueMessage.name(jurisdiction.level))
            }
            if index > 0, level >= reviewLevels[index - 1] {
                add("review_levels[\(index)]", code: "policy.review.order", level.englishName)
            }
        }
        var sourceIDs = Set<String>()
        for (index, source) in sources.enumerated() {
            if !IncentivePolicy.isValidID(source.id) {
                add("sources.\(source.id)", code: "policy.source.id", source.id)
            }
            if !sourceIDs.insert(source.id).inserted {
                add("sources.\(source.id)", code: "policy.source.duplicate", source.id, String(index + 1))
            }
            if source.document.trimmingCharacters(in: .whitespaces).isEmpty {
                add("sources.\(source.id).document", code: "policy.source.document", source.id)
            }
        }

        if versions.isEmpty {
            add("versions", code: "policy.versions.empty")
        }
        for (index, version) in versions.enumerated() {
            let path = "versions[\(index)]"
            if let to = version.to, to < version.from {
                add("\(path).to", code: "policy.version.reversed", "\(to)", "\(version.from)")
            }
            if index > 0 {
                let earlier = versions[index - 1]
                if version.from <= earlier.from {
                    add("\(path).from", code: "policy.version.order", "\(version.from)", "\(earlier.from)")
                } else if earlier.to.map({ $0 >= version.from }) ?? true {
                    if let earlierTo = earlier.to {
                        add("\(path).from", code: "policy.version.overlap", "\(version.from)", "\(earlier.from)", "\(earlierTo)")
                    } else {
                        add("\(path).from", code: "policy.version.overlap", text: CatalogueMessage("policy.version.overlap.open", "\(version.from)", "\(earlier.from)"))
                    }
                }
            }
            if version.amounts.isEmpty {
                add("\(path).amounts", code: "policy.amounts.empty")
            }
            for level in CertificateLevel.allCases {
                guard let fen = version.amounts[level] else { continue }
                if fen < 0 {
                    add("\(path).amounts.\(level.rawValue)", code: "policy.amount.negative", text: CatalogueMessage("policy.amount.negative.edited"))
                }
            }
            if let regions = version.workRegions {
                if regions.isEmpty {
                    add("\(path).work_regions", code: "policy.work_regions.empty")
                }
                for (i, region) in regions.enumerated() where !jurisdiction.contains(region) {
                    add("\(path).work_regions[\(i)]", code: "policy.work_regions.outside", "\(region)", "\(jurisdiction)")
                }
            }
            if let posts = version.qualifyingPosts {
                if posts.isEmpty {
                    add("\(path).qualifying_posts", code: "policy.posts.empty")
                }
                for (i, group) in posts.enumerated() {
                    if group.postCategories == nil && group.employerKinds == nil {
                        add("\(path).qualifying_posts[\(i)]", code: "policy.posts.group_empty")
                    }
                    if group.postCategories?.isEmpty == true {
                        add("\(path).qualifying_posts[\(i)].post_categories", code: "policy.posts.categories_empty")
                    }
                    if group.employerKinds?.isEmpty == true {
                        add("\(path).qualifying_posts[\(i)].employer_kinds", code: "policy.posts.employers_empty")
                    }
                }
            }
            if version.minimumMonthsInPost < 0 {
                add("\(path).minimum_months_in_post", code: "policy.tenure.negative")
            }
            if version.minimumMonthsInPost > 0 && version.qualifyingPosts == nil {
                add("\(path).minimum_months_in_post", code: "policy.tenure.without_posts")
            }
            if let window = version.applicationWindow, window.length <= 0 {
                add("\(path).application_window.within", code: "policy.window.length")
            }
            if let cap = version.budgetCap, cap.amountFen < 0 {
                add("\(path).budget_cap.amount", code: "policy.budget.negative")
            }
            switch kind {
            case .oneTimeAward:
                if version.upgrade == nil {
                    add("\(path).upgrade", code: "policy.upgrade.missing")
                }
                if version.proRata != nil {
                    add("\(path).pro_rata", code: "policy.pro_rata.not_allowance")
                }
            case .monthlyAllowance:
                if version.proRata == nil {
                    add("\(path).pro_rata", code: "policy.pro_rata.missing")
                }
                if version.applicationWindow != nil {
                    add("\(path).application_window", code: "policy.window.not_award")
                }
                if version.upgrade != nil {
                    add("\(path).upgrade", code: "policy.upgrade.not_award")
                }
            }
            if let source = version.source, !sourceIDs.contains(source) {
                add("\(path).source", code: "policy.source.unknown", source)
            }
            if version.source == nil {
                add("\(path).source", code: "policy.source.missing")
            }
            for rule in PolicyRule.citable {
                guard let cited = version.ruleSources[rule] else { continue }
                if !sourceIDs.contains(cited) {
                    add("\(path).rule_sources.\(rule.rawValue)", code: "policy.source.unknown", cited)
                }
            }
            for rule in version.ruleSources.keys where !PolicyRule.citable.contains(rule) {
                add("\(path).rule_sources.\(rule.rawValue)", code: "policy.source.rule", rule.rawValue)
            }
        }
        return errors
    }

    static func isValidID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
