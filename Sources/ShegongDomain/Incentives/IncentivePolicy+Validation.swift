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
        func add(_ path: String, _ code: String, _ message: String) {
            errors.append(PolicyError(path: path, code: code, message: message))
        }

        if !IncentivePolicy.isValidID(id) {
            add("id", "policy.id.invalid", "政策标识“\(id)”只能由小写字母、数字和“-”组成，且不能为空")
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            add("name", "policy.name.empty", "政策名称不能为空")
        }
        if reviewLevels.isEmpty {
            add("review_levels", "policy.review.empty", "至少需要一级审核（review_levels，如 [township, county]）")
        }
        // Review goes upwards: township → county → city, never above the paying government.
        for (index, level) in reviewLevels.enumerated() {
            if level < jurisdiction.level {
                add("review_levels[\(index)]", "policy.review.above_jurisdiction",
                    "审核层级“\(level.englishName)”（\(level.chineseName)）高于政策所属地区（\(jurisdiction.level.chineseName)）")
            }
            if index > 0, level >= reviewLevels[index - 1] {
                add("review_levels[\(index)]", "policy.review.order",
                    "审核层级应从低到高排列（如 township、county），“\(level.englishName)”不高于前一级")
            }
        }
        var sourceIDs = Set<String>()
        for (index, source) in sources.enumerated() {
            if !IncentivePolicy.isValidID(source.id) {
                add("sources.\(source.id)", "policy.source.id", "依据标识“\(source.id)”只能由小写字母、数字和“-”组成")
            }
            if !sourceIDs.insert(source.id).inserted {
                add("sources.\(source.id)", "policy.source.duplicate", "依据“\(source.id)”重复（第 \(index + 1) 个）")
            }
            if source.document.trimmingCharacters(in: .whitespaces).isEmpty {
                add("sources.\(source.id).document", "policy.source.document", "依据“\(source.id)”缺少文件名称")
            }
        }

        if versions.isEmpty {
            add("versions", "policy.versions.empty", "至少需要一个版本（versions）")
        }
        for (index, version) in versions.enumerated() {
            let path = "versions[\(index)]"
            if let to = version.to, to < version.from {
                add("\(path).to", "policy.version.reversed", "结束日期 \(to) 早于开始日期 \(version.from)")
            }
            if index > 0 {
                let earlier = versions[index - 1]
                if version.from <= earlier.from {
                    add("\(path).from", "policy.version.order",
                        "版本应按开始日期从早到晚排列：\(version.from) 不晚于上一版本的 \(earlier.from)")
                } else if earlier.to.map({ $0 >= version.from }) ?? true {
                    add("\(path).from", "policy.version.overlap",
                        "版本期间重叠：本版本 \(version.from) 起，而上一版本（\(earlier.periodText.zh)）在该日仍有效；请为上一版本设置早于 \(version.from) 的 to")
                }
            }
            if version.amounts.isEmpty {
                add("\(path).amounts", "policy.amounts.empty", "至少需要为一个证书等级规定金额")
            }
            for level in CertificateLevel.allCases {
                guard let fen = version.amounts[level] else { continue }
                if fen < 0 {
                    add("\(path).amounts.\(level.rawValue)", "policy.amount.negative", "金额不能为负数")
                }
            }
            if let regions = version.workRegions {
                if regions.isEmpty {
                    add("\(path).work_regions", "policy.work_regions.empty", "work_regions 不能为空列表；不限地区时请删除该键")
                }
                for (i, region) in regions.enumerated() where !jurisdiction.contains(region) {
                    add("\(path).work_regions[\(i)]", "policy.work_regions.outside",
                        "地区 \(region) 不在政策所属地区 \(jurisdiction) 之内")
                }
            }
            if let posts = version.qualifyingPosts {
                if posts.isEmpty {
                    add("\(path).qualifying_posts", "policy.posts.empty", "qualifying_posts 不能为空列表；不限岗位时请删除该键")
                }
                for (i, group) in posts.enumerated() {
                    if group.postCategories == nil && group.employerKinds == nil {
                        add("\(path).qualifying_posts[\(i)]", "policy.posts.group_empty",
                            "每组岗位条件至少写 post_categories 或 employer_kinds 之一")
                    }
                    if group.postCategories?.isEmpty == true {
                        add("\(path).qualifying_posts[\(i)].post_categories", "policy.posts.categories_empty", "人员类别列表不能为空")
                    }
                    if group.employerKinds?.isEmpty == true {
                        add("\(path).qualifying_posts[\(i)].employer_kinds", "policy.posts.employers_empty", "用人单位类型列表不能为空")
                    }
                }
            }
            if version.minimumMonthsInPost < 0 {
                add("\(path).minimum_months_in_post", "policy.tenure.negative", "在岗月数不能为负数")
            }
            if version.minimumMonthsInPost > 0 && version.qualifyingPosts == nil {
                add("\(path).minimum_months_in_post", "policy.tenure.without_posts",
                    "规定了在岗月数但没有规定符合条件的岗位（qualifying_posts）")
            }
            if let window = version.applicationWindow, window.length <= 0 {
                add("\(path).application_window.within", "policy.window.length", "申请期限必须大于 0")
            }
            if let cap = version.budgetCap, cap.amountFen < 0 {
                add("\(path).budget_cap.amount", "policy.budget.negative", "预算上限不能为负数")
            }
            switch kind {
            case .oneTimeAward:
                if version.upgrade == nil {
                    add("\(path).upgrade", "policy.upgrade.missing",
                        "一次性奖励必须说明晋级时的发放方式（upgrade: full、difference 或 none）")
                }
                if version.proRata != nil {
                    add("\(path).pro_rata", "policy.pro_rata.not_allowance", "pro_rata 只适用于按月津贴（monthly_allowance）")
                }
            case .monthlyAllowance:
                if version.proRata == nil {
                    add("\(path).pro_rata", "policy.pro_rata.missing",
                        "按月津贴必须说明当月折算方式（pro_rata: eligible_on_first_day 或 by_days）")
                }
                if version.applicationWindow != nil {
                    add("\(path).application_window", "policy.window.not_award", "application_window 只适用于一次性奖励（one_time_award）")
                }
                if version.upgrade != nil {
                    add("\(path).upgrade", "policy.upgrade.not_award", "upgrade 只适用于一次性奖励（one_time_award）")
                }
            }
            if let source = version.source, !sourceIDs.contains(source) {
                add("\(path).source", "policy.source.unknown", "引用了未定义的依据“\(source)”（请在 sources 中定义）")
            }
            if version.source == nil {
                add("\(path).source", "policy.source.missing", "请用 source 注明本版本规则的依据（sources 中的标识）")
            }
            for rule in PolicyRule.citable {
                guard let cited = version.ruleSources[rule] else { continue }
                if !sourceIDs.contains(cited) {
                    add("\(path).rule_sources.\(rule.rawValue)", "policy.source.unknown", "引用了未定义的依据“\(cited)”（请在 sources 中定义）")
                }
            }
            for rule in version.ruleSources.keys where !PolicyRule.citable.contains(rule) {
                add("\(path).rule_sources.\(rule.rawValue)", "policy.source.rule", "“\(rule.rawValue)”不是可注明依据的规则")
            }
        }
        return errors
    }

    static func isValidID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
