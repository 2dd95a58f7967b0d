import Foundation

/// The spreadsheet an office fills for a session (docs/training.md "Bulk enrolment and
/// attendance"): a header row, then one row per person — 身份证号 (required), 姓名 (optional, must
/// match the register), and for attendance 日期 and 学时. Read with the census readers (CSV in
/// UTF-8/GB18030/UTF-16, XLSX); every problem is reported with its row and column.
public enum TrainingSheet {
    public enum Kind: Sendable { case enrolment, attendance }

    public static let idNumber = "身份证号", name = "姓名", date = "日期", hours = "学时"
    /// The most rows one file may hold: a county's whole workforce fits.
    public static let maxRows = 20_000

    public struct Row: Sendable, Equatable {
        public var number: Int
        public var residentID: ResidentID
        public var name: String?
        public var day: CivilDate?
        public var minutes: Int?
    }

    /// A problem of one row (or, with row nil, of the file), naming the column.
    public struct Issue: Sendable, Equatable {
        public var row: Int?
        public var column: String
        public var code: String
        public var value: String

        public init(row: Int?, column: String, code: String, value: String = "") {
            self.row = row
            self.column = column
            self.code = code
            self.value = value
        }
    }

    public static func columns(_ kind: Kind) -> [String] {
        kind == .enrolment ? [idNumber, name] : [idNumber, name, date, hours]
    }

    /// The rows of a sheet, or every problem in it. `rows` starts with the header row.
    public static func parse(_ rows: [SpreadsheetRow], kind: Kind, today: CivilDate) -> (rows: [Row], issues: [Issue]) {
        guard let header = rows.first else { return ([], [Issue(row: nil, column: idNumber, code: "training.import.empty")]) }
        var index: [String: Int] = [:]
        var issues: [Issue] = []
        let allowed = columns(kind)
        for (i, cell) in header.cells.enumerated() {
            let title = cell.text.trimmingCharacters(in: .whitespacesAndNewlines.union(["\u{FEFF}"]))
            if title.isEmpty { continue }
            if !allowed.contains(title) { issues.append(Issue(row: header.number, column: title, code: "training.import.unknown_column", value: title)) }
            else if index[title] != nil { issues.append(Issue(row: header.number, column: title, code: "training.import.duplicate_column", value: title)) }
            else { index[title] = i }
        }
        let required = kind == .enrolment ? [idNumber] : [idNumber, date, hours]
        for column in required where index[column] == nil {
            issues.append(Issue(row: header.number, column: column, code: "training.import.missing_column", value: column))
        }
        guard issues.isEmpty else { return ([], issues) }
        var result: [Row] = []
        for row in rows.dropFirst() where !row.cells.allSatisfy(\.isEmpty) {
            func text(_ column: String) -> String { index[column].map { row[$0].text.trimmingCharacters(in: .whitespaces) } ?? "" }
            var residentID: ResidentID?
            switch ResidentID.parse(text(idNumber), today: today) {
            case .success(let id): residentID = id
            case .failure: issues.append(Issue(row: row.number, column: idNumber, code: "training.import.id_number"))
            }
            var day: CivilDate?, minutes: Int?
            if kind == .attendance {
                if let column = index[date], case .date(let d) = row[column] { day = d } else { day = CivilDate(censusText: text(date)) }
                if day == nil { issues.append(Issue(row: row.number, column: date, code: "training.import.date", value: text(date))) }
                minutes = TrainingHours.minutes(text(hours))
                if minutes == nil { issues.append(Issue(row: row.number, column: hours, code: "training.import.hours", value: text(hours))) }
            }
            if let residentID {
                let name = text(name)
                result.append(Row(number: row.number, residentID: residentID, name: name.isEmpty ? nil : name, day: day, minutes: minutes))
            }
        }
        if result.isEmpty && issues.isEmpty { issues.append(Issue(row: nil, column: idNumber, code: "training.import.empty")) }
        if rows.count - 1 > maxRows { issues.append(Issue(row: nil, column: idNumber, code: "training.import.too_many", value: String(maxRows))) }
        return (result, issues)
    }
}
