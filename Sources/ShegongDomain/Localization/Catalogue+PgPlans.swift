import Foundation

// The dashboard and plan pages as typed views: the texts they wrote by hand before (the
// full-width colons and list marks of Chinese), so an English page shows ": " and "; ".
extension Catalogue {
    static let pgPlansEntries: [CatalogueEntry] = [
        .init("plans.label_separator", "：", ": "),
        .init("plans.message_separator", "；", "; "),
    ]
}
