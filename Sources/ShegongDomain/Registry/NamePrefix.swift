import Foundation

/// A name search by its first characters, as a range an index can answer: every name that starts
/// with `prefix` sorts (by code point, the order the people list's indexes keep on both engines)
/// at or after `prefix` and before `upperBound` — `张` finds 张三 and 张伟, not 章 or 弓张.
/// `LIKE 'x%'` would not do: SQLite's default `LIKE` ignores ASCII case and so cannot use a
/// binary index (docs/lists.md).
public struct NamePrefix: Sendable, Equatable {
    public var prefix: String
    /// The first string after every string that starts with `prefix`; nil when there is none
    /// (a prefix of only U+10FFFF, which no name holds).
    public var upperBound: String?

    /// nil for a blank prefix (no name condition).
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        prefix = trimmed
        upperBound = Self.successor(of: trimmed)
    }

    /// The prefix with its last character raised by one code point (skipping the surrogate
    /// block, which no string holds); a last character of U+10FFFF is dropped and the one before
    /// it raised instead.
    static func successor(of text: String) -> String? {
        var scalars = Array(text.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                return String(view)
            }
        }
        return nil
    }
}
