/// The people list's filters, sorting, page size, page jump and export (issue #18 §1, #15 §1).
extension Catalogue {
    public static let listsEntries: [CatalogueEntry] = [
        .init("lists.organizationName", "工作单位名称", "Employer name"),
        .init("lists.organizationName.hint", "单位名称中的文字", "Words in the employer's name"),
        .init("lists.serviceField", "服务领域", "Service field"),
        .init("lists.perPage", "每页人数", "People per page"),
        .init("lists.updated", "最近更新", "Last updated"),
        .init("lists.results.exact", "共 {0} 人", "{0} people"),
        .init("lists.results.more", "超过 {0} 人", "More than {0} people"),
        .init("lists.page", "第 {0} 页", "Page {0}"),
        .init("lists.page.of", "第 {0} 页，共 {1} 页", "Page {0} of {1}"),
        .init("lists.jump", "跳到第几页", "Go to page"),
        .init("lists.jump.go", "跳转", "Go"),
        .init("lists.jump.limit", "按页码跳转最多到第 {0} 页；更后面的人员请用“下一页”或缩小筛选范围。",
              "A page number reaches page {0} at most; go further with “Next page” or narrow the filters."),
        .init("lists.sort.ascending", "按{0}升序排列", "Sort by {0}, ascending"),
        .init("lists.sort.descending", "按{0}降序排列", "Sort by {0}, descending"),
        .init("lists.first", "第一页", "First page"),
        .init("lists.export", "导出筛选结果", "Export the filtered people"),
        .init("lists.export.xlsx", "导出 XLSX", "Export XLSX"),
        .init("lists.export.csv", "导出 CSV", "Export CSV"),
        .init("lists.export.title", "人员名单", "People"),
        .init("lists.export.note", "证件号和手机号已脱敏；共 {0} 人。", "ID and mobile numbers are masked; {0} people."),
        .init("auditAction.person.export", "导出人员名单", "Export of a people list"),
    ]
}
