import Foundation

/// A small sheet written beside the main one (the blank template's instructions and its lists):
/// text cells only, held in memory.
public struct XLSXSheet: Sendable {
    public var name: String
    public var rows: [[String]]
    /// Hidden sheets hold the lists drop-downs point at; Excel and WPS can show them again.
    public var hidden: Bool
    /// Column widths in characters, from column A.
    public var widths: [Int]

    public init(name: String, rows: [[String]], hidden: Bool = false, widths: [Int] = []) {
        self.name = name
        self.rows = rows
        self.hidden = hidden
        self.widths = widths
    }

    var xml: String {
        var out = XLSXParts.declaration + #"<worksheet xmlns="\#(XLSXParts.main)" xmlns:r="\#(XLSXParts.officeRelationships)">"#
        if !widths.isEmpty {
            out += "<cols>" + widths.enumerated().map { #"<col min="\#($0.offset + 1)" max="\#($0.offset + 1)" width="\#($0.element)" customWidth="1"/>"# }
                .joined() + "</cols>"
        }
        out += "<sheetData>"
        for (r, row) in rows.enumerated() {
            out += #"<row r="\#(r + 1)">"#
            for (c, text) in row.enumerated() where !text.isEmpty {
                out += #"<c r="\#(XLSXWriter.columnName(c + 1))\#(r + 1)" t="inlineStr"><is><t>\#(Self.escape(text))</t></is></c>"#
            }
            out += "</row>"
        }
        return out + "</sheetData></worksheet>"
    }

    /// Text as XML character data; characters XML 1.0 cannot carry are dropped (these sheets hold
    /// the catalogue's texts and region names, never a user's file).
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// A drop-down list on one column of the main sheet, rows `firstRow...lastRow`, whose choices are
/// cells of another sheet (`'代码表'!$A$2:$A$9`). `strict`: Excel refuses other values; otherwise it
/// only warns (a column that may hold several choices, such as 服务领域).
public struct XLSXListValidation: Sendable {
    public var column: Int
    public var firstRow: Int
    public var lastRow: Int
    public var source: String
    public var strict: Bool
    public var prompt: String?

    public init(column: Int, firstRow: Int = 2, lastRow: Int, source: String, strict: Bool = true, prompt: String? = nil) {
        self.column = column
        self.firstRow = firstRow
        self.lastRow = lastRow
        self.source = source
        self.strict = strict
        self.prompt = prompt
    }

    /// `'sheet'!$A$first:$A$last` for a list in column `column` (1-based) of `sheet`.
    public static func range(sheet: String, column: Int, firstRow: Int, lastRow: Int) -> String {
        let letter = XLSXWriter.columnName(column)
        return "'\(sheet.replacingOccurrences(of: "'", with: "''"))'!$\(letter)$\(firstRow):$\(letter)$\(lastRow)"
    }
}

extension XLSXParts {
    static func dataValidations(_ lists: [XLSXListValidation]) -> String {
        guard !lists.isEmpty else { return "" }
        return #"<dataValidations count="\#(lists.count)">"# + lists.map { list in
            let column = XLSXWriter.columnName(list.column)
            let style = list.strict ? "" : #" errorStyle="warning""#
            let prompt = list.prompt.map { #" showInputMessage="1" prompt="\#(XLSXWriter.escapeAttribute($0))""# } ?? ""
            return #"<dataValidation type="list"\#(style) allowBlank="1" showErrorMessage="1"\#(prompt) sqref="\#(column)\#(list.firstRow):\#(column)\#(list.lastRow)">"#
                + "<formula1>\(XLSXSheet.escape(list.source))</formula1></dataValidation>"
        }.joined() + "</dataValidations>"
    }

    static func contentTypes(extraSheets count: Int) -> String {
        let sheets = (0..<count).map {
            #"<Override PartName="/xl/worksheets/sheet\#($0 + 2).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }.joined()
        return contentTypes.replacingOccurrences(of: "</Types>", with: sheets + "</Types>")
    }

    /// The main sheet is rId1 and the styles rId2, as in the one-sheet workbook; extra sheets follow.
    static func workbookRelationships(extraSheets count: Int) -> String {
        let sheets = (0..<count).map {
            #"<Relationship Id="rId\#($0 + 3)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0 + 2).xml"/>"#
        }.joined()
        return workbookRelationships.replacingOccurrences(of: "</Relationships>", with: sheets + "</Relationships>")
    }

    static func workbook(sheetName escapedName: String, extraSheets: [XLSXSheet]) -> String {
        let sheets = extraSheets.enumerated().map { i, sheet in
            #"<sheet name="\#(XLSXWriter.escapeAttribute(sheet.name))" sheetId="\#(i + 2)"\#(sheet.hidden ? #" state="hidden""# : "") r:id="rId\#(i + 3)"/>"#
        }.joined()
        return workbook(sheetName: escapedName).replacingOccurrences(of: "</sheets>", with: sheets + "</sheets>")
    }
}
