import Foundation

// Training coverage by tier and audience (issue #13 §7): the breakdown indicators' figures and the
// coverage page (`/training/coverage`).
extension Catalogue {
    public static let trainingCoverageEntries: [CatalogueEntry] = trainingBreakdownValueEntries + [
        .init("training.coverage.title", "培训覆盖情况", "Training coverage"),
        .init("training.coverage.link", "培训覆盖情况（按层级、培训对象、地区）", "Training coverage (by tier, audience and region)"),
        .init("training.coverage.heading", "{0}社区工作者培训覆盖情况", "Community-worker training coverage in {0}"),
        .init("training.coverage.period", "统计期 {0} 至 {1}（评估日所在年度）；分母为人才库中登记在册的社区工作者 {2} 人。",
              "Period {0} to {1} (the year of the as-of date); the denominator is the {2} community workers on file."),
        .init("training.coverage.rules",
              "同一人在同一层级（或同一培训对象）中只计一次，参加多个层级的在各层级分别计入，因此各行之和可大于合计；学时按班次所属课程的层级和培训对象计入，班次结业后计入。",
              "A worker counts once per tier (and once per audience) and in every tier they attended, so the rows can add up to more than the total; hours count by the tier and audiences of the session's course, once the session is completed."),
        .init("training.coverage.by_tier", "按培训层级", "By tier"),
        .init("training.coverage.by_audience", "按培训对象（课程面向的对象）", "By audience (whom the course is for)"),
        .init("training.coverage.by_region", "按地区", "By region"),
        .init("training.coverage.regions_by_tier", "各地区按培训层级", "Regions by tier"),
        .init("training.coverage.regions_by_audience", "各地区按培训对象", "Regions by audience"),
        .init("training.coverage.tier", "培训层级", "Tier"),
        .init("training.coverage.audience", "培训对象", "Audience"),
        .init("training.coverage.trained", "已培训社区工作者（人）", "Community workers trained"),
        .init("training.coverage.share", "覆盖率", "Coverage"),
        .init("training.coverage.hours", "人均学时", "Hours per worker"),
        .init("training.coverage.total", "合计（不分层级）", "Total (any tier)"),
        .init("training.coverage.total_audience", "合计（不分对象）", "Total (any audience)"),
        .init("training.coverage.region", "地区", "Region"),
        .init("training.coverage.overall", "总覆盖率", "Overall coverage"),
        .init("training.coverage.overall_hours", "总人均学时", "Overall hours per worker"),
        .init("training.coverage.tier_share", "{0}覆盖率", "{0} coverage"),
        .init("training.coverage.tier_hours", "{0}人均学时", "{0} hours per worker"),
        .init("training.coverage.no_workers", "无社区工作者", "No community workers"),
        .init("training.coverage.as_of", "评估日", "As of"),
    ]

    /// `indicator.value.<id>` of every breakdown indicator: the overall indicator's unit.
    static var trainingBreakdownValueEntries: [CatalogueEntry] {
        let tiers = TrainingTier.allCases.map { "tier_\($0.rawValue)" }, audiences = TrainingAudience.allCases.map { "audience_\($0.rawValue)" }
        return (tiers + audiences).flatMap { suffix -> [CatalogueEntry] in
            [.init("indicator.value.training_coverage_\(suffix)", "{0}%", "{0}%"),
             .init("indicator.value.training_hours_per_worker_\(suffix)", "{0}小时/人", "{0} hours per worker")]
        }
    }
}
