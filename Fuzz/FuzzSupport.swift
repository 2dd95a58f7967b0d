import Foundation

/// The fuzz input as a file (the spreadsheet readers read files): one scratch file per process,
/// overwritten for each input.
enum FuzzFile {
    static func with(_ data: UnsafePointer<UInt8>, _ size: Int, extension ext: String, _ body: (URL) -> Void) {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("shegong-fuzz-\(getpid()).\(ext)")
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes: data, count: size))
        body(url)
    }
}
