import Foundation

/// CSV injection guard (OWASP “CSV Injection”): Excel and WPS run a cell that starts with
/// `=`, `+`, `-` or `@` as a formula, and TAB or CR can hide such a start. A leading apostrophe makes it text.
public enum FormulaGuard {
    static let dangerousFirst: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    public static func neutralize(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, dangerousFirst.contains(first) else { return text }
        return "'" + text
    }
}

/// Writes CSV that Excel opens correctly in a Chinese locale: UTF-8 with a byte-order mark by default
/// (without it Excel assumes GB18030 and garbles the text), CRLF line ends, RFC 4180 quoting.
/// Every text cell goes through `FormulaGuard.neutralize`.
public final class CSVWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var closed = false
    private static let flushThreshold = 64 * 1024

    public init(url: URL, byteOrderMark: Bool = true) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SpreadsheetError(code: "sheet.write_failed", "\(url.path)")
        }
        do { handle = try FileHandle(forWritingTo: url) } catch { throw SpreadsheetError.io(error, writing: true) }
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        if byteOrderMark { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    public func write(_ cells: [SpreadsheetCell]) throws {
        guard !closed else { throw SpreadsheetError(code: "sheet.write_failed", text: .init("sheet.write_failed.csv_closed")) }
        for (index, cell) in cells.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            let text: String
            switch cell {
            case .text(let value): text = FormulaGuard.neutralize(value)
            default: text = cell.text
            }
            appendField(text)
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try flush()
        do { try handle.close() } catch { throw SpreadsheetError.io(error, writing: true) }
    }

    deinit {
        if !closed { try? flush(); try? handle.close() }
    }

    private func appendField(_ text: String) {
        let utf8 = text.utf8
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { buffer.append(contentsOf: utf8); return }
        buffer.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch { throw SpreadsheetError.io(error, writing: true) }
        buffer.removeAll(keepingCapacity: true)
    }
}
