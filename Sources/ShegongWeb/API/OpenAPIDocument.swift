import Foundation
import ShegongDomain
import Vapor

/// The OpenAPI 3.1 description of `/api/v1`, written from `APIRoute` so every route is in it.
enum OpenAPIDocument {
    typealias JSON = [String: Any]

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    static func query(_ name: String, _ description: String, type: String = "string") -> JSON {
        ["name": name, "in": "query", "required": false, "description": description, "schema": ["type": type]]
    }
    static func pathParameter(_ name: String) -> JSON {
        ["name": name, "in": "path", "required": true, "schema": ["type": "string"]]
    }
    static func json(_ schema: JSON) -> JSON { ["application/json": ["schema": schema]] }
    static var errorResponse: JSON { ["description": "错误（DESIGN §7 的错误格式）", "content": json(ref("Error"))] }
    static var regionQuery: JSON { query("region", "地区代码（6/9/12 位，000000 为全国）；省略时为当前账号的地区。管辖范围外的地区与不存在的地区一样答 404") }
    static var paging: [JSON] { [query("page", "页码，从 1 开始", type: "integer"), query("perPage", "每页条数，1–500", type: "integer")] }
    static var sheetFormat: JSON { query("format", "xlsx（默认）或 csv") }

    static func operation(_ route: APIRoute) -> JSON {
        var op: JSON = ["operationId": route.rawValue, "summary": summary(route)]
        var parameters: [JSON] = route.path.compactMap { component in
            if case .parameter(let name) = component { return pathParameter(name) }
            return nil
        }
        var responses: JSON = ["400": errorResponse, "404": errorResponse]
        switch route {
        case .health:
            responses = ["200": ["description": "数据库可达", "content": json(ref("Health"))], "503": errorResponse]
        case .openAPI:
            responses = ["200": ["description": "本文档", "content": json(["type": "object"])]]
        case .regions:
            parameters.append(query("parent", "上级地区代码；省略时列出各省"))
            responses["200"] = ["description": "下级地区", "content": json(["type": "array", "items": ref("Region")])]
        case .region:
            responses["200"] = ["description": "地区、历史名称和下级", "content": json(["type": "object"])]
        case .regionUpdate:
            op["requestBody"] = ["required": true, "content": json(["type": "object", "required": ["name"],
                                                                    "properties": ["name": string("新名称；旧名称保留在历史中")]])]
            responses["200"] = ["description": "已改名", "content": json(ref("Region"))]
            responses["422"] = errorResponse
        case .regionCreate:
            op["requestBody"] = ["required": true, "content": json(ref("NewRegion"))]
            responses["201"] = ["description": "已添加", "content": json(ref("Region"))]
            responses["409"] = errorResponse
            responses["422"] = errorResponse
        case .people:
            parameters += [regionQuery, query("name", "姓名（前缀匹配）"), query("idNumber", "身份证号（精确）"),
                           query("certificateNumber", "证书编号"), query("organization", "单位 ID"),
                           query("postCategory", "人员类别"), query("level", "证书等级或 无")] + paging
            responses["200"] = ["description": "分页的人员（证件号脱敏）", "content": json(ref("PersonPage"))]
        case .person:
            parameters.append(query("reveal", "true 请求完整证件号（需有权限的账号，否则 403）"))
            responses["200"] = ["description": "人员详情、证书、任职和变更历史", "content": json(ref("PersonDetail"))]
            responses["403"] = errorResponse
        case .personCreate, .personUpdate:
            op["requestBody"] = ["required": true, "content": json(ref("PersonInput"))]
            responses[route == .personCreate ? "201" : "200"] = ["description": "已保存", "content": json(["type": "object"])]
            responses["409"] = errorResponse
            responses["422"] = errorResponse
        case .organizations:
            parameters += [regionQuery, query("name", "单位名称（包含）")] + paging
            responses["200"] = ["description": "分页的单位", "content": json(["type": "object"])]
        case .organization:
            responses["200"] = ["description": "单位", "content": json(ref("Organization"))]
        case .organizationCreate, .organizationUpdate:
            op["requestBody"] = ["required": true, "content": json(ref("OrganizationInput"))]
            responses[route == .organizationCreate ? "201" : "200"] = ["description": "已保存", "content": json(ref("Organization"))]
            responses["409"] = errorResponse
            responses["422"] = errorResponse
        case .certificates:
            parameters += [regionQuery, query("number", "证书编号"), query("level", "证书等级"),
                           query("issuedFrom", "发证日期起 YYYY-MM-DD"), query("issuedTo", "发证日期止 YYYY-MM-DD")] + paging
            responses["200"] = ["description": "分页的证书", "content": json(["type": "object"])]
        case .certificate:
            responses["200"] = ["description": "证书", "content": json(ref("Certificate"))]
        case .certificateUpdate:
            op["requestBody"] = ["required": true, "content": json(["type": "object", "properties": [
                "level": ["type": "string"], "issueDate": ["type": "string", "format": "date"], "lowScoreArea": ["type": "boolean"]]])]
            responses["200"] = ["description": "已更正（变更记入人员历史，统计随之更新）", "content": json(ref("Certificate"))]
            responses["422"] = errorResponse
        case .certificateCreate:
            op["requestBody"] = ["required": true, "content": json(ref("NewCertificate"))]
            responses["201"] = ["description": "已添加", "content": json(ref("Certificate"))]
            responses["409"] = errorResponse
            responses["422"] = errorResponse
        case .registrationCreate:
            op["requestBody"] = ["required": true, "content": json(["type": "object", "required": ["periodStart"],
                                                                    "properties": ["periodStart": ["type": "string", "format": "date"]]])]
            responses["201"] = ["description": "登记（有效期 3 年）", "content": json(["type": "object"])]
        case .censusStats:
            parameters.append(regionQuery)
            responses["200"] = ["description": "人才统计（维护的汇总数，不扫描人员表）", "content": json(["type": "object"])]
        case .censusImport:
            parameters += [query("dryRun", "true 只校验并预演，不写入", type: "boolean"), query("fileName", "原文件名，用于记录")]
            op["requestBody"] = ["required": true, "description": "采集表文件本身（CSV：UTF-8、带 BOM 的 UTF-8 或 GB18030；或 XLSX）",
                                 "content": ["text/csv": ["schema": ["type": "string"]],
                                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["schema": ["type": "string", "contentMediaType": "application/octet-stream"]],
                                             "application/octet-stream": ["schema": ["type": "string"]]]]
            responses["200"] = ["description": "导入（或预演）成功", "content": json(ref("ImportReport"))]
            responses["413"] = errorResponse
            responses["422"] = ["description": "有行未通过校验，未写入任何数据；error.details 按行列出", "content": json(["type": "object"])]
        case .censusImportReport:
            parameters.append(query("format", "json（默认）、csv 或 xlsx"))
            responses["200"] = ["description": "逐行错误报告", "content": json(["type": "array", "items": ref("Issue")])]
        case .censusExport:
            parameters += [regionQuery, sheetFormat]
            responses["200"] = ["description": "采集表格式的导出（证件号脱敏）", "content": ["application/octet-stream": ["schema": ["type": "string"]]]]
        case .censusTemplate:
            parameters.append(sheetFormat)
            responses["200"] = ["description": "空白采集表", "content": ["application/octet-stream": ["schema": ["type": "string"]]]]
        case .policies, .policy, .policyCheck, .policyLoad, .policySimulation, .eligibility, .applications, .applicationCreate,
             .applicationReview, .allowanceRun, .paymentBatches, .paymentBatchApprove, .paymentBatchPaid, .paymentBatchExport, .ledger:
            incentiveOperation(route, &op, &parameters, &responses)
        default:
            indicatorOperation(route, &op, &parameters, &responses)
        }
        if !parameters.isEmpty { op["parameters"] = parameters }
        if let roles = route.access.roles {
            // Who may call it (RouteAccess): the roles, and read-write for officials when it changes data.
            let names = Role.allCases.filter(roles.contains).map(\.chineseName).joined(separator: "、")
            op["description"] = "角色：\(names)\(route.access.needsWrite ? "（业务人员须有读写权限）" : "")。超出管辖范围的记录返回 404。"
            op["security"] = [["bearer": [String]()], ["session": [String]()]]
            responses["401"] = errorResponse
            responses["403"] = errorResponse
        } else {
            op["security"] = [JSON]()
        }
        op["responses"] = responses
        return op
    }

