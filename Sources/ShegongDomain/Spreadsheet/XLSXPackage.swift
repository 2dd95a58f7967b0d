import Foundation
import ZIPFoundation

/// The ZIP container of a workbook: finds parts and decompresses them under the zip-bomb guards.
final class XLSXPackage {
    let archive: Archive
    let limits: SpreadsheetLimits
    /// Parts larger than this are checked against `maxCompressionRatio`.
    static let ratioCheckThreshold: UInt64 = 1 << 20

    init(url: URL, limits: SpreadsheetLimits) throws {
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw SpreadsheetError.xlsxCorrupt("无法解压")
        }
        self.limits = limits
    }

    func entry(_ path: String) -> Entry? {
        if let entry = archive[path] { return entry }
        // Some generators differ in case or use backslashes; ZIP paths are otherwise exact.
        let wanted = path.lowercased()
        return archive.first { $0.path.replacingOccurrences(of: "\\", with: "/").lowercased() == wanted }
    }

    /// Streams a part's bytes to `consumer`, refusing it when its declared size or compression ratio is
    /// beyond the limits, and counting the bytes actually produced (a ZIP header can lie). `sizeLimit`
    /// lowers `maxUncompressedBytes` for this part.
    func extract(_ entry: Entry, part: String, sizeLimit: Int64? = nil, consumer: (Data) throws -> Void) throws {
        // The sizes of the central directory: refused here, nothing has been inflated yet.
        let declared = entry.uncompressedSize
        let compressed = max(entry.compressedSize, 1)
        let limit = min(limits.maxUncompressedBytes, sizeLimit ?? .max)
        if declared > UInt64(max(limit, 0)) { throw SpreadsheetError.xlsxTooLarge(part: part, limit: limit) }
        if declared > Self.ratioCheckThreshold, Double(declared) / Double(compressed) > limits.maxCompressionRatio {
            throw SpreadsheetError.xlsxTooLarge(part: part, limit: limit)
        }
        // Beyond the declared size by more than a chunk means the header lied: treat as a bomb.
        let allowed = min(limit, Int64(clamping: declared) + 64 * 1024)
        var produced: Int64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { data in
                produced += Int64(data.count)
                if produced > allowed { throw SpreadsheetError.xlsxTooLarge(part: part, limit: limit) }
                try consumer(data)
            }
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw SpreadsheetError.xlsxCorrupt("“\(part)”无法解压：\(error)")
        }
    }

    /// A small part (workbook, relationships, styles) in memory; nil when the part does not exist.
    func bytes(of path: String) throws -> [UInt8]? {
        guard let entry = entry(path) else { return nil }
        var bytes: [UInt8] = []
        try extract(entry, part: path) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Decompresses a part into an anonymous temporary file (unlinked at once, so nothing is left
    /// behind even if the process dies) and returns it open for reading from the start.
    func temporaryFile(of entry: Entry, part: String, sizeLimit: Int64? = nil) throws -> FileHandle {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("shegong-xlsx-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SpreadsheetError(code: "sheet.read_failed", "\(url.path)")
        }
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            let writer = try FileHandle(forWritingTo: url)
            do {
                try extract(entry, part: part, sizeLimit: sizeLimit) { try writer.write(contentsOf: $0) }
                try writer.close()
            } catch {
                try? writer.close()
                throw error
            }
            return try FileHandle(forReadingFrom: url)
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw SpreadsheetError.io(error, writing: false)
        }
    }

    /// Resolves a relationship target against the folder of the part that owns the relationships.
    static func resolve(target: String, relativeTo sourcePart: String) -> String {
        var target = target.replacingOccurrences(of: "\\", with: "/")
        var components: [Substring]
        if target.hasPrefix("/") {
            target.removeFirst()
            components = []
        } else {
            components = sourcePart.split(separator: "/", omittingEmptySubsequences: true)
            components.removeLast(min(1, components.count))
        }
        for piece in target.split(separator: "/", omittingEmptySubsequences: true) {
            if piece == ".." { components.removeLast(min(1, components.count)) }
            else if piece != "." { components.append(piece) }
        }
        return components.joined(separator: "/")
    }

    /// `Id → (target part, type)` from a `.rels` part.
    func relationships(_ relsPath: String, owner: String) throws -> [String: (target: String, type: String)] {
        guard let bytes = try bytes(of: relsPath) else { return [:] }
        let scanner = XMLByteScanner(bytes: bytes, maxTextBytes: 0)
        var result: [String: (target: String, type: String)] = [:]
        while let kind = try XMLSpreadsheetNames.scan(scanner, part: relsPath) {
            guard kind != .close, scanner.nameIs(XMLSpreadsheetNames.relationship),
                  let id = scanner.attribute(XMLSpreadsheetNames.id),
                  let target = scanner.attribute(XMLSpreadsheetNames.target) else { continue }
            if scanner.attribute(XMLSpreadsheetNames.targetMode) == "External" { continue }
            result[id] = (Self.resolve(target: target, relativeTo: owner), scanner.attribute(XMLSpreadsheetNames.type) ?? "")
        }
        return result
    }
}

