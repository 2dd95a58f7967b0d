import Foundation

// Reliability (issue #12): bounded memory for uploads, backup and restore.
extension Catalogue {
    public static let reliabilityEntries: [CatalogueEntry] = [
        .init("sheet.xlsx.shared_strings_too_large",
              "工作簿中的“{0}”（共享字符串表）需要超过 {1} MiB 的内存，无法读取。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或拆分成几个文件后再上传。",
              "“{0}” in the workbook (its shared strings) needs more than {1} MiB of memory and cannot be read. Save it as “CSV UTF-8 (comma delimited)” in Excel, or split the file, and upload again."),
        .init("backup.exists", "文件已存在：{0}（备份从不覆盖已有文件）", "The file exists: {0} (a backup never overwrites a file)"),
        .init("backup.cannot_create", "无法创建备份文件 {0}：{1}", "Cannot create the backup file {0}: {1}"),
        .init("backup.integrity", "备份副本未通过完整性检查（integrity_check）：{0}。未留下备份文件。",
              "The backup copy failed its integrity check (integrity_check): {0}. No backup file was left."),
        .init("backup.tool_failed", "{0} 失败（退出码 {1}）。未留下备份文件。", "{0} failed (exit status {1}). No backup file was left."),
        .init("backup.failed", "备份失败：{0}。未留下备份文件。", "The backup failed: {0}. No backup file was left."),
        .init("backup.done", "已备份到 {0}（{1} 字节，仅所有者可读写），SHA-256 {2}；人员 {3} 条，审计日志 {4} 条；已校验并写入磁盘，用时 {5} 秒。清单：{0}.manifest.json",
              "Backed up to {0} ({1} bytes, owner-only), SHA-256 {2}; {3} people, {4} audit entries; checked and flushed to disk in {5} s. Manifest: {0}.manifest.json"),
        .init("backup.key_reminder", "请另行备份密钥文件 {0}：没有它，备份中的身份证号和手机号无法解密。",
              "Back up the key file {0} separately: without it the backup's ID and mobile numbers cannot be decrypted."),
        .init("restore.no_manifest", "找不到备份清单 {0}：只能恢复 shegong backup 写出的备份（备份文件和它的 .manifest.json）。",
              "The backup manifest {0} is missing: only backups written by shegong backup (the file and its .manifest.json) can be restored."),
        .init("restore.checksum", "备份文件 {0} 与清单不符（清单 SHA-256 {1}，实际 {2}）：文件已损坏或被改动，未恢复。",
              "The backup file {0} does not match its manifest (manifest SHA-256 {1}, file {2}): it is damaged or changed; nothing was restored."),
        .init("restore.not_empty", "目标数据库 {0} 中已有数据，未恢复。若确要覆盖，请加 --replace --confirm {0}。",
              "The target database {0} holds data; nothing was restored. To replace it, add --replace --confirm {0}."),
        .init("restore.format", "备份格式 {0} 与目标数据库（{1}）不符，未恢复。", "The backup's format {0} does not fit the target database ({1}); nothing was restored."),
        .init("restore.counts", "恢复后的行数与清单不符：{0}", "The restored row counts differ from the manifest: {0}"),
        .init("restore.audit", "恢复后的审计日志校验失败：{0}（此前 {1} 条完好）", "The restored audit log fails verification: {0} ({1} entries intact before it)"),
        .init("restore.done", "已从 {0} 恢复到 {1}：行数与清单一致（人员 {2} 条），审计日志完好（{3} 条），用时 {4} 秒。",
              "Restored {0} into {1}: row counts match the manifest ({2} people), the audit log is intact ({3} entries), in {4} s."),
    ]
}
