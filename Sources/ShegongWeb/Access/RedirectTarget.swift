import Foundation
import Vapor

/// The one check every redirect of the web layer passes (issue #10 item 1): the `Location` is a
/// path of this site, or `/`.
///
/// A target is kept only when it
/// - starts with `/` but not `//` (a scheme-relative URL names another host),
/// - has no backslash (browsers read `/\evil.example` as `//evil.example`),
/// - has no control character — C0, DEL or C1 — neither as written nor percent-decoded (`%0D%0A`
///   would end the header and start another; browsers drop tabs and line breaks from a URL, so
///   `/%09/evil.example` becomes `//evil.example`), and as written no white space or invisible
///   format character either (a percent-encoded space, `%20`, in a query is fine),
/// - and, parsed again as a URL, has neither scheme nor host.
/// Anything else becomes `/`. Non-ASCII letters are percent-encoded, so the header is ASCII.
enum RedirectTarget {
    static func onSite(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\") else { return "/" }
        guard !raw.unicodeScalars.contains(where: { isControl($0) || $0 == " " || $0.properties.isWhitespace || $0.properties.generalCategory == .format }) else {
            return "/"
        }
        // Decoded until nothing changes (at most a few rounds): `%250D` is `%0D` after one round.
        var decoded = raw
        for _ in 0..<4 {
            guard let next = decoded.removingPercentEncoding else { return "/" }
            if next == decoded { break }
            decoded = next
        }
        guard !decoded.unicodeScalars.contains(where: isControl), !decoded.hasPrefix("//"), !decoded.contains("\\") else { return "/" }
        var encoded = ""
        for scalar in raw.unicodeScalars {
            if scalar.isASCII { encoded.unicodeScalars.append(scalar); continue }
            for byte in String(scalar).utf8 { encoded += String(format: "%%%02X", byte) }
        }
        guard let url = URLComponents(string: encoded), url.scheme == nil, url.host == nil, url.path.hasPrefix("/") else { return "/" }
        return encoded
    }

    /// C0, DEL, C1, and the Unicode line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}

extension Request {
    /// A redirect whose target passed `RedirectTarget.onSite`. Every redirect of the web layer
    /// goes through here, so no handler can send a browser off the site or split the header.
    func redirect(onSite target: String, redirectType: Redirect = .normal) -> Response {
        redirect(to: RedirectTarget.onSite(target), redirectType: redirectType)
    }
}
