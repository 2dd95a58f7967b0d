import Foundation

// A measure marked done waits for the plan owner's confirmation (issue #18 §2).
extension Catalogue {
    public static let measureConfirmationEntries: [CatalogueEntry] = [
        .init("status.measure.awaiting_confirmation", "待确认", "Awaiting confirmation"),
        .init("plan.measure.not_owner", "只有方案所属地区的可写账号才能确认或退回措施 {0} 的完成", "Only a read-write account of the plan's region may confirm or return the completion of measure {0}"),
        .init("measure.not_awaiting", "措施 {0} 没有待确认的完成报告", "Measure {0} has no completion waiting for confirmation"),
        .init("measure.return_reason", "退回须填写原因（最多 500 字）", "Give a reason for returning it (at most 500 characters)"),
        .init("auditAction.measure.confirm", "确认措施完成", "Measure completion confirmed"),
        .init("auditAction.measure.return", "退回措施完成报告", "Measure completion returned"),
        .init("plans.awaiting_hint", "牵头部门已报告完成，待方案所属地区确认。", "The lead department reported it done; the plan's region is to confirm it."),
        .init("plans.confirm", "确认完成", "Confirm done"),
        .init("plans.return", "退回", "Return"),
        .init("plans.return_reason", "退回原因", "Reason for returning"),
        .init("plans.returned", "已退回：{0}", "Returned: {0}"),
        .init("plans.awaiting_report", "（待确认）", "(awaiting confirmation)"),
        .init("plans.decided_confirm", "已确认措施 {0} 完成。", "Measure {0} confirmed done."),
        .init("plans.decided_return", "已退回措施 {0} 的完成报告。", "The completion of measure {0} was returned."),
    ]
}
