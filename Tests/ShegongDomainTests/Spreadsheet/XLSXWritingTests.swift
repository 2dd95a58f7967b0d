import Foundation
import Testing
@testable import ShegongDomain

@Suite("XLSX writing")
struct XLSXWritingTests {
    static let rows: [[SpreadsheetCell]] = [
        [.text("姓名"), .text("身份证号"), .text("手机号"), .text("发证日期"), .text("备注"), .text("社会工作专业")],
        [.text("张三"), .text("11010519491231002X"), .number(13812345678, raw: "13812345678"),
         .date(CivilDate(year: 2024, month: 2, day: 29)!), .text("A&B <公司> \"引号\""), .bool(true)],
        [.text("  前后空格 "), .empty, .number(-0.25, raw: "-0.25"), .date(CivilDate(year: 1900, month: 3, day: 1)!),
         .text("第一行\n第二行\r\n第三行"), .bool(false)],
        [.text("=1+1 不是公式"), .number(42, raw: "42"), .empty, .empty, .text("𠀀生僻字")],
    ]

    @Test func roundTripsTextNumbersDatesAndEmptyCells() throws {
        // setup
        let folder = try SheetScratchFolder()
        let url = folder.file("导出.xlsx")
        var rows = Self.rows
        rows.append([])  // an empty row keeps its number
        rows.append([.text("控制符\u{1}与_x0041_字面"), .number(1e20, raw: "1E+20")])
        // act
        let writer = try XLSXWriter(url: url, sheetName: "人才信息采集表")
        for row in rows { try writer.write(row) }
        try writer.close()
        let reader = try XLSXRowReader(url: url, preferredSheet: "人才信息采集表")
        let back = try readAllRows(reader)
        // check
        #expect(reader.sheetName == "人才信息采集表")
        #expect(back.map(\.number) == [1, 2, 3, 4, 5, 6])
        for (written, read) in zip(rows, back) {
            // Trailing empty cells are not written, so the row read back ends at its last value.
            var expected = written
            while expected.last == .empty { expected.removeLast() }
            #expect(read.cells == expected, "row \(read.number)")
        }
    }

    @Test func writesAWorkbookOpenpyxlReads() throws {
        // setup
        let folder = try SheetScratchFolder()
        let url = folder.file("导出.xlsx")
        let writer = try XLSXWriter(url: url, sheetName: "人才信息采集表")
        for row in Self.rows { try writer.write(row) }
        try writer.close()
        // act
        let output = try runSheetPython("""
        import sys, json, datetime, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["人才信息采集表"]
        def show(cell):
            v = cell.value
            if v is None: return "-"
            if isinstance(v, bool): return "b:" + str(v)
            if isinstance(v, datetime.datetime): return "d:" + v.date().isoformat() + ("" if cell.is_date else "!notdate")
            if isinstance(v, (int, float)): return "n:" + repr(v)
            if isinstance(v, str): return "s:" + v
            return "?:" + repr(v)
        print(json.dumps({"sheets": wb.sheetnames,
                          "rows": [[show(c) for c in row] for row in ws.iter_rows()]}, ensure_ascii=False))
        """, [url.path])
        struct Dump: Decodable { let sheets: [String]; let rows: [[String]] }
        let dump = try JSONDecoder().decode(Dump.self, from: Data(output.utf8))
        // check
        #expect(dump.sheets == ["人才信息采集表"])
        #expect(dump.rows == [
            ["s:姓名", "s:身份证号", "s:手机号", "s:发证日期", "s:备注", "s:社会工作专业"],
            ["s:张三", "s:11010519491231002X", "n:13812345678", "d:2024-02-29", "s:A&B <公司> \"引号\"", "b:True"],
            ["s:  前后空格 ", "-", "n:-0.25", "d:1900-03-01", "s:第一行\n第二行\r\n第三行", "b:False"],
            ["s:=1+1 不是公式", "n:42", "-", "-", "s:𠀀生僻字", "-"],
        ])
    }

    @Test func neverWritesAFormula() throws {
        let folder = try SheetScratchFolder()
        let url = folder.file("f.xlsx")
        let writer = try XLSXWriter(url: url, sheetName: "S")
        try writer.write([.text("=HYPERLINK(\"http://evil\",\"x\")"), .text("@SUM(A1)")])
        try writer.close()
        let back = try readAllRows(try XLSXRowReader(url: url, preferredSheet: nil))
        #expect(back[0].cells == [.text("=HYPERLINK(\"http://evil\",\"x\")"), .text("@SUM(A1)")])
        // The text is stored as an inline string, never in an <f> element.
        let output = try runSheetPython("""
        import sys, zipfile
        print(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode())
        """, [url.path])
        #expect(!output.contains("<f>"))
        #expect(output.contains("t=\"inlineStr\""))
    }

    @Test func replacesAnExistingFileAndRefusesWritesAfterClose() throws {
        // Regression: FileManager.replaceItemAt fails on Linux, so a second export to the same path failed.
        let folder = try SheetScratchFolder()
        let url = folder.file("每日导出.xlsx")
        for name in ["第一次", "第二次"] {
            let writer = try XLSXWriter(url: url, sheetName: "S")
            try writer.write([.text(name)])
            try writer.close()
            try writer.close()  // closing twice is harmless
            expectSpreadsheetError("sheet.write_failed") { try writer.write([.text("迟到")]) }
        }
        #expect(try readAllRows(try XLSXRowReader(url: url, preferredSheet: nil)).map(rowTexts) == [["第二次"]])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(leftovers == ["每日导出.xlsx"])
    }

    @Test func refusesSheetNamesExcelRefuses() throws {
        let folder = try SheetScratchFolder()
        for name in ["", "a/b", "名单[1]", String(repeating: "长", count: 32)] {
            expectSpreadsheetError("sheet.xlsx.sheet_name") { _ = try XLSXWriter(url: folder.file("x.xlsx"), sheetName: name) }
        }
    }

    @Test func columnNamesFollowExcel() {
        #expect([1, 26, 27, 52, 53, 702, 703, 16_384].map(XLSXWriter.columnName) == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"])
        #expect(["A1", "Z9", "AA10", "XFD1", "$C$5"].map { XLSXRowReader.parseColumn(Array($0.utf8)[...]) } == [1, 26, 27, 16_384, 3])
    }
}
