/// The home page's to-do list (issue #18 §4).
extension Catalogue {
    public static let todoEntries: [CatalogueEntry] = [
        .init("todo.title", "待办事项", "To-dos"),
        .init("todo.none", "目前没有待办事项。", "Nothing to do at the moment."),
        .init("todo.applications", "待本级审核的申请：{0} 件", "Applications awaiting your level's review: {0}"),
        .init("todo.batches_approve", "待审批的发放批次：{0} 个", "Payment batches awaiting your approval: {0}"),
        .init("todo.batches_paid", "待登记已发放的批次：{0} 个", "Approved batches to record as paid: {0}"),
        .init("todo.measures", "{0}：已逾期 {1} 项，{2} 天内到期 {3} 项", "{0}: {1} overdue, {3} due within {2} days"),
        .init("todo.import", "待提交的导入：{0}", "Import waiting for its commit: {0}"),
    ]
}
