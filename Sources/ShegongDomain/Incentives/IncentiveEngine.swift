import Foundation

/// Decides who gets what under incentive policies, and says why. Pure: everything it needs is
/// in the policies and the `PersonSnapshot`; the same answer serves the CLI
/// (`shegong eligibility`), the API, the person page, applications and allowance runs.
public enum IncentiveEngine {
    /// Every policy that could apply to the person on `date`: policies whose jurisdiction is on
    /// the person's region path and that are in force. One-time awards give one decision per
    /// certificate (application on `date`), or one refusal when the person holds none;
    /// allowances give the decision for `date`'s month.
    public static func decisions(policies: [IncentivePolicy], person: PersonSnapshot, on date: CivilDate) -> [EligibilityDecision] {
        var result: [EligibilityDecision] = []
        for policy in policies where person.regionPath.contains(policy.jurisdiction) {
            switch policy.kind {
            case .oneTimeAward:
                let certificates = person.certificates
                    .filter { $0.issueDate <= date && (policy.version(on: $0.issueDate) != nil || policy.version(on: date) != nil) }
                    .sorted { ($0.issueDate, $0.level.rank) < ($1.issueDate, $1.level.rank) }
                if certificates.isEmpty {
                    if policy.version(on: date) != nil {
                        result.append(noCertificate(policy: policy, person: person, on: date))
                    }
                } else {
                    for certificate in certificates {
                        result.append(oneTimeAward(policy: policy, person: person, certificate: certificate, applicationDate: date))
                    }
                }
            case .monthlyAllowance:
                let month = CivilMonth(date)
                if policy.isInForce(during: month) {
                    result.append(monthlyAllowance(policy: policy, person: person, month: month))
                }
            }
        }
        return result
    }

    // MARK: One-time awards

    /// An application for `policy`'s award for `certificate`, made on `applicationDate`.
    /// The version in force on the certificate's issue date decides the rules and the amount
    /// (obtaining the certificate is the event rewarded); posts and place of work are taken as
    /// they are on the application date.
    public static func oneTimeAward(policy: IncentivePolicy, person: PersonSnapshot, certificate: HeldCertificate,
                                    applicationDate: CivilDate) -> EligibilityDecision {
        let version = policy.version(on: certificate.issueDate)
        var checks: [RuleCheck] = [workRegionCheck(policy: policy, version: version, person: person)]
        checks.append(effectiveCheck(policy: policy, version: version, eventDate: certificate.issueDate,
                                     event: PolicyText(zh: "发证日期", en: "issue date")))
        let issued = certificate.issueDate <= applicationDate
        checks.append(RuleCheck(
            rule: .certificate, outcome: issued ? .passed : .failed,
            requirement: PolicyText(zh: "申请时已取得证书", en: "certificate obtained by the application date"),
            observed: certificate.text,
            message: issued
                ? PolicyText(zh: "持有\(certificate.text.zh)", en: "holds \(certificate.text.en)")
                : PolicyText(zh: "申请日期 \(applicationDate) 早于发证日期 \(certificate.issueDate)",
                             en: "application date \(applicationDate) is before the issue date \(certificate.issueDate)"),
            source: nil))
        var amount = 0
        if let version {
            let level = levelCheck(policy: policy, version: version, certificate: certificate, unit: PolicyText(zh: "", en: ""))
            checks.append(level)
            if let low = lowScoreCheck(policy: policy, version: version, certificate: certificate) { checks.append(low) }
            checks.append(contentsOf: postChecks(policy: policy, version: version, person: person, on: applicationDate))
            if let window = version.applicationWindow {
                checks.append(windowCheck(policy: policy, version: version, window: window, certificate: certificate, applicationDate: applicationDate))
            }
            if let full = version.amounts[certificate.level] {
                let upgrade = upgradeCheck(policy: policy, version: version, person: person, certificate: certificate, fullAmount: full)
                checks.append(upgrade.check)
                amount = upgrade.amount
            }
        }
        let eligible = !checks.contains { $0.outcome == .failed }
        return EligibilityDecision(policyID: policy.id, policyName: policy.displayName, kind: policy.kind,
                                   versionFrom: version?.from, date: applicationDate, month: nil, certificate: certificate,
                                   eligible: eligible, amountFen: eligible ? amount : 0,
                                   placeholderAmounts: policy.placeholderAmounts, checks: checks)
    }

