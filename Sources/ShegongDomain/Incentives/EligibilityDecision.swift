import Foundation

/// The engine's answer for one policy (and, for one-time awards, one certificate; for
/// allowances, one month), with the explanation that justifies it. The store keeps it with the
/// application or payment line it led to.
public struct EligibilityDecision: Hashable, Codable, Sendable {
    public var policyID: String
    public var policyName: PolicyText
    public var kind: IncentiveKind
    /// `from` of the version the decision applied; nil when no version was in force.
    public var versionFrom: CivilDate?
    /// One-time awards: the application date. Allowances: the month's first day.
    public var date: CivilDate
    /// Allowances: the month decided.
    public var month: CivilMonth?
    /// The certificate the amount is for.
    public var certificate: HeldCertificate?
    public var eligible: Bool
    /// What is payable, in fen; 0 when not eligible.
    public var amountFen: Int
    /// The policy's amounts are stand-ins (the source states none).
    public var placeholderAmounts: Bool
    /// Every rule checked, in order.
    public var checks: [RuleCheck]

    public init(policyID: String, policyName: PolicyText, kind: IncentiveKind, versionFrom: CivilDate?, date: CivilDate,
                month: CivilMonth?, certificate: HeldCertificate?, eligible: Bool, amountFen: Int,
                placeholderAmounts: Bool, checks: [RuleCheck]) {
        self.policyID = policyID
        self.policyName = policyName
        self.kind = kind
        self.versionFrom = versionFrom
        self.date = date
        self.month = month
        self.certificate = certificate
        self.eligible = eligible
        self.amountFen = amountFen
        self.placeholderAmounts = placeholderAmounts
        self.checks = checks
    }

    /// The rules that refused.
    public var failedChecks: [RuleCheck] { checks.filter { $0.outcome == .failed } }
    public var failedRules: [PolicyRule] { failedChecks.map(\.rule) }

    /// One line: `符合条件：500.00元` / `不符合条件：申请期限 …`.
    public var summary: PolicyText {
        let placeholder = placeholderAmounts ? PolicyText(zh: "（占位金额，非政策规定）", en: " (placeholder amount, not set by the policy)") : PolicyText(zh: "", en: "")
        if eligible {
            let money = PolicyMoney.text(fen: amountFen)
            return PolicyText(zh: "符合条件：\(money.zh)\(placeholder.zh)", en: "Eligible: \(money.en)\(placeholder.en)")
        }
        let reasons = failedChecks.map(\.message)
        return PolicyText(zh: "不符合条件：" + reasons.map(\.zh).joined(separator: "；"),
                          en: "Not eligible: " + reasons.map(\.en).joined(separator: "; "))
    }

    /// The full explanation as text, one check a line, for the CLI and the person page.
    public func explanation(_ language: PolicyText.Language) -> String {
        var lines = ["\(policyName.text(language))：\(summary.text(language))"]
        if language == .en { lines[0] = "\(policyName.en): \(summary.en)" }
        for check in checks {
            let mark: String
            switch check.outcome {
            case .passed: mark = "✓"
            case .failed: mark = "✗"
            case .notChecked: mark = "–"
            }
            var line = "\(mark) \(check.rule.title.text(language))：\(check.message.text(language))"
            if language == .en { line = "\(mark) \(check.rule.title.en): \(check.message.en)" }
            if let source = check.source {
                line += language == .zh ? "〔依据：\(source.citationText)〕" : " [source: \(source.citationText)]"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

/// One rule checked: what it requires, what the engine saw, and the outcome.
public struct RuleCheck: Hashable, Codable, Sendable {
    public var rule: PolicyRule
    public var outcome: RuleOutcome
    /// What the policy requires (`发证之日起 12 个月内（含期满当日）`).
    public var requirement: PolicyText
    /// The value the engine saw (`申请日期 2026-03-02，期限截止 2026-03-01`).
    public var observed: PolicyText
    /// A sentence joining both and the outcome.
    public var message: PolicyText
    public var source: PolicySource?

    public init(rule: PolicyRule, outcome: RuleOutcome, requirement: PolicyText, observed: PolicyText, message: PolicyText, source: PolicySource?) {
        self.rule = rule
        self.outcome = outcome
        self.requirement = requirement
        self.observed = observed
        self.message = message
        self.source = source
    }
}

public enum RuleOutcome: String, Codable, Sendable {
    case passed
    case failed
    /// Could not be checked (no version in force, no certificate…) or does not apply.
    case notChecked = "not_checked"
}
