import Foundation

// Evidence files of progress reports on the plan page (issue #5 §4).
extension Catalogue {
    public static let evidenceEntries: [CatalogueEntry] = [
        .init("evidence.files", "佐证材料文件", "Evidence files"),
        .init("evidence.hint", "可选多个文件：PDF、JPG、PNG、Word、Excel 或 TXT，每个不超过 {0} MiB，最多 {1} 个",
              "You may choose several files: PDF, JPG, PNG, Word, Excel or TXT, at most {0} MiB each and {1} in all"),
        .init("evidence.too_large", "上传内容超过 {0} MiB 的上限，未保存任何内容。请减少或压缩文件后重新提交。",
              "The upload is larger than the {0} MiB limit; nothing was saved. Send fewer or smaller files."),
        .init("evidence.download", "下载 {0}", "Download {0}"),
        .init("evidence.no_file", "（无文件）", "(no file)"),
    ]
}
