import ShegongDomain
import ShegongStore
import Vapor

/// The census: figures of a region, the standard template's import (streamed), its row-level
/// report, the export and the blank template.
extension Endpoint {
    static let csv = "text/csv"
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    static let censusStats = Endpoint("censusStats",
        .GET, ["stats", "census"], .read(.official, .departmentOperator), summary: "人才统计",
        parameters: [.region],
        success: [.ok("人才统计（维护的汇总数，不扫描人员表）", ["type": "object", "required": ["region", "summary"], "properties": [
            "region": Schema.ref("Region"), "summary": ["type": "object", "required": ["total", "certificateHolders"], "properties": [
                "total": ["type": "integer"], "certificateHolders": ["type": "integer"]]]]])])

    static let censusImport = Endpoint("censusImport",
        .POST, ["imports", "census"], .write(.official, .organizationManager), summary: "导入人才信息采集表",
        parameters: [.dryRun, .fileName],
        body: .raw("采集表文件本身（CSV：UTF-8、带 BOM 的 UTF-8 或 GB18030；或 XLSX），按内容识别格式，不看 Content-Type", [
            csv: ["type": "string"], xlsx: ["type": "string", "format": "binary"], "application/octet-stream": ["type": "string", "format": "binary"]]),
        success: [.ok("导入（或预演）成功", Schema.ref("ImportReport"))],
        errors: [.unprocessable: "有行未通过校验（或文件无法读取），未写入任何数据；error.details 按行列出，report 为完整报告"])

    static let censusImportReport = Endpoint("censusImportReport",
        .GET, ["imports", "census", ":id", "report"], .read(.official, .organizationManager), summary: "下载导入错误报告",
        parameters: [.path("id", "导入 id（导入结果的 importID）"), .query("format", "json（默认）、csv 或 xlsx", .oneOf(["json", "csv", "xlsx"]))],
        success: [Success(status: 200, description: "逐行错误报告：JSON 数组，或 CSV、XLSX 文件",
                          content: ["application/json": Schema.array(Schema.ref("Issue")),
                                    csv: ["type": "string"], xlsx: ["type": "string", "format": "binary"]])])

    static let censusImportChanges = Endpoint("censusImportChanges",
        .GET, ["imports", "census", ":id", "changes"], .read(.official, .organizationManager), summary: "预演将做的修改（逐人）",
        parameters: [.path("id", "导入 id（预演结果的 importID）"), .query("page", "页码，从 1 开始", .integer())],
        success: [.ok("预演中将新增或修改的人员，按文件行号排列，每页 \(CensusImporter.changesPageSize) 人；字段为登记库的取值（身份证号、手机号脱敏）",
                      ["type": "object", "required": ["items", "total", "page", "perPage"], "properties": [
                          "items": Schema.array(Schema.ref("ImportChange")), "total": ["type": "integer"],
                          "page": ["type": "integer"], "perPage": ["type": "integer"]]])])

    static let censusExport = Endpoint("censusExport",
        .GET, ["exports", "census"], .read(.official, .organizationManager), summary: "导出人才信息",
        parameters: [.region, .sheetFormat,
                     .query("reveal", "true 导出完整身份证号和手机号（只限有读写权限的业务人员，否则 403；记入审计日志）", .boolean)],
        success: [.file("采集表格式的导出（证件号默认脱敏）", [xlsx, csv])])

    static let censusTemplate = Endpoint("censusTemplate",
        .GET, ["templates", "census"], .read(.official, .organizationManager, .socialWorker), summary: "下载空白采集表",
        parameters: [.sheetFormat, .query("lang", "填表说明的语言：zh-Hans（默认）或 en", .oneOf(["zh-Hans", "en"]))],
        success: [.file("空白采集表；XLSX 另有填表说明、各代码列的下拉列表，以及本账号管辖范围内的地区代码表", [xlsx, csv])])

    static var censusSchemas: [String: JSONValue] { [
        "ImportReport": ["type": "object", "required": ["importID", "dryRun", "committed", "rows"], "properties": [
            "importID": ["type": "string"], "fileName": ["type": "string"], "format": ["type": "string"],
            "dryRun": ["type": "boolean"], "committed": ["type": "boolean"], "rows": ["type": "integer"],
            "created": ["type": "integer"], "updated": ["type": "integer"], "unchanged": ["type": "integer"],
            "rejectedRows": ["type": "integer"], "issues": Schema.array(Schema.ref("Issue")), "issuesTruncated": ["type": "boolean"],
            "changes": ["type": "array", "description": "预演将做的修改的第一页（逐人）；其余各页见 GET /imports/census/{id}/changes",
                        "items": Schema.ref("ImportChange")],
            "changesListed": ["type": "integer", "description": .string("修改清单所列人数（最多 \(CensusImporter.maximumChanges) 人）")],
            "changesTruncated": ["type": "boolean"]]],
        "ImportChange": ["type": "object", "required": ["row", "kind", "name", "idNumber", "fields"], "properties": [
            "row": ["type": "integer"], "kind": ["type": "string", "enum": ["created", "updated"]],
            "name": ["type": "string"], "idNumber": Schema.string("身份证号（脱敏）"),
            "fields": Schema.array(["type": "object", "required": ["field"], "properties": [
                "field": Schema.string("字段：region_code、organization、post_category、service_fields、education、certificate_level、certificate、mobile、name 等"),
                "before": ["type": "string"], "after": ["type": "string"]]])]],
    ] }
}
