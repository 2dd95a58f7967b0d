import Foundation

// The registry pages as typed views: the names they show where the store keeps a code — an
// organisation's kind, a change's field and channel — so an English page reads in English.

extension OrganizationKind: CatalogueNamed {
    public var catalogueKey: String { "organizationKind.\(rawValue)" }
}

extension Catalogue {
    public static let pgRegistryEntries: [CatalogueEntry] = [
        .init("registry.history.field.record", "记录", "Record"),
        .init("registry.history.created", "新建", "Created"),
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
        // A person's change history names the field changed and the way it came in.
        .init("registry.history.field.certificate", "证书", "Certificate"),
        .init("registry.source.web", "网页", "Web page"),
        .init("registry.source.api", "接口", "API"),
        .init("registry.source.import", "导入：{0}", "Import: {0}"),
        .init("registry.source.demo", "演示数据", "Demo data"),
        // A region shown by its name with its code beside it.
        .init("registry.region.named", "{0}（{1}）", "{0} ({1})"),
    ]
}
