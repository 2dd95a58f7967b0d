import Foundation

// What the walk of the English pages (Tests/ShegongWebTests/EnglishPagesWalkTests.swift) found
// shown in Chinese only: the kinds of organisation (a coded value stored in Chinese) and the units
// of the indicators' figures. The pages show them through these keys (`t.name(kind)`,
// `definition.valueText(value, language)`).
extension Catalogue {
    static let englishWalkEntries: [CatalogueEntry] = organizationKindEntries + indicatorValueEntries

    /// `organizationKind.<OrganizationKind raw value>`: the kinds of employer the registry records.
    static let organizationKindEntries: [CatalogueEntry] = [
        .init("organizationKind.社工机构", "社工机构", "Social work organisation"),
        .init("organizationKind.学校", "学校", "School"),
        .init("organizationKind.医院", "医院", "Hospital"),
        .init("organizationKind.养老机构", "养老机构", "Elderly-care institution"),
        .init("organizationKind.社区", "社区", "Community"),
        .init("organizationKind.事业单位", "事业单位", "Public institution"),
        .init("organizationKind.群团组织", "群团组织", "Mass organisation"),
        .init("organizationKind.行政机关", "行政机关", "Government agency"),
        .init("organizationKind.企业", "企业", "Enterprise"),
        .init("organizationKind.其他", "其他", "Other"),
    ]

    /// `indicator.value.<indicator id>`: a figure of the indicator with its unit; the Chinese is the
    /// figure followed by `IndicatorDefinition.unit` (a test holds them together).
    static let indicatorValueEntries: [CatalogueEntry] = [
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

extension OrganizationKind: CatalogueNamed {
    public var catalogueKey: String { "organizationKind.\(rawValue)" }
}
