import ShegongDomain

/// SplitMix64: a tiny deterministic generator so random cross-checks give the same cases on
/// every run and every machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Straightforward restatements of the standards, written independently of the production code
/// so that the two can check each other.
enum Reference {
    /// GB 11643-1999: weights 2^(17-i) mod 11 for i = 0…16; check value (12 - sum mod 11) mod 11,
    /// 10 written as X.
    static func residentIDCheck(_ first17: String) -> Character {
        var sum = 0
        for (i, c) in first17.enumerated() {
            var weight = 1
            for _ in 0..<(17 - i) { weight = weight * 2 % 11 }
            sum += Int(String(c))! * weight
        }
        let value = (12 - sum % 11) % 11
        return value == 10 ? "X" : Character(String(value))
    }

    static let usccAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// GB 32100-2015: weights 3^i mod 31; check value 31 - sum mod 31, 31 written as 0.
    static func usccCheck(_ first17: String) -> Character {
        var sum = 0
        var weight = 1
        for c in first17 {
            sum += usccAlphabet.firstIndex(of: c)! * weight
            weight = weight * 3 % 31
        }
        let value = 31 - sum % 31
        return usccAlphabet[value == 31 ? 0 : value]
    }

    /// A valid 18-character ID for the given parts.
    static func residentID(address: String = "420102", birth: String, sequence: String) -> String {
        let first17 = address + birth + sequence
        return first17 + String(residentIDCheck(first17))
    }
}

extension Result {
    var failureValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
    var successValue: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}

let fixedToday = CivilDate(year: 2025, month: 6, day: 30)!
