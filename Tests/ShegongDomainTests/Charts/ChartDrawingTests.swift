import Foundation
import Testing
@testable import ShegongDomain

/// What each chart draws: accessibility, determinism, layout, the target trend chart.
@Suite struct ChartDrawingTests {
    @Test func everyChartIsAnAccessibleImageWithTitleAndDescription() throws {
        for sample in ChartSamples.all {
            // act
            let collector = try ChartXMLCheck.assertWellFormed(sample.svg)
            // check
            let root = try #require(collector.attributes.first)
            #expect(root["role"] == "img", "\(sample.name)")
            let ids = (root["aria-labelledby"] ?? "").split(separator: " ").map(String.init)
            #expect(ids.count == 2, "\(sample.name)")
            #expect(collector.elements.dropFirst().first == "title", "\(sample.name)")
            #expect(collector.attributes[1]["id"] == ids.first, "\(sample.name)")
            #expect(collector.elements.dropFirst(2).first == "desc", "\(sample.name)")
            #expect(collector.attributes[2]["id"] == ids.last, "\(sample.name)")
            #expect(root["font-family"] == "'Noto Sans CJK SC','Microsoft YaHei',sans-serif", "\(sample.name)")
            #expect(ChartXMLCheck.coordinatesFit(collector).isEmpty, "\(sample.name): \(ChartXMLCheck.coordinatesFit(collector))")
        }
    }

    @Test func theDescriptionCarriesTheFiguresForScreenReaders() {
        // act
        let svg = BarChart(title: "各县持证人数", bars: [ChartBar("肃州区", 1268), ChartBar("敦煌市", 124)]).svg()
        // check
        #expect(svg.contains("<desc id=\"chart-"))
        #expect(svg.contains("各县持证人数，共 2 项；肃州区：1,268；敦煌市：124</desc>"))
        #expect(BarChart(title: "Holders", bars: [ChartBar("Suzhou", 1268)]).svg(.en).contains("Holders, items: 1; Suzhou: 1,268</desc>"))
    }

    @Test func outputIsDeterministicAndIdsDependOnContent() {
        // act
        let first = ChartSamples.all.map(\.svg)
        let second = ChartSamples.all.map(\.svg)
        // check
        #expect(first == second)
        let a = BarChart(title: "A", bars: [ChartBar("x", 1)]).svg()
        let b = BarChart(title: "B", bars: [ChartBar("x", 1)]).svg()
        let idA = a.components(separatedBy: "<title id=\"")[1].prefix(14)
        let idB = b.components(separatedBy: "<title id=\"")[1].prefix(14)
        #expect(idA != idB)
        #expect(BarChart(title: "A", bars: [ChartBar("x", 1)], id: "home chart\"1").svg().contains("<title id=\"homechart1-title\">"))
    }

