import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The administrators' exports (issue #18 §1). Administrators hold no API tokens: they call these
/// with their session, as the export links of their pages do.
extension Endpoint {
    private static let sheets = ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"]

    static let accountsExport = Endpoint("accountsExport",
        .GET, ["accounts", "export"], .read(.systemAdministrator, .securityAdministrator),
        summary: "导出账号列表（XLSX 或 CSV；不含密码哈希、动态口令密钥和令牌）",
        parameters: [Parameter.sheetFormat],
        success: [.file("账号列表文件（用户名、角色、地区、权限、部门、状态、上次登录的北京时间）；导出连同行数记入审计日志", sheets)])

    /// The audit page's search as a file: its filters, every page of it, newest first.
    static let auditExport = Endpoint("auditExport",
        .GET, ["audit", "export"], .read(.auditAdministrator), summary: "导出审计日志的查询结果（XLSX 或 CSV）",
        parameters: [.query("since", "自该日起（YYYY-MM-DD，北京时间）", .text(format: "date")),
                     .query("until", "至该日前（YYYY-MM-DD，北京时间，不含该日）", .text(format: "date")),
                     .query("actor", "用户名"), .query("action", "操作（session.login）或操作类别（session）"),
                     .query("objectType", "对象类型"), .query("objectID", "对象 id"),
                     .query("result", "结果", .oneOf(["success", "failure", "denied"])), Parameter.sheetFormat],
        success: [.file("审计日志文件：北京时间、用户、操作和结果的名称、对象、详情、链哈希；最多 \(AuditService.maxRows) 条（最新的），导出连同查询条件和行数记入审计日志", sheets)])
}
