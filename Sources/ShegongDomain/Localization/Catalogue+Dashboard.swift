import Foundation

// Home page, statistics, dashboards, plans, targets, incentives; and the words the SVG charts draw.
extension Catalogue {
    public static let dashboardEntries: [CatalogueEntry] = [
        .init("home.title", "首页", "Home"),
        .init("home.key_figures", "主要数据", "Key figures"),
        .init("figure.talent_total", "社会工作人才", "Social work talent"),
        .init("figure.certificate_holders", "持证人数", "Certificate holders"),
        .init("figure.new_holders", "新增持证人数", "New certificate holders"),
        .init("figure.community_worker_rate", "社区工作者持证率", "Community-worker certification rate"),
        .init("figure.exam_registrants", "报考人数", "Exam registrants"),
        .init("figure.exam_passes", "通过人数", "Exam passes"),
        .init("figure.pass_rate", "通过率", "Pass rate"),
        .init("figure.growth", "较上年增长 {0}", "{0} on the previous year"),

        .init("statistics.title", "人才统计", "Census statistics"),
        .init("statistics.by_level", "按证书等级", "By certificate level"),
        .init("statistics.by_category", "按人员类别", "By post category"),
        .init("statistics.by_field", "按服务领域", "By service field"),
        .init("statistics.by_education", "按学历", "By education"),
        .init("statistics.by_region", "按地区", "By region"),
        .init("statistics.by_year", "按年份", "By year"),
        .init("statistics.by_sex", "按性别", "By sex"),

        .init("dashboard.title", "工作看板", "Dashboard"),
        .init("dashboard.targets", "目标进度", "Targets"),
        .init("dashboard.measures", "任务措施", "Measures"),
        .init("dashboard.measures_by_department", "各部门任务进展", "Measures by department"),
        .init("dashboard.exams", "考试动员", "Exam mobilisation"),
        .init("dashboard.ranking", "下级地区排名", "Subregions ranked"),
        .init("dashboard.rank_by", "排名指标", "Rank by"),
        .init("dashboard.rank", "名次", "Rank"),
        .init("dashboard.print_title", "{0} 工作看板（截至 {1}）", "{0} dashboard (as of {1})"),

        .init("plans.title", "计划与目标", "Plans and targets"),
        .init("plans.period", "实施期限", "Period"),
        .init("plans.source", "依据文件", "Source document"),
        .init("plans.key_task", "重点任务", "Key task"),
        .init("plans.measure", "措施", "Measure"),
        .init("plans.lead_department", "牵头单位", "Lead department"),
        .init("plans.cooperating_departments", "配合单位", "Cooperating departments"),
        .init("plans.deadline", "完成时限", "Deadline"),
        .init("plans.progress_report", "进展报告", "Progress report"),
        .init("plans.evidence", "佐证材料", "Evidence"),
        .init("plans.who_is_late", "逾期未完成", "Late measures"),

        .init("targets.indicator", "指标", "Indicator"),
        .init("targets.target_value", "目标值", "Target"),
        .init("targets.baseline", "基线", "Baseline"),
        .init("targets.current", "当前值", "Current value"),
        .init("targets.projection", "预计到期值", "Projected at deadline"),
        .init("targets.progress", "完成进度", "Progress"),
        .init("targets.counties_sum", "下级目标合计", "Sum of subregion targets"),

        .init("incentives.title", "激励政策", "Incentives"),
        .init("incentives.policies", "政策", "Policies"),
        .init("incentives.applications", "申请", "Applications"),
        .init("incentives.batches", "发放批次", "Payment batches"),
        .init("incentives.ledger", "发放台账", "Payment ledger"),
        .init("incentives.simulate", "测算", "Simulate"),
        .init("incentives.amount", "金额", "Amount"),
        .init("incentives.eligibility", "资格审查", "Eligibility"),
    ]

    /// Words drawn inside the SVG charts (`Sources/ShegongDomain/Charts`).
    public static let chartEntries: [CatalogueEntry] = [
        .init("chart.no_data", "无数据", "No data"),
        .init("chart.no_data_reason", "暂无可显示的数据", "Nothing to show yet"),
        .init("chart.total", "合计", "Total"),
        .init("chart.legend", "图例", "Legend"),
        .init("chart.actual", "实际值", "Actual"),
        .init("chart.required_path", "应达进度", "Required path"),
        .init("chart.projection", "趋势预测", "Projection"),
        .init("chart.target", "目标", "Target"),
        .init("chart.item_value", "{0}：{1}", "{0}: {1}"),
        .init("chart.item_share", "{0}：{1}（{2}）", "{0}: {1} ({2})"),
        .init("chart.summary_bar", "{0}，共 {1} 项", "{0}, items: {1}"),
        .init("chart.summary_line", "{0}，共 {1} 条线", "{0}, lines: {1}"),
        .init("chart.value_share", "{0}（{1}）", "{0} ({1})"),
        // Separators of the text alternative: between items, and inside one item's list.
        .init("chart.separator", "；", "; "),
        .init("chart.list_separator", "，", ", "),
        .init("chart.progress", "{0}：已完成 {1}", "{0}: {1} complete"),
        .init("chart.year", "{0}年", "{0}"),
        .init("chart.month", "{0}年{1}月", "{0}-{1}"),
        .init("chart.table_alternative", "图表数据见下表。", "The chart's data is in the table below."),
    ]
}
