import Foundation

/// A minimal pull scanner for the XML inside XLSX files, working on UTF-8 bytes in chunks.
///
/// Why not `XMLParser`: it is push-based (the reader could not stop between rows to let the importer
/// write to the database) and, on Linux, lives in FoundationXML. This scanner only finds tags, reads
/// attributes on demand and captures text when asked, which is all SpreadsheetML needs. It never expands
/// DTD entities (no “billion laughs”); only the five predefined entities and character references.
final class XMLByteScanner {
    enum TagKind { case open, close, empty }

    enum Failure: Error {
        case malformed(String)
        case textTooLong
    }

    private let input: ChunkedFileInput?
    private var buffer: [UInt8]
    private var position = 0
    private var atEnd: Bool

    /// When true, text between tags (and CDATA) is collected into `text` until `takeText()`.
    var capturing = false
    private(set) var text: [UInt8] = []
    private let maxTextBytes: Int

    /// The current tag's bytes between `<` and `>`, in place in the read buffer (valid until the next
    /// `nextTag()`); its indices are the buffer's, as `attributeRange` returns them.
    var tag: ArraySlice<UInt8> { buffer[tagStart..<tagEnd] }
    private var tagStart = 0, tagEnd = 0
    private var localNameStart = 0, nameEnd = 0
    private var kind = TagKind.open
    private static let maxTagBytes = 1 << 20

    init(input: ChunkedFileInput, maxTextBytes: Int) {
        self.input = input
        self.buffer = []
        self.atEnd = false
        self.maxTextBytes = maxTextBytes
    }

    init(bytes: [UInt8], maxTextBytes: Int) {
        self.input = nil
        self.buffer = bytes
        self.atEnd = true
        self.maxTextBytes = maxTextBytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    // MARK: - Bytes

    /// Makes at least one unread byte available; false at the end of input.
    @inline(__always)
    private func fill() throws -> Bool {
        if position < buffer.count { return true }
        guard !atEnd, let input else { return false }
        buffer.removeAll(keepingCapacity: true)
        position = 0
        if try !input.read(appendingTo: &buffer) { atEnd = true; return false }
        return true
    }

    @inline(__always)
    private func readByte() throws -> UInt8? {
        guard try fill() else { return nil }
        let byte = buffer[position]
        position += 1
        return byte
    }

    private func appendText(_ bytes: ArraySlice<UInt8>) throws {
        if text.count + bytes.count > maxTextBytes { throw Failure.textTooLong }
        text.append(contentsOf: bytes)
    }

    // MARK: - Tags

    /// Advances to the next start, end or empty-element tag, skipping comments, processing instructions
    /// and declarations. nil at the end of input.
    func nextTag() throws -> TagKind? {
        while true {
            guard try fill() else { return nil }
            let lt = UInt8(ascii: "<")
            if let index = buffer[position...].firstIndex(of: lt) {
                if capturing && index > position { try appendText(buffer[position..<index]) }
                position = index + 1
            } else {
                if capturing { try appendText(buffer[position...]) }
                position = buffer.count
                continue
            }
            guard let first = try readByte() else { throw Failure.malformed("文件在标记中间结束") }
            switch first {
            case UInt8(ascii: "?"):
                try skip(until: Array("?>".utf8))
            case UInt8(ascii: "!"):
                try skipDeclaration()
            default:
                try readTag(startingWith: first)
                return kind
            }
        }
    }

    /// Finds the `>` that ends the tag (a `>` inside a quoted attribute value does not). The tag stays in
    /// the read buffer; when it runs past the chunk, the unread rest moves to the front and the next chunk
    /// is appended. This is the reader's hottest loop, hence the unsafe buffer.
    private func readTag(startingWith first: UInt8) throws {
        tagStart = position - 1  // `first` is still in the buffer, just before `position`
        var scanFrom = position
        var quote: UInt8 = 0
        while true {
            let from = scanFrom
            let end: Int? = buffer.withUnsafeBufferPointer { bytes in
                var i = from
                while i < bytes.count {
                    let b = bytes[i]
                    if quote != 0 {
                        if b == quote { quote = 0 }
                    } else if b == UInt8(ascii: ">") {
                        return i
                    } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                        quote = b
                    }
                    i += 1
                }
                return nil
            }
            if let end {
                tagEnd = end
                position = end + 1
                parseTagName()
                return
            }
            // The tag continues in the next chunk.
            guard !atEnd, let input else { throw Failure.malformed("文件在标记中间结束") }
            let kept = buffer.count - tagStart
            if kept > Self.maxTagBytes { throw Failure.malformed("标记过长") }
            buffer.removeSubrange(0..<tagStart)
            tagStart = 0
            scanFrom = kept
            if try !input.read(appendingTo: &buffer) { atEnd = true; throw Failure.malformed("文件在标记中间结束") }
        }
    }

