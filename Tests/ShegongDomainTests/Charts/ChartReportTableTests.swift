import Foundation
import Testing
@testable import ShegongDomain

/// Dashboard tables go out as CSV and XLSX through the census writers.
@Suite struct ChartReportTableTests {
    static let table = ReportTable(
        title: "酒泉市各县持证人数",
        columns: ["地区", "持证人数", "持证率（%）", "统计日期"],
        rows: [
            [.text("肃州区"), .value(268), .value(52.5), .date(chartDate("2025-06-30"))],
            [.text("=HYPERLINK(\"http://x\")"), .value(0), .empty, .date(chartDate("2025-06-30"))],
        ],
        notes: ["截至 2025-06-30；来源：社工人才平台"])

    static func readAll(_ reader: any SpreadsheetRowReader) throws -> [[String]] {
        var rows: [[String]] = []
        while let row = try reader.next() { rows.append(row.cells.map(\.text)) }
        return rows
    }

    @Test func writesCSVWithHeaderFirstAndFormulasNeutralized() throws {
        // setup
        let folder = try ChartScratchFolder()
        let url = folder.file("t.csv")
        // act
        try Self.table.writeCSV(to: url)
        // check
        let bytes = try Data(contentsOf: url)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = try Self.readAll(CSVRowReader(url: url))
        #expect(rows[0] == ["地区", "持证人数", "持证率（%）", "统计日期"])
        #expect(rows[1] == ["肃州区", "268", "52.5", "2025-06-30"])
        #expect(rows[2][0] == "'=HYPERLINK(\"http://x\")")
        #expect(rows.last == ["截至 2025-06-30；来源：社工人才平台"])
    }

    @Test func writesXLSXWithTypedCellsAndTheTitleAsSheetName() throws {
        // setup
        let folder = try ChartScratchFolder()
        let url = folder.file("t.xlsx")
        // act
        try Self.table.writeXLSX(to: url, now: Date(timeIntervalSince1970: 1_750_000_000))
        // check
        let reader = try XLSXRowReader(url: url, preferredSheet: nil)
        #expect(reader.sheetName == "酒泉市各县持证人数")
        var rows: [SpreadsheetRow] = []
        while let row = try reader.next() { rows.append(row) }
        #expect(rows[0].cells.map(\.text) == ["地区", "持证人数", "持证率（%）", "统计日期"])
        #expect(rows[1][1] == .number(268, raw: "268"))
        #expect(rows[1][3] == .date(chartDate("2025-06-30")))
        #expect(rows[2][0] == .text("=HYPERLINK(\"http://x\")"))
        #expect(rows.last?.cells.map(\.text) == ["截至 2025-06-30；来源：社工人才平台"])
    }

    @Test func dataIsTheSameFileForADownload() throws {
        let csv = try Self.table.data(.csv)
        #expect(String(decoding: csv.dropFirst(3), as: UTF8.self).hasPrefix("地区,持证人数"))
        let xlsx = try Self.table.data(.xlsx, now: Date(timeIntervalSince1970: 0))
        #expect(Array(xlsx.prefix(2)) == [0x50, 0x4B])
    }

    @Test func sheetAndFileNamesAreSafe() {
        let table = ReportTable(title: "a/b:c*d?[e] 各县\"排名\"；2025 年 及 其他 很长很长很长很长很长很长的标题", columns: [], rows: [])
        #expect(table.sheetName.count <= 31)
        #expect(!table.sheetName.contains { ":\\/?*[]".contains($0) })
        let name = table.fileName(.xlsx, asOf: chartDate("2025-06-30"))
        #expect(name.hasSuffix("-2025-06-30.xlsx"))
        #expect(!name.contains { "/\\:*?\"<>|; ".contains($0) })
        #expect(ReportTable(title: "???", columns: [], rows: []).sheetName == "Sheet1")
        #expect(ReportTable(title: "..", columns: [], rows: []).fileName(.csv) == "report...csv")
    }

    @Test func tablesComeFromTheChartsTheyStandBeside() {
        let bars = ReportTable(ChartSamples.countyBars, labelHeader: "地区", valueHeader: "持证人数")
        #expect(bars.columns == ["地区", "持证人数"] && bars.rows.count == 7 && bars.rows[0] == [.text("肃州区"), .number(268, raw: "268")])
        let stacked = ReportTable(ChartSamples.measuresByDepartment, labelHeader: "牵头单位", totalHeader: "合计")
        #expect(stacked.columns == ["牵头单位", "已完成", "进行中", "未开始", "已逾期", "合计"])
        #expect(stacked.rows[0].last == .number(6, raw: "6"))
        let donut = ReportTable(ChartSamples.levelsDonut, labelHeader: "等级", valueHeader: "人数", shareHeader: "占比（%）")
        #expect(donut.rows[0] == [.text("助理社会工作师"), .number(1310, raw: "1310"), .number(75.6, raw: "75.6")])
        let line = ReportTable(ChartSamples.targetLine, dateHeader: "日期")
        #expect(line.columns == ["日期", "实际值", "应达进度", "趋势预测"])
        #expect(line.rows.first?.first == .date(chartDate("2024-12-31")))
        #expect(line.rows.last?.first == .date(chartDate("2025-12-31")))
    }
}
