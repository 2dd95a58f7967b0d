import FluentKit
import Foundation
import ShegongDomain

/// What a statistics import did, or would do; issues by row and column as in the census report.
public struct RegionStatisticImportReport: Codable, Sendable {
    public var fileName: String
    public var dryRun: Bool
    /// True when the figures were written. A report with issues never commits anything.
    public var committed: Bool
    /// Figures read (one per region, year and statistic).
    public var figures: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var issues: [CensusIssue]

    public var succeeded: Bool { issues.isEmpty }
}

/// Imports region statistics from CSV or XLSX, all figures or none (issue 5 §1). Two layouts, told
/// apart by the header:
///
/// - long, one figure a row: `地区代码, 年份, 指标, 数值` — 指标 is a statistic's Chinese name
///   (社区工作者总数) or its id (`community_workers`);
/// - wide, one region and year a row: `地区代码, 年份` and one column per statistic, headed by its
///   Chinese name or id; an empty cell leaves that figure alone.
///
/// Unknown and duplicate columns, unknown regions, bad years, values that are not whole numbers
/// ≥ 0, and the same (region, year, statistic) twice are reported by row; then nothing is written.
public struct RegionStatisticImporter: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public static let regionHeader = "地区代码", yearHeader = "年份", statisticHeader = "指标", valueHeader = "数值"

    struct Figure {
        var row: Int
        var region: Region
        var year: Int
        var statistic: RegionStatistic
        var value: Int
    }

    /// `mayEnter` says which regions the importing account may enter figures for, and
    /// `mayEnterStatistic` which statistics (a department operator's field); a row naming another
    /// region or a figure of another field is reported like any other bad row, so the file is all in
    /// scope or not imported.
    public func run(reader: any SpreadsheetRowReader, fileName: String, dryRun: Bool, actor: String,
                    mayEnter: (Region) -> Bool = { _ in true }, mayEnterStatistic: (RegionStatistic) -> Bool = { _ in true },
                    now: Date = Date()) async throws -> RegionStatisticImportReport {
        var report = RegionStatisticImportReport(fileName: fileName, dryRun: dryRun, committed: false, figures: 0,
                                                 created: 0, updated: 0, unchanged: 0, issues: [])
        let directory = try await RegionStore(db).directory()
        let today = CivilDate.today(now: now)
        var figures: [Figure] = []
        do {
            figures = try read(reader, directory: directory, today: today, mayEnter: mayEnter, mayEnterStatistic: mayEnterStatistic,
                               issues: &report.issues)
        } catch let error as SpreadsheetError {
            report.issues.append(CensusIssue(row: error.row ?? 1, column: nil, value: nil, code: error.code, text: error.text))
        }
        report.figures = figures.count
        guard report.issues.isEmpty, !dryRun else { return report }
        let grouped = Dictionary(grouping: figures) { "\($0.region.code)|\($0.year)" }
        let keys = grouped.keys.sorted()
        let source = "import:\(fileName)"
        let write = try await db.transaction { tx in
            let store = RegionStatisticStore(tx)
            var total = RegionStatisticWrite()
            for key in keys {
                let group = grouped[key]!
                var values: [RegionStatistic: Int?] = [:]
                for figure in group { values[figure.statistic] = figure.value }
                let write = try await store.set(region: group[0].region, year: group[0].year, values: values,
                                                actor: actor, source: source, now: now)
                total.created += write.created
                total.updated += write.updated
                total.unchanged += write.unchanged
            }
            return total
        }
        report.created = write.created
        report.updated = write.updated
        report.unchanged = write.unchanged
        report.committed = true
        return report
    }

    func read(_ reader: any SpreadsheetRowReader, directory: RegionDirectory, today: CivilDate,
              mayEnter: (Region) -> Bool, mayEnterStatistic: (RegionStatistic) -> Bool = { _ in true },
              issues: inout [CensusIssue]) throws -> [Figure] {
        guard let headerRow = try reader.next() else {
            issues.append(CensusIssue(row: 1, column: nil, value: nil, code: "statistics.file.empty"))
            return []
        }
        let names = headerRow.cells.map { $0.text.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespaces) }
        var columns: [String: Int] = [:]
        var statisticColumns: [(Int, RegionStatistic)] = []
        var headerIssues: [CensusIssue] = []
        let long = names.contains(Self.statisticHeader) || names.contains(Self.valueHeader)
        for (index, name) in names.enumerated() where !name.isEmpty {
            if columns[name] != nil {
                headerIssues.append(CensusIssue(row: headerRow.number, column: name, value: name, code: "statistics.column.duplicate", "\(name)"))
                continue
            }
            columns[name] = index
            if [Self.regionHeader, Self.yearHeader].contains(name) || (long && [Self.statisticHeader, Self.valueHeader].contains(name)) { continue }
            if !long, let statistic = RegionStatistic.named(name) {
                statisticColumns.append((index, statistic))
                continue
            }
            let expected = long ? "长表只有 地区代码、年份、指标、数值 四列"
                : "宽表的列为 地区代码、年份 和各统计项：" + RegionStatistic.allCases.map(\.chineseName).joined(separator: "、")
            headerIssues.append(CensusIssue(row: headerRow.number, column: name, value: name, code: "statistics.column.unknown", "\(name)", "\(expected)"))
        }
        var required = [Self.regionHeader, Self.yearHeader]
        if long { required += [Self.statisticHeader, Self.valueHeader] }
        for name in required where columns[name] == nil {
            headerIssues.append(CensusIssue(row: headerRow.number, column: name, value: nil, code: "statistics.column.missing", "\(name)"))
        }
        if !long, statisticColumns.isEmpty, headerIssues.isEmpty {
            headerIssues.append(CensusIssue(row: headerRow.number, column: nil, value: nil, code: "statistics.column.missing", text: .init("statistics.column.missing.values")))
        }
        if !headerIssues.isEmpty {
            issues += headerIssues
            return []
        }

        var figures: [Figure] = []
        var seen: [String: Int] = [:]
        while let row = try reader.next() {
            if row.cells.allSatisfy(\.isEmpty) { continue }
            var rowIssues: [CensusIssue] = []
            // Exam-pass and statistics files are imported through the API and the CLI, which speak Chinese.
            func issue(_ column: String, _ value: String?, _ code: String, _ message: String) {
                rowIssues.append(CensusIssue(row: row.number, column: column, value: value, code: code, text: .verbatim(message)))
            }
            let code = row[columns[Self.regionHeader]!].text.trimmingCharacters(in: .whitespaces)
            let region = directory[code]
            if code.isEmpty {
                issue(Self.regionHeader, nil, "statistics.region.missing", "地区代码为空")
            } else if let problem = RegionStatisticStore.problem(region: region, code: code) {
                issue(Self.regionHeader, code, "statistics.region.invalid", problem.chinese)
            } else if let region, !mayEnter(region) {
                issue(Self.regionHeader, code, "statistics.region.out_of_scope", "地区代码 \(code) 不在您的填报范围内")
            }
            let yearText = row[columns[Self.yearHeader]!].text.trimmingCharacters(in: .whitespaces)
            let year = Int(yearText.hasSuffix("年") ? String(yearText.dropLast()) : yearText)
            if let year {
                if let problem = RegionStatisticStore.problem(year: year, today: today) {
                    issue(Self.yearHeader, yearText, "statistics.year.invalid", problem.chinese)
                }
            } else {
                issue(Self.yearHeader, yearText, "statistics.year.invalid", "年份须为 4 位整数，如 2025")
            }
            var entries: [(RegionStatistic, String, String)] = []   // statistic, column, raw value
            if long {
                let name = row[columns[Self.statisticHeader]!].text.trimmingCharacters(in: .whitespaces)
                let raw = row[columns[Self.valueHeader]!].text.trimmingCharacters(in: .whitespaces)
                if let statistic = RegionStatistic.named(name) {
                    entries.append((statistic, Self.valueHeader, raw))
                } else {
                    issue(Self.statisticHeader, name, "statistics.statistic.unknown",
                          "未知的统计项“\(name)”，须为：" + RegionStatistic.allCases.map(\.chineseName).joined(separator: "、"))
                }
            } else {
                for (index, statistic) in statisticColumns where !row[index].isEmpty {
                    entries.append((statistic, names[index], row[index].text.trimmingCharacters(in: .whitespaces)))
                }
            }
            var values: [(RegionStatistic, Int)] = []
            for (statistic, column, raw) in entries {
                guard mayEnterStatistic(statistic) else {
                    issue(column, raw, "statistics.statistic.out_of_field", "「\(statistic.chineseName)」不是您所在部门填报的统计项")
                    continue
                }
                let cleaned = raw.replacingOccurrences(of: ",", with: "")
                guard let value = Int(cleaned), (0...RegionStatisticStore.maximumValue).contains(value) else {
                    issue(column, raw, "statistics.value.invalid", "「\(statistic.chineseName)」须为不小于 0 的整数，收到“\(raw)”")
                    continue
                }
                values.append((statistic, value))
            }
            if rowIssues.isEmpty, let region, let year {
                for (statistic, value) in values {
                    let key = "\(region.code)|\(year)|\(statistic.rawValue)"
                    if let first = seen[key] {
                        issue(long ? Self.statisticHeader : statistic.chineseName, statistic.chineseName, "statistics.duplicate",
                              "\(region.code) \(year) 年「\(statistic.chineseName)」与第 \(first) 行重复")
                        continue
                    }
                    seen[key] = row.number
                    figures.append(Figure(row: row.number, region: region, year: year, statistic: statistic, value: value))
                }
            }
            issues += rowIssues
        }
        return figures
    }
}
