import Vapor

/// The endpoints anyone may call: health and this API's own description.
extension Endpoint {
    static let health = Endpoint("health",
        .GET, ["health"], .open, summary: "健康检查",
        success: [.ok("数据库可达", Schema.ref("Health"))],
        errors: [.unavailable: "数据库无法连接"])

    /// Readiness, apart from liveness: a balancer sends traffic only once the database answers and
    /// every migration of this build is applied (docs/operations.md).
    static let ready = Endpoint("ready",
        .GET, ["ready"], .open, summary: "就绪检查（数据库可达且迁移已全部执行）",
        success: [.ok("可以接收请求", Schema.ref("Readiness"))],
        errors: [.unavailable: "尚未就绪：数据库无法连接或有迁移未执行（details 逐项说明）"])

    static let openAPI = Endpoint("openAPI",
        .GET, ["openapi.json"], .open, summary: "OpenAPI 文档",
        success: [.ok("本文档（OpenAPI 3.1）", ["type": "object", "required": ["openapi", "paths"]])])

    static var systemSchemas: [String: JSONValue] { [
        "Error": ["type": "object", "required": ["error"], "properties": ["error": [
            "type": "object", "required": ["code", "message", "details"],
            "properties": ["code": ["type": "string"], "message": ["type": "string"],
                           "details": Schema.array(Schema.ref("Issue"))]]]],
        "Issue": ["type": "object", "required": ["code", "message"], "properties": [
            "field": ["type": ["string", "null"]], "column": ["type": ["string", "null"]], "row": ["type": ["integer", "null"]],
            "value": ["type": ["string", "null"]], "code": ["type": "string"], "message": ["type": "string"]]],
        "Health": ["type": "object", "required": ["status", "database"], "properties": [
            "status": ["type": "string"], "database": ["type": "string", "enum": ["sqlite", "postgresql"]], "time": ["type": "string"]]],
        "Readiness": ["type": "object", "required": ["status", "database", "migrations"], "properties": [
            "status": ["type": "string", "enum": ["ready"]], "database": ["type": "string", "enum": ["sqlite", "postgresql"]],
            "migrations": ["type": "integer"]]],
    ] }
}
