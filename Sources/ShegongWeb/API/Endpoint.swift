import Foundation
import ShegongDomain
import Vapor

/// Everything known about one JSON API endpoint, declared once (`Endpoint+….swift` in its feature folder, listed by its
/// feature's `endpoints`): its name (the OpenAPI operationId), method, path, who may call it, its
/// summary, its typed parameters, request body, success responses and the errors it can answer. Registration (`RoutesBuilder.on(_:)`), the query check before the
/// handler, the 405 for a method a path does not have, the OpenAPI document and the role × route
/// matrix test are all derived from it (docs/architecture.md, "How an endpoint is declared").
struct Endpoint: Sendable {
    /// Unique, the OpenAPI `operationId` and the name in the audit log's access denials.
    var name: String
    var method: HTTPMethod
    /// After `/api/v1`, with `:name` parameters.
    var path: [PathComponent]
    var access: RouteAccess
    /// What the endpoint does, in Chinese (the OpenAPI `summary`).
    var summary: String
    /// Path and query parameters. A path parameter not listed here is documented as a plain string.
    var parameters: [Parameter]
    var body: RequestBody?
    var success: [Success]
    /// Errors this endpoint gives beyond those its other facts imply (`errors` adds those), with
    /// a description where the standard one says too little.
    var declaredErrors: [ErrorStatus: String]

    init(_ name: String, _ method: HTTPMethod, _ path: [PathComponent], _ access: RouteAccess, summary: String, parameters: [Parameter] = [],
         body: RequestBody? = nil, success: [Success], errors: [ErrorStatus: String] = [:]) {
        self.name = name
        self.method = method
        self.path = path
        self.access = access
        self.summary = summary
        self.body = body
        self.success = success
        self.declaredErrors = errors
        // Path parameters first, in path order; a declared one keeps its description and type.
        var all: [Parameter] = []
        for case .parameter(let name) in path {
            all.append(parameters.first { $0.location == .path && $0.name == name } ?? .path(name))
        }
        self.parameters = all + parameters.filter { $0.location == .query }
    }

    /// Every error status the endpoint can answer, with its description: those declared, and those
    /// that follow from its other facts (a gate: 401 and 403; a path parameter or a scoped
    /// region: 404; a query parameter or a JSON body: 400; a body: 413, and 415 when it is decoded
    /// by its content type).
    var errors: [ErrorStatus: String] {
        var statuses = Set(declaredErrors.keys)
        if access.roles != nil { statuses.formUnion([.unauthorized, .forbidden]) }
        if parameters.contains(where: \.mayBeNotFound) { statuses.insert(.notFound) }
        if parameters.contains(where: { $0.location == .query }) { statuses.insert(.badRequest) }
        if let body {
            statuses.insert(.payloadTooLarge)
            if body.decodedByContentType { statuses.formUnion([.badRequest, .unsupportedMediaType]) }
        }
        return Dictionary(uniqueKeysWithValues: statuses.map { ($0, declaredErrors[$0] ?? $0.standardDescription) })
    }

    /// `/api/v1/people/{id}` as OpenAPI writes it.
    var openAPIPath: String {
        "/" + (Endpoint.prefix + path).map { component -> String in
            if case .parameter(let name) = component { return "{\(name)}" }
            return component.description
        }.joined(separator: "/")
    }

    /// Whether `segments` (a request path split at `/`) is this endpoint's path under `/api/v1`.
    func matches(_ segments: [Substring]) -> Bool {
        let full = Endpoint.prefix + path
        guard segments.count == full.count else { return false }
        for (component, segment) in zip(full, segments) {
            switch component {
            case .constant(let text): if text != segment { return false }
            case .parameter: if segment.isEmpty { return false }
            case .anything, .catchall: continue
            }
        }
        return true
    }
}

