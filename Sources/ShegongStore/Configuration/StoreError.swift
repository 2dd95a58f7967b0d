import Foundation
import ShegongDomain

/// An error a user can act on: a stable code, a message from the catalogue (`text`, Chinese in
/// `message`) and the field it concerns. The web layer maps `kind` to an HTTP status and the JSON
/// error shape of docs/conventions.md §7; pages show `message(language)`.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case invalid, notFound, conflict }
    public struct Detail: Codable, Sendable, Equatable {
        public var field: String?
        public var code: String
        public var text: CatalogueMessage

        /// A detail worded by the catalogue entry of its own code.
        public init(field: String?, code: String, _ arguments: String...) {
            self.init(field: field, code: code, text: CatalogueMessage(code, arguments: arguments))
        }

        public init(field: String?, code: String, text: CatalogueMessage) {
            self.field = field
            self.code = code
            self.text = text
        }

        public var message: String { text.chinese }
        public func message(_ language: Language) -> String { text.text(language) }

        // JSON: `{field, code, message}` with the Chinese message (`CatalogueMessage` codes as its Chinese text).
        private enum CodingKeys: String, CodingKey { case field, code, text = "message" }
    }

    public var kind: Kind
    public var code: String
    public var text: CatalogueMessage
    public var details: [Detail]

    /// An error worded by the catalogue entry of its own code.
    public init(_ kind: Kind, code: String, _ arguments: String..., details: [Detail] = []) {
        self.init(kind, code: code, text: CatalogueMessage(code, arguments: arguments), details: details)
    }

    public init(_ kind: Kind, code: String, text: CatalogueMessage, details: [Detail] = []) {
        self.kind = kind
        self.code = code
        self.text = text
        self.details = details
    }

    /// Chinese: the JSON API's and the CLI's message.
    public var message: String { text.chinese }
    public func message(_ language: Language) -> String { text.text(language) }

    /// The kinds of record a `not_found` error names (`record.<raw value>` in the catalogue).
    public enum Record: String, CaseIterable, Sendable, CatalogueNamed {
        case person, organization, certificate, plan, measure, policy, application, batch, region, user, token, upload
        case paymentLine = "payment_line"
        case evidence
        case censusImport = "census_import"
        case practiceBase = "practice_base", post
        case department
        case keyTask = "key_task", target
        public var catalogueKey: String { "record.\(rawValue)" }
    }

    /// “人员不存在”, “方案 P1 不存在”.
    public static func notFound(_ record: Record, _ id: String? = nil) -> StoreError {
        StoreError(.notFound, code: "not_found", text: id.map { CatalogueMessage("not_found.record_id", CatalogueMessage.name(record), $0) }
                   ?? CatalogueMessage("not_found.record", CatalogueMessage.name(record)))
    }

    public var description: String { "\(code): \(message)" }
}
