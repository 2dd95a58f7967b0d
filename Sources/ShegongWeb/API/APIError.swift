import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The JSON error of docs/conventions.md §7: `{"error": {"code", "message", "details": [...]}}`.
public struct APIErrorBody: Codable, Sendable {
    public struct Detail: Codable, Sendable, Equatable {
        public var field: String?
        public var row: Int?
        public var value: String?
        public var code: String
        public var message: String
        /// The message by catalogue key, for a page in another language; not part of the JSON.
        public var text: CatalogueMessage?
        public init(field: String? = nil, row: Int? = nil, value: String? = nil, code: String, message: String) {
            self.field = field
            self.row = row
            self.value = value
            self.code = code
            self.message = message
        }

        public init(field: String? = nil, row: Int? = nil, value: String? = nil, code: String, text: CatalogueMessage) {
            self.init(field: field, row: row, value: value, code: code, message: text.chinese)
            self.text = text
        }

        /// A row of an import's report (census, statistics, exam passes).
        public init(_ issue: CensusIssue) {
            self.init(field: issue.column, row: issue.row, value: issue.value, code: issue.code, text: issue.text)
        }

        /// The message in a page's language (the Chinese one when it has no catalogue key).
        public func message(_ language: Language) -> String { text?.text(language) ?? message }

        private enum CodingKeys: String, CodingKey { case field, row, value, code, message }
    }
    public struct Payload: Codable, Sendable {
        public var code: String
        public var message: String
        public var details: [Detail]
        /// As `Detail.text`: for the error page, not the JSON.
        public var text: CatalogueMessage?

        public init(code: String, message: String, details: [Detail], text: CatalogueMessage? = nil) {
            self.code = code
            self.message = message
            self.details = details
            self.text = text
        }

        private enum CodingKeys: String, CodingKey { case code, message, details }
    }
    public var error: Payload
}

/// An API failure with a status, carried to `APIErrorMiddleware`.
struct APIError: Error {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var details: [APIErrorBody.Detail] = []
    /// The message by catalogue key, so the error page can show it in the page's language.
    var text: CatalogueMessage?

    /// The message in a page's language (the Chinese one when it has no catalogue key).
    func message(_ language: Language) -> String { text?.text(language) ?? message }

    static func badRequest(_ code: String, _ message: String, field: String? = nil) -> APIError {
        APIError(status: .badRequest, code: code, message: message,
                 details: field.map { [.init(field: $0, code: code, message: message)] } ?? [])
    }
}

/// Turns every error into the JSON shape; never leaks a stack trace or SQL to the client.
struct APIErrorMiddleware: AsyncMiddleware {
    let environment: Environment

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, body) = Self.body(for: error, request: request)
            if status == .internalServerError {
                request.logger.report(error: error)
            }
            if !request.url.path.hasPrefix("/api/") {
                return ErrorPage.render(status: status, body: body, request: request)
            }
            return try JSONResponse.make(body, status: status)
        }
    }

    static func body(for error: any Error, request: Request) -> (HTTPResponseStatus, APIErrorBody) {
        func make(_ status: HTTPResponseStatus, _ code: String, _ message: String, _ details: [APIErrorBody.Detail] = [],
                  text: CatalogueMessage? = nil) -> (HTTPResponseStatus, APIErrorBody) {
            (status, APIErrorBody(error: .init(code: code, message: message, details: details, text: text)))
        }
        switch error {
        case let e as APIError:
            return make(e.status, e.code, e.message, e.details, text: e.text)
        case let e as StoreError:
            let status: HTTPResponseStatus = switch e.kind {
            case .invalid: .unprocessableEntity
            case .notFound: .notFound
            case .conflict: .conflict
            }
            return make(status, e.code, e.message, e.details.map { .init(field: $0.field, code: $0.code, text: $0.text) }, text: e.text)
        case let e as AccessDenied:
            return make(.forbidden, e.code, e.message, text: e.text)
        case let e as PolicyErrorList:
            return make(.unprocessableEntity, "policy.invalid", "政策文件有 \(e.errors.count) 处错误",
                        e.errors.map { .init(field: $0.path, row: $0.line, code: $0.code, text: $0.text) })
        case let e as DecodingError:
            return make(.badRequest, "request.invalid_json", "请求内容不是有效的 JSON，或字段类型不对：\(Self.describe(e))")
        case let e as any AbortError:
            let code: String = switch e.status {
            case .notFound: "not_found"
            case .payloadTooLarge: "request.too_large"
            case .methodNotAllowed: "method_not_allowed"
            case .unsupportedMediaType: "request.unsupported_media_type"
            default: "http.\(e.status.code)"
            }
            let message = e.status == .notFound ? "没有这个地址：\(request.url.path)" : e.reason
            return make(e.status, code, message)
        default:
            return make(.internalServerError, "internal", "服务器内部错误，请稍后再试或联系系统管理员")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "缺少字段 \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "字段 \(path)：\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: try encoder.encode(value)))
    }

    /// The same bytes as `make` above, written by the value itself (`JSONWritable`).
    static func make<T: JSONWritable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(buffer: JSONText.bytes(of: value)))
    }
}
