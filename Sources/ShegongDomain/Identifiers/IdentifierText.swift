import Foundation

/// Clean-up shared by the identifier parsers. People paste IDs from Word, WeChat and web pages,
/// which bring non-breaking and ideographic spaces, zero-width characters and full-width digits
/// (`１３８…` typed with a Chinese IME). None of these change which number was meant, so they are
/// normalised away rather than rejected.
enum IdentifierText {
    /// Removes all whitespace and zero-width characters (anywhere, not only at the ends) and
    /// converts full-width ASCII forms (U+FF01–U+FF5E) to ASCII.
    static func compact(_ text: String) -> String {
        // Fast path: plain ASCII letters and digits (nearly every real value) need no work.
        if text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) {
            return text
        }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if CharacterSet.whitespacesAndNewlines.contains(scalar) { continue }
            switch scalar.value {
            case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: continue
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    static func isASCIIDigit(_ c: Character) -> Bool {
        c.isASCII && c.isNumber
    }
}
