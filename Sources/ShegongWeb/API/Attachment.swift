import Foundation

/// `Content-Disposition: attachment` with an ASCII fallback and the real (often Chinese) name
/// percent-encoded as RFC 5987 `filename*` (RFC 6266).
enum Attachment {
    /// RFC 5987 attr-char: the ASCII characters that may stand unencoded.
    static let attrChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")

    static func disposition(fileName: String, fallback: String) -> String {
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: attrChars) ?? fallback
        return "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
