import Foundation

/// The indicators Shegong ships (issue 5 §2). Users may add their own; these ids are stable
/// because the seed plans' targets refer to them.
public enum IndicatorCatalogue {
    public static let certificateHolders = IndicatorDefinition(
        id: "certificate_holders", chineseName: "持证社会工作者人数", englishName: "Certificate holders",
        numerator: .count(.init(.people, .init(certificateHeld: true))), unit: "人",
        note: "登记在册、截至评估日持有任一等级社会工作者职业水平证书的人数。")

    public static let newCertificateHolders = IndicatorDefinition(
        id: "new_certificate_holders", chineseName: "新增持证社会工作者人数", englishName: "New certificate holders",
        numerator: .count(.init(.people, .init(firstCertifiedIn: .evaluationPeriod))), unit: "人",
        note: "首张证书的发证日期在统计期内的人数；由助理升为中级不算新增（酒泉“新增 300 名左右持证上岗社会工作者”）。")

    public static let socialWorkTalentTotal = IndicatorDefinition(
        id: "social_work_talent_total", chineseName: "社会工作人才总量", englishName: "Social-work talent total",
        numerator: .count(.init(.people)), unit: "人",
        note: "人才库中登记在册的全部人员，持证与否不限（宣城“社会工作人才总量达到 1 万人”）。")

    public static let communityWorkerCertificationRate = IndicatorDefinition(
        id: "community_worker_certification_rate", chineseName: "社区工作者持证率",
        englishName: "Community-worker certification rate",
        numerator: .count(.init(.people, .init(certificateHeld: true, postCategories: [.communityWorker]))),
        denominator: .statistic(.communityWorkers), factor: .hundred, unit: "%", decimals: 1,
        note: "分母为民政部门填报的社区工作者总数，而非人才库中的社区工作者人数：人才库未必收录全部社区工作者。"
            + "人口普查统计页的持证率以人才库为分母，两者在人才库不完整时不同。")

    public static let schoolCoverage = IndicatorDefinition(
        id: "school_coverage", chineseName: "中小学校社会工作服务覆盖率", englishName: "School social-work coverage",
        numerator: .statistic(.schoolsWithSocialWork), denominator: .statistic(.schools), factor: .hundred,
        unit: "%", decimals: 1, note: "两项均由教育部门填报（酒泉“覆盖 30% 左右的中小学校”）。")

    public static let socialWorkersPer1000OlderPeople = IndicatorDefinition(
        id: "social_workers_per_1000_older_people", chineseName: "每千名老年人拥有社会工作者数",
        englishName: "Social workers per 1,000 older people",
        numerator: .count(.init(.people, .init(serviceFields: [.elderly]))),
        denominator: .statistic(.population60Plus), factor: .thousand, unit: "人/千名老年人", decimals: 2,
        note: "分子为服务领域含“养老”的社会工作人才（持证与否不限）；分母为 60 岁及以上人口。")

    public static let socialWorkersPer100CareBeds = IndicatorDefinition(
        id: "social_workers_per_100_care_beds", chineseName: "每百张养老机构床位拥有社会工作者数",
        englishName: "Social workers per 100 elderly-care beds",
        numerator: .count(.init(.people, .init(serviceFields: [.elderly], employerKinds: [.elderlyCareInstitution]))),
        denominator: .statistic(.elderlyCareBeds), factor: .hundred, unit: "人/百张床位", decimals: 2,
        note: "分子为就职于养老机构、服务领域含“养老”的社会工作人才；分母为养老机构床位数。")

    public static let correctionSubjectsPerSocialWorker = IndicatorDefinition(
        id: "correction_subjects_per_social_worker", chineseName: "社区矫正对象与社会工作者配比",
        englishName: "Community-correction subjects per social worker",
        numerator: .statistic(.communityCorrectionSubjects),
        denominator: .count(.init(.people, .init(serviceFields: [.communityCorrection]))),
        unit: "人/名社会工作者", decimals: 1,
        note: "每名社区矫正领域社会工作者对应的社区矫正对象数，越低越好（目标用“≤”）。")

