/// The exports of organisations, accounts and the audit log (issue #18 §1); their links reuse the
/// people list's `lists.export.xlsx` / `lists.export.csv`.
extension Catalogue {
    public static let exportsEntries: [CatalogueEntry] = [
        .init("exports.region_code", "地区代码", "Region code"),
        .init("exports.organizations.title", "单位列表", "Organisations"),
        .init("exports.organizations.note", "共 {0} 个单位。", "{0} organisations."),
        .init("exports.accounts.title", "账号列表", "Accounts"),
        .init("exports.accounts.holder", "所属单位或人员", "Organisation or person"),
        .init("exports.accounts.last_login", "上次登录（北京时间 UTC+8）", "Last sign-in (Beijing time, UTC+8)"),
        .init("exports.accounts.note", "共 {0} 个账号；不含密码、动态口令密钥和令牌。",
              "{0} accounts; no passwords, authenticator secrets or tokens."),
        .init("exports.audit.title", "审计日志", "Audit log"),
        .init("exports.audit.time", "时间（北京时间 UTC+8）", "Time (Beijing time, UTC+8)"),
        .init("exports.audit.action_code", "操作代码", "Action code"),
        .init("exports.audit.hash", "链哈希", "Chain hash"),
        .init("exports.audit.note", "共 {0} 条，最新的在前。", "{0} entries, newest first."),
        .init("exports.audit.capped", "只导出了最新的 {0} 条；请缩小查询范围后分次导出。",
              "Only the newest {0} entries were exported; narrow the search and export the rest separately."),
        .init("auditAction.organization.export", "导出单位列表", "Export of an organisation list"),
        .init("auditAction.user.export", "导出账号列表", "Export of the account list"),
        .init("auditAction.audit.export", "导出审计日志", "Export of the audit log"),
    ]
}