    static func noCertificate(policy: IncentivePolicy, person: PersonSnapshot, on date: CivilDate) -> EligibilityDecision {
        let version = policy.version(on: date)
        let checks = [
            workRegionCheck(policy: policy, version: version, person: person),
            RuleCheck(rule: .certificate, outcome: .failed,
                      requirement: PolicyText(zh: "持有社会工作者职业资格证书", en: "holds a social-work qualification certificate"),
                      observed: PolicyText(zh: "无证书记录", en: "no certificate on record"),
                      message: PolicyText(zh: "截至 \(date) 未登记社会工作者职业资格证书", en: "no social-work certificate recorded by \(date)"),
                      source: nil),
        ]
        return EligibilityDecision(policyID: policy.id, policyName: policy.displayName, kind: policy.kind, versionFrom: version?.from,
                                   date: date, month: nil, certificate: nil, eligible: false, amountFen: 0,
                                   placeholderAmounts: policy.placeholderAmounts, checks: checks)
    }

    static func windowCheck(policy: IncentivePolicy, version: PolicyVersion, window: ApplicationWindow,
                            certificate: HeldCertificate, applicationDate: CivilDate) -> RuleCheck {
        let deadline = window.deadline(issuedOn: certificate.issueDate)
        let lastDay = window.lastDay(issuedOn: certificate.issueDate)
        let inTime = window.accepts(applicationDate: applicationDate, issuedOn: certificate.issueDate)
        let boundary = window.inclusive
            ? PolicyText(zh: "期满日 \(deadline) 当日可申请", en: "the last day \(deadline) is included")
            : PolicyText(zh: "期满日 \(deadline) 当日已不可申请，最后申请日 \(lastDay)", en: "the day \(deadline) is excluded; last day \(lastDay)")
        let observed = PolicyText(zh: "发证日期 \(certificate.issueDate)，申请日期 \(applicationDate)",
                                  en: "issued \(certificate.issueDate), applied \(applicationDate)")
        let message: PolicyText
        if inTime {
            message = PolicyText(zh: "申请期限为\(window.text.zh)，\(boundary.zh)；申请日期 \(applicationDate) 在期限内",
                                 en: "application window: \(window.text.en), \(boundary.en); applied \(applicationDate), in time")
        } else {
            message = PolicyText(zh: "申请期限已过：\(window.text.zh)，最后申请日为 \(lastDay)，申请日期 \(applicationDate) 已超过期限",
                                 en: "application window closed: \(window.text.en), last day \(lastDay); applied \(applicationDate), too late")
        }
        return RuleCheck(rule: .applicationWindow, outcome: inTime ? .passed : .failed, requirement: window.text,
                         observed: observed, message: message, source: policy.citation(for: .applicationWindow, in: version))
    }

