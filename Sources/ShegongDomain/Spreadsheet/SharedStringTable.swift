import Foundation

/// A workbook's shared-string table, held within a fixed memory budget.
///
/// Excel stores every text cell as an index into this table, so it is the one part of an XLSX that
/// a reader must keep while the rows stream past. The strings are kept as one UTF-8 byte buffer and
/// one end offset each (4 bytes), not as a `String` each (16 bytes plus a heap object for any string
/// over 15 bytes): a 1,000,000-row census saved by Excel (names, ID numbers, mobiles, certificate
/// numbers, about 70 bytes a row) fits in the default 64 MiB. A table that would pass the budget is
/// refused while it is read, naming the part, instead of taking the server's memory with it.
struct SharedStringTable {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []
    /// Bytes of text plus 4 per string, the most this table may hold.
    let budget: Int64
    let part: String

    init(part: String, budget: Int64) {
        self.part = part
        self.budget = budget
    }

    var count: Int { ends.count }

    /// The memory the table accounts for: its text and one offset per string.
    var accountedBytes: Int64 { Int64(bytes.count) + 4 * Int64(ends.count) }

    /// Whether `extra` more bytes of text (of a string not yet appended) still fit.
    func fits(pending extra: Int) -> Bool { accountedBytes + Int64(extra) + 4 <= budget }

    mutating func append(_ text: String) throws {
        guard fits(pending: text.utf8.count) else { throw SpreadsheetError.sharedStringsTooLarge(part: part, budget: budget) }
        bytes.append(contentsOf: text.utf8)
        ends.append(UInt32(bytes.count))
    }

    func contains(_ index: Int) -> Bool { index >= 0 && index < ends.count }

    /// The string at `index` (which must be `contains`ed).
    subscript(index: Int) -> String {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        let end = Int(ends[index])
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    func isEmpty(at index: Int) -> Bool {
        (index == 0 ? 0 : ends[index - 1]) == ends[index]
    }
}
