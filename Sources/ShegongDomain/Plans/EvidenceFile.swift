import Foundation

/// A stored evidence file of a progress report (佐证材料), without its bytes.
public struct EvidenceFile: Hashable, Codable, Sendable {
    public var id: String
    public var fileName: String
    /// The type Shegong decided from the extension and the bytes — never the uploader's claim.
    public var contentType: String
    public var size: Int
    /// Lower-case hex SHA-256 of the bytes, so a reader can check a copy against the record.
    public var sha256: String

    public init(id: String, fileName: String, contentType: String, size: Int, sha256: String) {
        self.id = id
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
    }
}

/// What evidence may be uploaded (docs/security.md "Evidence files"). Office documents, PDF,
/// photos and plain text only: each type is recognised by its extension *and* its first bytes, so
/// an HTML page renamed `.pdf`, an executable or an SVG (which can carry script) is refused.
public enum EvidenceRules {
    /// One file at most 20 MiB: a scanned notice or a phone photo fits; a video does not.
    public static let maxFileBytes = 20 << 20
    /// At most 10 files with one report.
    public static let maxFiles = 10
    /// File names: 1–200 characters, no path, no leading dot (the rule names had before files were kept).
    public static let maxNameLength = 200

    public enum Kind: String, CaseIterable, Sendable {
        case pdf, jpeg, png, docx, xlsx, doc, xls, txt

        /// The extensions (lower case) that claim this kind.
        public var extensions: [String] {
            switch self {
            case .pdf: return ["pdf"]
            case .jpeg: return ["jpg", "jpeg"]
            case .png: return ["png"]
            case .docx: return ["docx"]
            case .xlsx: return ["xlsx"]
            case .doc: return ["doc"]
            case .xls: return ["xls"]
            case .txt: return ["txt"]
            }
        }

        /// The content type a download is served with.
        public var contentType: String {
            switch self {
            case .pdf: return "application/pdf"
            case .jpeg: return "image/jpeg"
            case .png: return "image/png"
            case .docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .doc: return "application/msword"
            case .xls: return "application/vnd.ms-excel"
            case .txt: return "text/plain; charset=utf-8"
            }
        }

        init?(fileName: String) {
            guard let dot = fileName.lastIndex(of: ".") else { return nil }
            let ext = fileName[fileName.index(after: dot)...].lowercased()
            guard let kind = Kind.allCases.first(where: { $0.extensions.contains(ext) }) else { return nil }
            self = kind
        }
    }

    /// The `accept` list of a file input: `.pdf,.jpg,…`.
    public static var acceptList: String { Kind.allCases.flatMap(\.extensions).map { "." + $0 }.joined(separator: ",") }

    /// The problem with a file name, or nil. Shared by uploads, the API and seed plan files.
    public static func nameProblem(_ name: String) -> IndicatorMessage? {
        let bad = name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || name.count > maxNameLength
            || name.contains("/") || name.contains("\\") || name.hasPrefix(".")
            || name.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard bad else { return nil }
        return IndicatorMessage(code: "report.evidence.name",
                                chinese: "佐证材料文件名“\(name)”无效：须为 1–\(maxNameLength) 个字符的文件名，不能含路径或以点开头",
                                english: "evidence file name “\(name)” is invalid: 1–\(maxNameLength) characters, no path, no leading dot")
    }

    public enum Verdict: Hashable, Sendable {
        case accepted(Kind)
        /// The problem, naming the file.
        case refused(IndicatorMessage)
    }

    /// The kind of an upload when its name, size and bytes agree; otherwise the problem, naming the file.
    public static func check(fileName: String, content: Data) -> Verdict {
        if let problem = nameProblem(fileName) { return .refused(problem) }
        guard let kind = Kind(fileName: fileName) else {
            return .refused(IndicatorMessage(code: "report.evidence.type",
                chinese: "“\(fileName)”的文件类型不允许：佐证材料只能是 PDF、JPG、PNG、Word（doc/docx）、Excel（xls/xlsx）或 TXT",
                english: "“\(fileName)”: this file type is not allowed; evidence must be PDF, JPG, PNG, Word (doc/docx), Excel (xls/xlsx) or TXT"))
        }
        if content.isEmpty {
            return .refused(IndicatorMessage(code: "report.evidence.empty", chinese: "“\(fileName)”是空文件", english: "“\(fileName)” is empty"))
        }
        if content.count > maxFileBytes {
            return .refused(IndicatorMessage(code: "report.evidence.size",
                chinese: "“\(fileName)”超过单个文件 \(maxFileBytes >> 20) MiB 的上限",
                english: "“\(fileName)” is larger than the \(maxFileBytes >> 20) MiB limit for one file"))
        }
        guard matches(kind, content) else {
            return .refused(IndicatorMessage(code: "report.evidence.content",
                chinese: "“\(fileName)”的内容与扩展名不符（不是有效的 \(kind.extensions[0].uppercased()) 文件）",
                english: "“\(fileName)”: the content does not match the extension (not a valid \(kind.extensions[0].uppercased()) file)"))
        }
        return .accepted(kind)
    }

    /// The content type to store and serve: the kind's, naming GB18030 for text that is not UTF-8
    /// (so a reader's editor opens Notepad's Chinese text right).
    public static func contentType(_ kind: Kind, _ data: Data) -> String {
        guard kind == .txt, String(data: data, encoding: .utf8) == nil else { return kind.contentType }
        return "text/plain; charset=gb18030"
    }

    /// Whether the bytes begin as files of `kind` do.
    static func matches(_ kind: Kind, _ data: Data) -> Bool {
        let head = [UInt8](data.prefix(8))
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        let ole2: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        switch kind {
        case .pdf: return starts(Array("%PDF-".utf8))
        case .jpeg: return starts([0xFF, 0xD8, 0xFF])
        case .png: return starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .doc, .xls: return starts(ole2)
        // OOXML is a zip whose entry names (stored uncompressed in the local headers) tell a
        // document from a workbook.
        case .docx: return starts([0x50, 0x4B, 0x03, 0x04]) && data.range(of: Data("word/".utf8)) != nil
        case .xlsx: return starts([0x50, 0x4B, 0x03, 0x04]) && data.range(of: Data("xl/".utf8)) != nil
        case .txt: return isPlainText(data)
        }
    }

    /// UTF-8 (with or without BOM) or GB18030 text without NUL bytes that is not markup.
    static func isPlainText(_ data: Data) -> Bool {
        guard !data.contains(0) else { return false }
        let text = String(data: data, encoding: .utf8)
            ?? String(data: data, encoding: String.Encoding(rawValue: 0x8000_0632))   // GB18030, as Notepad saves it on Chinese Windows
        guard let text else { return false }
        let start = text.prefix(1024).lowercased().trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(["\u{FEFF}"]))
        return !(start.hasPrefix("<") && ["<html", "<!doctype", "<script", "<svg", "<?xml", "<body", "<iframe"].contains { start.contains($0) })
    }
}
