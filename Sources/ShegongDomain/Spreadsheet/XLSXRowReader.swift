import Foundation
import ZIPFoundation

/// Reads one worksheet of an XLSX workbook row by row.
///
/// The sheet part is decompressed (under the zip-bomb guards of `SpreadsheetLimits`) into an unlinked
/// temporary file and scanned in 256 KiB chunks, so memory stays bounded however many rows the sheet
/// has; only the shared-string table is held in memory, within `maxSharedStringBytes`
/// (`SharedStringTable`). Cells keep their type: text, number, date
/// (a number whose cell style has a date format), bool.
public final class XLSXRowReader: SpreadsheetRowReader {
    /// The sheet being read: `preferredSheet` when the workbook has it, else the first sheet.
    public let sheetName: String
    /// All worksheet names in workbook order.
    public let sheetNames: [String]

    private let scanner: XMLByteScanner
    private let sharedStrings: SharedStringTable
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let limits: SpreadsheetLimits
    private let sheetPart: String
    private var inSheetData = false
    private var finished = false
    private var lastRowNumber = 0

    private typealias N = XMLSpreadsheetNames

    public init(url: URL, preferredSheet: String?, limits: SpreadsheetLimits = .init()) throws {
        self.limits = limits
        let package = try XLSXPackage(url: url, limits: limits)

        // _rels/.rels → the workbook part (almost always xl/workbook.xml).
        let rootRels = try package.relationships("_rels/.rels", owner: "")
        let workbookPart = rootRels.values.first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        guard let workbookBytes = try package.bytes(of: workbookPart) else {
            throw SpreadsheetError.xlsxCorrupt("缺少 \(workbookPart)")
        }
        let workbookRels = try package.relationships(
            XLSXPackage.resolve(target: "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "workbook.xml") + ".rels",
                                relativeTo: workbookPart),
            owner: workbookPart)

        // Worksheets in order, with their parts; chart sheets and dialog sheets have no cells.
        var sheets: [(name: String, part: String)] = []
        var uses1904 = false
        let workbook = XMLByteScanner(bytes: workbookBytes, maxTextBytes: 0)
        while let kind = try N.scan(workbook, part: workbookPart) {
            guard kind != .close else { continue }
            if workbook.nameIs(N.sheet), let name = workbook.attribute(N.name), let rid = workbook.attribute(N.rid),
               let rel = workbookRels[rid], rel.type.isEmpty || rel.type.hasSuffix("/worksheet") {
                sheets.append((name, rel.target))
            } else if workbook.nameIs(N.workbookPr), let flag = workbook.attribute(N.date1904) {
                uses1904 = flag == "1" || flag.lowercased() == "true"
            }
        }
        guard let chosen = sheets.first(where: { $0.name == preferredSheet }) ?? sheets.first else {
            throw SpreadsheetError.xlsxCorrupt("工作簿中没有工作表")
        }
        sheetName = chosen.name
        sheetNames = sheets.map(\.name)
        sheetPart = chosen.part
        date1904 = uses1904

        let sharedStringsPart = workbookRels.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
        if let part = sharedStringsPart, let entry = package.entry(part) {
            let xml = try package.temporaryFile(of: entry, part: part, sizeLimit: limits.maxSharedStringsPartBytes)
            sharedStrings = try Self.readSharedStrings(xml, part: part, limits: limits)
        } else {
            sharedStrings = SharedStringTable(part: "xl/sharedStrings.xml", budget: limits.maxSharedStringBytes)
        }
        let stylesPart = workbookRels.values.first { $0.type.hasSuffix("/styles") }?.target
        if let part = stylesPart, let bytes = try package.bytes(of: part) {
            dateStyles = try Self.readDateStyles(bytes, part: part)
        } else {
            dateStyles = []
        }

        guard let sheetEntry = package.entry(chosen.part) else {
            throw SpreadsheetError.xlsxCorrupt("缺少工作表“\(chosen.name)”的数据（\(chosen.part)）")
        }
        let handle = try package.temporaryFile(of: sheetEntry, part: chosen.part)
        // Raw text may be up to 6× its decoded size (`&amp;`), plus some slack.
        scanner = XMLByteScanner(input: ChunkedFileInput(handle: handle), maxTextBytes: limits.maxCellBytes * 6 + 1024)
    }

