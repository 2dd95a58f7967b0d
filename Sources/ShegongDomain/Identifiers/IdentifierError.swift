import Foundation

/// Why a piece of text is not a valid identifier. `code` is stable and machine-readable
/// (`id.check_digit`); `message` is Chinese and tells the user what is wrong and what is expected.
public struct IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
