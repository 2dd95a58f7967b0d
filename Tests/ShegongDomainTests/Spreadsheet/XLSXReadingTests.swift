import Foundation
import Testing
@testable import ShegongDomain

@Suite("XLSX reading")
struct XLSXReadingTests {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    @Test func readsAWorkbookWrittenByOpenpyxl() throws {
        // setup: the census sheet is the second sheet; strings are shared strings; one rich-text cell
        let folder = try SheetScratchFolder()
        let url = folder.file("openpyxl.xlsx")
        _ = try runSheetPython("""
        import sys, datetime, openpyxl
        wb = openpyxl.Workbook()
        notes = wb.active
        notes.title = "填表说明"
        notes["A1"] = "请勿修改表头"
        ws = wb.create_sheet("人才信息采集表")
        ws.append(["姓名", "身份证号", "手机号", "发证日期", "工作年限"])
        ws.append(["张三", "11010519491231002X", 13812345678, datetime.date(2021, 6, 19), 3.5])
        ws["A5"] = "李四 & <王五>"
        ws["D5"] = datetime.datetime(2019, 12, 31)
        ws["E5"] = True
        try:
            from openpyxl.cell.rich_text import CellRichText, TextBlock
            from openpyxl.cell.text import InlineFont
            ws["B5"] = CellRichText(["前", TextBlock(InlineFont(b=True), "粗体"), "后"])
        except ImportError:
            ws["B5"] = "前粗体后"
        wb.save(sys.argv[1])
        """, [url.path])
        // act
        let reader = try XLSXRowReader(url: url, preferredSheet: "人才信息采集表")
        let rows = try readAllRows(reader)
        // check
        #expect(reader.sheetName == "人才信息采集表")
        #expect(reader.sheetNames == ["填表说明", "人才信息采集表"])
        #expect(rows.map(\.number) == [1, 2, 5])
        #expect(rowTexts(rows[0]) == ["姓名", "身份证号", "手机号", "发证日期", "工作年限"])
        #expect(rows[1].cells == [.text("张三"), .text("11010519491231002X"), .number(13812345678, raw: "13812345678"),
                                  .date(CivilDate(year: 2021, month: 6, day: 19)!), .number(3.5, raw: "3.5")])
        #expect(rows[2].cells == [.text("李四 & <王五>"), .text("前粗体后"), .empty,
                                  .date(CivilDate(year: 2019, month: 12, day: 31)!), .bool(true)])

        // Without a preferred sheet, or when it is missing, the first sheet is read.
        for preferred in [nil, "不存在"] as [String?] {
            let first = try XLSXRowReader(url: url, preferredSheet: preferred)
            #expect(first.sheetName == "填表说明")
            #expect(try readAllRows(first).map(rowTexts) == [["请勿修改表头"]])
        }
    }

    @Test func decodesTheSpreadsheetMLFeaturesExcelAndOtherToolsUse() throws {
        // setup: prefixed namespace, comments, rich text with phonetic runs, formula strings, entities,
        // errors, booleans, custom and built-in date formats, missing r attributes, CDATA, row gaps.
        let folder = try SheetScratchFolder()
        let url = folder.file("features.xlsx")
        let sheet = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <!-- a comment with <row r="99"> inside -->
        <x:worksheet xmlns:x="\(Self.main)"><x:dimension ref="A1:J6"/><x:sheetData>
        <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>1</x:v></x:c></x:row>
        <x:row r="3" spans="1:10">
          <x:c r="A3" t="inlineStr"><x:is><x:r><x:t>中</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve"> 文 </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ちゅう</x:t></x:rPh></x:is></x:c>
          <x:c r="B3" t="str"><x:f>A3&amp;"!"</x:f><x:v>&#x4E2D;&#20013;&amp;&lt;&gt;&quot;&apos;</x:v></x:c>
          <x:c r="C3" t="b"><x:v>0</x:v></x:c>
          <x:c r="D3" t="e"><x:v>#N/A</x:v></x:c>
          <x:c r="E3" s="1"><x:v>45000</x:v></x:c>
          <x:c r="F3" s='2'><x:v>45000.75</x:v></x:c>
          <x:c r="G3" s="3"><x:v>44927</x:v></x:c>
          <x:c r="H3" s="4"><x:v>1.5E+3</x:v></x:c>
          <x:c r="I3"/>
          <x:c r="J3" s="1"></x:c>
        </x:row>
        <x:row r="4"><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c><x:c t="inlineStr"><x:is><x:t><![CDATA[a<b&c]]></x:t></x:is></x:c></x:row>
        <x:row r="6"/>
        </x:sheetData></x:worksheet>
        """
        let shared = """
        <?xml version="1.0" encoding="UTF-8"?>
        <sst xmlns="\(Self.main)" count="2" uniqueCount="2"><si><t>姓名</t></si>\
        <si><r><t>身份</t></r><r><rPr><b/></rPr><t>证号_x000D_</t></r></si></sst>
        """
        let styles = """
        <?xml version="1.0" encoding="UTF-8"?>
        <styleSheet xmlns="\(Self.main)"><numFmts count="2">\
        <numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>\
        <numFmt numFmtId="165" formatCode="0.00_);[Red]\\(0.00\\)"/></numFmts>\
        <cellStyleXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellStyleXfs>\
        <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="165"/></cellXfs>\
        </styleSheet>
        """
        try makeTestWorkbook(at: url, sheetXML: sheet, sharedStrings: shared, styles: styles)
        // act
        let rows = try readAllRows(try XLSXRowReader(url: url, preferredSheet: "人才信息采集表"))
        // check
        let march15 = CivilDate(year: 2023, month: 3, day: 15)!
        #expect(rows.map(\.number) == [1, 3, 4, 6])
        #expect(rows[0].cells == [.text("姓名"), .empty, .text("身份证号\r")])
        #expect(rows[1].cells == [.text("中 文 "), .text("中中&<>\"'"), .bool(false), .text("#N/A"), .date(march15), .date(march15),
                                  .date(CivilDate(year: 2023, month: 1, day: 1)!), .number(1500, raw: "1.5E+3")])
        #expect(rows[2].cells == [.number(1, raw: "1"), .number(2, raw: "2"), .text("a<b&c")])
        #expect(rows[3].cells == [])
    }

    @Test func honoursThe1904DateSystem() throws {
        let folder = try SheetScratchFolder()
        let url = folder.file("mac.xlsx")
        try makeTestWorkbook(
            at: url,
            sheetXML: #"<worksheet xmlns="\#(Self.main)"><sheetData><row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43464</v></c></row></sheetData></worksheet>"#,
            styles: #"<styleSheet xmlns="\#(Self.main)"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#,
            workbook: #"<workbook xmlns="\#(Self.main)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#)
        let rows = try readAllRows(try XLSXRowReader(url: url, preferredSheet: nil))
        #expect(rows[0].cells == [.date(CivilDate(year: 1904, month: 1, day: 1)!), .date(CivilDate(year: 2022, month: 12, day: 31)!)])
    }

    @Test(arguments: [
        ("yyyy-mm-dd", true), ("yyyy/m/d", true), ("m/d/yy", true), ("d-mmm", true), ("mmm-yy", true),
        (#"yyyy"年"m"月"d"日""#, true), ("[$-F800]dddd, mmmm dd, yyyy", true), ("[DBNum1][$-804]yyyy\"年\"m\"月\"", true),
        ("General", false), ("0.00", false), ("#,##0", false), (#"0.00_);[Red]\(0.00\)"#, false), ("@", false),
        ("h:mm:ss", false), ("[h]:mm", false), ("[mm]:ss", false), (#"#,##0" 元""#, false), (#"0"d""#, false),
    ])
    func recognisesDateFormatCodes(code: String, isDate: Bool) {
        #expect(XLSXRowReader.isDateFormat(code: code) == isDate)
    }

    @Test func refusesMoreColumnsThanTheLimitButIgnoresEmptyStyledCellsFarRight() throws {
        let folder = try SheetScratchFolder()
        let url = folder.file("wide.xlsx")
        try makeTestWorkbook(at: url, sheetXML: """
        <worksheet xmlns="\(Self.main)"><sheetData>\
        <row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="XFD1" s="0"/></row>\
        <row r="2"><c r="A2"><v>1</v></c><c r="KN2"><v>2</v></c></row>\
        </sheetData></worksheet>
        """)
        let reader = try XLSXRowReader(url: url, preferredSheet: nil)
        #expect(try reader.next()?.cells == [.text("a")])
        expectSpreadsheetError("sheet.too_many_columns", row: 2) { _ = try reader.next() }
    }

    @Test func decidesTheFormatByContentNotByName() throws {
        let folder = try SheetScratchFolder()
        let realXLSX = folder.file("导出.xlsx")
        let writer = try XLSXWriter(url: realXLSX, sheetName: "人才信息采集表")
        try writer.write([.text("姓名")])
        try writer.close()
        let misnamed = folder.file("其实是xlsx.csv")
        try FileManager.default.copyItem(at: realXLSX, to: misnamed)

        let fromMisnamed = try Spreadsheet.openReader(url: misnamed)
        #expect(fromMisnamed is XLSXRowReader)
        #expect(try readAllRows(fromMisnamed).map(rowTexts) == [["姓名"]])

        let text = try folder.write("名单.txt", text: "姓名\n张三\n")
        #expect(try Spreadsheet.openReader(url: text) is CSVRowReader)

        let fake = try folder.write("伪装.xlsx", text: "姓名,身份证号\n张三,1\n")
        expectSpreadsheetError("sheet.xlsx.corrupt") { _ = try Spreadsheet.openReader(url: fake) }

        #expect(SpreadsheetFormat.forFile(URL(fileURLWithPath: "/a/B.XLSX")) == .xlsx)
        #expect(SpreadsheetFormat.forFile(URL(fileURLWithPath: "/a/b.txt")) == .csv)
        #expect(SpreadsheetFormat.forFile(URL(fileURLWithPath: "/a/b.xls")) == nil)
    }
}

@Suite("XLSX damage and zip bombs")
struct XLSXDamageTests {
    static func sampleWorkbook(in folder: SheetScratchFolder, rows: Int = 300) throws -> URL {
        let url = folder.file("sample.xlsx")
        let writer = try XLSXWriter(url: url, sheetName: "人才信息采集表")
        try writer.write([.text("姓名"), .text("身份证号"), .text("发证日期")])
        for i in 0..<rows {
            try writer.write([.text("测试人员\(i)"), .text("4201061990010\(10000 + i)"), .date(CivilDate(year: 2020, month: 1, day: 1)!.adding(days: i))])
        }
        try writer.close()
        return url
    }

    @Test func truncatedWorkbookIsCorrupt() throws {
        let folder = try SheetScratchFolder()
        let bytes = Array(try Data(contentsOf: try Self.sampleWorkbook(in: folder)))
        for keep in [bytes.count / 2, bytes.count - 30, 100] {
            let url = try folder.write("cut\(keep).xlsx", bytes: Array(bytes.prefix(keep)))
            expectSpreadsheetError("sheet.xlsx.corrupt") { _ = try readAllRows(try Spreadsheet.openReader(url: url)) }
        }
    }

    /// Issue #18: an Excel 97–2003 file was told its "encoding is not UTF-8"; whatever its name, it is
    /// now recognised and the message says to save it as .xlsx.
    @Test func anOldExcelWorkbookIsToldToBeSavedAsXLSX() throws {
        let folder = try SheetScratchFolder()
        let header = Spreadsheet.compoundFileMagic + Array(repeating: 0, count: 504)
        for name in ["采集表.xls", "采集表.csv", "采集表.xlsx"] {
            let url = try folder.write(name, bytes: header)
            expectSpreadsheetError("sheet.xls") { _ = try Spreadsheet.openReader(url: url) }
        }
    }

    @Test func randomBytesNamedXLSXAreCorrupt() throws {
        let folder = try SheetScratchFolder()
        var generator = SheetTestRandom(seed: 42)
        let noise = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let plain = try folder.write("noise.xlsx", bytes: noise)
        let zipLike = try folder.write("zipnoise.xlsx", bytes: Spreadsheet.zipMagic + noise)
        expectSpreadsheetError("sheet.xlsx.corrupt") { _ = try Spreadsheet.openReader(url: plain) }
        expectSpreadsheetError("sheet.xlsx.corrupt") { _ = try XLSXRowReader(url: plain, preferredSheet: nil) }
        expectSpreadsheetError("sheet.xlsx.corrupt") { _ = try Spreadsheet.openReader(url: zipLike) }
    }

    @Test func aSheetCutOffInsideARowIsCorruptAndNamesTheRow() throws {
        let folder = try SheetScratchFolder()
        let url = folder.file("cut-sheet.xlsx")
        try makeTestWorkbook(at: url, sheetXML: #"<worksheet xmlns="\#(XLSXReadingTests.main)"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2"#)
        let reader = try XLSXRowReader(url: url, preferredSheet: nil)
        #expect(try reader.next()?.number == 1)
        expectSpreadsheetError("sheet.xlsx.corrupt", row: 2) { _ = try reader.next() }
    }

    @Test func damagedBytesNeverCrashTheReader() throws {
        // Flip bytes all over a real workbook: every outcome must be rows or a SpreadsheetError.
        let folder = try SheetScratchFolder()
        let original = Array(try Data(contentsOf: try Self.sampleWorkbook(in: folder, rows: 30)))
        var generator = SheetTestRandom(seed: 7)
        for attempt in 0..<300 {
            var bytes = original
            for _ in 0..<3 {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            let url = try folder.write("damaged\(attempt).xlsx", bytes: bytes)
            do {
                _ = try readAllRows(try Spreadsheet.openReader(url: url))
            } catch is SpreadsheetError {
                // expected for most damage
            } catch {
                Issue.record("attempt \(attempt): not a SpreadsheetError: \(error)")
            }
            try? FileManager.default.removeItem(at: url)
        }
    }

    @Test func aZipBombIsRefusedByTheRatioGuard() throws {
        // setup: a sheet part of 50 MB of spaces deflates to about 50 KB (ratio ≈ 1000)
        let folder = try SheetScratchFolder()
        let url = folder.file("bomb.xlsx")
        let head = Array(#"<worksheet xmlns="\#(XLSXReadingTests.main)">"#.utf8)
        let tail = Array("<sheetData/></worksheet>".utf8)
        let spaces = 50_000_000
        let total = head.count + spaces + tail.count
        let sheet = ZipPart(path: "xl/worksheets/sheet1.xml", size: Int64(total)) { position, length in
            let start = Int(position), end = min(total, start + length)
            return Data((start..<end).map { i in
                i < head.count ? head[i] : i >= head.count + spaces ? tail[i - head.count - spaces] : 0x20
            })
        }
        try ZipPart.write([
            ZipPart(path: "[Content_Types].xml", text: XLSXParts.contentTypes),
            ZipPart(path: "_rels/.rels", text: XLSXParts.rootRelationships),
            ZipPart(path: "xl/workbook.xml", text: XLSXParts.workbook(sheetName: "人才信息采集表")),
            ZipPart(path: "xl/_rels/workbook.xml.rels", text: XLSXParts.workbookRelationships),
            sheet,
        ], to: url)
        let compressedSize = try #require(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(compressedSize < 1_000_000)
        // act + check
        expectSpreadsheetError("sheet.xlsx.too_large") { _ = try Spreadsheet.openReader(url: url) }
        // The same file is accepted when the ratio limit allows it (the guard, not damage, refused it).
        let lenient = try XLSXRowReader(url: url, preferredSheet: nil, limits: SpreadsheetLimits(maxCompressionRatio: 5_000))
        #expect(try lenient.next() == nil)
    }

    @Test func aPartThatInflatesBeyondItsDeclaredSizeIsRefused() throws {
        // setup: 10 MB of spaces whose ZIP headers claim 100 bytes, so the size and ratio checks pass
        // and only counting the bytes actually inflated can catch it.
        let folder = try SheetScratchFolder()
        let url = folder.file("liar.xlsx")
        let spaces = 10_000_000
        try ZipPart.write([
            ZipPart(path: "[Content_Types].xml", text: XLSXParts.contentTypes),
            ZipPart(path: "_rels/.rels", text: XLSXParts.rootRelationships),
            ZipPart(path: "xl/workbook.xml", text: XLSXParts.workbook(sheetName: "人才信息采集表")),
            ZipPart(path: "xl/_rels/workbook.xml.rels", text: XLSXParts.workbookRelationships),
            ZipPart(path: "xl/worksheets/sheet1.xml", size: Int64(spaces)) { position, length in
                Data(repeating: 0x20, count: min(length, spaces - Int(position)))
            },
        ], to: url)
        var bytes = Array(try Data(contentsOf: url))
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        var patched = 0
        for i in 0..<(bytes.count - 46 - name.count) {
            let isLocal = bytes[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x03, 0x04]) && bytes[(i + 30)..<(i + 30 + name.count)].elementsEqual(name)
            let isCentral = bytes[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) && bytes[(i + 46)..<(i + 46 + name.count)].elementsEqual(name)
            guard isLocal || isCentral else { continue }
            let sizeOffset = i + (isLocal ? 22 : 24)
            bytes.replaceSubrange(sizeOffset..<(sizeOffset + 4), with: [100, 0, 0, 0])
            patched += 1
        }
        #expect(patched == 2)
        try Data(bytes).write(to: url)
        // act + check
        expectSpreadsheetError("sheet.xlsx.too_large") { _ = try XLSXRowReader(url: url, preferredSheet: nil) }
    }

    @Test func aPartLargerThanTheSizeLimitIsRefused() throws {
        let folder = try SheetScratchFolder()
        let url = try Self.sampleWorkbook(in: folder)
        expectSpreadsheetError("sheet.xlsx.too_large") {
            _ = try XLSXRowReader(url: url, preferredSheet: nil, limits: SpreadsheetLimits(maxUncompressedBytes: 4_000))
        }
    }
}

/// Deterministic generator for damage tests (STYLE: no unseeded randomness in tests).
struct SheetTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
