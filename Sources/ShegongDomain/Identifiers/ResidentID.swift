import Foundation

/// A resident identity card number (居民身份证号码), GB 11643-1999: 6-digit address code,
/// 8-digit birth date, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2
/// check character.
///
/// `description` is the masked form so that an ID interpolated into a log line or page does not
/// leak (docs/conventions.md §6); use `value` deliberately when the full number is needed.
public struct ResidentID: Hashable, Sendable, CustomStringConvertible {
    /// 18 characters; a check character of 10 is written as upper-case `X`.
    public let value: String
    /// The first 6 digits: the GB/T 2260 code of where the number was issued (may since be abolished).
    public let addressCode: String
    public let birthDate: CivilDate
    public let sex: Sex

    private init(value: String, addressCode: String, birthDate: CivilDate, sex: Sex) {
        self.value = value
        self.addressCode = addressCode
        self.birthDate = birthDate
        self.sex = sex
    }

    /// Nobody in the registry was born before 1900; the 1900 lower bound is also what the
    /// national ID system itself uses for plausibility.
    public static let earliestBirthYear = 1900

    /// Parses with today's date (Asia/Shanghai) as the latest possible birth date.
    public static func parse(_ text: String) -> Result<ResidentID, IdentifierError> {
        parse(text, today: CivilDate.today())
    }

    /// Parses `text`: spaces, zero-width characters and full-width digits are tolerated, a
    /// lower-case `x` is accepted. Checks, in this order: length, characters, that the birth date
    /// exists and lies between 1900-01-01 and `today`, and the check character.
    public static func parse(_ text: String, today: CivilDate) -> Result<ResidentID, IdentifierError> {
        let compact = IdentifierText.compact(text).uppercased()
        let chars = Array(compact)
        guard !chars.isEmpty else {
            return .failure(.init(code: "id.empty"))
        }
        guard chars.count == 18 else {
            if chars.count == 15, chars.allSatisfy(IdentifierText.isASCIIDigit) {
                return .failure(.init(code: "id.length", text: .init("id.length.old")))
            }
            return .failure(.init(code: "id.length", String(chars.count)))
        }
        if let bad = chars[0..<17].firstIndex(where: { !IdentifierText.isASCIIDigit($0) }) {
            return .failure(.init(code: "id.characters", String(bad + 1), String(chars[bad])))
        }
        let last = chars[17]
        guard IdentifierText.isASCIIDigit(last) || last == "X" else {
            return .failure(.init(code: "id.characters", text: .init("id.characters.last", String(last))))
        }
        let birthText = String(chars[6..<14])
        let year = Int(birthText.prefix(4))!, month = Int(birthText.dropFirst(4).prefix(2))!, day = Int(birthText.suffix(2))!
        guard let birthDate = CivilDate(year: year, month: month, day: day) else {
            return .failure(.init(code: "id.birth_date", birthText))
        }
        guard year >= earliestBirthYear else {
            return .failure(.init(code: "id.birth_date", text: .init("id.birth_date.too_early", birthDate.description, String(earliestBirthYear))))
        }
        guard birthDate <= today else {
            return .failure(.init(code: "id.birth_date", text: .init("id.birth_date.future", birthDate.description, today.description)))
        }
        let expected = checkCharacter(digits: chars[0..<17])
        guard expected == last else {
            return .failure(.init(code: "id.check_digit", String(expected), String(last)))
        }
        // GB 11643 §5.3: the 17th digit (last of the sequence code) is odd for men, even for women.
        let sex: Sex = Int(chars[16].asciiValue! &- 48) % 2 == 1 ? .male : .female
        return .success(ResidentID(value: compact, addressCode: String(chars[0..<6]),
                                   birthDate: birthDate, sex: sex))
    }

    /// The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID.
    /// - Precondition: `first17` is exactly 17 ASCII digits (a programming error otherwise).
    public static func checkCharacter(for first17: String) -> Character {
        let chars = Array(first17)
        precondition(chars.count == 17 && chars.allSatisfy(IdentifierText.isASCIIDigit),
                     "ResidentID.checkCharacter needs 17 digits, got \(first17)")
        return checkCharacter(digits: chars[0..<17])
    }

    // GB 11643 §5.4: weight of position i (1-based, from the left) is 2^(18-i) mod 11;
    // the check value is (12 - sum mod 11) mod 11, written X when it is 10.
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    private static func checkCharacter(digits: ArraySlice<Character>) -> Character {
        var sum = 0
        // The digits are ASCII (checked by every caller): their byte is cheaper than Unicode's numeric value.
        for (weight, digit) in zip(weights, digits) { sum += weight * Int(digit.asciiValue! &- 48) }
        return checkCharacters[sum % 11]
    }

    /// Builds a valid ID from its parts (demo data, tests). `sequence` is the 3-digit sequence
    /// code 0...999; its parity decides the sex. Nil when the address code is not 6 digits or the
    /// sequence is out of range.
    public static func make(addressCode: String, birthDate: CivilDate, sequence: Int) -> ResidentID? {
        guard addressCode.count == 6, addressCode.allSatisfy(IdentifierText.isASCIIDigit),
              (0...999).contains(sequence) else { return nil }
        let birth = birthDate.description.replacingOccurrences(of: "-", with: "")
        let seq = String(sequence)
        let first17 = addressCode + birth + String(repeating: "0", count: 3 - seq.count) + seq
        let value = first17 + String(checkCharacter(for: first17))
        return ResidentID(value: value, addressCode: addressCode, birthDate: birthDate,
                          sex: sequence % 2 == 1 ? .male : .female)
    }

    /// Shown in lists and to the public (docs/conventions.md §6): first 3 and last 4 characters, 11 `*`.
    public var masked: String {
        String(value.prefix(3)) + String(repeating: "*", count: 11) + String(value.suffix(4))
    }

    /// Age in whole years on `date`.
    public func age(on date: CivilDate) -> Int { birthDate.wholeYears(until: date) }

    public var description: String { masked }
}
