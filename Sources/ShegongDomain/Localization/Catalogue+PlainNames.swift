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
        // The audit page: the action field's hint, and the named parts of an entry's details
        .init("audit.action_hint", "可输入动作代码或其开头，如 session、person", "An action's code or its beginning, for example session, person"),
        .init("audit.detail.role", "角色", "Role"),
        .init("audit.detail.region", "地区", "Region"),
        .init("audit.detail.access", "权限", "Access"),
        .init("audit.detail.department", "部门", "Department"),
        .init("audit.detail.organization", "单位", "Organisation"),
        .init("audit.detail.person", "人员", "Person"),
        .init("audit.detail.file", "文件", "File"),
        .init("audit.detail.dryRun", "试导入", "Dry run"),
        .init("audit.detail.rows", "行数", "Rows"),
        .init("audit.detail.created", "新增", "Created"),
        .init("audit.detail.updated", "更新", "Updated"),
        .init("audit.detail.rejected", "有误", "Rejected"),
        .init("audit.detail.added", "新增", "Added"),
        .init("audit.detail.unchanged", "未变", "Unchanged"),
        .init("audit.detail.format", "格式", "Format"),
        .init("audit.detail.reveal", "完整证件号", "Full identifiers"),
        .init("audit.detail.people", "人数", "People"),
        .init("audit.detail.lines", "明细数", "Lines"),
        .init("audit.detail.total_fen", "金额（分）", "Amount (fen)"),
        .init("audit.detail.owner", "所属账号", "Owner"),
        .init("audit.detail.name", "名称", "Name"),
        .init("audit.detail.sessions_ended", "结束的会话", "Sessions ended"),
        .init("audit.detail.retry_after", "稍后重试（秒）", "Retry after (seconds)"),
        .init("audit.detail.consecutive", "连续失败", "Consecutive failures"),
        .init("audit.detail.intact", "完好", "Intact"),
        .init("audit.detail.checked", "已核对", "Checked"),
        // One clock
        .init("clock.beijing", "时间均为北京时间（UTC+8）", "Times are Beijing time (UTC+8)"),
    ]
}