    /// Never twice: a level at or below one already awarded by this policy gets nothing; a higher
    /// level gets what the upgrade rule says.
    static func upgradeCheck(policy: IncentivePolicy, version: PolicyVersion, person: PersonSnapshot,
                             certificate: HeldCertificate, fullAmount: Int) -> (check: RuleCheck, amount: Int) {
        let source = policy.citation(for: .upgrade, in: version)
        let previous = person.awards.filter { $0.policyID == policy.id }
        let requirement = PolicyText(zh: "同一人同一等级只发放一次；\(version.upgrade?.text.zh ?? "")",
                                     en: "one award per person and level; \(version.upgrade?.text.en ?? "")")
        func describe(_ awards: [GrantedAward]) -> PolicyText {
            PolicyText(zh: awards.map { "\($0.level.rawValue) \(PolicyMoney.text(fen: $0.amountFen).zh)\($0.grantedOn.map { "（\($0)）" } ?? "")" }.joined(separator: "、"),
                       en: awards.map { "\($0.level.englishName) \(PolicyMoney.text(fen: $0.amountFen).en)\($0.grantedOn.map { " (\($0))" } ?? "")" }.joined(separator: ", "))
        }
        if previous.isEmpty {
            return (RuleCheck(rule: .upgrade, outcome: .passed, requirement: requirement,
                              observed: PolicyText(zh: "未领取过本政策奖励", en: "no earlier award under this policy"),
                              message: PolicyText(zh: "首次领取，按标准发放 \(PolicyMoney.text(fen: fullAmount).zh)",
                                                  en: "first award: full amount \(PolicyMoney.text(fen: fullAmount).en)"),
                              source: source), fullAmount)
        }
        let observed = describe(previous)
        if let same = previous.first(where: { $0.level >= certificate.level }) {
            return (RuleCheck(rule: .upgrade, outcome: .failed, requirement: requirement, observed: observed,
                              message: PolicyText(zh: "已领取本政策\(same.level.rawValue)奖励（\(PolicyMoney.text(fen: same.amountFen).zh)），\(certificate.level.rawValue)不高于已奖励等级，不重复发放",
                                                  en: "already awarded \(same.level.englishName) (\(PolicyMoney.text(fen: same.amountFen).en)) under this policy; \(certificate.level.englishName) is not higher, so nothing more is paid"),
                              source: source), 0)
        }
        let paid = previous.reduce(0) { $0 + $1.amountFen }
        switch version.upgrade ?? .none {
        case .full:
            return (RuleCheck(rule: .upgrade, outcome: .passed, requirement: requirement, observed: observed,
                              message: PolicyText(zh: "晋级为\(certificate.level.rawValue)，按新等级全额发放 \(PolicyMoney.text(fen: fullAmount).zh)",
                                                  en: "upgrade to \(certificate.level.englishName): full new amount \(PolicyMoney.text(fen: fullAmount).en)"),
                              source: source), fullAmount)
        case .difference:
            let difference = fullAmount - paid
            guard difference > 0 else {
                return (RuleCheck(rule: .upgrade, outcome: .failed, requirement: requirement, observed: observed,
                                  message: PolicyText(zh: "晋级补差：新等级标准 \(PolicyMoney.text(fen: fullAmount).zh) 不高于已领取的 \(PolicyMoney.text(fen: paid).zh)，无差额可发",
                                                      en: "difference: the new amount \(PolicyMoney.text(fen: fullAmount).en) does not exceed the \(PolicyMoney.text(fen: paid).en) already paid"),
                                  source: source), 0)
            }
            return (RuleCheck(rule: .upgrade, outcome: .passed, requirement: requirement, observed: observed,
                              message: PolicyText(zh: "晋级补差：\(PolicyMoney.text(fen: fullAmount).zh) − 已领取 \(PolicyMoney.text(fen: paid).zh) = \(PolicyMoney.text(fen: difference).zh)",
                                                  en: "difference: \(PolicyMoney.text(fen: fullAmount).en) − \(PolicyMoney.text(fen: paid).en) already paid = \(PolicyMoney.text(fen: difference).en)"),
                              source: source), difference)
        case .none:
            return (RuleCheck(rule: .upgrade, outcome: .failed, requirement: requirement, observed: observed,
                              message: PolicyText(zh: "本政策只奖励首次取证，晋级为\(certificate.level.rawValue)不再发放",
                                                  en: "this policy rewards the first certificate only; the upgrade to \(certificate.level.englishName) gets nothing"),
                              source: source), 0)
        }
    }

    // MARK: Checks shared by awards and allowances

    static func workRegionCheck(policy: IncentivePolicy, version: PolicyVersion?, person: PersonSnapshot) -> RuleCheck {
        let targets = version?.workRegions ?? [policy.jurisdiction]
        let inside = targets.contains { person.regionPath.contains($0) }
        let targetText = targets.map(\.value).joined(separator: "、")
        let place = person.workRegion?.value ?? "未登记"
        let placeEn = person.workRegion?.value ?? "not recorded"
        return RuleCheck(
            rule: .workRegions, outcome: inside ? .passed : .failed,
            requirement: PolicyText(zh: "在 \(targetText) 及其下辖地区工作", en: "works in \(targetText) or below"),
            observed: PolicyText(zh: "工作地区 \(place)", en: "works in \(placeEn)"),
            message: inside
                ? PolicyText(zh: "工作地区 \(place) 属于 \(targetText)", en: "place of work \(placeEn) lies in \(targetText)")
                : PolicyText(zh: "工作地区 \(place) 不属于 \(targetText)", en: "place of work \(placeEn) is outside \(targetText)"),
            source: version.flatMap { policy.citation(for: .workRegions, in: $0) })
    }