/// A path or query parameter, typed: the query check before the handler (`Endpoint.checkQuery`)
/// and the OpenAPI schema both come from `kind`.
struct Parameter: Sendable {
    enum Location: String, Sendable { case path, query }
    enum Kind: Sendable, Equatable {
        /// Free text; `format` only documents it (e.g. `date`, checked by the handler).
        case text(format: String? = nil)
        /// Text matching `pattern` (ECMA regular expression), `hint` saying the shape in words.
        case pattern(String, hint: String)
        case integer(ClosedRange<Int>? = nil)
        case boolean
        case oneOf([String])
    }

    var name: String
    var location: Location
    var description: String
    var kind: Kind
    var required: Bool
    /// An unknown or out-of-scope value answers 404 (path ids, `?region=`).
    var mayBeNotFound: Bool

    static func path(_ name: String, _ description: String? = nil, _ kind: Kind = .text()) -> Parameter {
        let standard = name == "code" ? "地区代码" : "记录 id"
        return Parameter(name: name, location: .path, description: description ?? standard, kind: kind, required: true, mayBeNotFound: true)
    }

    static func query(_ name: String, _ description: String, _ kind: Kind = .text(), required: Bool = false,
                      mayBeNotFound: Bool = false) -> Parameter {
        Parameter(name: name, location: .query, description: description, kind: kind, required: required, mayBeNotFound: mayBeNotFound)
    }

    /// What is wrong with a value given for this parameter, or nil when it fits its kind.
    func problem(with raw: String) -> CatalogueMessage? {
        switch kind {
        case .text:
            return nil
        case .pattern(let pattern, let hint):
            return raw.range(of: pattern, options: .regularExpression) == nil ? CatalogueMessage("api.parameter.pattern", name, hint, raw) : nil
        case .integer(let range):
            guard let value = Int(raw) else { return CatalogueMessage("api.parameter.integer", name, raw) }
            if let range, !range.contains(value) {
                return CatalogueMessage("api.parameter.range", name, String(range.lowerBound), String(range.upperBound), raw)
            }
            return nil
        case .boolean:
            return raw == "true" || raw == "false" ? nil : CatalogueMessage("api.parameter.boolean", name, raw)
        case .oneOf(let values):
            return values.contains(raw) ? nil : CatalogueMessage("api.parameter.enum", name, CatalogueMessage.list(values), raw)
        }
    }

    /// The OpenAPI schema of the parameter's value.
    var schema: JSONValue {
        switch kind {
        case .text(let format):
            return format.map { ["type": "string", "format": .string($0)] } ?? ["type": "string"]
        case .pattern(let pattern, _):
            return ["type": "string", "pattern": .string(pattern)]
        case .integer(let range):
            var schema: JSONValue = ["type": "integer"]
            if let range {
                schema["minimum"] = .integer(range.lowerBound)
                schema["maximum"] = .integer(range.upperBound)
            }
            return schema
        case .boolean:
            return ["type": "boolean"]
        case .oneOf(let values):
            return ["type": "string", "enum": .array(values.map(JSONValue.string))]
        }
    }
}

/// A request body: its media types and their schemas.
struct RequestBody: Sendable {
    var description: String?
    var content: [String: JSONValue]
    /// Decoded with `req.content` by its Content-Type (JSON): another type answers 415, JSON
    /// that does not fit answers 400.
    var decodedByContentType: Bool

    static func json(_ schema: JSONValue, _ description: String? = nil) -> RequestBody {
        RequestBody(description: description, content: ["application/json": schema], decodedByContentType: true)
    }

    /// The body taken as it is (a file, a policy's YAML text), whatever its Content-Type says.
    static func raw(_ description: String, _ content: [String: JSONValue]) -> RequestBody {
        RequestBody(description: description, content: content, decodedByContentType: false)
    }
}

/// A success response: its status, what it means, and its content by media type.
struct Success: Sendable {
    var status: Int
    var description: String
    var content: [String: JSONValue]

    static func ok(_ description: String, _ schema: JSONValue = ["type": "object"], status: Int = 200) -> Success {
        Success(status: status, description: description, content: ["application/json": schema])
    }

    static func created(_ description: String, _ schema: JSONValue = ["type": "object"]) -> Success {
        ok(description, schema, status: 201)
    }

