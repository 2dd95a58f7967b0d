import Foundation

/// One cell as a spreadsheet reader delivers it. CSV cells are always `.text` (or `.empty`);
/// XLSX cells keep their type so a date cell arrives as a date and a number as a number.
public enum SpreadsheetCell: Hashable, Sendable {
    case empty
    case text(String)
    /// `raw` is the number exactly as stored in the file (`13812345678`, `4.2E+17`).
    case number(Double, raw: String)
    case date(CivilDate)
    case bool(Bool)

    /// The cell as a person would read it: text as is, integral numbers without a decimal point,
    /// dates as `YYYY-MM-DD`.
    public var text: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .number(let value, let raw):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return raw
        case .date(let d): return d.description
        case .bool(let b): return b ? "TRUE" : "FALSE"
        }
    }

    public var isEmpty: Bool {
        if case .empty = self { return true }
        if case .text(let s) = self { return s.unicodeScalars.allSatisfy(CharacterSet.whitespacesAndNewlines.contains) }
        return false
    }
}

/// A row of a sheet. `number` is the row number a person sees in Excel or in the CSV file
/// (1 = the header row), so error reports can point at it.
public struct SpreadsheetRow: Sendable, Equatable {
    public let number: Int
    public let cells: [SpreadsheetCell]

    public init(number: Int, cells: [SpreadsheetCell]) {
        self.number = number
        self.cells = cells
    }

    public subscript(column: Int) -> SpreadsheetCell {
        column < cells.count ? cells[column] : .empty
    }
}