    /// The base's level is a filter: a city base in 肃州区 (全市实践基地, 金泉路社区) is not 肃州区's
    /// county base, so it leaves 肃州区 uncounted (docs/indicators.md, issue #16).
    public static let countyUnitsWithPracticeBase = IndicatorDefinition(
        id: "county_units_with_practice_base", chineseName: "建有县级实践基地的县级单位占比",
        englishName: "County-level units with a county-level practice base",
        numerator: .count(.init(.countyUnits, .init(baseLevels: [.county], withPracticeBase: true))),
        denominator: .count(.init(.countyUnits)), factor: .hundred, unit: "%", decimals: 1,
        note: "酒泉“各县市区建立县级社会工作专业人员实践基地各一个”：只计县级基地，设在县级单位辖区内的市级、省级、院校基地不计；目标为 100%。")

    /// The city's own pilots: 南苑 and 梨园 are provincial pilots (全省融合试点项目) and do not count.
    public static let pilotCommunitiesPerCounty = IndicatorDefinition(
        id: "pilot_communities_per_county", chineseName: "县均全市融合试点社区数", englishName: "City pilot communities per county",
        numerator: .count(.init(.pilotCommunities, .init(pilotTiers: [.city]))), denominator: .count(.init(.countyUnits)),
        unit: "个/县", decimals: 2,
        note: "酒泉“各县市区确定一个社区探索开展全市融合试点工作”：只计全市融合试点社区，全省试点（如南苑社区、梨园社区）不计。"
            + "均值达到 1 不保证每县都有，逐县覆盖见 county_units_with_pilot_case。")

    public static let countyUnitsWithPilotCase = IndicatorDefinition(
        id: "county_units_with_pilot_case", chineseName: "全市融合试点形成优秀案例的县级单位占比",
        englishName: "County-level units with a city pilot community and a good-practice case",
        numerator: .count(.init(.countyUnits, .init(withPilotCommunity: true, pilotTiers: [.city], minimumGoodPracticeCases: 1))),
        denominator: .count(.init(.countyUnits)), factor: .hundred, unit: "%", decimals: 1,
        note: "酒泉“各县市区确定一个社区探索开展全市融合试点工作，形成至少一个优秀实践案例”：只计全市融合试点；目标为 100%。")

    /// Issue #13 §7. Community workers as the certification rate names them (post category 社区工作者),
    /// but over those on file in the registry: attendance is only recorded for registered people.
    public static let trainingCoverage = IndicatorDefinition(
        id: "training_coverage", chineseName: "社区工作者培训覆盖率", englishName: "Community-worker training coverage",
        numerator: .count(.init(.people, .init(postCategories: [.communityWorker], trainedIn: .evaluationPeriod))),
        denominator: .count(.init(.people, .init(postCategories: [.communityWorker]))), factor: .hundred, unit: "%", decimals: 1,
        note: "统计期内至少有一天参加培训（有签到学时）的社区工作者占人才库中社区工作者的比例；"
            + "分母为人才库中登记在册的社区工作者，而非民政部门填报的社区工作者总数：只有登记在册的人员才有培训记录。")

    public static let trainingHoursPerWorker = IndicatorDefinition(
        id: "training_hours_per_worker", chineseName: "社区工作者人均培训学时", englishName: "Training hours per community worker",
        numerator: .count(.init(.trainingMinutes, .init(postCategories: [.communityWorker], trainedIn: .evaluationPeriod))),
        denominator: .count(.init(.people, .init(postCategories: [.communityWorker]))), unit: "小时/人", decimals: 1,
        note: "统计期内社区工作者已认定的培训学时（培训班次结业后记入继续教育学时的分钟数）÷ 60，"
            + "除以人才库中登记在册的社区工作者人数。",
        divisor: 60)

    /// In the order the issue lists them (the last one added to track the Jiuquan pilot target county by county),
    /// then the training breakdowns by tier and audience (`IndicatorCatalogue+TrainingBreakdown.swift`).
    public static let shipped: [IndicatorDefinition] = [
        certificateHolders, newCertificateHolders, socialWorkTalentTotal, communityWorkerCertificationRate,
        schoolCoverage, socialWorkersPer1000OlderPeople, socialWorkersPer100CareBeds,
        correctionSubjectsPerSocialWorker, countyUnitsWithPracticeBase, pilotCommunitiesPerCounty,
        countyUnitsWithPilotCase, trainingCoverage, trainingHoursPerWorker,
    ] + trainingBreakdown

    public static func definition(id: String) -> IndicatorDefinition? { shipped.first { $0.id == id } }
}
