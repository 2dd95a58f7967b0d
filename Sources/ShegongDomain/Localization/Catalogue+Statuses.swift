import Foundation

// Statuses, keyed `status.<area>.<raw value as stored>` so a page can look one up from the
// string the store returns: `status.application.\(row.status)`.
extension Catalogue {
    public static let statusEntries: [CatalogueEntry] = [
        // Plan measures (MeasureStatus: computed, never typed).
        .init("status.measure.not_started", "未开始", "Not started"),
        .init("status.measure.in_progress", "进行中", "In progress"),
        .init("status.measure.done", "已完成", "Done"),
        .init("status.measure.overdue", "已逾期", "Overdue"),
        .init("status.measure.completed_late", "逾期完成", "Completed late"),
        .init("status.measure.days_overdue", "逾期 {0} 天", "{0} days overdue"),

        // Targets (TargetAssessment.Status).
        .init("status.target.met", "已达成", "Met"),
        .init("status.target.on_track", "进度正常", "On track"),
        .init("status.target.at_risk", "有风险", "At risk"),
        .init("status.target.missed", "未达成", "Missed"),
        .init("status.target.no_data", "无数据", "No data"),

        // Award applications (award_applications.status).
        .init("status.application.submitted", "审核中", "Under review"),
        .init("status.application.approved", "已通过", "Approved"),
        .init("status.application.rejected", "已驳回", "Rejected"),
        .init("status.application.returned", "已退回", "Returned for changes"),
        .init("status.application.awaiting", "待{0}审核", "Awaiting {0} review"),

        // Payment batches (payment_batches.status).
        .init("status.batch.draft", "草稿", "Draft"),
        .init("status.batch.approved", "已审批", "Approved"),
        .init("status.batch.paid", "已发放", "Paid"),

        // Census imports (census_imports.status).
        .init("status.import.dry_run", "试导入", "Dry run"),
        .init("status.import.committed", "已导入", "Committed"),
        .init("status.import.rejected", "有误未导入", "Rejected"),

        // Eligibility rule outcomes (RuleOutcome).
        .init("status.rule.passed", "符合", "Passed"),
        .init("status.rule.failed", "不符合", "Failed"),
        .init("status.rule.not_checked", "未检查", "Not checked"),

        // Accounts.
        .init("status.account.active", "正常", "Active"),
        .init("status.account.locked", "已锁定", "Locked"),
        .init("status.account.disabled", "已停用", "Disabled"),
        .init("status.account.password_expired", "密码已过期", "Password expired"),
    ]
}
