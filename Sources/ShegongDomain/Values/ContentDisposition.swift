import Foundation

/// The `Content-Disposition` header of a `multipart/form-data` part, as browsers and API clients
/// send it: `form-data; name="evidence"; filename="名单.xlsx"` (or RFC 5987 `filename*=UTF-8''…`).
/// Pure and total — any bytes give some answer — because it reads what a client chose to send
/// (fuzzed by `scripts/fuzz`, target `multipart`).
public enum ContentDisposition {
    /// The part's field name and file name (`filename*` preferred).
    public static func formPart(_ disposition: String) -> (name: String, fileName: String?) {
        let parameters = parameters(disposition)
        return (parameters["name"] ?? "", parameters["filename*"].flatMap(decodeExtended) ?? parameters["filename"])
    }

    /// Parameters by lower-case name (quoted values may hold `;` and `\"`).
    public static func parameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var pieces: [String] = [], piece = "", quoted = false, escaped = false
        for character in value {
            if escaped { piece.append(character); escaped = false; continue }
            if quoted && character == "\\" { escaped = true; continue }
            if character == "\"" { quoted.toggle(); continue }
            if character == ";" && !quoted { pieces.append(piece); piece = ""; continue }
            piece.append(character)
        }
        pieces.append(piece)
        for piece in pieces {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            result[piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()] = String(piece[piece.index(after: eq)...])
        }
        return result
    }

    /// RFC 5987 `UTF-8''%E5%90%8D…` → the name.
    public static func decodeExtended(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return String(pieces[2]).removingPercentEncoding
    }
}
