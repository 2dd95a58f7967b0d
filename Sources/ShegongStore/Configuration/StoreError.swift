import Foundation

/// An error a user can act on: a stable code, a message in Chinese, and the field it concerns.
/// The web layer maps `kind` to an HTTP status and the JSON error shape of DESIGN §7.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case invalid, notFound, conflict }
    public struct Detail: Codable, Sendable, Equatable {
        public var field: String?
        public var code: String
        public var message: String
        public init(field: String?, code: String, message: String) {
            self.field = field
            self.code = code
            self.message = message
        }
    }

    public var kind: Kind
    public var code: String
    public var message: String
    public var details: [Detail]

    public init(_ kind: Kind, code: String, message: String, details: [Detail] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.details = details
    }

    public static func notFound(_ what: String) -> StoreError {
        StoreError(.notFound, code: "not_found", message: "\(what)不存在")
    }

    public var description: String { "\(code): \(message)" }
}
