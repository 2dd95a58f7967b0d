import Foundation

// Reliability (issue #12): bounded memory for uploads, backup and restore.
extension Catalogue {
    public static let reliabilityEntries: [CatalogueEntry] = [
        .init("sheet.xlsx.shared_strings_too_large",
              "工作簿中的“{0}”（共享字符串表）需要超过 {1} MiB 的内存，无法读取。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或拆分成几个文件后再上传。",
              "“{0}” in the workbook (its shared strings) needs more than {1} MiB of memory and cannot be read. Save it as “CSV UTF-8 (comma delimited)” in Excel, or split the file, and upload again."),
    ]
}