    // MARK: - Rows

    public func next() throws -> SpreadsheetRow? {
        guard !finished else { return nil }
        while let kind = try scan(row: nil) {
            if !inSheetData {
                if scanner.nameIs(N.sheetData) {
                    if kind == .empty { finished = true; return nil }
                    if kind == .open { inSheetData = true }
                }
                continue
            }
            if scanner.nameIs(N.sheetData), kind == .close { finished = true; return nil }
            if scanner.nameIs(N.row), kind != .close { return try readRow(kind) }
        }
        // End of the part inside <sheetData>: the sheet was cut off.
        if inSheetData { throw truncated(row: nil) }
        finished = true
        return nil
    }

    private func scan(row: Int?) throws -> XMLByteScanner.TagKind? {
        try N.scan(scanner, part: sheetPart, row: row, limits: limits)
    }

    private func readRow(_ kind: XMLByteScanner.TagKind) throws -> SpreadsheetRow {
        let number = scanner.attributeRange(N.r).flatMap { Self.parseInt(scanner.tag[$0]) } ?? lastRowNumber + 1
        lastRowNumber = number
        guard kind == .open else { return SpreadsheetRow(number: number, cells: []) }
        var cells: [SpreadsheetCell] = []
        var column = 0  // 1-based column of the previous cell
        while true {
            guard let kind = try scan(row: number) else { throw truncated(row: number) }
            if kind == .close {
                if scanner.nameIs(N.row) { break }
                continue
            }
            guard scanner.nameIs(N.c) else { continue }
            column = scanner.attributeRange(N.r).flatMap { Self.parseColumn(scanner.tag[$0]) } ?? column + 1
            let cell = try readCell(kind, row: number)
            if case .empty = cell { continue }
            guard column <= limits.maxColumns else { throw SpreadsheetError.tooManyColumns(row: number, limit: limits.maxColumns) }
            if cells.count < column { cells.append(contentsOf: repeatElement(.empty, count: column - cells.count)) }
            cells[column - 1] = cell
        }
        return SpreadsheetRow(number: number, cells: cells)
    }

    private enum CellType { case number, shared, inline, formulaString, bool, error, isoDate }

