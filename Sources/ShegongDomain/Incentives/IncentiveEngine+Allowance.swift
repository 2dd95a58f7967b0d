import Foundation

extension IncentiveEngine {
    /// The allowance for `month`, by the policy's pro-rata rule:
    /// - `eligibleOnFirstDay`: the checks on the 1st decide the whole month (a person who starts
    ///   qualifying mid-month is paid from the next month; one who leaves mid-month keeps that
    ///   month and stops from the next);
    /// - `byDays`: Σ (day's monthly amount) over qualifying days ÷ days in the month, rounded
    ///   half up to a whole fen.
    /// The rule is the one of the version in force on the 1st (else the first version that
    /// starts during the month).
    public static func monthlyAllowance(policy: IncentivePolicy, person: PersonSnapshot, month: CivilMonth) -> EligibilityDecision {
        let governing = policy.version(on: month.firstDay)
            ?? policy.versions.first { $0.from >= month.firstDay && $0.from <= month.lastDay }
        let rule = governing?.proRata ?? .eligibleOnFirstDay
        let proRataSource = governing.flatMap { policy.citation(for: .proRata, in: $0) }
        var checks: [RuleCheck]
        var amount = 0
        var certificate: HeldCertificate?
        switch rule {
        case .eligibleOnFirstDay:
            let first = allowanceDay(policy: policy, person: person, on: month.firstDay)
            checks = first.checks
            certificate = first.certificate
            if let dayAmount = first.amount {
                amount = dayAmount
                checks.append(RuleCheck(rule: .proRata, outcome: .passed, requirement: rule.text,
                                        observed: PolicyText(zh: "\(month.firstDay) 符合条件", en: "qualifies on \(month.firstDay)"),
                                        message: PolicyText(zh: "\(month.firstDay) 符合条件，发放\(month.chineseText)全月 \(PolicyMoney.text(fen: dayAmount).zh)",
                                                            en: "qualifies on \(month.firstDay): the whole of \(month) is paid, \(PolicyMoney.text(fen: dayAmount).en)"),
                                        source: proRataSource))
            } else if let later = segments(policy: policy, person: person, month: month).dropFirst()
                .first(where: { allowanceDay(policy: policy, person: person, on: $0.start).amount != nil })?.start {
                checks.append(RuleCheck(rule: .proRata, outcome: .failed, requirement: rule.text,
                                        observed: PolicyText(zh: "\(later) 起符合条件", en: "qualifies from \(later)"),
                                        message: PolicyText(zh: "按“当月1日符合条件才发放全月”的规则，\(later) 起符合条件的，\(month.chineseText)不发放，自\(month.next.chineseText)起发放",
                                                            en: "under the eligible-on-the-1st rule, qualifying from \(later) means nothing for \(month); payment starts in \(month.next)"),
                                        source: proRataSource))
            }
        case .byDays:
            // Nothing changes between two change days, so one evaluation per segment is enough.
            let evaluated = segments(policy: policy, person: person, month: month)
                .map { ($0, allowanceDay(policy: policy, person: person, on: $0.start)) }
            let qualifying = evaluated.filter { $0.1.amount != nil }
            let shown = qualifying.first ?? evaluated.last!
            checks = shown.1.checks
            certificate = shown.1.certificate
            if !qualifying.isEmpty {
                let total = qualifying.reduce(0) { $0 + $1.1.amount! * $1.0.days }
                let dayCount = qualifying.reduce(0) { $0 + $1.0.days }
                amount = PolicyMoney.roundedHalfUp(total, times: 1, dividedBy: month.numberOfDays)
                let runs = dayRuns(qualifying.map(\.0))
                let rates = Set(qualifying.map { $0.1.amount! })
                let formula: PolicyText
                if rates.count == 1, let rate = rates.first {
                    formula = PolicyText(zh: "\(PolicyMoney.text(fen: rate).zh) × \(dayCount) ÷ \(month.numberOfDays) = \(PolicyMoney.text(fen: amount).zh)（四舍五入到分）",
                                         en: "\(PolicyMoney.text(fen: rate).en) × \(dayCount) ÷ \(month.numberOfDays) = \(PolicyMoney.text(fen: amount).en) (rounded half up to the fen)")
                } else {
                    formula = PolicyText(zh: "各日月标准之和 \(PolicyMoney.text(fen: total).zh) ÷ \(month.numberOfDays) = \(PolicyMoney.text(fen: amount).zh)（四舍五入到分）",
                                         en: "sum of the days' monthly amounts \(PolicyMoney.text(fen: total).en) ÷ \(month.numberOfDays) = \(PolicyMoney.text(fen: amount).en) (rounded half up to the fen)")
                }
                checks.append(RuleCheck(rule: .proRata, outcome: .passed, requirement: rule.text,
                                        observed: PolicyText(zh: "当月 \(month.numberOfDays) 天中符合条件 \(dayCount) 天（\(runs)）",
                                                             en: "\(dayCount) of \(month.numberOfDays) days qualify (\(runs))"),
                                        message: PolicyText(zh: "按天折算：\(formula.zh)", en: "by days: \(formula.en)"),
                                        source: proRataSource))
            }
        }
        let eligible = amount > 0 && !checks.contains { $0.outcome == .failed }
        return EligibilityDecision(policyID: policy.id, policyName: policy.displayName, kind: policy.kind,
                                   versionFrom: governing?.from, date: month.firstDay, month: month, certificate: certificate,
                                   eligible: eligible, amountFen: eligible ? amount : 0,
                                   placeholderAmounts: policy.placeholderAmounts, checks: checks)
    }

