import Foundation

// The import wizard's pages (issue #3 §6): texts the typed views added.
extension Catalogue {
    public static let importPageEntries: [CatalogueEntry] = [
        .init("import.error_report", "下载错误报告（{0}）", "Download the error report ({0})"),
    ]
}
