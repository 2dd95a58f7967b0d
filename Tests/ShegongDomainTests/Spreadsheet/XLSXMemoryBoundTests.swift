import Foundation
import Testing
@testable import ShegongDomain

/// Issue #12 §2: an XLSX upload cannot take the server's memory. A 5.5 MB workbook whose shared
/// strings expanded to 1 GiB (ratio 194, under the old guard of 200) took a server from 98 MB to
/// 1.13 GB for 3.5 minutes; these workbooks must be refused from the ZIP's central directory, or
/// within the shared-string budget, with a message naming the part.
@Suite("XLSX memory bounds")
struct XLSXMemoryBoundTests {
    static let sharedStringsType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    static let workbookRelationships = #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
        + #"<Relationship Id="rId3" Type="\#(sharedStringsType)" Target="sharedStrings.xml"/></Relationships>"#

    /// The parts of a workbook whose one sheet has `rows` rows of one shared-string cell each.
    static func workbookParts(rows: Int) -> [ZipPart] {
        var sheet = #"<worksheet xmlns="\#(XLSXReadingTests.main)"><sheetData>"#
        for row in 1...rows { sheet += #"<row r="\#(row)"><c r="A\#(row)" t="s"><v>\#(row - 1)</v></c></row>"# }
        sheet += "</sheetData></worksheet>"
        return [
            ZipPart(path: "[Content_Types].xml", text: XLSXParts.contentTypes),
            ZipPart(path: "_rels/.rels", text: XLSXParts.rootRelationships),
            ZipPart(path: "xl/workbook.xml", text: XLSXParts.workbook(sheetName: "人才信息采集表")),
            ZipPart(path: "xl/_rels/workbook.xml.rels", text: workbookRelationships),
            ZipPart(path: "xl/worksheets/sheet1.xml", text: sheet),
        ]
    }

    @Test func aSharedStringsPartThatExpandsToOneGibibyteIsRefusedFromTheCentralDirectory() throws {
        // setup: the issue's workbook: an ordinary sheet and a shared-string part of 1 GiB of
        // `<si><t>…</t></si>` deflated at a ratio between the new guard (100) and the old (200)
        let folder = try SheetScratchFolder()
        let url = folder.file("bomb.xlsx")
        try ZipPart.write(Self.workbookParts(rows: 3), to: url)
        let expanded = try BombPart.appendSharedStrings(to: url, expandingTo: 1 << 30)
        let fileSize = try #require(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(expanded >= 1 << 30)
        #expect(fileSize < 10_000_000)
        let ratio = Double(expanded) / Double(fileSize)
        #expect(ratio > 100 && ratio < 200)

        // act + check: refused by the ratio, naming the part
        let error = try #require(throwsSpreadsheetError { _ = try Spreadsheet.openReader(url: url) })
        #expect(error.code == "sheet.xlsx.too_large")
        #expect(error.message.contains("xl/sharedStrings.xml"))
        #expect(error.message(.en).contains("xl/sharedStrings.xml"))

        // and by the absolute size alone when the ratio is allowed: the declared 1 GiB is beyond the
        // shared-string part's 256 MiB, so not a byte is inflated (the data's CRC is not even right)
        let lenient = SpreadsheetLimits(maxCompressionRatio: 10_000)
        let sized = try #require(throwsSpreadsheetError { _ = try XLSXRowReader(url: url, preferredSheet: nil, limits: lenient) })
        #expect(sized.code == "sheet.xlsx.too_large")
        #expect(sized.message.contains("xl/sharedStrings.xml"))
        #expect(sized.message.contains("256 MiB"))
    }

    @Test func sharedStringsBeyondTheMemoryBudgetAreRefusedNamingThePart() throws {
        // setup: 2,000 strings of 100 bytes (about 200 KB of text)
        let folder = try SheetScratchFolder()
        let url = folder.file("many-strings.xlsx")
        var strings = #"<sst xmlns="\#(XLSXReadingTests.main)">"#
        for i in 0..<2_000 { strings += "<si><t>" + String(format: "%05d", i) + String(repeating: "字", count: 31) + "</t></si>" }
        strings += "</sst>"
        try ZipPart.write(Self.workbookParts(rows: 2_000) + [ZipPart(path: "xl/sharedStrings.xml", text: strings)], to: url)

        // act + check: a budget of 100 KB refuses the table, naming its part
        let tight = SpreadsheetLimits(maxSharedStringBytes: 100_000)
        let error = try #require(throwsSpreadsheetError { _ = try XLSXRowReader(url: url, preferredSheet: nil, limits: tight) })
        #expect(error.code == "sheet.xlsx.too_large")
        #expect(error.text.key == "sheet.xlsx.shared_strings_too_large")
        #expect(error.message.contains("xl/sharedStrings.xml"))
        #expect(error.message(.en).contains("shared strings"))

        // a budget that fits reads every row with its own text
        let reader = try XLSXRowReader(url: url, preferredSheet: nil, limits: SpreadsheetLimits(maxSharedStringBytes: 1 << 20))
        let rows = try readAllRows(reader)
        #expect(rows.count == 2_000)
        #expect(rowTexts(rows[0]) == ["00000" + String(repeating: "字", count: 31)])
        #expect(rowTexts(rows[1_999]) == ["01999" + String(repeating: "字", count: 31)])
    }

    @Test func aSharedStringsPartWhoseHeaderUnderstatesItsSizeIsStoppedWhileInflating() throws {
        // setup: 10 MB of spaces in the shared strings whose ZIP headers claim 100 bytes
        let folder = try SheetScratchFolder()
        let url = folder.file("liar.xlsx")
        let size = 10_000_000
        try ZipPart.write(Self.workbookParts(rows: 1) + [
            ZipPart(path: "xl/sharedStrings.xml", size: Int64(size)) { position, length in
                Data(repeating: 0x20, count: min(length, size - Int(position)))
            },
        ], to: url)
        let patched = try BombPart.understate("xl/sharedStrings.xml", in: url, as: 100)
        #expect(patched == 2)
        // act + check
        let error = try #require(throwsSpreadsheetError { _ = try XLSXRowReader(url: url, preferredSheet: nil) })
        #expect(error.code == "sheet.xlsx.too_large")
        #expect(error.message.contains("xl/sharedStrings.xml"))
    }

    @Test func theDefaultRatioGuardIsOneHundred() {
        #expect(SpreadsheetLimits().maxCompressionRatio == 100)
        #expect(SpreadsheetLimits().maxSharedStringBytes == 64 << 20)
    }
}

func throwsSpreadsheetError(_ body: () throws -> Void) -> SpreadsheetError? {
    do {
        try body()
        return nil
    } catch let error as SpreadsheetError {
        return error
    } catch {
        Issue.record("expected a SpreadsheetError, got \(error)")
        return nil
    }
}

/// Builds the shared-string part of a zip bomb without deflating a gibibyte: a deflate stream
/// written by hand (RFC 1951, one block with the fixed Huffman codes) whose body is one 64-byte
/// `<si><t>…</t></si>` literally, then back-references of 258 bytes at distance 64 repeating it.
/// 32 references take exactly 68 bytes, so after the first groups the stream is one 68-byte group
/// repeated. The entry is appended to a ZIPFoundation-written workbook.
enum BombPart {
    struct BitWriter {
        var bytes: [UInt8] = []
        var accumulator: UInt32 = 0
        var count = 0
        /// `value`'s low `bits` bits, least significant first (extra bits, header fields).
        mutating func write(_ value: UInt32, bits: Int) {
            accumulator |= value << UInt32(count)
            count += bits
            while count >= 8 {
                bytes.append(UInt8(accumulator & 0xFF))
                accumulator >>= 8
                count -= 8
            }
        }
        /// A Huffman code, most significant bit first.
        mutating func code(_ value: UInt32, bits: Int) {
            var reversed: UInt32 = 0
            for i in 0..<bits where value & (1 << UInt32(i)) != 0 { reversed |= 1 << UInt32(bits - 1 - i) }
            write(reversed, bits: bits)
        }
        mutating func literal(_ byte: UInt8) {
            if byte < 144 { code(0x30 + UInt32(byte), bits: 8) } else { code(0x190 + UInt32(byte) - 144, bits: 9) }
        }
        /// Length 258 (symbol 285), distance 64 (code 11, extra 15).
        mutating func repeatPattern() {
            code(0xC0 + 5, bits: 8)
            code(11, bits: 5)
            write(15, bits: 4)
        }
        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(accumulator & 0xFF)) }
            accumulator = 0
            count = 0
            return bytes
        }
    }

    /// Appends `xl/sharedStrings.xml` of at least `size` bytes; returns its uncompressed size.
    static func appendSharedStrings(to url: URL, expandingTo size: Int) throws -> Int {
        let head = Array(#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="\#(XLSXReadingTests.main)">"#.utf8)
        let pattern = Array(("<si><t>" + String(repeating: "x", count: 48) + "</t></si>").utf8)
        let tail = Array("</sst>".utf8)
        precondition(pattern.count == 64)
        let groups = size / (32 * 258) + 1
        var writer = BitWriter()
        writer.write(1, bits: 1)  // BFINAL
        writer.write(1, bits: 2)  // BTYPE 01: fixed Huffman codes
        for byte in head + pattern { writer.literal(byte) }
        for _ in 0..<32 { writer.repeatPattern() }
        let before = writer.bytes.count
        for _ in 0..<32 { writer.repeatPattern() }
        let group = Array(writer.bytes[before...])
        precondition(group.count == 68)
        var stream = writer.bytes
        stream.reserveCapacity(stream.count + groups * 68 + 16)
        for _ in 2..<groups { stream.append(contentsOf: group) }
        writer.bytes = []
        for byte in tail { writer.literal(byte) }
        writer.code(0, bits: 7)  // end of block
        stream += writer.finish()
        let uncompressed = head.count + pattern.count + groups * 32 * 258 + tail.count
        try appendEntry("xl/sharedStrings.xml", deflated: stream, uncompressedSize: uncompressed, to: url)
        return uncompressed
    }

    /// Adds a deflated entry (CRC 0: the readers must refuse it before they could check one) before
    /// the central directory of the ZIP at `url`, and rewrites the directory with it.
    static func appendEntry(_ path: String, deflated: [UInt8], uncompressedSize: Int, to url: URL) throws {
        var zip = Array(try Data(contentsOf: url))
        let end = try #require(lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: zip))
        func u16(_ at: Int) -> Int { Int(zip[at]) | Int(zip[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let entries = u16(end + 10), directorySize = u32(end + 12), directoryOffset = u32(end + 16)
        let directory = Array(zip[directoryOffset..<(directoryOffset + directorySize)])
        zip.removeSubrange(directoryOffset...)
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        let name = Array(path.utf8)
        let localOffset = zip.count
        let common = le(20, 2) + le(0, 2) + le(8, 2) + le(0, 2) + le(0x21, 2) + le(0, 4)
            + le(deflated.count, 4) + le(uncompressedSize, 4) + le(name.count, 2) + le(0, 2)
        zip += [0x50, 0x4B, 0x03, 0x04] + common + name + deflated
        let newDirectoryOffset = zip.count
        zip += directory
        zip += [0x50, 0x4B, 0x01, 0x02] + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(localOffset, 4) + name
        let newDirectorySize = zip.count - newDirectoryOffset
        zip += [0x50, 0x4B, 0x05, 0x06] + le(0, 2) + le(0, 2) + le(entries + 1, 2) + le(entries + 1, 2)
            + le(newDirectorySize, 4) + le(newDirectoryOffset, 4) + le(0, 2)
        try Data(zip).write(to: url)
    }

    /// Sets the uncompressed size of `path` in its local and central headers to `size`; returns how
    /// many headers were patched.
    static func understate(_ path: String, in url: URL, as size: UInt32) throws -> Int {
        var bytes = Array(try Data(contentsOf: url))
        let name = Array(path.utf8)
        var patched = 0
        for i in 0..<(bytes.count - 46 - name.count) {
            let isLocal = bytes[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x03, 0x04]) && bytes[(i + 30)..<(i + 30 + name.count)].elementsEqual(name)
            let isCentral = bytes[i..<(i + 4)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) && bytes[(i + 46)..<(i + 46 + name.count)].elementsEqual(name)
            guard isLocal || isCentral else { continue }
            let sizeOffset = i + (isLocal ? 22 : 24)
            bytes.replaceSubrange(sizeOffset..<(sizeOffset + 4), with: (0..<4).map { UInt8((size >> (8 * UInt32($0))) & 0xFF) })
            patched += 1
        }
        try Data(bytes).write(to: url)
        return patched
    }

    static func lastIndex(of signature: [UInt8], in bytes: [UInt8]) -> Int? {
        var i = bytes.count - signature.count
        while i >= 0 {
            if bytes[i..<(i + signature.count)].elementsEqual(signature) { return i }
            i -= 1
        }
        return nil
    }
}