    private func readCell(_ kind: XMLByteScanner.TagKind, row: Int) throws -> SpreadsheetCell {
        var type = CellType.number
        if let range = scanner.attributeRange(N.t) {
            switch String(decoding: scanner.tag[range], as: UTF8.self) {
            case "s": type = .shared
            case "inlineStr": type = .inline
            case "str": type = .formulaString
            case "b": type = .bool
            case "e": type = .error
            case "d": type = .isoDate
            default: type = .number
            }
        }
        let style = scanner.attributeRange(N.s).flatMap { Self.parseInt(scanner.tag[$0]) } ?? 0
        guard kind == .open else { return .empty }

        var value: String?
        var inlineText: String?
        while true {
            guard let kind = try scan(row: row) else { throw truncated(row: row) }
            if kind == .close {
                if scanner.nameIs(N.c) { break }
                continue
            }
            if kind == .empty {
                if scanner.nameIs(N.t) { inlineText = inlineText ?? "" }
                continue
            }
            if scanner.nameIs(N.v) {
                value = try captureText(row: row)
            } else if scanner.nameIs(N.t) {
                inlineText = (inlineText ?? "") + XMLByteScanner.decodeOOXMLEscapes(try captureText(row: row))
            } else if scanner.nameIs(N.rPh) || scanner.nameIs(N.f) {
                try skipElement(row: row)
            }
        }

        let cell: SpreadsheetCell
        switch type {
        case .shared:
            guard let value else { return .empty }
            guard let index = Int(Self.trimmed(value)), sharedStrings.contains(index) else {
                throw SpreadsheetError(code: "sheet.xlsx.corrupt",
                                       text: SpreadsheetError.xlsxCorrupt("单元格引用了不存在的共享字符串 \(value)").text, row: row)
            }
            cell = sharedStrings.isEmpty(at: index) ? .empty : .text(sharedStrings[index])
        case .inline:
            let text = inlineText ?? value ?? ""
            cell = text.isEmpty ? .empty : .text(text)
        case .formulaString, .error:
            let text = XMLByteScanner.decodeOOXMLEscapes(value ?? "")
            cell = text.isEmpty ? .empty : .text(text)
        case .bool:
            guard let value else { return .empty }
            cell = .bool(value == "1" || value.lowercased() == "true")
        case .isoDate:
            guard let value, !value.isEmpty else { return .empty }
            cell = CivilDate(iso: String(value.prefix(10))).map(SpreadsheetCell.date) ?? .text(value)
        case .number:
            guard let raw = value.map(Self.trimmed), !raw.isEmpty else {
                // A cell with t="n" and an inline string is malformed but seen in the wild.
                if let inlineText, !inlineText.isEmpty { return .text(inlineText) }
                return .empty
            }
            guard let number = Double(raw) else { cell = .text(raw); break }
            if style < dateStyles.count, dateStyles[style], let date = civilDate(serial: number) {
                cell = .date(date)
            } else {
                cell = .number(number, raw: raw)
            }
        }
        if case .text(let text) = cell, text.utf8.count > limits.maxCellBytes {
            throw SpreadsheetError.cellTooLarge(row: row, limit: limits.maxCellBytes)
        }
        return cell
    }

    private func civilDate(serial: Double) -> CivilDate? {
        if date1904 {
            // 1904 date system (old Mac Excel): serial 0 is 1904-01-01, no leap-year bug.
            guard serial.isFinite, serial >= 0, serial < 2_957_003 else { return nil }
            return CivilDate(year: 1904, month: 1, day: 1)!.adding(days: Int(serial.rounded(.down)))
        }
        return CivilDate(excelSerial: serial)
    }

    /// Text up to the next tag (the element's end tag).
    private func captureText(row: Int?) throws -> String {
        scanner.discardText()
        scanner.capturing = true
        defer { scanner.capturing = false }
        guard try scan(row: row) != nil else { throw truncated(row: row) }
        return scanner.takeText()
    }

    /// Skips the element just opened, nested elements included.
    private func skipElement(row: Int?) throws {
        var depth = 1
        while depth > 0 {
            guard let kind = try scan(row: row) else { throw truncated(row: row) }
            if kind == .open { depth += 1 } else if kind == .close { depth -= 1 }
        }
    }

    private func truncated(row: Int?) -> SpreadsheetError {
        finished = true
        return SpreadsheetError(code: "sheet.xlsx.corrupt",
                                text: SpreadsheetError.xlsxCorrupt("工作表“\(sheetName)”的数据不完整").text, row: row)
    }

    // MARK: - Parsing helpers

