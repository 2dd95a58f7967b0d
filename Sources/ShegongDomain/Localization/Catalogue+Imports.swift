import Foundation

// Issue #18, imports and exports: a dry run's list of changes, the blank template's instructions
// and lists, and the exports of organisations, accounts and the audit log.
extension Catalogue {
    public static let importsEntries: [CatalogueEntry] = [
        .init("imports.changes.title", "将做的修改（逐人）", "What the import would change, person by person"),
        .init("imports.changes.intro", "共 {0} 人将新增、{1} 人将修改；下表按文件行号列出每人将写入或修改的字段（修改前 → 修改后）。",
              "{0} people would be added and {1} changed; the table lists, by row of the file, each person's fields as they would be written or changed (before → after)."),
        .init("imports.changes.truncated", "清单只列前 {0} 人；导入时所有人都会写入。", "The list shows the first {0} people only; the import writes everyone."),
        .init("imports.changes.row", "行号", "Row"),
        .init("imports.changes.person", "姓名", "Name"),
        .init("imports.changes.id", "身份证号", "ID number"),
        .init("imports.changes.kind", "变化", "Change"),
        .init("imports.changes.fields", "字段：修改前 → 修改后", "Field: before → after"),
        .init("imports.changes.created", "新增", "New person"),
        .init("imports.changes.updated", "修改", "Changed"),
        .init("imports.changes.field", "{0}：{1}", "{0}: {1}"),
        .init("imports.changes.field_change", "{0}：{1} → {2}", "{0}: {1} → {2}"),
        .init("imports.changes.none", "（空）", "(none)"),
    ]
}