    static func effectiveCheck(policy: IncentivePolicy, version: PolicyVersion?, eventDate: CivilDate, event: PolicyText) -> RuleCheck {
        let periods = policy.versions.map(\.periodText)
        let requirement = PolicyText(zh: "政策有效期：" + periods.map(\.zh).joined(separator: "；"),
                                     en: "in force: " + periods.map(\.en).joined(separator: "; "))
        let observed = PolicyText(zh: "\(event.zh) \(eventDate)", en: "\(event.en) \(eventDate)")
        if let version {
            return RuleCheck(rule: .effectivePeriod, outcome: .passed, requirement: requirement, observed: observed,
                             message: PolicyText(zh: "\(event.zh) \(eventDate) 适用版本（\(version.periodText.zh)）",
                                                 en: "\(event.en) \(eventDate) falls under the version \(version.periodText.en)"),
                             source: policy.source(id: version.source))
        }
        return RuleCheck(rule: .effectivePeriod, outcome: .failed, requirement: requirement, observed: observed,
                         message: PolicyText(zh: "\(event.zh) \(eventDate) 不在政策有效期内", en: "\(event.en) \(eventDate) is outside the period in force"),
                         source: nil)
    }

    /// The level has an amount under the version. `unit` follows the amount (`/月`).
    static func levelCheck(policy: IncentivePolicy, version: PolicyVersion, certificate: HeldCertificate, unit: PolicyText) -> RuleCheck {
        let table = CertificateLevel.allCases.compactMap { level in version.amounts[level].map { (level, $0) } }
        let requirement = PolicyText(
            zh: table.map { "\($0.0.rawValue) \(PolicyMoney.text(fen: $0.1).zh)\(unit.zh)" }.joined(separator: "、"),
            en: table.map { "\($0.0.englishName) \(PolicyMoney.text(fen: $0.1).en)\(unit.en)" }.joined(separator: ", "))
        let source = policy.citation(for: .amounts, in: version)
        if let amount = version.amounts[certificate.level] {
            return RuleCheck(rule: .amounts, outcome: .passed, requirement: requirement, observed: certificate.text,
                             message: PolicyText(zh: "\(certificate.level.rawValue)标准为 \(PolicyMoney.text(fen: amount).zh)\(unit.zh)\(policy.placeholderAmounts ? "（占位金额，来源文件未规定金额）" : "")",
                                                 en: "\(certificate.level.englishName): \(PolicyMoney.text(fen: amount).en)\(unit.en)\(policy.placeholderAmounts ? " (placeholder; the source sets no amount)" : "")"),
                             source: source)
        }
        return RuleCheck(rule: .amounts, outcome: .failed, requirement: requirement, observed: certificate.text,
                         message: PolicyText(zh: "证书等级“\(certificate.level.rawValue)”不在本政策发放范围", en: "level \(certificate.level.englishName) is not covered by this policy"),
                         source: source)
    }

    /// Only when it matters: the certificate is a low-score-area one, or the policy excludes them.
    static func lowScoreCheck(policy: IncentivePolicy, version: PolicyVersion, certificate: HeldCertificate) -> RuleCheck? {
        guard certificate.lowScoreArea || !version.lowScoreAreaCertificatesCount else { return nil }
        let requirement = version.lowScoreAreaCertificatesCount
            ? PolicyText(zh: "单独划线地区证书可以享受", en: "low-score-area certificates count")
            : PolicyText(zh: "单独划线地区证书不享受", en: "low-score-area certificates do not count")
        let observed = certificate.lowScoreArea
            ? PolicyText(zh: "证书为单独划线证书", en: "a low-score-area certificate")
            : PolicyText(zh: "证书为全国合格线证书", en: "a national-line certificate")
        let ok = !certificate.lowScoreArea || version.lowScoreAreaCertificatesCount
        return RuleCheck(rule: .lowScoreAreaCertificates, outcome: ok ? .passed : .failed, requirement: requirement, observed: observed,
                         message: ok
                            ? PolicyText(zh: "\(observed.zh)，\(requirement.zh)", en: "\(observed.en); \(requirement.en)")
                            : PolicyText(zh: "单独划线地区证书不属于本政策发放范围", en: "low-score-area certificates are not covered by this policy"),
                         source: policy.citation(for: .lowScoreAreaCertificates, in: version))
    }

