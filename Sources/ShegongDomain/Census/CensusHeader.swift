import Foundation

/// Where each template column sits in a particular file. Column order is free (DESIGN §5), so a
/// file's header row is mapped once and every data row is read through the map.
public struct CensusHeader: Sendable, Equatable {
    /// 0-based cell index of each column the file has. Optional columns may be absent.
    public let indexes: [CensusColumn: Int]

    private init(indexes: [CensusColumn: Int]) { self.indexes = indexes }

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
        var indexes: [CensusColumn: Int] = [:]
        var issues: [CensusIssue] = []
        var unknown: [(index: Int, text: String)] = []
        var nonEmpty = 0

        for (index, cell) in row.cells.enumerated() {
            let text = headerText(cell)
            if text.isEmpty { continue }
            nonEmpty += 1
            guard let column = CensusColumn(rawValue: text) else {
                unknown.append((index, text))
                continue
            }
            if let first = indexes[column] {
                issues.append(CensusIssue(
                    row: row.number, column: column, value: text, code: "census.column.duplicate",
                    message: "“\(text)”列出现了不止一次（第 \(CensusColumn.letter(ofIndex: first)) 列和第 \(CensusColumn.letter(ofIndex: index)) 列）；每列只能出现一次，请删除多余的一列"))
            } else {
                indexes[column] = index
            }
        }

        guard nonEmpty > 0 else {
            return .failure([CensusIssue(
                row: row.number, column: nil, value: nil, code: "census.header.empty",
                message: "表头行为空；第 \(row.number) 行应为模板的列名：\(allHeaders)")])
        }
        guard !indexes.isEmpty else {
            // Typically a title row ("××市社会工作人才信息采集表") above the real header.
            return .failure([CensusIssue(
                row: row.number, column: nil, value: unknown.map(\.text).joined(separator: "、"),
                code: "census.header.unrecognized",
                message: "第 \(row.number) 行中没有任何模板列名；表头必须是文件的第一行（若上方有标题行请删除），列名为：\(allHeaders)")])
        }
        for (index, text) in unknown {
            var message = "第 \(CensusColumn.letter(ofIndex: index)) 列的列名“\(text)”不是模板中的列"
            if let suggestion = suggestion(for: text) {
                message += "，是否应为“\(suggestion.rawValue)”？"
            } else {
                message += "；请删除该列或改为模板列名：\(allHeaders)"
            }
            issues.append(CensusIssue(row: row.number, column: text, value: text,
                                      code: "census.column.unknown", message: message))
        }
        for column in CensusColumn.allCases where column.isRequired && indexes[column] == nil {
            issues.append(CensusIssue(
                row: row.number, column: column, value: nil, code: "census.column.missing",
                message: "缺少必填列“\(column.rawValue)”；请在表头中加入这一列"))
        }
        return issues.isEmpty ? .success(CensusHeader(indexes: indexes)) : .failure(issues)
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
