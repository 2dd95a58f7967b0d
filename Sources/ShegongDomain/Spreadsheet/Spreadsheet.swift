import Foundation

/// A spreadsheet that cannot be read or written, with a message the uploader can act on (STYLE §8).
public struct SpreadsheetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable code, e.g. `sheet.encoding`, `sheet.xlsx.corrupt`, `sheet.xlsx.too_large`, `sheet.empty`,
    /// `sheet.csv.unterminated_quote`, `sheet.too_many_columns`, `sheet.cell_too_large`.
    public let code: String
    /// What is wrong and what to do about it, by catalogue key (usually `code`) and arguments.
    public let text: CatalogueMessage
    /// The row as Excel (or a text editor, for CSV) shows it; nil when the whole file is concerned.
    public let row: Int?

    /// An error worded by the catalogue entry of its own code.
    public init(code: String, _ arguments: String..., row: Int? = nil) {
        self.init(code: code, text: CatalogueMessage(code, arguments: arguments), row: row)
    }

    public init(code: String, text: CatalogueMessage, row: Int? = nil) {
        self.code = code
        self.text = text
        self.row = row
    }

    /// Chinese (the CLI's and the JSON API's).
    public var message: String { text.chinese }
    public func message(_ language: Language) -> String { text.text(language) }

    public var description: String {
        row.map { "\(code) (第 \($0) 行): \(message)" } ?? "\(code): \(message)"
    }
}

extension SpreadsheetError {
    static let empty = SpreadsheetError(code: "sheet.empty")
    /// An Excel 97–2003 workbook (.xls): not CSV in a strange encoding, a format Shegong does not read.
    static let legacyExcel = SpreadsheetError(code: "sheet.xls")

    static func xlsxCorrupt(_ detail: String) -> SpreadsheetError {
        SpreadsheetError(code: "sheet.xlsx.corrupt", detail)
    }

    static func xlsxTooLarge(part: String, limit: Int64) -> SpreadsheetError {
        SpreadsheetError(code: "sheet.xlsx.too_large", part, String(limit / (1 << 20)))
    }

    /// The shared-string table (`part`) needs more memory than `budget` allows.
    static func sharedStringsTooLarge(part: String, budget: Int64) -> SpreadsheetError {
        SpreadsheetError(code: "sheet.xlsx.too_large", text: CatalogueMessage("sheet.xlsx.shared_strings_too_large", part, String(budget >> 20)))
    }

    static func encoding(row: Int?) -> SpreadsheetError {
        SpreadsheetError(code: "sheet.encoding", row: row)
    }

    static func tooManyColumns(row: Int, limit: Int) -> SpreadsheetError {
        SpreadsheetError(code: "sheet.too_many_columns", String(limit), row: row)
    }

    /// `unclosedQuote`: the cell may only have grown because a quote was never closed (CSV).
    static func cellTooLarge(row: Int?, limit: Int, unclosedQuote: Bool = false) -> SpreadsheetError {
        let key = "sheet.cell_too_large" + (row == nil ? ".file" : "") + (unclosedQuote ? ".quote" : "")
        return SpreadsheetError(code: "sheet.cell_too_large", text: CatalogueMessage(key, String(limit)), row: row)
    }

    static func io(_ error: Error, writing: Bool) -> SpreadsheetError {
        SpreadsheetError(code: writing ? "sheet.write_failed" : "sheet.read_failed",
                         text: CatalogueMessage(writing ? "sheet.write_failed.io" : "sheet.read_failed.io", "\(error)"))
    }
}

public enum SpreadsheetFormat: String, Sendable {
    case csv, xlsx

    /// By extension only: `.csv` and `.txt` are CSV, `.xlsx` is XLSX, anything else nil.
    public static func forFile(_ url: URL) -> SpreadsheetFormat? {
        switch url.pathExtension.lowercased() {
        case "csv", "txt": return .csv
        case "xlsx": return .xlsx
        default: return nil
        }
    }
}

public enum TextEncodingKind: String, Sendable {
    case utf8, utf8BOM, gb18030
}

