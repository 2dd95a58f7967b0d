import Foundation

// The pages of the home, region browser, statistics, dashboard and plan (issue #3 §6, issue #5 §7).
extension Catalogue {
    public static let dashboardPageEntries: [CatalogueEntry] = [
        .init("home.region_as_of", "{0}，截至 {1}", "{0}, as of {1}"),
        .init("home.new_holders_this_year", "{0}年新增持证人数", "New certificate holders in {0}"),
        .init("home.organization", "本单位", "Your organisation"),
        .init("home.open_organization", "查看本单位人员和岗位", "Open your organisation's staff and posts"),
        .init("home.open_own_record", "查看本人信息、证书和继续教育", "Open your own record, certificates and training"),
        .init("home.administrator", "管理员账号不查看业务数据，请进入管理页面。", "Administrator accounts see no business data; open the administration page."),

        .init("regions.no_children", "没有下级地区", "No subregions"),

        .init("statistics.holders_by_level", "持证人数（按证书等级）", "Certificate holders by level"),
        .init("statistics.holders_by_region", "各下级地区持证人数", "Certificate holders by subregion"),
        .init("statistics.holders_by_year", "持证人数（各年末）", "Certificate holders at each year end"),
        .init("statistics.levels_by_region", "各下级地区持证等级构成", "Certificate levels by subregion"),
        .init("statistics.by_age", "按年龄", "By age"),
        .init("statistics.age_band", "年龄段", "Age band"),
        .init("statistics.age.30岁以下", "30岁以下", "Under 30"),
        .init("statistics.age.30–39岁", "30–39岁", "30–39"),
        .init("statistics.age.40–49岁", "40–49岁", "40–49"),
        .init("statistics.age.50–59岁", "50–59岁", "50–59"),
        .init("statistics.age.60岁及以上", "60岁及以上", "60 and over"),
        .init("statistics.share_percent", "占比（%）", "Share (%)"),
        .init("statistics.community_rate_percent", "社区工作者持证率（%）", "Community-worker certification rate (%)"),
        .init("statistics.source_note", "数据来源：人才信息库实时汇总", "Source: live totals of the registry"),

        .init("dashboard.target", "目标", "Target"),
        .init("dashboard.no_targets", "本地区尚未设定目标。", "No targets are set for this region."),
        .init("dashboard.no_plans", "本地区没有工作方案。", "No plans cover this region."),
        .init("dashboard.measures_by_status", "{0}：措施状态", "{0}: measures by status"),
        .init("dashboard.measures_by_department_of", "{0}：各牵头单位进展", "{0}: measures by lead department"),
        .init("dashboard.overdue_of", "{0}：逾期未完成措施", "{0}: overdue measures"),
        .init("dashboard.days_overdue", "逾期天数", "Days overdue"),
        .init("dashboard.certification", "持证与考试", "Certification and exams"),
        .init("dashboard.registrants_by_year", "各年报考人数", "Exam registrants by year"),
        .init("dashboard.no_exams", "本地区没有考试数据", "No exam figures for this region"),
        .init("dashboard.exam_year", "考试年度", "Exam year"),
        .init("dashboard.pass_rate_percent", "通过率（%）", "Pass rate (%)"),
        .init("dashboard.growth_percent", "报名较上年增长（%）", "Registrants on the previous year (%)"),
        .init("dashboard.ranking_by", "下级地区排名：{0}", "Subregions ranked by {0}"),
        .init("targets.required_now", "当前应达", "Required by now"),
        .init("targets.progress_percent", "完成进度（%）", "Progress (%)"),

        .init("plans.reported", "措施 {0} 的进展报告已提交。", "The progress report on measure {0} was submitted."),
        .init("plans.no_reports", "尚无进展报告", "No progress reports yet"),
        .init("plans.report_text", "进展情况", "Progress"),
        .init("plans.completes", "本措施已完成", "This measure is done"),
        .init("plans.report_submit", "填报进展", "Report progress"),
    ]
}
