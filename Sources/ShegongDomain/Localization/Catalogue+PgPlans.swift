import Foundation

// The dashboard and plan pages as typed views: the texts they wrote by hand before (the
// full-width colons and list marks of Chinese), and the trend column (each indicator's value
// with its unit is `indicator.value.<id>`, Catalogue+English.swift).
extension Catalogue {
    public static let pgPlansEntries: [CatalogueEntry] = [
        .init("dashboard.trend", "趋势", "Trend"),
        .init("plans.label_separator", "：", ": "),
        .init("plans.message_separator", "；", "; "),
    ]
}
