import Foundation
import Testing
@testable import ShegongDomain

/// The sample charts of docs/ui.md, drawn from the seed jurisdictions' kind of figures.
enum ChartSamples {
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    static var countyBars: BarChart {
        BarChart(title: "酒泉市各县（市、区）持证社会工作者", bars: [
            ChartBar("肃州区", 268, link: "/regions/620902"), ChartBar("敦煌市", 124), ChartBar("玉门市", 96),
            ChartBar("金塔县", 71), ChartBar("瓜州县", 58), ChartBar("肃北蒙古族自治县", 17), ChartBar("阿克塞哈萨克族自治县", 9),
        ], reference: ChartReference(value: 150, label: "县均目标"), showsTitle: true)
    }

    static var examColumns: BarChart {
        BarChart(title: "湖北省社会工作者职业资格考试报考人数", bars: [
            ChartBar("2021", 41_230), ChartBar("2022", 48_760), ChartBar("2023", 55_120), ChartBar("2024", 60_150), ChartBar("2025", 78_200),
        ], orientation: .vertical, showsTitle: true)
    }

    static var measuresByDepartment: StackedBarChart {
        StackedBarChart(title: "酒泉市 2025 年行动方案：各牵头单位任务进展", categories: ["市委社会工作部", "市民政局", "市人社局", "市教育局", "市卫健委", "市司法局"],
                        series: [
                            ChartSeries("已完成", [3, 2, 1, 0, 1, 0], fill: .tone(.good)),
                            ChartSeries("进行中", [2, 1, 1, 1, 0, 1], fill: .tone(.progress)),
                            ChartSeries("未开始", [1, 0, 1, 0, 1, 0], fill: .tone(.muted)),
                            ChartSeries("已逾期", [0, 1, 0, 1, 0, 1], fill: .tone(.bad)),
                        ], showsTitle: true)
    }

    static var levelsByCounty: StackedBarChart {
        StackedBarChart(title: "宣城市各县持证人员等级构成", categories: ["宣州区", "郎溪县", "广德市", "泾县", "绩溪县", "旌德县", "宁国市"],
                        series: [
                            ChartSeries("助理社会工作师", [420, 160, 210, 130, 90, 70, 230]),
                            ChartSeries("社会工作师", [150, 40, 66, 38, 21, 15, 80]),
                            ChartSeries("高级社会工作师", [6, 0, 2, 1, 0, 0, 3]),
                        ], orientation: .vertical, normalized: true, showsTitle: true)
    }

    static var levelsDonut: DonutChart {
        DonutChart(title: "持证人员证书等级", slices: [
            .init("助理社会工作师", 1_310), .init("社会工作师", 410), .init("高级社会工作师", 12),
        ], showsTitle: true)
    }

    static var fieldsDonut: DonutChart {
        DonutChart(title: "社会工作人才服务领域", slices: [
            .init("社区", 5_200), .init("养老", 1_460), .init("儿童", 830), .init("医务", 420), .init("学校", 380),
            .init("禁毒", 160), .init("司法", 140), .init("其他", 310),
        ], showsTitle: true)
    }

    static var jiuquanTarget: TargetAssessment {
        let target = Target(id: "jq-total", indicatorID: "certificate_holders", region: try! RegionCode.parse("620900").get(), comparator: .atLeast,
                            value: 800, baseline: TargetObservation(date: date("2024-12-31"), value: 500), deadline: date("2025-12-31"))
        return target.assess(observations: [
            TargetObservation(date: date("2025-03-31"), value: 560),
            TargetObservation(date: date("2025-06-30"), value: 610),
            TargetObservation(date: date("2025-09-30"), value: 655),
        ], asOf: date("2025-10-15"))
    }

    static var targetLine: LineChart {
        LineChart.target(jiuquanTarget, title: "酒泉市持证社会工作者总数（目标 ≥ 800 人，2025-12-31）", showsTitle: true)
    }

    static var rateLine: LineChart {
        LineChart(title: "社区工作者持证率", lines: [
            LineChart.Line("酒泉市", [.init(date("2021-12-31"), 0.18), .init(date("2022-12-31"), 0.24), .init(date("2023-12-31"), 0.31),
                                     .init(date("2024-12-31"), 0.38), .init(date("2025-09-30"), 0.44)]),
            LineChart.Line("宣城市", [.init(date("2021-12-31"), 0.22), .init(date("2022-12-31"), 0.27), .init(date("2023-12-31"), 0.35),
                                     .init(date("2024-12-31"), 0.41), .init(date("2025-09-30"), 0.47)]),
        ], format: .percent, reference: ChartReference(value: 0.5, label: "目标"), showsTitle: true)
    }

    static var progress: ProgressBarChart { ProgressBarChart(jiuquanTarget, label: "持证社会工作者总数") }

    static var emptyBars: BarChart {
        BarChart(title: "各县开展社会工作服务的中小学校数", bars: [], showsTitle: true, noDataReason: "本地区尚未录入 2025 年学校统计数据")
    }

    static var all: [(name: String, svg: String)] {
        [("bar-horizontal", countyBars.svg()), ("bar-vertical", examColumns.svg()),
         ("stacked-measures", measuresByDepartment.svg()), ("stacked-levels-normalized", levelsByCounty.svg()),
         ("donut-levels", levelsDonut.svg()), ("donut-fields", fieldsDonut.svg()),
         ("line-target", targetLine.svg()), ("line-rates", rateLine.svg()), ("progress", progress.svg()),
         ("no-data", emptyBars.svg()), ("bar-horizontal-en", countyBars.svg(.en)), ("line-target-en",
            LineChart.target(jiuquanTarget, title: "Jiuquan certificate holders (target ≥ 800 by 2025-12-31)", language: .en, showsTitle: true).svg(.en))]
    }
}

@Suite struct ChartSampleFileTests {
    /// Every sample is well-formed XML. With `SHEGONG_CHART_SAMPLES_DIR` set, also writes them as
    /// `NAME.svg` and an `index.html` embedding them all (docs/screenshots/charts is made this way).
    @Test func samplesAreWellFormed() throws {
        // setup
        // A sample page for the screenshot: two columns at 1366 px, as a dashboard would lay them out.
        var page = "<!doctype html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><title>图表示例</title>"
            + "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:16px;background:#f6f6f6}"
            + "main{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}"
            + "section{background:#fff;border:1px solid #ddd;padding:8px}h2{font-size:13px;color:#666;margin:0 0 4px}"
            + "svg.chart{max-width:100%;height:auto}</style></head>"
            + "<body><h1>图表示例 Chart samples</h1><main>\n"
        // act + check
        for sample in ChartSamples.all {
            try ChartXMLCheck.assertWellFormed(sample.svg)
            page += "<section><h2>\(sample.name)</h2>\n" + sample.svg + "</section>\n"
        }
        page += "</main></body></html>\n"
        if let directory = ProcessInfo.processInfo.environment["SHEGONG_CHART_SAMPLES_DIR"], !directory.isEmpty {
            let folder = URL(fileURLWithPath: directory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for sample in ChartSamples.all {
                try Data(sample.svg.utf8).write(to: folder.appendingPathComponent(sample.name + ".svg"))
            }
            try Data(page.utf8).write(to: folder.appendingPathComponent("index.html"))
        }
    }
}
