import Foundation

/// A table of a statistics or dashboard page, the same one the page shows beside its chart and the
/// one its “导出 XLSX / 导出 CSV” links download (issue 5 §7: every table exportable).
///
/// Files start with the header row (XLSX freezes it), then the rows; `notes` (as-of date, source,
/// filters) follow after one empty row. Cells keep their type: numbers stay numbers in XLSX, text
/// goes through the writers' formula guard, so a label such as `=HYPERLINK(…)` stays text.
public struct ReportTable: Hashable, Sendable {
    public var title: String
    public var columns: [String]
    public var rows: [[SpreadsheetCell]]
    public var notes: [String]

    public init(title: String, columns: [String], rows: [[SpreadsheetCell]], notes: [String] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// Every line of the file, header first.
    public var lines: [[SpreadsheetCell]] {
        var lines = [columns.map(SpreadsheetCell.text)] + rows
        if !notes.isEmpty {
            lines.append([])
            lines += notes.map { [.text($0)] }
        }
        return lines
    }

    /// The title as an Excel sheet name: without `: \ / ? * [ ]`, at most 31 characters, never blank.
    public var sheetName: String {
        let forbidden = Set(":\\/?*[]'")
        var name = String(title.filter { !forbidden.contains($0) && !$0.isNewline }.prefix(31))
            .trimmingCharacters(in: .whitespaces)
        if name.isEmpty { name = "Sheet1" }
        return name
    }

    /// A download name: the title without characters file systems or headers refuse, the date,
    /// the extension (`各县持证人数-2025-06-30.xlsx`).
    public func fileName(_ format: SpreadsheetFormat, asOf: CivilDate? = nil) -> String {
        let forbidden = Set("\\/:*?\"<>|;,%#&'")
        var base = String(title.filter { !forbidden.contains($0) && !$0.isNewline && $0.asciiValue.map { $0 >= 0x20 } ?? true }
            .map { $0 == " " ? "-" : $0 }.prefix(60))
        if base.isEmpty || base.hasPrefix(".") { base = "report" + base }
        if let asOf { base += "-\(asOf)" }
        return base + "." + format.rawValue
    }

    /// Writes the table as CSV (UTF-8 with BOM, as Excel on Chinese Windows opens it).
    public func writeCSV(to url: URL) throws {
        let writer = try CSVWriter(url: url)
        for line in lines { try writer.write(line) }
        try writer.close()
    }

    /// Writes the table as a one-sheet workbook named after the title.
    public func writeXLSX(to url: URL, now: Date = Date()) throws {
        let writer = try XLSXWriter(url: url, sheetName: sheetName, now: now)
        for line in lines { try writer.write(line) }
        try writer.close()
    }

    /// The file's bytes, for a download response (through a temporary file, removed afterwards).
    public func data(_ format: SpreadsheetFormat, now: Date = Date()) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-report-\(UUID().uuidString).\(format.rawValue)")
        defer { try? FileManager.default.removeItem(at: url) }
        switch format {
        case .csv: try writeCSV(to: url)
        case .xlsx: try writeXLSX(to: url, now: now)
        }
        do { return try Data(contentsOf: url) } catch { throw SpreadsheetError.io(error, writing: false) }
    }

    /// Grouped, at most two decimals, trailing zeros dropped: `1,268`, `52.5`, `0.33`.
    public static func plainNumber(_ value: Double) -> String {
        var text = ChartValueFormat.decimal(2).text(value)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

extension SpreadsheetCell {
    /// A number cell whose raw text is the value's own shortest form (`120`, `0.453`);
    /// a value that is not finite becomes an empty cell.
    public static func value(_ value: Double) -> SpreadsheetCell {
        guard value.isFinite else { return .empty }
        if value.rounded() == value, abs(value) < 1e15 { return .number(value, raw: String(Int64(value))) }
        return .number(value, raw: "\(value)")
    }

    public static func value(_ value: Int) -> SpreadsheetCell { .number(Double(value), raw: String(value)) }
}

extension ReportTable {
    /// The table behind a bar chart: label, value.
    public init(_ chart: BarChart, labelHeader: String, valueHeader: String, notes: [String] = []) {
        self.init(title: chart.title, columns: [labelHeader, valueHeader],
                  rows: chart.bars.map { [.text($0.label), .value($0.value)] }, notes: notes)
    }

    /// The table behind a stacked bar chart: label, one column per series, total.
    public init(_ chart: StackedBarChart, labelHeader: String, totalHeader: String, notes: [String] = []) {
        let rows: [[SpreadsheetCell]] = chart.categories.enumerated().map { index, category in
            let values = chart.series.map { index < $0.values.count ? $0.values[index] : .nan }
            let finite = values.filter(\.isFinite)
            return [.text(category)] + values.map { SpreadsheetCell.value($0) } + [finite.isEmpty ? .empty : .value(finite.reduce(0, +))]
        }
        self.init(title: chart.title, columns: [labelHeader] + chart.series.map(\.name) + [totalHeader], rows: rows, notes: notes)
    }

    /// The table behind a donut chart: label, value, share (as a number of percent, one decimal).
    public init(_ chart: DonutChart, labelHeader: String, valueHeader: String, shareHeader: String, notes: [String] = []) {
        let total = chart.slices.reduce(0) { $0 + ($1.value.isFinite ? max(0, $1.value) : 0) }
        let rows: [[SpreadsheetCell]] = chart.slices.map { slice in
            let share = total > 0 && slice.value.isFinite ? ((max(0, slice.value) / total) * 1000).rounded() / 10 : Double.nan
            return [.text(slice.label), .value(slice.value), .value(share)]
        }
        self.init(title: chart.title, columns: [labelHeader, valueHeader, shareHeader], rows: rows, notes: notes)
    }

    /// The table behind a line chart: one row per date, one column per line.
    public init(_ chart: LineChart, dateHeader: String, notes: [String] = []) {
        let dates = Set(chart.lines.flatMap { $0.points.map(\.date) }).sorted()
        let rows: [[SpreadsheetCell]] = dates.map { date in
            [.date(date)] + chart.lines.map { line in
                line.points.last(where: { $0.date == date }).map { .value($0.value) } ?? .empty
            }
        }
        self.init(title: chart.title, columns: [dateHeader] + chart.lines.map(\.name), rows: rows, notes: notes)
    }
}