    /// Post category, employer kind and time in post on `date`; nothing when the version
    /// requires no post.
    static func postChecks(policy: IncentivePolicy, version: PolicyVersion, person: PersonSnapshot, on date: CivilDate) -> [RuleCheck] {
        guard let groups = version.qualifyingPosts else { return [] }
        let requirement = PolicyText(zh: groups.map(\.text.zh).joined(separator: "；或 "), en: groups.map(\.text.en).joined(separator: "; or "))
        let source = policy.citation(for: .qualifyingPosts, in: version)
        let held = person.posts(on: date)
        let matching = held.filter { post in groups.contains { $0.matches(category: post.category, employerKind: post.employerKind) } }
        var checks: [RuleCheck] = []
        if held.isEmpty {
            let ended = person.posts.filter { ($0.end.map { $0 < date }) ?? false }.max { $0.end! < $1.end! }
            checks.append(RuleCheck(
                rule: .qualifyingPosts, outcome: .failed, requirement: requirement,
                observed: PolicyText(zh: "\(date) 无在岗记录", en: "no post held on \(date)"),
                message: ended.map {
                    PolicyText(zh: "\(date) 不在符合条件的岗位：\($0.category.rawValue)岗位已于 \($0.end!) 结束",
                               en: "not in a qualifying post on \(date): the \($0.category.englishName) post ended on \($0.end!)")
                } ?? PolicyText(zh: "\(date) 无在岗记录，须为\(requirement.zh)", en: "no post held on \(date); required: \(requirement.en)"),
                source: source))
        } else if matching.isEmpty {
            let seen = PolicyText(zh: held.map(\.text.zh).joined(separator: "、"), en: held.map(\.text.en).joined(separator: ", "))
            let categories = held.map(\.category.rawValue).joined(separator: "、")
            let categoriesEn = held.map(\.category.englishName).joined(separator: ", ")
            let categoryCovered = held.contains { post in groups.contains { $0.postCategories?.contains(post.category) ?? true } }
            let message = categoryCovered
                ? PolicyText(zh: "人员类别“\(categories)”的用人单位类型（\(held.map { $0.employerKind?.rawValue ?? "未登记" }.joined(separator: "、"))）不在本政策范围；须为\(requirement.zh)",
                             en: "the employer kind of post category \(categoriesEn) (\(held.map { $0.employerKind?.englishName ?? "not recorded" }.joined(separator: ", "))) is not covered; required: \(requirement.en)")
                : PolicyText(zh: "人员类别“\(categories)”不在本政策范围；须为\(requirement.zh)",
                             en: "post category \(categoriesEn) is not covered; required: \(requirement.en)")
            checks.append(RuleCheck(rule: .qualifyingPosts, outcome: .failed, requirement: requirement, observed: seen, message: message, source: source))
        } else {
            let post = matching.min { $0.start < $1.start }!
            checks.append(RuleCheck(rule: .qualifyingPosts, outcome: .passed, requirement: requirement, observed: post.text,
                                    message: PolicyText(zh: "在岗：\(post.text.zh)", en: "in post: \(post.text.en)"), source: source))
        }
        if version.minimumMonthsInPost > 0 {
            let months = version.minimumMonthsInPost
            let tenureRequirement = PolicyText(zh: "在符合条件的岗位满 \(months) 个月", en: "\(months) months in a qualifying post")
            let tenureSource = policy.citation(for: .minimumMonthsInPost, in: version)
            if let post = matching.min(by: { $0.start < $1.start }) {
                let reached = post.start.adding(months: months)
                let ok = reached <= date
                checks.append(RuleCheck(
                    rule: .minimumMonthsInPost, outcome: ok ? .passed : .failed, requirement: tenureRequirement,
                    observed: PolicyText(zh: "\(post.start) 起在岗", en: "in post since \(post.start)"),
                    message: ok
                        ? PolicyText(zh: "\(post.start) 起在岗，\(reached) 已满 \(months) 个月", en: "in post since \(post.start): \(months) months reached on \(reached)")
                        : PolicyText(zh: "\(post.start) 起在岗，至 \(reached) 方满 \(months) 个月", en: "in post since \(post.start): \(months) months only on \(reached)"),
                    source: tenureSource))
            } else {
                checks.append(RuleCheck(rule: .minimumMonthsInPost, outcome: .notChecked, requirement: tenureRequirement,
                                        observed: PolicyText(zh: "无符合条件的岗位", en: "no qualifying post"),
                                        message: PolicyText(zh: "无符合条件的岗位，不计在岗时间", en: "no qualifying post, so no time in post"),
                                        source: tenureSource))
            }
        }
        return checks
    }
}
