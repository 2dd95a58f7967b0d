import Foundation

/// Reads CSV (RFC 4180, as Excel and WPS save it) one record at a time from 256 KiB chunks.
///
/// Parsing happens on bytes: the structural bytes (`"`, `,`, TAB, CR, LF) are ASCII and never occur
/// inside a multi-byte character in UTF-8 or GB18030, so a record is split first and each field decoded after.
/// Every cell is `.text` or `.empty`; a blank line is a row with no cells.
public final class CSVRowReader: SpreadsheetRowReader {
    /// BOM → `.utf8BOM`; otherwise valid UTF-8 in the first 1 MiB → `.utf8`; otherwise `.gb18030`
    /// (what Excel in a Chinese locale writes for “CSV (逗号分隔)”).
    public let encoding: TextEncodingKind
    /// `,` normally; TAB when the first record has more tabs than commas (Excel's “文本文件（制表符分隔）”).
    public let delimiter: UInt8

    private let input: ChunkedFileInput
    private let limits: SpreadsheetLimits
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var recordNumber = 0
    private var skipLineFeed = false
    private var field: [UInt8] = []

    static let detectionBytes = 1 << 20
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public init(url: URL, limits: SpreadsheetLimits = .init()) throws {
        self.limits = limits
        input = try ChunkedFileInput(url: url)
        while buffer.count < Self.detectionBytes, try input.read(appendingTo: &buffer) {}
        if buffer.count < Self.detectionBytes { atEnd = true }
        if buffer.isEmpty { throw SpreadsheetError.empty }

        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8BOM
            position = 3
            if buffer.count == 3 && atEnd { throw SpreadsheetError.empty }
        } else if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) {
            // Excel's “Unicode 文本” is UTF-16; the byte-level split below would be wrong for it.
            throw SpreadsheetError(code: "sheet.encoding", text: .init("sheet.encoding.utf16"))
        } else if Self.isValidUTF8(buffer, allowTruncatedEnd: !atEnd) {
            encoding = .utf8
        } else {
            encoding = .gb18030
        }
        delimiter = Self.sniffDelimiter(buffer[position...])
    }

    public func next() throws -> SpreadsheetRow? {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
        var state = State.fieldStart
        var cells: [SpreadsheetCell] = []
        var sawAnyByte = false
        var fieldWasQuoted = false
        field.removeAll(keepingCapacity: true)
        let row = recordNumber + 1

        func finishField() throws {
            if cells.count >= limits.maxColumns { throw SpreadsheetError.tooManyColumns(row: row, limit: limits.maxColumns) }
            cells.append(try decodeField(row: row))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }

        while true {
            if position == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                position = 0
                let more = atEnd ? false : try input.read(appendingTo: &buffer)
                if !more {
                    atEnd = true
                    break
                }
            }
            let byte = buffer[position]
            position += 1
            if skipLineFeed {
                skipLineFeed = false
                if byte == lf { continue }
            }
            sawAnyByte = true
            switch state {
            case .quoted:
                if byte == quote { state = .quoteInQuoted } else { try append(byte, row: row, inQuotes: true) }
                continue
            case .quoteInQuoted:
                if byte == quote { try append(quote, row: row, inQuotes: true); state = .quoted; continue }
                state = .unquoted  // the field's closing quote; whatever follows is handled as unquoted
            case .fieldStart:
                if byte == quote { state = .quoted; fieldWasQuoted = true; continue }
                state = .unquoted
            case .unquoted:
                break
            }
            if byte == delimiter {
                try finishField()
                state = .fieldStart
            } else if byte == lf || byte == cr {
                if byte == cr { skipLineFeed = true }
                recordNumber += 1
                if cells.isEmpty && field.isEmpty && !fieldWasQuoted { return SpreadsheetRow(number: row, cells: []) }
                try finishField()
                return SpreadsheetRow(number: row, cells: cells)
            } else {
                // A lone quote inside an unquoted field, or text after a closing quote: kept as written.
                try append(byte, row: row, inQuotes: false)
            }
        }
        // End of file.
        if state == .quoted {
            throw SpreadsheetError(code: "sheet.csv.unterminated_quote", "\(row)",
                                   row: row)
        }
        guard sawAnyByte else { return nil }
        recordNumber += 1
        try finishField()
        return SpreadsheetRow(number: row, cells: cells)
    }

    @inline(__always)
    private func append(_ byte: UInt8, row: Int, inQuotes: Bool) throws {
        if field.count >= limits.maxCellBytes {
            throw SpreadsheetError.cellTooLarge(row: row, limit: limits.maxCellBytes, unclosedQuote: inQuotes)
        }
        field.append(byte)
    }

    private func decodeField(row: Int) throws -> SpreadsheetCell {
        if field.isEmpty { return .empty }
        if !field.contains(where: { $0 >= 0x80 }) { return .text(String(decoding: field, as: UTF8.self)) }
        switch encoding {
        case .utf8, .utf8BOM:
            guard Self.isValidUTF8(field[...], allowTruncatedEnd: false) else { throw SpreadsheetError.encoding(row: row) }
            return .text(String(decoding: field, as: UTF8.self))
        case .gb18030:
            guard let text = String(data: Data(field), encoding: Self.gb18030) else { throw SpreadsheetError.encoding(row: row) }
            return .text(text)
        }
    }

    static func sniffDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var commas = 0, tabs = 0, inQuotes = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: ","): if !inQuotes { commas += 1 }
            case UInt8(ascii: "\t"): if !inQuotes { tabs += 1 }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): if !inQuotes { return tabs > commas ? UInt8(ascii: "\t") : UInt8(ascii: ",") }
            default: break
            }
        }
        return tabs > commas ? UInt8(ascii: "\t") : UInt8(ascii: ",")
    }

    /// Strict UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). `allowTruncatedEnd`: the bytes are a prefix
    /// of the file, so a sequence cut off at the very end is not an error.
    static func isValidUTF8<C: Collection>(_ bytes: C, allowTruncatedEnd: Bool) -> Bool where C.Element == UInt8, C.Index == Int {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            for k in 1..<length {
                if i + k >= end { return allowTruncatedEnd }
                let b = bytes[i + k]
                if k == 1 { if b < low || b > high { return false } } else if b < 0x80 || b > 0xBF { return false }
            }
            i += length
        }
        return true
    }
}
