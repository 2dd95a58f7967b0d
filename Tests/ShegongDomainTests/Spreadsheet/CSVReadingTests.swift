import Foundation
import Testing
@testable import ShegongDomain

@Suite("CSV reading")
struct CSVReadingTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    @Test func readsPlainUTF8WithRowNumbers() throws {
        // setup
        let folder = try SheetScratchFolder()
        let url = try folder.write("名单.csv", text: "姓名,身份证号,手机号\n张三,11010519491231002X,13812345678\n李四,,\n")
        // act
        let reader = try CSVRowReader(url: url)
        let rows = try readAllRows(reader)
        // check
        #expect(reader.encoding == .utf8)
        #expect(rows.map(\.number) == [1, 2, 3])
        #expect(rowTexts(rows[0]) == ["姓名", "身份证号", "手机号"])
        #expect(rows[1].cells == [.text("张三"), .text("11010519491231002X"), .text("13812345678")])
        #expect(rows[2].cells == [.text("李四"), .empty, .empty])
    }

    @Test func dropsTheByteOrderMark() throws {
        let folder = try SheetScratchFolder()
        let url = try folder.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("姓名,性别\r\n王五,男\r\n".utf8))
        let reader = try CSVRowReader(url: url)
        let rows = try readAllRows(reader)
        #expect(reader.encoding == .utf8BOM)
        #expect(rows.map(rowTexts) == [["姓名", "性别"], ["王五", "男"]])
    }

    @Test func decodesGB18030AsExcelInAChineseLocaleSavesIt() throws {
        // setup: Excel's “CSV (逗号分隔)” on Chinese Windows writes GB18030 (GBK)
        let folder = try SheetScratchFolder()
        let text = "姓名,工作单位,服务领域\r\n张三,武汉市江岸区社工站,养老、儿童\r\n"
        let bytes = try #require(text.data(using: Self.gb18030))
        #expect(bytes.count < text.utf8.count)  // really GB bytes, not UTF-8
        let url = try folder.write("gb.csv", bytes: Array(bytes))
        // act
        let reader = try CSVRowReader(url: url)
        let rows = try readAllRows(reader)
        // check
        #expect(reader.encoding == .gb18030)
        #expect(rows.map(rowTexts) == [["姓名", "工作单位", "服务领域"], ["张三", "武汉市江岸区社工站", "养老、儿童"]])
    }

    @Test func handlesQuotedCommasNewlinesAndDoubledQuotes() throws {
        let folder = try SheetScratchFolder()
        let url = try folder.write("q.csv", text: "\"武汉,江岸\",\"第一行\n第二行\",\"他说\"\"好\"\"\"\r\n下一条,\"\",x\r\n")
        let rows = try readAllRows(try CSVRowReader(url: url))
        #expect(rows.count == 2)
        #expect(rows[0].cells == [.text("武汉,江岸"), .text("第一行\n第二行"), .text("他说\"好\"")])
        // The record with an embedded newline counts once: the next record is row 2.
        #expect(rows[1].number == 2)
        #expect(rows[1].cells == [.text("下一条"), .empty, .text("x")])
    }

    @Test func acceptsCRLFLoneCRLoneLFBlankLinesAndNoFinalNewline() throws {
        let folder = try SheetScratchFolder()
        let url = try folder.write("ends.csv", text: "a,b\r\nc,d\re,f\n\ng,")
        let rows = try readAllRows(try CSVRowReader(url: url))
        #expect(rows.map(\.number) == [1, 2, 3, 4, 5])
        #expect(rows.map(rowTexts) == [["a", "b"], ["c", "d"], ["e", "f"], [], ["g", ""]])
    }

    @Test func namesTheRowOfAnUnterminatedQuote() throws {
        let folder = try SheetScratchFolder()
        let url = try folder.write("bad.csv", text: "姓名,备注\n张三,\"没有结束\n李四,好\n")
        let reader = try CSVRowReader(url: url)
        #expect(try reader.next()?.number == 1)
        expectSpreadsheetError("sheet.csv.unterminated_quote", row: 2) { _ = try reader.next() }
    }

    @Test func reportsAFieldThatIsNotValidUTF8AfterTheDetectionWindow() throws {
        // setup: 1 MiB+ of clean UTF-8, then bytes that are not UTF-8
        let folder = try SheetScratchFolder()
        var bytes = Array("姓名,备注\n".utf8)
        var row = 1
        while bytes.count < (1 << 20) + 1000 { bytes += Array("张三,正常\n".utf8); row += 1 }
        bytes += Array("李四,".utf8) + [0xC0, 0xAF, 0xFF] + [0x0A]
        let url = try folder.write("late.csv", bytes: bytes)
        // act
        let reader = try CSVRowReader(url: url)
        #expect(reader.encoding == .utf8)
        for _ in 0..<row { _ = try reader.next() }
        // check
        expectSpreadsheetError("sheet.encoding", row: row + 1) { _ = try reader.next() }
    }

    @Test func refusesUTF16WithAHint() throws {
        let folder = try SheetScratchFolder()
        let url = try folder.write("u16.txt", bytes: [0xFF, 0xFE] + Array("a\tb".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
        expectSpreadsheetError("sheet.encoding") { _ = try CSVRowReader(url: url) }
    }

    @Test func emptyFilesAreReportedAsEmpty() throws {
        let folder = try SheetScratchFolder()
        let empty = try folder.write("empty.csv", bytes: [])
        let bomOnly = try folder.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF])
        expectSpreadsheetError("sheet.empty") { _ = try CSVRowReader(url: empty) }
        expectSpreadsheetError("sheet.empty") { _ = try CSVRowReader(url: bomOnly) }
        expectSpreadsheetError("sheet.empty") { _ = try Spreadsheet.openReader(url: empty) }
        let emptyXLSX = try folder.write("empty.xlsx", bytes: [])
        expectSpreadsheetError("sheet.empty") { _ = try Spreadsheet.openReader(url: emptyXLSX) }
    }

    @Test func enforcesColumnAndCellLimits() throws {
        let folder = try SheetScratchFolder()
        let wide = try folder.write("wide.csv", text: "a,b\n" + Array(repeating: "x", count: 6).joined(separator: ",") + "\n")
        let reader = try CSVRowReader(url: wide, limits: SpreadsheetLimits(maxColumns: 5))
        _ = try reader.next()
        expectSpreadsheetError("sheet.too_many_columns", row: 2) { _ = try reader.next() }

        let long = try folder.write("long.csv", text: "a\n\"" + String(repeating: "长", count: 100) + "\n")
        let longReader = try CSVRowReader(url: long, limits: SpreadsheetLimits(maxCellBytes: 50))
        _ = try longReader.next()
        expectSpreadsheetError("sheet.cell_too_large", row: 2) { _ = try longReader.next() }
    }

    @Test func readsTabSeparatedText() throws {
        let folder = try SheetScratchFolder()
        let url = try folder.write("名单.txt", text: "姓名\t手机号\n张三\t13812345678\n")
        let reader = try CSVRowReader(url: url)
        #expect(reader.delimiter == UInt8(ascii: "\t"))
        #expect(try readAllRows(reader).map(rowTexts) == [["姓名", "手机号"], ["张三", "13812345678"]])
    }

    @Test func quotesAndLineEndsSplitAcrossReadChunksAreParsedTheSame() throws {
        // Every byte of this record is structural, so the 256 KiB chunk edges land on quotes, CR and LF.
        let folder = try SheetScratchFolder()
        let record = "\"x\"\"y\",\"\"\"\",\"a\r\nb\"\r\n"
        let count = 80_000  // ≈ 1.5 MiB: several chunk edges at different offsets in the record
        let url = try folder.write("edges.csv", text: String(repeating: record, count: count))
        let reader = try CSVRowReader(url: url)
        var seen = 0
        while let row = try reader.next() {
            seen += 1
            #expect(row.number == seen)
            if row.cells != [.text("x\"y"), .text("\""), .text("a\r\nb")] {
                Issue.record("row \(row.number) parsed as \(row.cells)")
                break
            }
        }
        #expect(seen == count)
    }

    @Test func streamsA200000RowFile() throws {
        // Memory is not asserted (STYLE §9); the reader holds one 256 KiB chunk and one record at a time.
        let folder = try SheetScratchFolder()
        let url = folder.file("big.csv")
        let writer = try CSVWriter(url: url)
        try writer.write([.text("姓名"), .text("身份证号"), .text("地区代码")])
        for i in 1...200_000 {
            try writer.write([.text("测试\(i)"), .text("42010619900101\(String(format: "%04d", i % 10_000))"), .number(420102, raw: "420102")])
        }
        try writer.close()
        let reader = try Spreadsheet.openReader(url: url)
        var count = 0
        var last: SpreadsheetRow?
        while let row = try reader.next() { count += 1; last = row }
        #expect(count == 200_001)
        #expect(last?.number == 200_001)
        #expect(last?.cells.first == .text("测试200000"))
    }
}
