import Foundation

// The names of the audit log's actions (`auditAction.<action>`, shown on the audit page by
// `AuditActionNames`) and the few texts the typed account and audit pages added.
extension Catalogue {
    public static let adminPageEntries: [CatalogueEntry] = auditActionEntries + [
        .init("audit.result.success", "成功", "Succeeded"),
        .init("audit.result.failure", "失败", "Failed"),
        .init("audit.result.denied", "拒绝", "Refused"),
        .init("account.password_mismatch", "两次输入的新密码不一致。", "The two new passwords differ."),
        .init("form.message_separator", "；", "; "),
    ]

    /// One name per action the store and the services record (AuditLog.swift,
    /// AccountStore+Separation.swift, Kernel/AuditActions.swift, RegionService, PlanService).
    public static let auditActionEntries: [CatalogueEntry] = [
        // Sessions and accounts (the store's own actions).
        .init("auditAction.session.login", "登录", "Sign-in"),
        .init("auditAction.session.login_failure", "登录失败", "Failed sign-in"),
        .init("auditAction.session.logout", "退出登录", "Sign-out"),
        .init("auditAction.session.expired", "会话超时", "Session expired"),
        .init("auditAction.user.lock", "账号锁定", "Account locked"),
        .init("auditAction.user.create", "创建账号", "Account created"),
        .init("auditAction.user.disable", "停用账号", "Account disabled"),
        .init("auditAction.user.enable", "启用账号", "Account enabled"),
        .init("auditAction.user.password_change", "修改密码", "Password changed"),
        .init("auditAction.user.password_reset", "重置密码", "Password reset"),
        .init("auditAction.user.password_issue", "签发一次性密码", "One-time password issued"),
        .init("auditAction.user.totp_enable", "启用双因素认证", "Two-factor authentication turned on"),
        .init("auditAction.user.totp_disable", "重置双因素认证", "Two-factor authentication reset"),
        .init("auditAction.user.grant", "分配角色与范围", "Role and scope granted"),
        .init("auditAction.token.create", "创建 API 令牌", "API token created"),
        .init("auditAction.token.revoke", "撤销 API 令牌", "API token revoked"),
        .init("auditAction.audit.verify", "校验审计日志", "Audit log verified"),
        .init("auditAction.audit.search", "查询审计日志", "Audit log searched"),
        // Security events.
        .init("auditAction.access.denied", "拒绝访问", "Access refused"),
        .init("auditAction.security.csrf_rejected", "拒绝伪造的表单提交", "Forged form submission refused"),
        .init("auditAction.security.login_rate_limited", "登录尝试过于频繁", "Too many sign-in attempts"),
        .init("auditAction.security.token_invalid", "无效的 API 令牌", "Invalid API token"),
        // The registry.
        .init("auditAction.person.create", "新增人员", "Person added"),
        .init("auditAction.person.update", "修改人员信息", "Person changed"),
        .init("auditAction.person.reveal", "查看完整个人信息", "Personal data revealed"),
        .init("auditAction.organization.create", "新增机构", "Organisation added"),
        .init("auditAction.organization.update", "修改机构信息", "Organisation changed"),
        .init("auditAction.certificate.create", "新增证书", "Certificate added"),
        .init("auditAction.certificate.update", "修改证书", "Certificate changed"),
        .init("auditAction.certificate.registration", "登记证书", "Certificate registered"),
        .init("auditAction.region.create", "新增地区", "Region added"),
        .init("auditAction.region.update", "修改地区", "Region changed"),
        .init("auditAction.region.import", "导入地区", "Regions imported"),
        .init("auditAction.census.import", "导入人才信息采集表", "Census imported"),
        .init("auditAction.census.export", "导出人才信息采集表", "Census exported"),
        // Statistics, plans and exams.
        .init("auditAction.statistics.update", "填报统计数据", "Statistics entered"),
        .init("auditAction.statistics.import", "导入统计数据", "Statistics imported"),
        .init("auditAction.practice_base.create", "新增实践基地", "Practice base added"),
        .init("auditAction.pilot_community.create", "新增试点社区", "Pilot community added"),
        .init("auditAction.measure.report", "报送措施进展", "Measure progress reported"),
        .init("auditAction.evidence.download", "下载佐证材料", "Evidence downloaded"),
        .init("auditAction.exam.create", "录入考试数据", "Exam figures entered"),
        .init("auditAction.exam.pass_import", "导入考试通过名单", "Exam pass list imported"),
        .init("auditAction.target.create", "新增目标", "Target added"),
        // Incentives.
        .init("auditAction.policy.load", "载入激励政策", "Incentive policy loaded"),
        .init("auditAction.application.create", "提交激励申请", "Incentive application submitted"),
        .init("auditAction.application.review", "审核激励申请", "Incentive application reviewed"),
        .init("auditAction.allowance.run", "生成津贴发放", "Allowance run"),
        .init("auditAction.payment_batch.approve", "批准发放批次", "Payment batch approved"),
        .init("auditAction.payment_batch.paid", "发放批次已支付", "Payment batch marked paid"),
        .init("auditAction.payment_batch.export", "导出发放批次", "Payment batch exported"),
    ]
}
