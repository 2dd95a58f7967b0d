import Foundation

// Practice-base levels and pilot tiers (issue #16: the shipped data said as the source says it).
extension PracticeBaseLevel: CatalogueNamed {
    public var catalogueKey: String { "practiceBaseLevel.\(rawValue)" }
}

extension PilotTier: CatalogueNamed {
    public var catalogueKey: String { "pilotTier.\(rawValue)" }
}

extension Catalogue {
    public static let fidelityEntries: [CatalogueEntry] = [
        .init("practiceBaseLevel.province", "省级", "Provincial"),
        .init("practiceBaseLevel.city", "市级", "City"),
        .init("practiceBaseLevel.county", "县级", "County"),
        .init("practiceBaseLevel.college", "院校", "College"),
        .init("practiceBaseLevel.unspecified", "级别未注明", "Level not stated"),
        .init("pilotTier.province", "全省试点", "Provincial pilot"),
        .init("pilotTier.city", "全市试点", "City pilot"),
        .init("pilotTier.county", "全县试点", "County pilot"),
        .init("pilotTier.unspecified", "层级未注明", "Tier not stated"),
        .init("pilot.tier.invalid", "试点层级须为 全省试点、全市试点 或 全县试点（province、city、county）",
              "The pilot's tier must be provincial, city or county (province, city, county)"),
    ]
}