    /// Months in `from…through` for which the person is owed the allowance and has not been
    /// paid (`paidMonths`, from the ledger): the arrears a late-entered certificate produces.
    /// Paying them and adding them to `paidMonths` makes the next call return nothing, so
    /// arrears are paid once.
    public static func monthsOwed(policy: IncentivePolicy, person: PersonSnapshot, from: CivilMonth, through: CivilMonth,
                                  paidMonths: Set<CivilMonth>) -> [EligibilityDecision] {
        CivilMonth.months(from: from, through: through)
            .filter { !paidMonths.contains($0) && policy.isInForce(during: $0) }
            .map { monthlyAllowance(policy: policy, person: person, month: $0) }
            .filter(\.eligible)
    }

    struct AllowanceDay {
        var checks: [RuleCheck]
        /// The monthly amount when every check passes on the day.
        var amount: Int?
        var certificate: HeldCertificate?
    }

    /// Every condition on one day; the best-paid qualifying certificate counts.
    static func allowanceDay(policy: IncentivePolicy, person: PersonSnapshot, on day: CivilDate) -> AllowanceDay {
        let version = policy.version(on: day)
        var checks = [workRegionCheck(policy: policy, version: version, person: person),
                      effectiveCheck(policy: policy, version: version, eventDate: day, event: PolicyText(zh: "日期", en: "date"))]
        guard let version else { return AllowanceDay(checks: checks, amount: nil, certificate: nil) }
        let held = person.certificates.filter { $0.issueDate <= day }
        guard !held.isEmpty else {
            let later = person.certificates.min { $0.issueDate < $1.issueDate }
            checks.append(RuleCheck(
                rule: .certificate, outcome: .failed,
                requirement: PolicyText(zh: "持有社会工作者职业资格证书", en: "holds a social-work qualification certificate"),
                observed: later.map(\.text) ?? PolicyText(zh: "无证书记录", en: "no certificate on record"),
                message: later.map {
                    PolicyText(zh: "\(day) 尚未取得证书（\($0.level.rawValue) \($0.issueDate) 发证）", en: "no certificate yet on \(day) (\($0.level.englishName) issued \($0.issueDate))")
                } ?? PolicyText(zh: "截至 \(day) 未登记社会工作者职业资格证书", en: "no social-work certificate recorded by \(day)"),
                source: nil))
            return AllowanceDay(checks: checks, amount: nil, certificate: nil)
        }
        func counts(_ c: HeldCertificate) -> Bool {
            version.amounts[c.level] != nil && (!c.lowScoreArea || version.lowScoreAreaCertificatesCount)
        }
        let best = held.filter(counts).max { version.amounts[$0.level]! < version.amounts[$1.level]! }
            ?? held.max { $0.level < $1.level }!
        checks.append(RuleCheck(rule: .certificate, outcome: .passed,
                                requirement: PolicyText(zh: "持有社会工作者职业资格证书", en: "holds a social-work qualification certificate"),
                                observed: best.text, message: PolicyText(zh: "持有\(best.text.zh)", en: "holds \(best.text.en)"), source: nil))
        checks.append(levelCheck(policy: policy, version: version, certificate: best, unit: PolicyText(zh: "/月", en: " a month")))
        if let low = lowScoreCheck(policy: policy, version: version, certificate: best) { checks.append(low) }
        checks.append(contentsOf: postChecks(policy: policy, version: version, person: person, on: day))
        let ok = !checks.contains { $0.outcome == .failed }
        return AllowanceDay(checks: checks, amount: ok ? version.amounts[best.level] : nil, certificate: best)
    }

    /// A run of days over which nothing the engine looks at changes.
    struct DaySegment {
        var start: CivilDate
        var days: Int
        var end: CivilDate { start.adding(days: days - 1) }
    }

    /// The month cut at every day something can change: a version starts or ends, a
    /// certificate is issued, a post starts or ends, a minimum time in post is reached.
    static func segments(policy: IncentivePolicy, person: PersonSnapshot, month: CivilMonth) -> [DaySegment] {
        var cuts: Set<CivilDate> = [month.firstDay]
        func cut(_ day: CivilDate?) {
            if let day, day > month.firstDay, day <= month.lastDay { cuts.insert(day) }
        }
        for version in policy.versions {
            cut(version.from)
            cut(version.to?.adding(days: 1))
            for post in person.posts where version.minimumMonthsInPost > 0 {
                cut(post.start.adding(months: version.minimumMonthsInPost))
            }
        }
        for certificate in person.certificates { cut(certificate.issueDate) }
        for post in person.posts {
            cut(post.start)
            cut(post.end?.adding(days: 1))
        }
        let starts = cuts.sorted()
        return starts.enumerated().map { index, start in
            let next = index + 1 < starts.count ? starts[index + 1] : month.lastDay.adding(days: 1)
            return DaySegment(start: start, days: next.daysSinceEpoch - start.daysSinceEpoch)
        }
    }

    /// `2025-06-15–2025-06-30, …`, joining adjacent segments.
    static func dayRuns(_ segments: [DaySegment]) -> String {
        var runs: [(CivilDate, CivilDate)] = []
        for segment in segments {
            if let last = runs.last, last.1.adding(days: 1) == segment.start { runs[runs.count - 1].1 = segment.end } else { runs.append((segment.start, segment.end)) }
        }
        return runs.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)–\($0.1)" }.joined(separator: ", ")
    }
}