    /// Surrounding spaces removed; the common case (none) costs no Foundation call.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard isSpace(first) || isSpace(last) else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func parseInt(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for b in bytes {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    /// The 1-based column of a cell reference: `C5` → 3, `AA10` → 27. nil when malformed.
    static func parseColumn(_ bytes: ArraySlice<UInt8>) -> Int? {
        var column = 0, letters = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): column = column * 26 + Int(b - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): column = column * 26 + Int(b - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "$"): continue
            default:
                return letters > 0 ? column : nil
            }
            letters += 1
            if letters > 3 { return nil }
        }
        return letters > 0 ? column : nil
    }

    static func readSharedStrings(_ handle: FileHandle, part: String, limits: SpreadsheetLimits) throws -> SharedStringTable {
        let scanner = XMLByteScanner(input: ChunkedFileInput(handle: handle), maxTextBytes: limits.maxCellBytes * 6 + 1024)
        var strings = SharedStringTable(part: part, budget: limits.maxSharedStringBytes)
        var current: String?
        var phoneticDepth = 0
        while let kind = try N.scan(scanner, part: part, limits: limits) {
            if scanner.nameIs(N.si) {
                switch kind {
                case .open: current = ""
                case .empty: try strings.append("")
                case .close: try strings.append(current ?? ""); current = nil
                }
            } else if scanner.nameIs(N.rPh) {
                // Phonetic guides (furigana) are not part of the cell's text.
                if kind == .open { phoneticDepth += 1 } else if kind == .close { phoneticDepth -= 1 }
            } else if scanner.nameIs(N.t), kind == .open, phoneticDepth == 0, current != nil {
                scanner.discardText()
                scanner.capturing = true
                _ = try N.scan(scanner, part: part, limits: limits)
                scanner.capturing = false
                current! += XMLByteScanner.decodeOOXMLEscapes(scanner.takeText())
                // Many runs in one string add up: the budget holds for the string being built too.
                if !strings.fits(pending: current!.utf8.count) {
                    throw SpreadsheetError.sharedStringsTooLarge(part: part, budget: limits.maxSharedStringBytes)
                }
            }
        }
        return strings
    }

    /// For each cell style (`cellXfs` index), whether its number format shows a date.
    static func readDateStyles(_ bytes: [UInt8], part: String) throws -> [Bool] {
        let scanner = XMLByteScanner(bytes: bytes, maxTextBytes: 0)
        var customFormats: [Int: String] = [:]
        var formatIds: [Int] = []
        var inCellXfs = false
        while let kind = try N.scan(scanner, part: part) {
            if scanner.nameIs(N.numFmt), kind != .close,
               let id = scanner.attribute(N.numFmtId).flatMap({ Int($0) }), let code = scanner.attribute(N.formatCode) {
                customFormats[id] = code
            } else if scanner.nameIs(N.cellXfs) {
                inCellXfs = kind == .open
            } else if inCellXfs, scanner.nameIs(N.xf), kind != .close {
                formatIds.append(scanner.attribute(N.numFmtId).flatMap { Int($0) } ?? 0)
            }
        }
        return formatIds.map { id in customFormats[id].map(isDateFormat(code:)) ?? builtInDateFormatIds.contains(id) }
    }

    /// Built-in formats that show dates: 14–22 and 45–47 everywhere; 27–36 and 50–58 are the East Asian
    /// (zh-CN: `yyyy"年"m"月"d"日"` and kin) built-ins that Chinese Excel writes without declaring them.
    static let builtInDateFormatIds: Set<Int> = Set(14...22).union(45...47).union(27...36).union(50...58)

    /// A format code shows a date when, outside quoted text, escapes and `[…]` sections, it has
    /// a y or d, or an m that is not minutes (no h or s beside it).
    static func isDateFormat(code: String) -> Bool {
        // Only the first section (positive numbers) matters.
        var stripped = ""
        var inQuote = false, inBracket = false, escaped = false
        var bracket = ""
        for ch in code {
            if escaped { escaped = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" {
                    inBracket = false
                    // [h], [mm], [ss]: elapsed time, so the m in it is minutes, not months.
                    if !bracket.isEmpty, bracket.lowercased().allSatisfy({ "hms".contains($0) }) { stripped.append("h") }
                    bracket = ""
                } else {
                    bracket.append(ch)
                }
                continue
            }
            switch ch {
            case "\"": inQuote = true
            case "\\", "_", "*": escaped = true
            case "[": inBracket = true
            case ";": break
            default: stripped.append(ch)
            }
            if ch == ";" { break }
        }
        let lower = stripped.lowercased()
        if lower.contains("general") { return false }
        if lower.contains("y") || lower.contains("d") { return true }
        return lower.contains("m") && !lower.contains("h") && !lower.contains("s")
    }
}
