import Foundation

/// A unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters over
/// `0-9A-HJ-NP-RTUWXY` (no I, O, Z, S, V), the last a weighted mod-31 check character.
public struct SocialCreditCode: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    private init(value: String) { self.value = value }

    /// GB 32100-2015 §4: the 31 code characters; a character's value is its index here.
    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    private static let valueOf: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
    /// GB 32100-2015 §5: weight of position i (1-based) is 3^(i-1) mod 31.
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Parses `text`: spaces and full-width forms tolerated, lower case accepted.
    public static func parse(_ text: String) -> Result<SocialCreditCode, IdentifierError> {
        let compact = IdentifierText.compact(text).uppercased()
        let chars = Array(compact)
        guard !chars.isEmpty else {
            return .failure(.init(code: "uscc.empty"))
        }
        guard chars.count == 18 else {
            return .failure(.init(code: "uscc.length", String(chars.count)))
        }
        if let bad = chars.firstIndex(where: { valueOf[$0] == nil }) {
            return .failure(.init(code: "uscc.characters", String(bad + 1), String(chars[bad])))
        }
        let expected = checkCharacter(values: chars[0..<17].map { valueOf[$0]! })
        guard expected == chars[17] else {
            return .failure(.init(code: "uscc.check_digit", String(expected), String(chars[17])))
        }
        return .success(SocialCreditCode(value: compact))
    }

    /// The check character for the first 17 characters of a code.
    /// - Precondition: `first17` is 17 characters of the code alphabet (a programming error otherwise).
    public static func checkCharacter(for first17: String) -> Character {
        let values = first17.map { valueOf[$0] }
        precondition(values.count == 17 && values.allSatisfy { $0 != nil },
                     "SocialCreditCode.checkCharacter needs 17 code characters, got \(first17)")
        return checkCharacter(values: values.map { $0! })
    }

    private static func checkCharacter(values: [Int]) -> Character {
        var sum = 0
        for (weight, value) in zip(weights, values) { sum += weight * value }
        return alphabet[(31 - sum % 31) % 31]
    }

    public var description: String { value }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch SocialCreditCode.parse(text) {
        case .success(let code): self = code
        case .failure(let error):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
