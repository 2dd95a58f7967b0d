import Foundation

// What the walk of the English pages (Tests/ShegongWebTests/EnglishPagesWalkTests.swift) found
// shown in Chinese only: the units of the indicators' figures (the kinds of organisation are in
// Catalogue+PgRegistry.swift). The pages show them through `definition.valueText(value, language)`.
extension Catalogue {
    public static let englishWalkEntries: [CatalogueEntry] = indicatorValueEntries

    /// `indicator.value.<indicator id>`: a figure of the indicator with its unit; the Chinese is the
    /// figure followed by `IndicatorDefinition.unit` (a test holds them together).
    public static let indicatorValueEntries: [CatalogueEntry] = [
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
        .init("indicator.value.training_coverage", "{0}%", "{0}%"),
        .init("indicator.value.training_hours_per_worker", "{0}小时/人", "{0} hours per worker"),
    ]
}
