import Foundation

// The dashboard and plan pages as typed views: the texts they wrote by hand before (the
// full-width colons and list marks of Chinese), the trend column, and each shipped indicator's
// value with its unit, so an English dashboard does not show "800人".
extension Catalogue {
    public static let pgPlansEntries: [CatalogueEntry] = [
        .init("dashboard.trend", "趋势", "Trend"),
        .init("plans.label_separator", "：", ": "),
        .init("plans.message_separator", "；", "; "),
        .init("indicator.value.certificate_holders", "{0}人", "{0} people"),
        .init("indicator.value.new_certificate_holders", "{0}人", "{0} people"),
        .init("indicator.value.social_work_talent_total", "{0}人", "{0} people"),
        .init("indicator.value.community_worker_certification_rate", "{0}%", "{0}%"),
        .init("indicator.value.school_coverage", "{0}%", "{0}%"),
        .init("indicator.value.social_workers_per_1000_older_people", "{0}人/千名老年人", "{0} per 1,000 older people"),
        .init("indicator.value.social_workers_per_100_care_beds", "{0}人/百张床位", "{0} per 100 care beds"),
        .init("indicator.value.correction_subjects_per_social_worker", "{0}人/名社会工作者", "{0} per social worker"),
        .init("indicator.value.county_units_with_practice_base", "{0}%", "{0}%"),
        .init("indicator.value.pilot_communities_per_county", "{0}个/县", "{0} per county"),
        .init("indicator.value.county_units_with_pilot_case", "{0}%", "{0}%"),
    ]
}
