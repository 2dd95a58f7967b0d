import Foundation

/// A sentence in both interface languages (docs/conventions.md §6: zh-Hans default, English second).
/// Eligibility explanations are built in the domain, so they carry both texts.
public struct PolicyText: Hashable, Codable, Sendable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public enum Language: String, Codable, Sendable, CaseIterable { case zh, en }

    public func text(_ language: Language) -> String { language == .zh ? zh : en }
}

/// Money in policy files and explanations. Amounts are kept in integer fen (分) everywhere
/// (docs/conventions.md §6); files write yuan because the documents do ("500元").
public enum PolicyMoney {
    public enum YuanTextProblem: Error, Equatable, Sendable {
        /// Not a plain decimal number (`1e3`, `500元`, `1,000`, empty…).
        case notANumber
        case negative
        /// More than two decimals that are not zero: `0.001` yuan is a tenth of a fen.
        case finerThanFen
        case tooLarge
    }

    /// Exact conversion of a yuan amount written as a decimal (`500`, `500.0`, `500.00`, `0.5`)
    /// to fen; trailing zeros beyond the fen are accepted (`500.000`), other digits are not.
    /// No floating point is involved: the text's digits are read directly.
    public static func fen(fromYuan raw: String) -> Result<Int, YuanTextProblem> {
        var text = Substring(raw.trimmingCharacters(in: .whitespaces))
        var negative = false
        if text.first == "-" { negative = true; text = text.dropFirst() } else if text.first == "+" { text = text.dropFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return .failure(.notANumber) }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        if parts.count == 2 && fraction.isEmpty { return .failure(.notANumber) }
        if negative, !(parts[0].allSatisfy { $0 == "0" } && fraction.allSatisfy { $0 == "0" }) { return .failure(.negative) }
        while fraction.count > 2 {
            guard fraction.last == "0" else { return .failure(.finerThanFen) }
            fraction.removeLast()
        }
        fraction += String(repeating: "0", count: 2 - fraction.count)
        let whole = parts[0].drop { $0 == "0" }
        // 12 digits of yuan is a trillion: far beyond any budget, and safe from overflow.
        guard whole.count <= 12, let yuan = Int(whole.isEmpty ? "0" : whole), let cents = Int(fraction) else {
            return .failure(.tooLarge)
        }
        return .success(yuan * 100 + cents)
    }

    /// `50000` → `500.00`; `-5` → `-0.05`.
    public static func yuanText(fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// `500.00元` / `CNY 500.00`.
    public static func text(fen: Int) -> PolicyText {
        PolicyText(zh: "\(yuanText(fen: fen))元", en: "CNY \(yuanText(fen: fen))")
    }

    /// amount × numerator ÷ denominator rounded half up to a whole fen (四舍五入到分), for
    /// non-negative operands. Integer arithmetic only.
    public static func roundedHalfUp(_ amount: Int, times numerator: Int, dividedBy denominator: Int) -> Int {
        precondition(amount >= 0 && numerator >= 0 && denominator > 0)
        return (2 * amount * numerator + denominator) / (2 * denominator)
    }
}