    @Test func aSmallBarChartDrawsExactlyThis() {
        // act
        let svg = BarChart(title: "持证", bars: [ChartBar("甲", 2), ChartBar("乙", 1)], width: 300, id: "t").svg()
        // check
        #expect(svg == """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bar" width="300" height="98" viewBox="0 0 300 98" role="img" aria-labelledby="t-title t-desc" font-family="'Noto Sans CJK SC','Microsoft YaHei',sans-serif" font-size="12" fill="#222222">
        <title id="t-title">持证</title>
        <desc id="t-desc">持证，共 2 项；甲：2；乙：1</desc>
        <rect width="300" height="98" fill="#ffffff"/>
        <line x1="44" y1="12" x2="44" y2="64" stroke="#666666" stroke-width="1"/>
        <text x="44" y="80" text-anchor="middle" font-size="11" fill="#555555">0</text>
        <line x1="158.59" y1="12" x2="158.59" y2="64" stroke="#dddddd" stroke-width="1"/>
        <text x="158.59" y="80" text-anchor="middle" font-size="11" fill="#555555">1</text>
        <line x1="273.18" y1="12" x2="273.18" y2="64" stroke="#dddddd" stroke-width="1"/>
        <text x="273.18" y="80" text-anchor="middle" font-size="11" fill="#555555">2</text>
        <text x="36" y="29" text-anchor="end">甲</text>
        <rect x="44" y="17" width="229.18" height="16" fill="#1f4e79" stroke="#ffffff" stroke-width="0.5"><title>甲：2</title></rect>
        <text x="277.18" y="29" font-size="11">2</text>
        <text x="36" y="55" text-anchor="end">乙</text>
        <rect x="44" y="43" width="114.59" height="16" fill="#1f4e79" stroke="#ffffff" stroke-width="0.5"><title>乙：1</title></rect>
        <text x="162.59" y="55" font-size="11">1</text>
        </svg>

        """)
    }

    @Test func aProgressBarDrawsExactlyThis() {
        // act
        let svg = ProgressBarChart(label: "持证人数", value: 0.5, expected: 0.75, tone: .good, width: 200, id: "p").svg()
        // check
        #expect(svg == """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart chart-progress" width="200" height="22" viewBox="0 0 200 22" role="img" aria-labelledby="p-title p-desc" font-family="'Noto Sans CJK SC','Microsoft YaHei',sans-serif" font-size="12" fill="#222222">
        <title id="p-title">持证人数</title>
        <desc id="p-desc">持证人数：已完成 50%；应达进度：75%</desc>
        <rect width="200" height="22" fill="#ffffff"/>
        <rect x="0.5" y="4.5" width="155" height="13" rx="2" fill="#eeeeee" stroke="#999999" stroke-width="1"/>
        <rect x="1" y="5" width="77" height="12" fill="#2e6b3f"/>
        <line x1="116.5" y1="1" x2="116.5" y2="21" stroke="#222222" stroke-width="2"/>
        <text x="198" y="15.5" text-anchor="end" font-size="12" fill="#222222">50%</text>
        </svg>

        """)
    }

    @Test func progressBeyondTheTargetFillsTheBarButSaysTheTruth() throws {
        // act
        let svg = ProgressBarChart(label: "x", value: 1.3, width: 200).svg()
        let none = ProgressBarChart(label: "x", value: nil, width: 200).svg()
        // check
        #expect(svg.contains(">130%</text>"))
        #expect(svg.contains("width=\"154\" height=\"12\""))
        #expect(try ChartXMLCheck.assertWellFormed(none).text.contains("无数据"))
    }

    @Test func stackedBarsShowTotalsSharesAndALegend() throws {
        // act
        let chart = ChartSamples.measuresByDepartment
        let svg = chart.svg()
        // check
        let collector = try ChartXMLCheck.assertWellFormed(svg)
        for status in ["已完成", "进行中", "未开始", "已逾期"] { #expect(collector.text.contains(status)) }
        #expect(collector.text.contains("市民政局 · 已逾期：1（25.0%）"))
        #expect(svg.contains("pattern id=\"") && svg.contains("url(#"))
        let shares = StackedBarChart(title: "t", categories: ["a"], series: [ChartSeries("x", [1]), ChartSeries("y", [3])],
                                     normalized: true).svg()
        #expect(shares.contains(">100%</text>"))
        #expect(shares.contains(">4</text>"))
    }

    @Test func aDonutOfOneSliceIsAWholeRingAndSharesAddUp() throws {
        // act
        let one = DonutChart(title: "t", slices: [.init("助理社会工作师", 5), .init("社会工作师", 0)]).svg()
        let three = ChartSamples.levelsDonut.svg()
        // check
        #expect(one.contains("fill-rule=\"evenodd\""))
        #expect(try ChartXMLCheck.assertWellFormed(one).text.contains("5（100.0%）"))
        let text = try ChartXMLCheck.assertWellFormed(three).text
        #expect(text.contains("1,310（75.6%）") && text.contains("410（23.7%）") && text.contains("12（0.7%）"))
        #expect(text.contains("1,732"))
        #expect(three.components(separatedBy: "<path d=\"M").count - 1 == 3)
    }

    @Test func theTargetChartShowsActualRequiredPathProjectionAndTarget() throws {
        // setup
        let assessment = ChartSamples.jiuquanTarget
        // act
        let svg = LineChart.target(assessment, title: "持证人数").svg()
        // check
        let text = try ChartXMLCheck.assertWellFormed(svg).text
        #expect(assessment.status == .atRisk)
        #expect(text.contains("实际值") && text.contains("应达进度") && text.contains("趋势预测"))
        #expect(text.contains("目标 ≥ 800"))
        #expect(svg.contains("stroke-dasharray=\"7 4\""))   // required path
        #expect(svg.contains("stroke-dasharray=\"2 3\""))   // projection
        #expect(svg.contains("stroke=\"#e0a030\""))         // at-risk tone
        #expect(text.contains("2025年7月"))
        let english = try ChartXMLCheck.assertWellFormed(LineChart.target(assessment, title: "Holders", language: .en).svg(.en)).text
        #expect(english.contains("Required path") && english.contains("2025-07"))
    }

    @Test func aTargetWithoutObservationsDrawsNoDataWithTheReason() throws {
        // setup
        let target = Target(id: "t", indicatorID: "i", region: try RegionCode.parse("620900").get(), comparator: .atLeast,
                            value: 800, deadline: chartDate("2025-12-31"))
        let assessment = target.assess(observations: [], asOf: chartDate("2025-06-30"))
        // act
        let text = try ChartXMLCheck.assertWellFormed(LineChart.target(assessment, title: "t").svg()).text
        // check
        #expect(text.contains("无数据"))
        #expect(text.contains("尚无观测值"))
    }

    @Test func dateTicksAreYearsForLongSpansAndMonthsForShortOnes() {
        let years = LineChart.dateTicks(from: chartDate("2019-06-01"), to: chartDate("2025-12-31"), language: .zhHans, slotWidth: 500)
        #expect(years.map(\.label) == ["2020年", "2021年", "2022年", "2023年", "2024年", "2025年"])
        let months = LineChart.dateTicks(from: chartDate("2025-01-15"), to: chartDate("2025-04-20"), language: .en, slotWidth: 500)
        #expect(months.map(\.label) == ["2025-02", "2025-03", "2025-04"])
        let days = LineChart.dateTicks(from: chartDate("2025-03-02"), to: chartDate("2025-03-20"), language: .zhHans, slotWidth: 500)
        #expect(days.map(\.label) == ["2025-03-02", "2025-03-20"])
    }

    @Test func sizesFitAScreenOfWidth1366AndAnA4LandscapePage() {
        // A4 landscape less 10 mm margins is about 1047 CSS px wide and 718 high.
        for sample in ChartSamples.all {
            let width = Double(sample.svg.components(separatedBy: "width=\"")[1].prefix { $0 != "\"" })!
            let height = Double(sample.svg.components(separatedBy: "height=\"")[1].prefix { $0 != "\"" })!
            #expect(width <= 1047 && height <= 718, "\(sample.name) \(width)×\(height)")
        }
        #expect(BarChart(title: "t", bars: [ChartBar("a", 1)], width: 1e9).svg().contains("width=\"1600\""))
        #expect(BarChart(title: "t", bars: [ChartBar("a", 1)], width: .nan).svg().contains("width=\"600\""))
    }

    @Test func paletteFillsDifferInPatternOrGreyLevel() {
        func grey(_ fill: ChartFill) -> Double {
            let value = Int(ChartPalette.colour(fill).dropFirst(), radix: 16)!
            return 0.299 * Double(value >> 16) + 0.587 * Double((value >> 8) & 0xff) + 0.114 * Double(value & 0xff)
        }
        let fills = (0..<ChartPalette.count).map(ChartFill.palette) 
        for (i, a) in fills.enumerated() {
            for b in fills[(i + 1)...] {
                #expect(ChartPalette.pattern(a) != ChartPalette.pattern(b) || abs(grey(a) - grey(b)) >= 30, "\(a) \(b)")
            }
        }
        let statuses = MeasureStatus.allCases.map { ChartFill.tone(ChartTone($0)) }
        for (i, a) in statuses.enumerated() {
            for b in statuses[(i + 1)...] {
                #expect(ChartPalette.pattern(a) != ChartPalette.pattern(b) || abs(grey(a) - grey(b)) >= 30, "\(a) \(b)")
            }
        }
    }
}
