import Foundation

extension Catalogue {
    /// Issue #17 §1–2: the region picker, names with codes second, one clock, and the words the
    /// history and audit pages show for what the stores record (sources, actions, results, details).
    public static let plainNameEntries: [CatalogueEntry] = [
        // The region picker
        .init("regionPicker.whole", "（{0}全部）", "(all of {0})"),
        .init("regionPicker.nation", "全国", "the nation"),
        .init("regionPicker.any", "（不限）", "(any)"),
        .init("regionPicker.level", "{0}：{1}", "{0}: {1}"),
        .init("regionPicker.search", "按名称查找地区", "Find a region by name"),
        .init("regionPicker.go", "选定 / 查找", "Choose / find"),
        .init("regionPicker.matches", "名称相符的地区", "Regions with that name"),
        .init("regionPicker.matches_count", "找到 {0} 个，请选择", "{0} found, choose one"),
        .init("regionPicker.match", "{0}（{1}）", "{0} ({1})"),
        .init("regionPicker.no_match", "没有名称含“{0}”的地区", "No region's name contains “{0}”"),
        .init("regionPicker.chosen", "已选：", "Chosen:"),
        .init("regionPicker.choose_lower", "请继续选择下一级，或查找", "Choose the next level below, or search"),
        // Error pages: the status's number, not an internal code
        .init("error.status", "HTTP 状态 {0}", "HTTP status {0}"),
        // One clock
        .init("clock.beijing", "时间均为北京时间（UTC+8）", "Times are Beijing time (UTC+8)"),
    ]
}
