import Foundation

// The region-figures page: the denominators departments type in per region and year
// (issue #5 §1), each department only the statistics of its field (issue #3 §2).
extension Catalogue {
    public static let figuresEntries: [CatalogueEntry] = [
        .init("nav.figures", "基础数据", "Base figures"),
        .init("figures.title", "{0} 基础数据", "Base figures of {0}"),
        .init("figures.intro", "各部门按年度填报的地区统计数据，是各项指标的分母（如学校数、60岁及以上老年人口、养老床位数）。每次修改都记入下方的修改记录。",
              "Figures each department enters per region and year; they are the denominators of the indicators (schools, people aged 60 and over, care beds…). Every change is kept in the history below."),
        .init("figures.year", "年度", "Year"),
        .init("figures.show", "查看", "Show"),
        .init("figures.statistic", "统计项", "Statistic"),
        .init("figures.value", "数值", "Value"),
        .init("figures.updated", "最近修改", "Last changed"),
        .init("figures.updated_by", "{0}（{1}）", "{0} ({1})"),
        .init("figures.not_entered", "未填报", "Not entered"),
        .init("figures.hint", "留空表示删除该项数值；只会保存有变化的项。", "Leave a box empty to remove the figure; only changed figures are saved."),
        .init("figures.yours", "您可以填报：{0}", "You may enter: {0}"),
        .init("figures.none_yours", "您所在部门没有需要填报的统计项；如有疑问请联系安全管理员。",
              "Your department enters none of these statistics; ask the security administrator if this is wrong."),
        .init("figures.read_only", "您只能查看这些数据。", "You can view these figures but not change them."),
        .init("figures.not_here", "这一级地区不能直接填报（全国数据由各省汇总；统计用占位代码不能填报）。",
              "Figures cannot be entered for this region (the nation is the sum of its provinces; placeholder codes take no figures)."),
        .init("figures.saved", "已保存：新增 {0} 项，修改 {1} 项，删除 {2} 项，未变 {3} 项。",
              "Saved: {0} added, {1} changed, {2} removed, {3} unchanged."),
        .init("figures.invalid_value", "须为 0 到 {0} 之间的整数。", "Must be a whole number from 0 to {0}."),
        .init("figures.history", "修改记录", "History"),
        .init("figures.before", "原值", "Before"),
        .init("figures.after", "新值", "After"),
        .init("figures.actor", "填报人", "Entered by"),
        .init("figures.via", "途径", "Through"),
        .init("figures.at", "时间", "When"),
        .init("figures.children", "下级地区", "Regions below"),
        .init("figures.link", "基础数据（指标分母）", "Base figures (denominators)"),
        .init("admin.department_statistics", "该部门填报的统计项：{0}", "This department enters: {0}"),
        .init("admin.department_statistics_none", "该部门名称不匹配任何填报规则，只能报送其牵头的措施进展。",
              "This department name matches no rule: it enters no statistics, only reports on the measures it leads."),

        .init("regionStatistic.schools", "中小学校数", "Primary and secondary schools"),
        .init("regionStatistic.schools_with_social_work", "开展社会工作服务的中小学校数", "Schools with social-work service"),
        .init("regionStatistic.population_60_plus", "60岁及以上老年人口", "Population aged 60 and over"),
        .init("regionStatistic.elderly_care_beds", "养老机构床位数", "Elderly-care institution beds"),
        .init("regionStatistic.community_correction_subjects", "社区矫正对象数", "Community-correction subjects"),
        .init("regionStatistic.community_workers", "社区工作者总数", "Community workers (headcount)"),
        .init("regionStatistic.villages_and_communities", "村（社区）数", "Villages and communities"),
        .init("regionStatistic.township_stations", "乡镇（街道）社会工作站数", "Township social-work stations"),
    ]
}
