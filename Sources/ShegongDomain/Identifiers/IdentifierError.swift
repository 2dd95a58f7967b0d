import Foundation

/// Why a piece of text is not a valid identifier. `code` is stable and machine-readable
/// (`id.check_digit`); the message tells the user what is wrong and what is expected, in the
/// catalogue (`Catalogue+Messages.swift`); `message` is its Chinese text.
public struct IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let text: CatalogueMessage

    /// An error worded by the catalogue entry of its own code.
    public init(code: String, _ arguments: String...) {
        self.init(code: code, text: CatalogueMessage(code, arguments: arguments))
    }

    /// An error whose code has several wordings (`id.length` for a 15-digit ID and for any other length).
    public init(code: String, text: CatalogueMessage) {
        self.code = code
        self.text = text
    }

    public var message: String { text.chinese }

    public func message(_ language: Language) -> String { text.text(language) }

    public var description: String { "\(code): \(message)" }
}