    /// A file download (CSV, XLSX, evidence files).
    static func file(_ description: String, _ mediaTypes: [String]) -> Success {
        Success(status: 200, description: description,
                content: Dictionary(uniqueKeysWithValues: mediaTypes.map { ($0, ["type": "string", "format": "binary"] as JSONValue) }))
    }
}

/// The error statuses an endpoint may answer, each answered with the JSON error shape `{"error": {"code", "message", "details"}}`.
enum ErrorStatus: Int, Sendable, CaseIterable, Comparable {
    case badRequest = 400, unauthorized = 401, forbidden = 403, notFound = 404, conflict = 409
    case payloadTooLarge = 413, unsupportedMediaType = 415, unprocessable = 422, tooManyRequests = 429, unavailable = 503

    static func < (a: ErrorStatus, b: ErrorStatus) -> Bool { a.rawValue < b.rawValue }

    var standardDescription: String {
        switch self {
        case .badRequest: return "请求有误：参数或 JSON 不合规定（error.details 指出参数或字段）"
        case .unauthorized: return "未登录：缺少令牌或会话，或令牌、会话无效"
        case .forbidden: return "无权使用：角色不符、业务人员只有只读权限、须先修改密码或启用动态口令，或会话请求缺少 CSRF 令牌"
        case .notFound: return "不存在，或不在当前账号的管辖范围内（两者答复相同，越权访问记入审计日志）"
        case .conflict: return "与现有数据冲突"
        case .payloadTooLarge: return "请求体超过上限"
        case .unsupportedMediaType: return "请求体的类型（Content-Type）不受支持"
        case .unprocessable: return "内容未通过校验，未写入任何数据；error.details 逐项列出"
        case .tooManyRequests: return "请求太频繁，请稍后再试"
        case .unavailable: return "数据库无法连接"
        }
    }
}

/// Shorthands for the schemas of the declarations.
enum Schema {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func string(_ description: String, format: String? = nil) -> JSONValue {
        var s: JSONValue = ["type": "string", "description": .string(description)]
        if let format { s["format"] = .string(format) }
        return s
    }
    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    static let object: JSONValue = ["type": "object"]
    static let objects: JSONValue = array(object)
    static let date: JSONValue = ["type": "string", "format": "date"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
}

extension Parameter {
    static let region = query("region", "地区代码（6/9/12 位，000000 为全国）；省略时为当前账号的地区。管辖范围外的地区与不存在的地区一样答 404",
                              mayBeNotFound: true)
    static let paging: [Parameter] = [query("page", "页码，从 1 开始", .integer()), query("perPage", "每页条数，1–500", .integer())]
    static let sheetFormat = query("format", "xlsx（默认）或 csv", .oneOf(["xlsx", "csv"]))
    static let asOf = query("asOf", "评估日期 YYYY-MM-DD，默认今天", .text(format: "date"))
    static let dryRun = query("dryRun", "true 只校验并预演，不写入", .boolean)
    static let fileName = query("fileName", "原文件名，用于记录")
}

extension Endpoint {
    /// Checks every declared query parameter before the handler runs: a required one must be
    /// there, and an integer, boolean, enumerated or patterned one must fit its kind (400 naming
    /// the parameter otherwise). An empty value counts as absent, as the handlers read it.
    func checkQuery(_ req: Request) throws {
        for parameter in parameters where parameter.location == .query {
            let raw = req.queryValue(parameter.name)?.trimmingCharacters(in: .whitespaces) ?? ""
            let problem: CatalogueMessage?
            if raw.isEmpty {
                problem = parameter.required ? CatalogueMessage("api.parameter.missing", parameter.name) : nil
            } else {
                problem = parameter.problem(with: raw)
            }
            guard let problem else { continue }
            throw APIError(status: .badRequest, code: "request.query", message: problem.chinese,
                           details: [.init(field: parameter.name, value: raw.isEmpty ? nil : String(raw.prefix(100)), code: "request.query", text: problem)],
                           text: problem)
        }
    }
}
