import Foundation

// Catalogue keys of the domain's coded values, so a page writes `t.name(level)` and never
// spells a key. The catalogue test checks that every case of every type here has its entry.

extension MeasureStatus: CatalogueNamed {
    public var catalogueKey: String { "status.measure.\(rawValue)" }
}

extension TargetAssessment.Status: CatalogueNamed {
    public var catalogueKey: String { "status.target.\(rawValue)" }
}

extension RuleOutcome: CatalogueNamed {
    public var catalogueKey: String { "status.rule.\(rawValue)" }
}

extension CensusColumn: CatalogueNamed {
    public var catalogueKey: String { "field.\(self)" }
}

extension PostCategory: CatalogueNamed {
    public var catalogueKey: String { "postCategory.\(rawValue)" }
}

extension ServiceField: CatalogueNamed {
    public var catalogueKey: String { "serviceField.\(rawValue)" }
}

extension EducationLevel: CatalogueNamed {
    public var catalogueKey: String { "education.\(rawValue)" }
}

extension CertificateLevel: CatalogueNamed {
    public var catalogueKey: String { "certificateLevel.\(rawValue)" }
}

extension Sex: CatalogueNamed {
    public var catalogueKey: String { "sex.\(rawValue)" }
}

extension RegionLevel: CatalogueNamed {
    public var catalogueKey: String { "regionLevel.\(englishName)" }
}

extension RegionStatistic: CatalogueNamed {
    public var catalogueKey: String { "regionStatistic.\(rawValue)" }
}

extension Role: CatalogueNamed {
    public var catalogueKey: String { "role.\(rawValue)" }
}
