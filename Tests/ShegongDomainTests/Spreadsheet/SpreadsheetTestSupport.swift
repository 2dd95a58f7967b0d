import Foundation
import Testing
@testable import ShegongDomain

/// A fresh folder per test, removed when the value goes away.
final class SheetScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-sheet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func write(_ name: String, bytes: [UInt8]) throws -> URL {
        let target = file(name)
        try Data(bytes).write(to: target)
        return target
    }

    func write(_ name: String, text: String) throws -> URL {
        try write(name, bytes: Array(text.utf8))
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

func readAllRows(_ reader: any SpreadsheetRowReader) throws -> [SpreadsheetRow] {
    var rows: [SpreadsheetRow] = []
    while let row = try reader.next() { rows.append(row) }
    return rows
}

func rowTexts(_ row: SpreadsheetRow) -> [String] { row.cells.map(\.text) }

/// Runs `python3 -c script args…`; records a failure (never a skip) when python3 or openpyxl is missing.
func runSheetPython(_ script: String, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do {
        try process.run()
    } catch {
        Issue.record("python3 could not be started (\(error)). Install Python 3 and run `pip install openpyxl`.", sourceLocation: sourceLocation)
        throw error
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errText = String(decoding: err, as: UTF8.self)
    if process.terminationStatus != 0 {
        let hint = errText.contains("No module named 'openpyxl'") || errText.contains("No such file")
            ? "openpyxl (or python3) is missing: run `pip install openpyxl`. " : ""
        Issue.record("\(hint)python3 failed with status \(process.terminationStatus): \(errText)", sourceLocation: sourceLocation)
        throw SpreadsheetError(code: "test.python", text: .verbatim(errText))
    }
    return String(decoding: out, as: UTF8.self)
}

/// Builds a workbook from hand-written parts so reader features can be tested without Excel.
func makeTestWorkbook(at url: URL, sheetXML: String, sharedStrings: String? = nil, styles: String? = nil,
                  workbook: String? = nil, extraParts: [String: String] = [:]) throws {
    var parts: [String: String] = [
        "[Content_Types].xml": XLSXParts.contentTypes,
        "_rels/.rels": XLSXParts.rootRelationships,
        "xl/workbook.xml": workbook ?? XLSXParts.workbook(sheetName: "人才信息采集表"),
        "xl/_rels/workbook.xml.rels": """
        <?xml version="1.0" encoding="UTF-8"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/>
        <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
        </Relationships>
        """,
        "xl/worksheets/sheet1.xml": sheetXML,
    ]
    if let sharedStrings { parts["xl/sharedStrings.xml"] = sharedStrings }
    if let styles { parts["xl/styles.xml"] = styles }
    parts.merge(extraParts) { $1 }
    try ZipPart.write(parts.sorted(by: { $0.key < $1.key }).map { ZipPart(path: $0.key, text: $0.value) }, to: url)
}

func expectSpreadsheetError(_ code: String, row: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected SpreadsheetError \(code), got no error", sourceLocation: sourceLocation)
    } catch let error as SpreadsheetError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let row { #expect(error.row == row, "\(error)", sourceLocation: sourceLocation) }
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected SpreadsheetError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
