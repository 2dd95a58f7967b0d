import Foundation

/// Where each template column sits in a particular file. Column order is free (docs/conventions.md §5), so a
/// file's header row is mapped once and every data row is read through the map.
public struct CensusHeader: Sendable, Equatable {
    /// 0-based cell index of each column the file has. Optional columns may be absent.
    public let indexes: [CensusColumn: Int]
    /// 0-based cell indexes of the file's columns that an import reads past (`informationalHeaders`).
    public let ignored: Set<Int>
    /// The cell indexes a row is read through or read past (`indexes` and `ignored`), worked out once
    /// for the file rather than for every row.
    let known: Set<Int>

    private init(indexes: [CensusColumn: Int], ignored: Set<Int> = []) {
        self.indexes = indexes
        self.ignored = ignored
        self.known = ignored.union(indexes.values)
    }

    /// Columns an export adds for people to read and an import reads past: 地区名称, the name of
    /// the region beside its 地区代码 (the code decides; a name may have changed since the export).
    public static let regionNameHeader = "地区名称"
    public static let informationalHeaders: Set<String> = [regionNameHeader]

    /// All 14 columns in the template's order, as exports and the blank template write them.
    public static let standard = CensusHeader(
        indexes: Dictionary(uniqueKeysWithValues: CensusColumn.allCases.enumerated().map { ($1, $0) }))

    /// The 证书等级 value meaning "no certificate".
    public static let noCertificate = "无"

    /// The columns this file has, in the file's order.
    public var columns: [CensusColumn] {
        indexes.sorted { $0.value < $1.value }.map(\.key)
    }

    /// Maps the header row: exact Chinese headers (spaces and a leading BOM U+FEFF trimmed), any
    /// column order. Reports every unknown header (naming it), every duplicate, every missing
    /// required column, or an empty header row. Empty header cells are ignored; a data row with
    /// content under such a column is reported by `record(from:today:)`.
    public static func parse(_ row: SpreadsheetRow) -> Result<CensusHeader, [CensusIssue]> {
        var indexes: [CensusColumn: Int] = [:], ignored: Set<Int> = []
        var issues: [CensusIssue] = []
        var unknown: [(index: Int, text: String)] = []
        var nonEmpty = 0

        for (index, cell) in row.cells.enumerated() {
            let text = headerText(cell)
            if text.isEmpty { continue }
            nonEmpty += 1
            if informationalHeaders.contains(text) {
                ignored.insert(index)
                continue
            }
            guard let column = CensusColumn(rawValue: text) else {
                unknown.append((index, text))
                continue
            }
            if let first = indexes[column] {
                issues.append(CensusIssue(
                    row: row.number, column: column, value: text, code: "census.column.duplicate",
                    text, CensusColumn.letter(ofIndex: first), CensusColumn.letter(ofIndex: index)))
            } else {
                indexes[column] = index
            }
        }

        guard nonEmpty > 0 else {
            return .failure([CensusIssue(
                row: row.number, column: nil, value: nil, code: "census.header.empty",
                String(row.number), allHeaders)])
        }
        guard !indexes.isEmpty else {
            // Typically a title row ("××市社会工作人才信息采集表") above the real header.
            return .failure([CensusIssue(
                row: row.number, column: nil, value: unknown.map(\.text).joined(separator: "、"),
                code: "census.header.unrecognized", String(row.number), allHeaders)])
        }
        for (index, text) in unknown {
            let letter = CensusColumn.letter(ofIndex: index)
            let message = suggestion(for: text).map { CatalogueMessage("census.column.unknown.suggestion", letter, text, $0.rawValue) }
                ?? CatalogueMessage("census.column.unknown", letter, text, allHeaders)
            issues.append(CensusIssue(row: row.number, column: text, value: text, code: "census.column.unknown", text: message))
        }
        for column in CensusColumn.allCases where column.isRequired && indexes[column] == nil {
            issues.append(CensusIssue(
                row: row.number, column: column, value: nil, code: "census.column.missing", column.rawValue))
        }
        return issues.isEmpty ? .success(CensusHeader(indexes: indexes, ignored: ignored)) : .failure(issues)
    }

    /// True when every cell of the row is empty or blank: the importer skips such rows
    /// (Excel often keeps formatted but empty rows at the end of a sheet).
    public func isBlank(_ row: SpreadsheetRow) -> Bool {
        row.cells.allSatisfy(\.isEmpty)
    }

    static var allHeaders: String { CensusColumn.allCases.map(\.rawValue).joined(separator: "、") }

    private static func headerText(_ cell: SpreadsheetCell) -> String {
        var text = cell.text
        while text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A template column the user probably meant: "身份证号码" → 身份证号, "手机" → 手机号.
    private static func suggestion(for text: String) -> CensusColumn? {
        let contained = CensusColumn.allCases.filter { text.contains($0.rawValue) }
        if let longest = contained.max(by: { $0.rawValue.count < $1.rawValue.count }) { return longest }
        let containing = CensusColumn.allCases.filter { $0.rawValue.contains(text) }
        return containing.count == 1 ? containing[0] : nil
    }
}