    static func summary(_ route: APIRoute) -> String {
        switch route {
        case .health: return "健康检查"
        case .openAPI: return "OpenAPI 文档"
        case .regions: return "下级地区列表"
        case .region: return "地区详情"
        case .regionCreate: return "添加乡镇街道或村社区"
        case .regionUpdate: return "地区改名"
        case .people: return "人员列表"
        case .person: return "人员详情"
        case .personCreate: return "登记人员"
        case .personUpdate: return "修改人员"
        case .organizations: return "单位列表"
        case .organization: return "单位详情"
        case .organizationCreate: return "登记单位"
        case .organizationUpdate: return "修改单位"
        case .certificates: return "证书列表"
        case .certificate: return "证书详情"
        case .certificateCreate: return "登记证书"
        case .certificateUpdate: return "更正证书"
        case .registrationCreate: return "登记证书注册期"
        case .censusStats: return "人才统计"
        case .censusImport: return "导入人才信息采集表"
        case .censusImportReport: return "下载导入错误报告"
        case .censusExport: return "导出人才信息"
        case .censusTemplate: return "下载空白采集表"
        case .policies, .policy, .policyCheck, .policyLoad, .policySimulation, .eligibility, .applications, .applicationCreate,
             .applicationReview, .allowanceRun, .paymentBatches, .paymentBatchApprove, .paymentBatchPaid, .paymentBatchExport, .ledger:
            return incentiveSummary(route)
        default: return indicatorSummary(route)
        }
    }

