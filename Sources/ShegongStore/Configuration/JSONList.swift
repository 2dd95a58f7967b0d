import Foundation

/// A list of strings kept in one text column as a JSON array (a measure's cooperating
/// departments, a report's evidence names, a message's arguments).
enum JSONList {
    static func text(_ strings: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// The list, or nil when the text is not a JSON list of strings.
    static func strings(_ text: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }
}
