import Vapor

/// A value an answer writes field by field (`JSONText`) instead of through `Encodable`: the
/// busiest answers (the people page, the census statistics), whose Codable encoding was a seventh
/// of a people list's CPU (docs/benchmarks.md, "The people list's page in one statement and its
/// JSON written directly"). `write(to:)` must give the bytes that
/// `JSONResponse.encoder` gives for the same value; `JSONTextTests` holds every conformance to that.
protocol JSONWritable: Encodable {
    func write(to json: inout JSONText)
}

/// JSON written straight into a buffer, as `JSONResponse.encoder` writes it: keys in byte order
/// (the caller writes them so; a debug build checks), no spaces, `/` unescaped, `"` `\` and the
/// control characters escaped as Foundation escapes them, other characters as UTF-8, and an
/// optional that is nil left out, as the synthesised `Encodable` leaves it out.
struct JSONText {
    private(set) var buffer: ByteBuffer
    /// Whether the next key or element follows another in the same object or array.
    private var followsValue = false
    #if DEBUG
    private var keys: [StaticString] = []
    #endif

    init(capacity: Int = 4_096) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    static func bytes(of value: some JSONWritable) -> ByteBuffer {
        var json = JSONText()
        value.write(to: &json)
        return json.buffer
    }

    mutating func object(_ fields: (inout JSONText) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        followsValue = false
        #if DEBUG
        let outer = keys
        keys = []
        #endif
        fields(&self)
        #if DEBUG
        keys = outer
        #endif
        buffer.writeInteger(UInt8(ascii: "}"))
        followsValue = true
    }

    mutating func array<Elements: Sequence>(_ elements: Elements, _ element: (inout JSONText, Elements.Element) -> Void) {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        followsValue = false
        for value in elements { element(&self, value) }
        buffer.writeInteger(UInt8(ascii: "]"))
        followsValue = true
    }

    mutating func field(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        name(key)
        string(value)
    }

    mutating func field(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        name(key)
        buffer.writeString(String(value))
        followsValue = true
    }

    mutating func field(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        name(key)
        buffer.writeStaticString(value ? "true" : "false")
        followsValue = true
    }

    /// As Foundation writes a finite `Double`: its shortest round-trip text, without a trailing ".0".
    /// A value that is not finite (a ratio over nothing) is left out like nil, where the encoder
    /// would refuse the whole answer: such a ratio is "no data", and one bad figure must not take
    /// a server's process down (a failed precondition would) nor every other figure with it.
    mutating func field(_ key: StaticString, _ value: Double?) {
        guard let value, value.isFinite else { return }
        name(key)
        let text = value.description
        buffer.writeString(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
        followsValue = true
    }

    mutating func field(_ key: StaticString, _ values: [String]) {
        name(key)
        array(values) { json, value in json.string(value) }
    }

    mutating func field(_ key: StaticString, _ values: [some JSONWritable]) {
        name(key)
        array(values) { json, value in value.write(to: &json) }
    }

    mutating func field(_ key: StaticString, _ value: some JSONWritable) {
        name(key)
        value.write(to: &self)
    }

    mutating func string(_ value: String) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        if value.utf8.contains(where: Self.mustEscape) {
            for byte in value.utf8 { escaped(byte) }
        } else {
            buffer.writeString(value)
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        followsValue = true
    }

    private mutating func name(_ key: StaticString) {
        #if DEBUG
        if let last = keys.last {
            assert(Self.precedes(last, key), "JSONText: key \(key) written after \(last), not in byte order")
        }
        keys.append(key)
        #endif
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(key)
        buffer.writeStaticString("\":")
        followsValue = false
    }

    private mutating func separate() {
        if followsValue { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    private static func mustEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escaped(_ byte: UInt8) {
        guard Self.mustEscape(byte) else {
            buffer.writeInteger(byte)
            return
        }
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x09: buffer.writeStaticString("\\t")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0D: buffer.writeStaticString("\\r")
        default:
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
            buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    #if DEBUG
    private static func precedes(_ a: StaticString, _ b: StaticString) -> Bool {
        a.withUTF8Buffer { a in b.withUTF8Buffer { b in a.lexicographicallyPrecedes(b) } }
    }
    #endif
}
