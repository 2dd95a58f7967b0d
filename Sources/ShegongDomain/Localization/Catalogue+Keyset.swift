/// The other lists paged by keyset (organisations, a batch's lines; issue #15 §1).
extension Catalogue {
    public static let keysetEntries: [CatalogueEntry] = [
        .init("pager.results.more", "超过 {0} 条", "More than {0} results"),
    ]
}