    static func string(_ description: String, format: String? = nil) -> JSON {
        var s: JSON = ["type": "string", "description": description]
        if let format { s["format"] = format }
        return s
    }

    static var schemas: JSON { [
        "Error": ["type": "object", "required": ["error"], "properties": ["error": [
            "type": "object", "required": ["code", "message", "details"],
            "properties": ["code": ["type": "string"], "message": ["type": "string"],
                           "details": ["type": "array", "items": ref("Issue")]]]]],
        "Issue": ["type": "object", "required": ["code", "message"], "properties": [
            "field": ["type": ["string", "null"]], "column": ["type": ["string", "null"]], "row": ["type": ["integer", "null"]],
            "value": ["type": ["string", "null"]], "code": ["type": "string"], "message": ["type": "string"]]],
        "Health": ["type": "object", "required": ["status", "database"], "properties": [
            "status": ["type": "string"], "database": ["type": "string"], "time": ["type": "string"]]],
        "Region": ["type": "object", "properties": [
            "code": ["type": "string"], "name": ["type": "string"], "level": ["type": "string"],
            "parentCode": ["type": ["string", "null"]], "validFrom": ["type": ["integer", "null"]], "validTo": ["type": ["integer", "null"]]]],
        "NewRegion": ["type": "object", "required": ["code", "name"], "properties": [
            "code": string("9 位乡镇街道或 12 位村社区代码，须以上级代码开头"), "name": ["type": "string"]]],
        "PersonInput": ["type": "object", "required": ["name", "idNumber", "regionCode"], "properties": [
            "name": string("姓名"), "idNumber": string("身份证号（GB 11643）"), "sex": string("男/女，须与身份证号一致"),
            "mobile": string("11 位手机号"), "regionCode": string("区县、乡镇街道或村社区代码"),
            "employerName": string("工作单位"), "employerCreditCode": string("统一社会信用代码（GB 32100）"),
            "postCategory": string("人员类别"), "serviceFields": ["type": "array", "items": ["type": "string"]],
            "education": string("最高学历"), "socialWorkDegree": ["type": "boolean"],
            "certificate": ["type": "object", "properties": ["level": ["type": "string"], "number": ["type": "string"],
                                                           "issueDate": string("YYYY-MM-DD", format: "date")]]]],
        "Person": ["type": "object", "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "idNumber": string("脱敏，如 420***********1234"),
            "sex": ["type": "string"], "birthDate": ["type": "string", "format": "date"], "mobile": ["type": ["string", "null"]],
            "regionCode": ["type": "string"], "organizationID": ["type": ["string", "null"]], "organizationName": ["type": ["string", "null"]],
            "postCategory": ["type": ["string", "null"]], "serviceFields": ["type": "array", "items": ["type": "string"]],
            "education": ["type": ["string", "null"]], "socialWorkDegree": ["type": ["boolean", "null"]],
            "certificateLevel": ["type": ["string", "null"]], "updatedAt": ["type": "string"], "version": ["type": "integer"]]],
        "PersonPage": ["type": "object", "properties": [
            "items": ["type": "array", "items": ref("Person")], "total": ["type": "integer"], "page": ["type": "integer"], "perPage": ["type": "integer"]]],
        "PersonDetail": ["type": "object", "properties": [
            "person": ref("Person"), "certificates": ["type": "array", "items": ["type": "object"]],
            "employments": ["type": "array", "items": ["type": "object"]], "history": ["type": "array", "items": ["type": "object"]]]],
        "Organization": ["type": "object", "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "creditCode": ["type": ["string", "null"]],
            "kind": ["type": ["string", "null"]], "regionCode": ["type": ["string", "null"]], "staff": ["type": "integer"]]],
        "OrganizationInput": ["type": "object", "required": ["name"], "properties": [
            "name": ["type": "string"], "creditCode": ["type": ["string", "null"]], "kind": ["type": ["string", "null"]],
            "regionCode": ["type": ["string", "null"]]]],
        "Certificate": ["type": "object", "properties": [
            "id": ["type": "string"], "personID": ["type": "string"], "personName": ["type": "string"], "level": ["type": "string"],
            "number": ["type": "string"], "issueDate": ["type": "string", "format": "date"], "lowScoreArea": ["type": "boolean"]]],
        "NewCertificate": ["type": "object", "required": ["personID", "level", "number", "issueDate"], "properties": [
            "personID": ["type": "string"], "level": ["type": "string"], "number": ["type": "string"],
            "issueDate": ["type": "string", "format": "date"], "lowScoreArea": ["type": "boolean"]]],
        "ImportReport": ["type": "object", "properties": [
            "importID": ["type": "string"], "dryRun": ["type": "boolean"], "committed": ["type": "boolean"], "rows": ["type": "integer"],
            "created": ["type": "integer"], "updated": ["type": "integer"], "unchanged": ["type": "integer"],
            "rejectedRows": ["type": "integer"], "issues": ["type": "array", "items": ref("Issue")]]],
    ].merging(indicatorSchemas) { existing, _ in existing } }

    static func document() -> JSON {
        var paths: [String: JSON] = [:]
        for route in APIRoute.allCases {
            paths[route.openAPIPath, default: [:]][route.method.rawValue.lowercased()] = operation(route)
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Shegong 社工人才 API", "version": "1.0.0",
                     "description": "社会工作人才队伍建设平台的 JSON 接口。证件号默认脱敏；错误格式为 {\"error\": {\"code\", \"message\", \"details\"}}。"],
            "paths": paths,
            "components": ["schemas": schemas, "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer", "description": "API 令牌（shegong token create 或 账户页面创建），作用范围同其所有者"],
                "session": ["type": "apiKey", "in": "cookie", "name": SessionCookie.name,
                            "description": "浏览器会话；修改数据的请求还须带 X-CSRF-Token 请求头"],
            ]],
            "security": [["bearer": [String]()], ["session": [String]()]],
        ]
    }
}

struct OpenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let body = try JSONSerialization.data(withJSONObject: OpenAPIDocument.document(), options: [.sortedKeys, .withoutEscapingSlashes])
        routes.on(.openAPI) { _ in
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(data: body))
        }
    }
}
