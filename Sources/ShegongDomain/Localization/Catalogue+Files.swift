import Foundation

// Uploaded files and temporary data (issue #10 §8): how long the import wizard keeps a file.
extension Catalogue {
    public static let fileEntries: [CatalogueEntry] = [
        .init("file.import.cancel", "放弃本次导入（删除已上传的文件）", "Discard this upload (delete the file)"),
        .init("file.import.kept", "上传的文件含完整身份证号和手机号，只保留到正式导入为止；{0} 分钟内未导入将自动删除，届时须重新上传。",
              "The uploaded file holds full ID and mobile numbers and is kept only until the import is committed; if not committed within {0} minutes it is deleted and must be uploaded again."),
    ]
}
