import Foundation

// The registry pages: people search, the person page, the person form, organisations, the import
// wizard and the export page. Field labels and import messages are in Catalogue+Census.swift.
extension Catalogue {
    public static let registryPageEntries: [CatalogueEntry] = [
        .init("registry.person.reveal", "显示完整信息", "Show full details"),
        .init("registry.person.revealed", "已显示完整身份证号和手机号；此次查看已记入审计日志。",
              "The full ID and mobile numbers are shown; this view has been recorded in the audit log."),
        .init("registry.person.edit_title", "编辑人员：{0}", "Edit person: {0}"),
        .init("registry.certificate.low_score", "单独划线", "Designated low-score area"),
        .init("registry.employment.start", "开始日期", "Start date"),
        .init("registry.employment.end", "结束日期", "End date"),
        .init("registry.employment.current", "至今", "Current"),
        .init("registry.history.time", "时间", "Time"),
        .init("registry.history.actor", "操作人", "Changed by"),
        .init("registry.history.source", "来源", "Source"),
        .init("registry.history.field", "字段", "Field"),
        .init("registry.history.before", "原值", "Before"),
        .init("registry.history.after", "新值", "After"),
        .init("registry.org.kind", "单位类型", "Kind"),
        .init("organizations.new", "新建单位", "New organisation"),
        .init("organizations.edit", "编辑单位", "Edit organisation"),
        .init("registry.import.no_file", "请选择要上传的文件（XLSX 或 CSV）。", "Choose a file to upload (XLSX or CSV)."),
        .init("registry.import.running", "正在处理，本页每 2 秒自动刷新。", "Processing; this page refreshes itself every 2 seconds."),
        .init("registry.import.failed", "文件无法处理，请检查格式后重新上传。", "The file could not be processed. Check its format and upload it again."),
        .init("registry.import.dry_run_ok", "检查通过，没有发现错误。确认后可正式导入。", "The check found no errors. Commit the import when ready."),
        .init("registry.issue.row", "行号", "Row"),
        .init("registry.issue.column", "列", "Column"),
        .init("registry.issue.value", "值", "Value"),
        .init("registry.issue.message", "说明", "Problem"),
        .init("registry.issue.code", "错误代码", "Error code"),
        .init("registry.issue.sheet", "错误报告", "Error report"),
        .init("registry.export.region_hint", "留空表示您有权查看的全部范围", "Leave blank for everything you may see"),
        .init("registry.export.reveal", "导出完整身份证号和手机号（将记入审计日志）", "Export full ID and mobile numbers (recorded in the audit log)"),
    ]
}
