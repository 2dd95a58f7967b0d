import Foundation
import Testing
@testable import ShegongDomain

@Suite("CSV writing")
struct CSVWritingTests {
    @Test(arguments: [
        ("=1+1", "'=1+1"),
        ("+8613812345678", "'+8613812345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("=HYPERLINK(\"http://evil\",\"点我\")", "'=HYPERLINK(\"http://evil\",\"点我\")"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
    ])
    func neutralizesFormulaStarts(input: String, expected: String) {
        #expect(FormulaGuard.neutralize(input) == expected)
    }

    @Test func writesBOMCRLFAndRFC4180QuotingAndNeutralizesText() throws {
        // setup
        let folder = try SheetScratchFolder()
        let url = folder.file("out.csv")
        // act
        let writer = try CSVWriter(url: url)
        try writer.write([.text("姓名"), .text("备注")])
        try writer.write([.text("张,三"), .text("他说\"好\"\n换行"), .text("=1+1"), .number(-5, raw: "-5"),
                          .date(CivilDate(year: 2024, month: 2, day: 29)!), .bool(true), .empty])
        try writer.close()
        // check
        let bytes = Array(try Data(contentsOf: url))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "姓名,备注\r\n\"张,三\",\"他说\"\"好\"\"\n换行\",'=1+1,-5,2024-02-29,TRUE,\r\n")
    }

    @Test func canOmitTheByteOrderMark() throws {
        let folder = try SheetScratchFolder()
        let url = folder.file("plain.csv")
        let writer = try CSVWriter(url: url, byteOrderMark: false)
        try writer.write([.text("a")])
        try writer.close()
        #expect(Array(try Data(contentsOf: url)) == Array("a\r\n".utf8))
    }

    @Test func roundTripsChineseTextThroughTheReader() throws {
        // setup
        let folder = try SheetScratchFolder()
        let url = folder.file("往返.csv")
        let rows: [[String]] = [
            ["姓名", "身份证号", "工作单位", "服务领域"],
            ["张三", "11010519491231002X", "武汉市江岸区\"阳光\"社工服务中心", "养老、儿童;禁毒"],
            ["欧阳·娜娜", "", "第一行\r\n第二行,带逗号", "社区"],
            ["𠀀生僻字", "  前后空格  ", "", "乡村振兴"],
        ]
        // act
        let writer = try CSVWriter(url: url)
        for row in rows { try writer.write(row.map { $0.isEmpty ? .empty : .text($0) }) }
        try writer.close()
        let reader = try CSVRowReader(url: url)
        let back = try readAllRows(reader)
        // check
        #expect(reader.encoding == .utf8BOM)
        #expect(back.map(rowTexts) == rows)
        #expect(back.map(\.number) == [1, 2, 3, 4])
    }
}
