import Foundation
import Testing
@testable import ShegongDomain

/// Hostile text, broken numbers and empty data: what a chart must survive on every page.
@Suite struct ChartSafetyTests {
    static let hostile = "<script>alert(1)</script> \"引号\" & 'apos' ]]> \u{0007}"

    /// One chart of each kind with `label` everywhere a caller can put text.
    static func everyKind(label: String, values: [Double]) -> [(kind: String, svg: String)] {
        let day = chartDate("2025-01-01")
        let bars = values.enumerated().map { ChartBar("\(label)\($0.offset)", $0.element) }
        let series = [ChartSeries(label, values), ChartSeries(label + "2", values.map { $0 / 2 })]
        let categories = values.indices.map { "\(label)\($0)" }
        let lines = [LineChart.Line(label, values.enumerated().map { LineChart.Point(day.adding(days: $0.offset * 30), $0.element) })]
        let reference = ChartReference(value: values.first ?? 1, label: label)
        return [
            ("bar-h", BarChart(title: label, bars: bars, reference: reference, description: nil, showsTitle: true, noDataReason: label).svg()),
            ("bar-v", BarChart(title: label, bars: bars, orientation: .vertical, reference: reference, showsTitle: true, noDataReason: label).svg(.en)),
            ("stacked-h", StackedBarChart(title: label, categories: categories, series: series, reference: reference, showsTitle: true).svg()),
            ("stacked-v-share", StackedBarChart(title: label, categories: categories, series: series, orientation: .vertical,
                                               normalized: true, showsTitle: true).svg()),
            ("donut", DonutChart(title: label, slices: values.enumerated().map { .init("\(label)\($0.offset)", $0.element) },
                                 centreCaption: label, showsTitle: true, noDataReason: label).svg()),
            ("line", LineChart(title: label, lines: lines, reference: reference, showsTitle: true, noDataReason: label).svg()),
            ("progress", ProgressBarChart(label: label, value: values.first, expected: values.last).svg()),
        ]
    }

    @Test func scriptQuotesAndAmpersandsInLabelsRenderInert() throws {
        // act
        for chart in Self.everyKind(label: Self.hostile, values: [3, 1, 2]) {
            // check
            try ChartXMLCheck.assertWellFormed(chart.svg)
            #expect(!chart.svg.contains("<script"), "\(chart.kind)")
            #expect(!chart.svg.contains("\"引号\""), "\(chart.kind)")
            #expect(!chart.svg.contains("\u{0007}"), "\(chart.kind)")
            #expect(chart.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(chart.kind)")
            #expect(chart.svg.contains("&amp;"), "\(chart.kind)")
        }
    }

    @Test func hostileTextInEmptyChartsIsEscapedToo() throws {
        for chart in Self.everyKind(label: Self.hostile, values: []) {
            try ChartXMLCheck.assertWellFormed(chart.svg)
            #expect(!chart.svg.contains("<script"), "\(chart.kind)")
        }
    }

    @Test(arguments: [
        [0.0, 0, 0],
        [-5.0, -1, -100],
        [1e300, 1e308, 5],
        [Double.nan, .infinity, -.infinity],
        [1e-300, -0.0, 3],
        [-2.0, 7, .nan, 1e20],
        [42.0],
    ])
    func noNaNOrInfinityReachesTheDrawing(values: [Double]) throws {
        for chart in Self.everyKind(label: "肃州区", values: values) {
            let collector = try ChartXMLCheck.assertWellFormed(chart.svg)
            #expect(!chart.svg.contains("NaN"), "\(chart.kind) \(values)")
            #expect(!chart.svg.lowercased().contains("inf"), "\(chart.kind) \(values)")
            #expect(!chart.svg.contains("e+"), "\(chart.kind) \(values)")
            #expect(ChartXMLCheck.coordinatesFit(collector).isEmpty, "\(chart.kind) \(values): \(ChartXMLCheck.coordinatesFit(collector))")
        }
    }

    @Test func emptyDataDrawsALabelledEmptyChart() throws {
        for chart in Self.everyKind(label: "各县持证人数", values: []) {
            let collector = try ChartXMLCheck.assertWellFormed(chart.svg)
            #expect(chart.svg.contains("role=\"img\""), "\(chart.kind)")
            if chart.kind == "bar-v" {
                #expect(collector.text.contains("No data"))
            } else {
                #expect(collector.text.contains("无数据"), "\(chart.kind)")
            }
        }
    }

    @Test func aNoDataReasonIsShownUnderTheLabel() throws {
        // act
        let svg = BarChart(title: "学校覆盖率", bars: [], noDataReason: "本地区尚未录入中小学校数").svg()
        // check
        let collector = try ChartXMLCheck.assertWellFormed(svg)
        #expect(collector.text.contains("无数据"))
        #expect(collector.text.contains("本地区尚未录入中小学校数"))
    }

    @Test func valuesThatAreNotNumbersAreMarkedNoDataPerItem() throws {
        // act
        let svg = BarChart(title: "每千名老年人社工数", bars: [ChartBar("肃州区", 1.2), ChartBar("敦煌市", .nan)],
                           format: .decimal(2)).svg()
        // check
        let collector = try ChartXMLCheck.assertWellFormed(svg)
        #expect(collector.text.contains("1.20"))
        #expect(collector.text.contains("敦煌市：无数据"))
    }

    @Test func linksOnlyToSameSitePaths() {
        // act
        let svg = BarChart(title: "t", bars: [
            ChartBar("a", 1, link: "/regions/620902?year=2025&x=1"), ChartBar("b", 2, link: "javascript:alert(1)"),
            ChartBar("c", 3, link: "//evil.example/x"), ChartBar("d", 4, link: "https://evil.example/"),
        ]).svg()
        // check
        #expect(svg.contains("<a href=\"/regions/620902?year=2025&amp;x=1\">"))
        #expect(!svg.contains("javascript"))
        #expect(!svg.contains("evil"))
    }

    @Test func noInlineStyleOrScriptSoAStrictContentSecurityPolicyHolds() {
        for chart in ChartSamples.all + Self.everyKind(label: "x", values: [1, 2]).map({ (name: $0.kind, svg: $0.svg) }) {
            #expect(!chart.svg.contains("style="), "\(chart.name)")
            #expect(!chart.svg.contains("<style"), "\(chart.name)")
            #expect(!chart.svg.contains("<script"), "\(chart.name)")
            #expect(!chart.svg.contains(" on"), "\(chart.name)") // no onload=, onclick=…
            #expect(!chart.svg.contains("http://") || chart.svg.components(separatedBy: "http://").count == 2, "\(chart.name)")
        }
    }
}