/// Bounds that keep a hostile or broken upload from exhausting memory or disk.
public struct SpreadsheetLimits: Sendable {
    /// Per XLSX part (sheet, shared strings, styles…): checked against the size the ZIP's central
    /// directory declares before anything is inflated, and counted again while inflating (a header can
    /// lie). The sheet goes to a temporary file on disk, so this bounds disk, not memory.
    public var maxUncompressedBytes: Int64
    /// Uncompressed / compressed size of one XLSX part. Real sheets stay far below 100 (Excel's and our
    /// own exports: 5–30); a zip bomb does not. Applied to parts larger than 1 MiB only (tiny parts can
    /// have any ratio and cannot hurt).
    public var maxCompressionRatio: Double
    /// The shared-string part's XML, declared and inflated: a bigger table cannot fit
    /// `maxSharedStringBytes` anyway (its markup is at least 16 bytes a string), so it is refused from
    /// the central directory before a byte of it is inflated.
    public var maxSharedStringsPartBytes: Int64
    /// Memory for the decoded shared strings, the one part of a workbook held while rows stream past
    /// (text bytes plus 4 per string; see `SharedStringTable`).
    public var maxSharedStringBytes: Int64
    public var maxColumns: Int
    /// Bytes of one cell's text (Excel's own limit is 32,767 characters).
    public var maxCellBytes: Int

    public init(maxUncompressedBytes: Int64 = 4 << 30, maxCompressionRatio: Double = 100,
                maxSharedStringsPartBytes: Int64 = 256 << 20, maxSharedStringBytes: Int64 = 64 << 20,
                maxColumns: Int = 200, maxCellBytes: Int = 32_767) {
        self.maxUncompressedBytes = maxUncompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.maxSharedStringsPartBytes = maxSharedStringsPartBytes
        self.maxSharedStringBytes = maxSharedStringBytes
        self.maxColumns = maxColumns
        self.maxCellBytes = maxCellBytes
    }
}

/// Pull-based, so an importer can `await` database writes between rows while memory stays bounded.
public protocol SpreadsheetRowReader: AnyObject {
    /// Every row including the header (row 1), numbered as Excel shows them
    /// (XLSX: the row's `r` attribute; CSV: the record count, header = 1). nil at the end.
    func next() throws -> SpreadsheetRow?
}

public enum Spreadsheet {
    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// The OLE2 compound file header of Excel 97–2003 workbooks (.xls), and of WPS's .et files.
    static let compoundFileMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// Opens a CSV or XLSX for reading. Decides by content (ZIP magic `PK\3\4` → XLSX), falling back to
    /// the extension: a `.xlsx` that is not a zip is `sheet.xlsx.corrupt`; an empty file is `sheet.empty`;
    /// an Excel 97–2003 workbook (whatever its name) is `sheet.xls`, which says to save it as .xlsx.
    public static func openReader(url: URL, preferredSheet: String? = "人才信息采集表",
                                  limits: SpreadsheetLimits = .init()) throws -> any SpreadsheetRowReader {
        let head: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = Array(try handle.read(upToCount: 8) ?? Data())
        } catch {
            throw SpreadsheetError.io(error, writing: false)
        }
        if head.isEmpty { throw SpreadsheetError.empty }
        if head == compoundFileMagic { throw SpreadsheetError.legacyExcel }
        if head.starts(with: zipMagic) {
            return try XLSXRowReader(url: url, preferredSheet: preferredSheet, limits: limits)
        }
        if SpreadsheetFormat.forFile(url) == .xlsx {
            throw SpreadsheetError.xlsxCorrupt("无法解压")
        }
        return try CSVRowReader(url: url, limits: limits)
    }
}

/// Reads a file in fixed-size chunks so neither reader ever holds more than one chunk of raw bytes.
final class ChunkedFileInput {
    private let handle: FileHandle
    let chunkSize: Int

    init(url: URL, chunkSize: Int = 256 * 1024) throws {
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw SpreadsheetError.io(error, writing: false) }
        self.chunkSize = chunkSize
    }

    init(handle: FileHandle, chunkSize: Int = 256 * 1024) {
        self.handle = handle
        self.chunkSize = chunkSize
    }

    /// Appends up to one chunk to `buffer`; false at the end of the file.
    func read(appendingTo buffer: inout [UInt8]) throws -> Bool {
        let data: Data?
        do { data = try handle.read(upToCount: chunkSize) } catch { throw SpreadsheetError.io(error, writing: false) }
        guard let data, !data.isEmpty else { return false }
        buffer.append(contentsOf: data)
        return true
    }

    deinit { try? handle.close() }
}