/// One part of a ZIP being written: its size and a provider of `(offset, length)` chunks.
struct ZipPart {
    let path: String
    let size: Int64
    let provider: (Int64, Int) throws -> Data

    init(path: String, size: Int64, provider: @escaping (Int64, Int) throws -> Data) {
        self.path = path
        self.size = size
        self.provider = provider
    }

    init(path: String, text: String) {
        let data = Data(text.utf8)
        self.init(path: path, size: Int64(data.count)) { position, length in
            data.subdata(in: Int(position)..<min(data.count, Int(position) + length))
        }
    }

    /// Deflates `parts` into a new archive at `url`.
    static func write(_ parts: [ZipPart], to url: URL, modificationDate: Date = Date()) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for part in parts {
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: part.size, modificationDate: modificationDate,
                                 compressionMethod: .deflate, bufferSize: 256 * 1024, provider: part.provider)
        }
    }
}

/// Element and attribute names as bytes, compared without building strings.
enum XMLSpreadsheetNames {
    static let relationship = Array("Relationship".utf8)
    static let id = Array("Id".utf8)
    static let rid = Array("id".utf8)
    static let target = Array("Target".utf8)
    static let targetMode = Array("TargetMode".utf8)
    static let type = Array("Type".utf8)
    static let sheet = Array("sheet".utf8)
    static let name = Array("name".utf8)
    static let state = Array("state".utf8)
    static let workbookPr = Array("workbookPr".utf8)
    static let date1904 = Array("date1904".utf8)
    static let numFmt = Array("numFmt".utf8)
    static let numFmtId = Array("numFmtId".utf8)
    static let formatCode = Array("formatCode".utf8)
    static let cellXfs = Array("cellXfs".utf8)
    static let xf = Array("xf".utf8)
    static let si = Array("si".utf8)
    static let t = Array("t".utf8)
    static let rPh = Array("rPh".utf8)
    static let sheetData = Array("sheetData".utf8)
    static let row = Array("row".utf8)
    static let c = Array("c".utf8)
    static let r = Array("r".utf8)
    static let s = Array("s".utf8)
    static let v = Array("v".utf8)
    static let f = Array("f".utf8)
    static let `is` = Array("is".utf8)

    /// `scanner.nextTag()` with scanner failures turned into `sheet.xlsx.corrupt` naming the part.
    static func scan(_ scanner: XMLByteScanner, part: String, row: Int? = nil, limits: SpreadsheetLimits? = nil) throws -> XMLByteScanner.TagKind? {
        do {
            return try scanner.nextTag()
        } catch XMLByteScanner.Failure.malformed(let detail) {
            throw SpreadsheetError(code: "sheet.xlsx.corrupt",
                                   text: SpreadsheetError.xlsxCorrupt("“\(part)”格式错误：\(detail)").text, row: row)
        } catch XMLByteScanner.Failure.textTooLong {
            throw SpreadsheetError.cellTooLarge(row: row, limit: limits?.maxCellBytes ?? 0)
        }
    }
}
