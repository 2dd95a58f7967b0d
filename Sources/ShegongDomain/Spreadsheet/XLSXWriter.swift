import Foundation
import ZIPFoundation

/// Writes a one-sheet workbook that Excel, WPS, LibreOffice and openpyxl open.
///
/// Rows stream to a temporary sheet file as they are written; `close()` zips the parts into `url`
/// (through a temporary file next to it, so a failed export never leaves half a workbook behind).
/// Text goes in as inline strings, numbers as numbers, dates as serials with the date style
/// (built-in number format 14); nothing is ever written as a formula.
public final class XLSXWriter {
    /// Excel's own limits.
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
    public static let maxCellCharacters = 32_767

    private let url: URL
    private let sheetName: String
    private let now: Date
    private let sheetURL: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var rowNumber = 0
    private var closed = false
    /// Small sheets written after the main one (instructions, code lists), in memory.
    public var extraSheets: [XLSXSheet] = []
    /// Drop-down lists on the main sheet's columns (`XLSXWriter+Sheets.swift`).
    public var listValidations: [XLSXListValidation] = []
    private static let flushThreshold = 64 * 1024

    public init(url: URL, sheetName: String, now: Date = Date()) throws {
        // Excel refuses names longer than 31 characters or containing : \ / ? * [ ], and blank names.
        let forbidden = CharacterSet(charactersIn: ":\\/?*[]")
        guard !sheetName.trimmingCharacters(in: .whitespaces).isEmpty, sheetName.count <= 31,
              sheetName.unicodeScalars.allSatisfy({ !forbidden.contains($0) }),
              !sheetName.hasPrefix("'"), !sheetName.hasSuffix("'") else {
            throw SpreadsheetError(code: "sheet.xlsx.sheet_name", "\(sheetName)")
        }
        self.url = url
        self.sheetName = sheetName
        self.now = now
        sheetURL = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-xlsx-out-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: sheetURL.path, contents: nil) else {
            throw SpreadsheetError(code: "sheet.write_failed", text: .init("sheet.write_failed.temporary", "\(sheetURL.path)"))
        }
        do { handle = try FileHandle(forWritingTo: sheetURL) } catch {
            try? FileManager.default.removeItem(at: sheetURL)
            throw SpreadsheetError.io(error, writing: true)
        }
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        append(XLSXParts.sheetHeader)
    }

    deinit {
        if !closed {
            try? handle.close()
            try? FileManager.default.removeItem(at: sheetURL)
        }
    }

    public func write(_ cells: [SpreadsheetCell]) throws {
        guard !closed else { throw SpreadsheetError(code: "sheet.write_failed", text: .init("sheet.write_failed.xlsx_closed")) }
        guard rowNumber < Self.maxRows else {
            throw SpreadsheetError(code: "sheet.xlsx.too_many_rows", "\(Self.maxRows)", row: rowNumber + 1)
        }
        guard cells.count <= Self.maxColumns else {
            throw SpreadsheetError(code: "sheet.too_many_columns", text: .init("sheet.too_many_columns.excel", "\(Self.maxColumns)"), row: rowNumber + 1)
        }
        rowNumber += 1
        let rowDigits = Array(String(rowNumber).utf8)
        append("<row r=\"")
        buffer.append(contentsOf: rowDigits)
        append("\">")
        for (index, cell) in cells.enumerated() {
            switch cell {
            case .empty:
                continue
            case .text(let text):
                try appendText(text, column: index + 1, row: rowDigits)
            case .number(let value, let raw):
                guard value.isFinite else { try appendText(raw, column: index + 1, row: rowDigits); continue }
                appendCellStart(column: index + 1, row: rowDigits, attributes: "><v>")
                append(Self.numberLiteral(value, raw: raw))
                append("</v></c>")
            case .date(let date):
                appendCellStart(column: index + 1, row: rowDigits, attributes: " s=\"1\"><v>")
                append(String(date.excelSerial))
                append("</v></c>")
            case .bool(let value):
                appendCellStart(column: index + 1, row: rowDigits, attributes: value ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
            }
        }
        append("</row>")
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        defer { try? FileManager.default.removeItem(at: sheetURL) }
        append(listValidations.isEmpty ? XLSXParts.sheetFooter : "</sheetData>" + XLSXParts.dataValidations(listValidations) + "</worksheet>")
        do {
            try flush()
            try handle.close()
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw SpreadsheetError.io(error, writing: true)
        }

        let directory = url.deletingLastPathComponent()
        let partial = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: partial) }
        do {
            let sheet = try FileHandle(forReadingFrom: sheetURL)
            defer { try? sheet.close() }
            let size = try sheet.seekToEnd()
            try sheet.seek(toOffset: 0)
            let extras = extraSheets
            try ZipPart.write([
                ZipPart(path: "[Content_Types].xml", text: extras.isEmpty ? XLSXParts.contentTypes : XLSXParts.contentTypes(extraSheets: extras.count)),
                ZipPart(path: "_rels/.rels", text: XLSXParts.rootRelationships),
                ZipPart(path: "docProps/app.xml", text: XLSXParts.appProperties),
                ZipPart(path: "docProps/core.xml", text: XLSXParts.coreProperties(now: now)),
                ZipPart(path: "xl/workbook.xml", text: extras.isEmpty ? XLSXParts.workbook(sheetName: Self.escapeAttribute(sheetName))
                        : XLSXParts.workbook(sheetName: Self.escapeAttribute(sheetName), extraSheets: extras)),
                ZipPart(path: "xl/_rels/workbook.xml.rels", text: extras.isEmpty ? XLSXParts.workbookRelationships
                        : XLSXParts.workbookRelationships(extraSheets: extras.count)),
                ZipPart(path: "xl/styles.xml", text: XLSXParts.styles),
                ZipPart(path: "xl/worksheets/sheet1.xml", size: Int64(size)) { position, chunk in
                    try sheet.seek(toOffset: UInt64(position))
                    return try sheet.read(upToCount: chunk) ?? Data()
                },
            ] + extras.enumerated().map { ZipPart(path: "xl/worksheets/sheet\($0.offset + 2).xml", text: $0.element.xml) },
            to: partial, modificationDate: now)
        } catch {
            throw SpreadsheetError.io(error, writing: true)
        }
        // rename(2) replaces an existing file atomically (FileManager.replaceItemAt fails on Linux).
        guard rename(partial.path, url.path) == 0 else {
            throw SpreadsheetError(code: "sheet.write_failed", text: .init("sheet.write_failed.errno", "\(url.path)", "\(errno)"))
        }
    }

    // MARK: - Encoding

    private func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    /// `<c r="B7"` followed by `attributes` (which closes the start tag).
    private func appendCellStart(column: Int, row: [UInt8], attributes: String) {
        append("<c r=\"")
        Self.appendColumnName(column, to: &buffer)
        buffer.append(contentsOf: row)
        buffer.append(UInt8(ascii: "\""))
        append(attributes)
    }

    private func appendText(_ text: String, column: Int, row: [UInt8]) throws {
        guard text.utf16.count <= Self.maxCellCharacters else {
            throw SpreadsheetError(code: "sheet.cell_too_large", text: .init("sheet.cell_too_large.excel", "\(Self.maxCellCharacters)"), row: rowNumber)
        }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return }
        let preserve = first.properties.isWhitespace || last.properties.isWhitespace
        appendCellStart(column: column, row: row, attributes: preserve ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>")
        appendEscaped(text)
        append("</t></is></c>")
    }

    /// XML-escapes text. CR becomes `&#13;` (a literal CR would be read back as LF); characters XML 1.0
    /// cannot carry become `_xHHHH_`, and an underscore that would read as such an escape becomes `_x005F_`.
    private func appendEscaped(_ text: String) {
        let plain = text.utf8.allSatisfy { b in
            (b >= 0x20 || b == 0x09 || b == 0x0A) && b != UInt8(ascii: "&") && b != UInt8(ascii: "<")
                && b != UInt8(ascii: ">") && b != UInt8(ascii: "_") && b != 0xEF
        }
        if plain { buffer.append(contentsOf: text.utf8); return }
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": append("&amp;")
            case "<": append("&lt;")
            case ">": append("&gt;")
            case "\r": append("&#13;")
            case "\t", "\n": buffer.append(UInt8(scalar.value))
            case "_" where Self.looksLikeEscape(scalars, at: i): append("_x005F_")
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    append("_x" + String(format: "%04X", scalar.value) + "_")
                } else {
                    buffer.append(contentsOf: String(scalar).utf8)
                }
            }
        }
    }

    private static func looksLikeEscape(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        guard i + 6 < scalars.count, scalars[i + 1] == "x" || scalars[i + 1] == "X", scalars[i + 6] == "_" else { return false }
        return scalars[(i + 2)...(i + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }

    static func escapeAttribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The raw text when it is a plain decimal literal for the same value, else a canonical form.
    static func numberLiteral(_ value: Double, raw: String) -> String {
        let plain = !raw.isEmpty && raw.utf8.allSatisfy { (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x45 || $0 == 0x65 }
        if plain, Double(raw) == value { return raw }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// 1 → A, 26 → Z, 27 → AA.
    static func columnName(_ column: Int) -> String {
        var bytes: [UInt8] = []
        appendColumnName(column, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendColumnName(_ column: Int, to bytes: inout [UInt8]) {
        if column > 26 { appendColumnName((column - 1) / 26, to: &bytes) }
        bytes.append(UInt8(ascii: "A") + UInt8((column - 1) % 26))
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch { throw SpreadsheetError.io(error, writing: true) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The fixed parts of a one-sheet workbook (ECMA-376 SpreadsheetML, transitional).
enum XLSXParts {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let sheetHeader = declaration
        + #"<worksheet xmlns="\#(main)" xmlns:r="\#(officeRelationships)">"#
        + #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        + #"<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="30" width="18" customWidth="1"/></cols><sheetData>"#
    static let sheetFooter = "</sheetData></worksheet>"

    static let contentTypes = declaration + #"""
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\#
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\#
    <Default Extension="xml" ContentType="application/xml"/>\#
    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\#
    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\#
    <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\#
    <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\#
    <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\#
    </Types>
    """#

    static let rootRelationships = declaration + #"""
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\#
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\#
    <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\#
    </Relationships>
    """#

    static let workbookRelationships = declaration + #"""
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\#
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\#
    </Relationships>
    """#

    static func workbook(sheetName escapedName: String) -> String {
        declaration + #"<workbook xmlns="\#(main)" xmlns:r="\#(officeRelationships)">"#
            + #"<bookViews><workbookView/></bookViews><sheets><sheet name="\#(escapedName)" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    }

    /// Style 1 is the date style: built-in format 14 (shown as yyyy/m/d by Chinese Excel).
    static let styles = declaration + #"""
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\#
    <fonts count="1"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>\#
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\#
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\#
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\#
    <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\#
    <xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\#
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\#
    </styleSheet>
    """#

    static let appProperties = declaration + #"""
    <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \#
    xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Shegong</Application></Properties>
    """#

    static func coreProperties(now: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let stamp = formatter.string(from: now)
        return declaration + #"""
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \#
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \#
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\#
        <dc:creator>社工人才</dc:creator>\#
        <dcterms:created xsi:type="dcterms:W3CDTF">\#(stamp)</dcterms:created>\#
        <dcterms:modified xsi:type="dcterms:W3CDTF">\#(stamp)</dcterms:modified>\#
        </cp:coreProperties>
        """#
    }
}
