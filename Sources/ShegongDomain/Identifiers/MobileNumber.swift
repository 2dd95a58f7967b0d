import Foundation

/// A mainland China mobile number: 11 digits starting with 1.
///
/// `description` is the masked form (docs/conventions.md §6); use `value` deliberately.
public struct MobileNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    private init(value: String) { self.value = value }

    /// Parses `text`. Spaces and hyphens as people write them (`138-1234-5678`), full-width digits
    /// and a `+86` / `0086` / `86` country prefix are tolerated.
    public static func parse(_ text: String) -> Result<MobileNumber, IdentifierError> {
        var digits = IdentifierText.compact(text).replacingOccurrences(of: "-", with: "")
        guard !digits.isEmpty else {
            return .failure(.init(code: "mobile.empty"))
        }
        for prefix in ["+86", "0086", "86"] where digits.hasPrefix(prefix) && digits.count == prefix.count + 11 {
            digits.removeFirst(prefix.count)
            break
        }
        if let bad = digits.first(where: { !IdentifierText.isASCIIDigit($0) }) {
            return .failure(.init(code: "mobile.characters", String(bad)))
        }
        guard digits.count == 11 else {
            return .failure(.init(code: "mobile.length", String(digits.count)))
        }
        guard digits.hasPrefix("1") else {
            return .failure(.init(code: "mobile.prefix", String(digits.first!)))
        }
        return .success(MobileNumber(value: digits))
    }

    /// `138****5678`: first 3, four `*`, last 4.
    public var masked: String {
        String(value.prefix(3)) + "****" + String(value.suffix(4))
    }

    public var description: String { masked }
}
