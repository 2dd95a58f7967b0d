import Foundation

/// The password rules of issue #3 (MLPS 2.0 level 3, 等保三级 "身份鉴别": complexity and
/// periodic change). Pure: the common-password list is passed in, so the rules can be tested
/// without the store and the list can be replaced by a larger one.
public struct PasswordPolicy: Sendable {
    /// bcrypt reads at most 72 bytes and silently ignores the rest (docs/conventions.md §8), so a longer
    /// password is rejected, never truncated: two passwords sharing 72 bytes must not both work.
    public static let maximumBytes = 72
    public var minimumLength = 8
    /// Of upper case, lower case, digit, symbol.
    public var requiredClasses = 3
    /// Lower-cased; compared with the lower-cased password.
    public var commonPasswords: Set<String>

    public init(commonPasswords: Set<String>) {
        self.commonPasswords = Set(commonPasswords.map { $0.lowercased() })
    }

    /// A rule the password does not meet, with a message naming it.
    public enum Violation: String, Sendable, Equatable, CaseIterable {
        case tooShort = "password.too_short"
        case tooLong = "password.too_long"
        case tooFewClasses = "password.too_few_classes"
        case common = "password.common"
        case containsUsername = "password.contains_username"

        public var code: String { rawValue }

        /// The message naming the rule, with the policy's figures.
        public func text(_ policy: PasswordPolicy) -> CatalogueMessage {
            switch self {
            case .tooShort: return CatalogueMessage(code, String(policy.minimumLength))
            case .tooLong: return CatalogueMessage(code, String(PasswordPolicy.maximumBytes), String(PasswordPolicy.maximumBytes / 3))
            case .tooFewClasses: return CatalogueMessage(code, String(policy.requiredClasses))
            case .common, .containsUsername: return CatalogueMessage(code)
            }
        }

        /// The Chinese message (the CLI's and the JSON API's).
        public func message(_ policy: PasswordPolicy) -> String { text(policy).chinese }
    }

    /// Every unmet rule, in a stable order; empty when the password is acceptable.
    public func violations(of password: String, username: String) -> [Violation] {
        var found: [Violation] = []
        if password.count < minimumLength { found.append(.tooShort) }
        if password.utf8.count > Self.maximumBytes { found.append(.tooLong) }
        if Self.classCount(password) < requiredClasses { found.append(.tooFewClasses) }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) || commonPasswords.contains(Self.strippingDecoration(lowered)) {
            found.append(.common)
        }
        let name = username.lowercased()
        if name.count >= 3, lowered.contains(name) { found.append(.containsUsername) }
        return found
    }

    /// Upper case, lower case, digit and symbol present (any non-letter, non-digit counts as a symbol,
    /// so a Chinese character does too; letters are judged by Unicode case).
    public static func classCount(_ password: String) -> Int {
        var upper = false, lower = false, digit = false, symbol = false
        for ch in password.unicodeScalars {
            let p = ch.properties
            if p.isUppercase { upper = true }
            else if p.isLowercase { lower = true }
            else if ("0"..."9").contains(ch) { digit = true }
            else { symbol = true }
        }
        return [upper, lower, digit, symbol].filter { $0 }.count
    }

    /// `Aa123456!` and `Aa123456.` are `aa123456` with a trailing symbol: check the core too, so the
    /// capital-and-symbol habits that satisfy the class rule do not make a listed password acceptable.
    static func strippingDecoration(_ lowered: String) -> String {
        var scalars = Substring(lowered)
        while let last = scalars.last, !last.isLetter, !last.isNumber { scalars = scalars.dropLast() }
        while let first = scalars.first, !first.isLetter, !first.isNumber { scalars = scalars.dropFirst() }
        return String(scalars)
    }
}