    private func parseTagName() {
        let (start, end) = (tagStart, tagEnd)
        (kind, localNameStart, nameEnd) = buffer.withUnsafeBufferPointer { bytes in
            var kind = TagKind.open
            var i = start
            if i < end, bytes[i] == UInt8(ascii: "/") { kind = .close; i += 1 }
            if kind == .open, end > start, bytes[end - 1] == UInt8(ascii: "/") { kind = .empty }
            var local = i
            while i < end {
                let b = bytes[i]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: "/") { break }
                if b == UInt8(ascii: ":") { local = i + 1 }
                i += 1
            }
            return (kind, local, i)
        }
    }

    /// `<!-- … -->`, `<![CDATA[ … ]]>` (text), `<!DOCTYPE …>` (skipped, internal subset included).
    private func skipDeclaration() throws {
        guard let b1 = try readByte() else { throw Failure.malformed("文件在标记中间结束") }
        if b1 == UInt8(ascii: "-") {
            guard try readByte() == UInt8(ascii: "-") else { throw Failure.malformed("注释格式错误") }
            try skip(until: Array("-->".utf8))
            return
        }
        if b1 == UInt8(ascii: "[") {
            for expected in "CDATA[".utf8 {
                guard try readByte() == expected else { throw Failure.malformed("CDATA 格式错误") }
            }
            try skip(until: Array("]]>".utf8), collectingCDATA: capturing)
            return
        }
        var depth = 0
        while let byte = try readByte() {
            if byte == UInt8(ascii: "[") { depth += 1 }
            else if byte == UInt8(ascii: "]") { depth -= 1 }
            else if byte == UInt8(ascii: ">") && depth <= 0 { return }
        }
        throw Failure.malformed("文件在声明中间结束")
    }

    private func skip(until terminator: [UInt8], collectingCDATA: Bool = false) throws {
        var pending: [UInt8] = []  // bytes that may be the start of the terminator
        while let byte = try readByte() {
            pending.append(byte)
            if pending.count > terminator.count { let dropped = pending.removeFirst(); if collectingCDATA { try appendCDATA(dropped) } }
            if pending == terminator { return }
        }
        throw Failure.malformed("文件在注释或处理指令中间结束")
    }

    private func appendCDATA(_ byte: UInt8) throws {
        // Captured text is entity-decoded later, so a literal & from CDATA is stored escaped.
        if byte == UInt8(ascii: "&") { try appendText(Array("&amp;".utf8)[...]) } else { try appendText([byte][...]) }
    }

    // MARK: - Names and attributes

    /// Compares the local name (namespace prefix ignored): `x:row` and `row` are both `row`.
    @inline(__always)
    func nameIs(_ name: [UInt8]) -> Bool {
        guard nameEnd - localNameStart == name.count else { return false }
        let start = localNameStart
        return buffer.withUnsafeBufferPointer { bytes in
            name.withUnsafeBufferPointer { wanted in
                for k in 0..<wanted.count where bytes[start + k] != wanted[k] { return false }
                return true
            }
        }
    }

    var localName: String { String(decoding: buffer[localNameStart..<nameEnd], as: UTF8.self) }

    /// The range (buffer indices, usable on `tag`) of an attribute's raw value; `name` matches the full
    /// attribute name or its local part.
    func attributeRange(_ name: [UInt8]) -> Range<Int>? {
        let (from, n) = (nameEnd, tagEnd)
        return buffer.withUnsafeBufferPointer { tag in
            name.withUnsafeBufferPointer { wanted in
                func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
                func matches(_ start: Int, _ end: Int) -> Bool {
                    guard end - start == wanted.count else { return false }
                    for k in 0..<wanted.count where tag[start + k] != wanted[k] { return false }
                    return true
                }
                var i = from
                while i < n {
                    while i < n && (isSpace(tag[i]) || tag[i] == UInt8(ascii: "/")) { i += 1 }
                    if i >= n { return nil }
                    let attrStart = i
                    var localStart = i
                    while i < n && tag[i] != UInt8(ascii: "=") && !isSpace(tag[i]) {
                        if tag[i] == UInt8(ascii: ":") { localStart = i + 1 }
                        i += 1
                    }
                    let attrEnd = i
                    while i < n && isSpace(tag[i]) { i += 1 }
                    guard i < n, tag[i] == UInt8(ascii: "=") else { return nil }
                    i += 1
                    while i < n && isSpace(tag[i]) { i += 1 }
                    guard i < n, tag[i] == UInt8(ascii: "\"") || tag[i] == UInt8(ascii: "'") else { return nil }
                    let quote = tag[i]
                    i += 1
                    let valueStart = i
                    while i < n && tag[i] != quote { i += 1 }
                    let valueEnd = min(i, n)
                    i += 1
                    if matches(attrStart, attrEnd) || matches(localStart, attrEnd) { return valueStart..<valueEnd }
                }
                return nil
            }
        }
    }

    func attribute(_ name: [UInt8]) -> String? {
        attributeRange(name).map { Self.decodeEntities(buffer[$0]) }
    }

    // MARK: - Text

    /// The captured text, entities decoded; clears the capture.
    func takeText() -> String {
        defer { text.removeAll(keepingCapacity: true) }
        return Self.decodeEntities(text[...])
    }

    func discardText() { text.removeAll(keepingCapacity: true) }

    static func decodeEntities(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "&"),
                  let semicolon = bytes[i..<min(end, i + 12)].firstIndex(of: UInt8(ascii: ";")) else {
                out.append(b); i += 1; continue
            }
            let name = bytes[(i + 1)..<semicolon]
            var scalar: Unicode.Scalar?
            switch String(decoding: name, as: UTF8.self) {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            case let ref where ref.hasPrefix("#x") || ref.hasPrefix("#X"):
                scalar = UInt32(ref.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            case let ref where ref.hasPrefix("#"):
                scalar = UInt32(ref.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
            default: scalar = nil
            }
            if let scalar {
                out.append(contentsOf: String(Character(scalar)).utf8)
                i = semicolon + 1
            } else {
                out.append(b); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// OOXML escapes characters XML cannot carry as `_xHHHH_` (ECMA-376 ST_Xstring); Excel writes
    /// a carriage return in a cell as `_x000D_`.
    static func decodeOOXMLEscapes(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "_")) else { return text }
        var result = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let first = scalars.first {
            if first == "_", scalars.count >= 7, scalars[scalars.startIndex + 1] == "x", scalars[scalars.startIndex + 6] == "_" {
                let hex = String(String.UnicodeScalarView(scalars[(scalars.startIndex + 2)..<(scalars.startIndex + 6)]))
                if hex.allSatisfy(\.isHexDigit), let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                    result.unicodeScalars.append(scalar)
                    scalars = scalars.dropFirst(7)
                    continue
                }
            }
            result.unicodeScalars.append(first)
            scalars = scalars.dropFirst()
        }
        return result
    }
}
