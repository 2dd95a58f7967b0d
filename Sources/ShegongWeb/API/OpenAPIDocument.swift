import Foundation
import ShegongDomain
import Vapor

/// The OpenAPI 3.1 description of `/api/v1`, written from the endpoint declarations
/// (`Endpoint.all`, from the features): every registered route is in it with its summary, parameters, request
/// body, success responses and error responses.
enum OpenAPIDocument {
    /// The operation of one endpoint.
    static func operation(_ endpoint: Endpoint) -> JSONValue {
        var op: [String: JSONValue] = ["operationId": .string(endpoint.name), "summary": .string(endpoint.summary)]
        if !endpoint.parameters.isEmpty {
            op["parameters"] = .array(endpoint.parameters.map { p in
                ["name": .string(p.name), "in": .string(p.location.rawValue), "required": .bool(p.required),
                 "description": .string(p.description), "schema": p.schema]
            })
        }
        if let body = endpoint.body {
            var requestBody: JSONValue = ["required": true, "content": content(body.content)]
            if let description = body.description { requestBody["description"] = .string(description) }
            op["requestBody"] = requestBody
        }
        var responses: [String: JSONValue] = [:]
        for success in endpoint.success {
            responses[String(success.status)] = ["description": .string(success.description), "content": content(success.content)]
        }
        for (status, description) in endpoint.errors {
            responses[String(status.rawValue)] = ["description": .string(description), "content": content(["application/json": Schema.ref("Error")])]
        }
        op["responses"] = .object(responses)
        if let roles = endpoint.access.roles {
            // Who may call it (RouteAccess): the roles, and read-write for officials when it changes data.
            let names = Role.allCases.filter(roles.contains).map(\.chineseName).joined(separator: "、")
            op["description"] = .string("角色：\(names)\(endpoint.access.needsWrite ? "（业务人员须有读写权限）" : "")。超出管辖范围的记录返回 404。")
            op["security"] = [["bearer": []], ["session": []]]
        } else {
            op["security"] = []
        }
        return .object(op)
    }

    static func content(_ byMediaType: [String: JSONValue]) -> JSONValue {
        .object(byMediaType.mapValues { ["schema": $0] })
    }

    static var schemas: [String: JSONValue] {
        WebFeatures.all.map(\.schemas)
            .reduce(into: [:]) { all, feature in all.merge(feature) { existing, _ in existing } }
    }

    static func document() -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for endpoint in Endpoint.all {
            paths[endpoint.openAPIPath, default: [:]][endpoint.method.rawValue.lowercased()] = operation(endpoint)
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Shegong 社工人才 API", "version": "1.0.0",
                     "description": "社会工作人才队伍建设平台的 JSON 接口。证件号默认脱敏；错误格式为 {\"error\": {\"code\", \"message\", \"details\"}}。路径存在但不支持的方法答 405（Allow 头列出可用方法）。"],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas), "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer", "description": "API 令牌（shegong token create 或 账户页面创建），作用范围同其所有者"],
                "session": ["type": "apiKey", "in": "cookie", "name": .string(SessionCookie.name),
                            "description": "浏览器会话（经 HTTPS 时 Cookie 名为 __Host-shegong_session）；修改数据的请求还须带 X-CSRF-Token 请求头"],
            ]],
            "security": [["bearer": []], ["session": []]],
        ]
    }

    /// The document as served: JSON with sorted keys.
    static func data() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document())
    }
}

struct OpenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let body = try OpenAPIDocument.data()
        routes.on(.openAPI) { _ in
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(data: body))
        }
    }
}
