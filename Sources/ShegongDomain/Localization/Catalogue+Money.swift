import Foundation

// Four eyes on money, batch numbers, confirmations and amounts (issue #17 §1, §3; docs/policies.md).
extension Catalogue {
    public static let moneyEntries: [CatalogueEntry] = [
        // The four-eyes refusals name the rule (docs/policies.md "Four eyes").
        .init("four_eyes.batch_run", "四眼原则：批次 {0} 由您生成（或其中的申请由您终审），您不能再审批它，请由另一位工作人员审批",
              "Four eyes: you ran batch {0} (or gave final approval to an application in it), so you may not approve it; another official must"),
        .init("four_eyes.batch_approved", "四眼原则：批次 {0} 由您审批，您不能再登记它已发放，请由另一位工作人员登记",
              "Four eyes: you approved batch {0}, so you may not record it as paid; another official must"),
        .init("four_eyes.application_submitted", "四眼原则：这份申请由您提交，您不能审核通过它，请由另一位工作人员审核",
              "Four eyes: you submitted this application, so you may not approve it; another official must"),
        .init("four_eyes.application_level", "四眼原则：您已审核通过这份申请的另一级，不能再审核通过这一级，请由另一位工作人员审核",
              "Four eyes: you approved another review level of this application, so you may not approve this one; another official must"),
        .init("four_eyes.setting_admins_only", "只有安全管理员或系统管理员可以更改四眼原则的设置",
              "Only a security or system administrator may change the four-eyes setting"),
        .init("four_eyes.reason_required", "更改四眼原则的设置须说明原因", "Say why the four-eyes setting changes"),
        .init("batch.confirmation_stale", "批次 {0} 在您确认后已有变化：确认时 {1} 笔、{2} 元，现在 {3} 笔、{4} 元。请核对后重新确认",
              "Batch {0} changed after you confirmed it: {1} lines and CNY {2} then, {3} lines and CNY {4} now. Check it and confirm again"),
        .init("allowance.future_month", "不能生成 {0} 的津贴：该月晚于本月（{1}）", "No allowance can be run for {0}: it is after the current month ({1})"),
        .init("auditAction.four_eyes.set", "更改四眼原则设置", "Four-eyes setting changed"),
        // Pages
        .init("incentives.batch_number", "批次编号", "Batch number"),
        .init("incentives.paid_by", "发放登记人", "Recorded paid by"),
        .init("incentives.amount_capital", "合计（大写）", "Total in capital numerals"),
        .init("incentives.confirm_approve_title", "确认审批批次 {0}", "Confirm the approval of batch {0}"),
        .init("incentives.confirm_paid_title", "确认批次 {0} 已发放", "Confirm that batch {0} has been paid"),
        .init("incentives.confirm_approve_text", "请核对：批准后，这个批次的 {0} 笔、合计 {1} 即可发放。批次在您确认后如有变化，审批将被拒绝。",
              "Check: once approved, this batch's {0} lines, {1} in total, may be paid. If the batch changes after you confirm, the approval is refused."),
        .init("incentives.confirm_paid_text", "请核对：这个批次的 {0} 笔、合计 {1} 将登记为已发放。批次在您确认后如有变化，登记将被拒绝。",
              "Check: this batch's {0} lines, {1} in total, will be recorded as paid. If the batch changes after you confirm, the record is refused."),
        .init("incentives.confirm_approve", "确认审批", "Confirm approval"),
        .init("incentives.confirm_paid", "确认已发放", "Confirm paid"),
        .init("incentives.four_eyes_note", "四眼原则：生成批次的人不能审批该批次，审批的人不能登记发放；提交申请或审核通过一级的人不能审核通过下一级。",
              "Four eyes: whoever ran a batch may not approve it, and whoever approved it may not record it paid; whoever submitted an application or approved one level may not approve the next."),
        .init("incentives.employer", "工作单位", "Employer"),
        // Honest dashboards (docs/indicators.md "Progress", "Plausible figures")
        .init("statistics.part_exceeds_whole", "数字不合理：{0}（{1}）不能多于{2}（{3}），未保存；请核对后更正其中有误的数字",
              "Implausible figures: {0} ({1}) cannot exceed {2} ({3}); nothing was saved. Check them and correct the wrong one"),
        .init("targets.baseline_meets_target", "基线 {0}（{1}）已达到目标：进度按达到目标计为 100%，低于目标时为 0%",
              "The baseline {0} ({1}) already meets the target: progress is 100% while the target is met and 0% once it is not"),
        .init("targets.value_on", "{0}（截至 {1}）", "{0} (as of {1})"),
        .init("dashboard.as_of_form", "截至日期", "As of"),
        .init("dashboard.period_from", "统计期自", "Period from"),
        .init("dashboard.period_to", "至", "to"),
        .init("dashboard.figures_as_of", "以下数字截至 {0}（人才信息库实时汇总按该日计算）", "The figures below are as of {0} (registry totals counted on that day)"),
        .init("dashboard.exam_source", "来源", "Source"),
        .init("dashboard.exam_source.reported", "新闻报道/统计公报", "Press report / statistical bulletin"),
        .init("dashboard.exam_source.derived", "推算（由公开数字或人才信息库证书计算）", "Derived (from published figures or registry certificates)"),
        .init("dashboard.exam_source.estimated", "估算", "Estimate"),
        .init("dashboard.exam_source_note", "考试数据的来源见各行“来源”列：报道的数字按所录出处，并非由本系统登记的人员统计得出",
              "Each exam figure's source is in its Source column: reported figures are as cited, not live registry totals"),
    ]
}
