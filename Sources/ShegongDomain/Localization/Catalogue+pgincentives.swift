import Foundation

// The typed incentive pages (issue #11 §4): texts that were raw codes on the pages before.
extension Catalogue {
    public static let pgincentivesEntries: [CatalogueEntry] = [
        // A version's budget cap (`budget_cap.per` in docs/policies.md), with its amount in yuan.
        .init("incentives.budget_per.year", "{0} 元/年", "{0} yuan a year"),
        .init("incentives.budget_per.version", "{0} 元（整个版本有效期）", "{0} yuan for the version's whole period"),
    ]
}
