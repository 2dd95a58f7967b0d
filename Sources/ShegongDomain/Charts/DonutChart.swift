import Foundation

/// Shares of a whole, e.g. holders by certificate level. Slices run clockwise from twelve o'clock
/// in the order given; the legend beside the ring gives each value and its share, so the chart
/// reads without colour. Zero, negative and non-finite values take no slice (they are listed with
/// their value); a total of zero is drawn as an empty ring saying “无数据”.
public struct DonutChart: Hashable, Sendable {
    public struct Slice: Hashable, Sendable {
        public var label: String
        public var value: Double
        public var fill: ChartFill?

        public init(_ label: String, _ value: Double, fill: ChartFill? = nil) {
            self.label = label
            self.value = value
            self.fill = fill
        }
    }

    public var title: String
    public var slices: [Slice]
    public var format: ChartValueFormat
    /// The big text in the hole; by default the total.
    public var centreText: String?
    /// The small text under it; by default “合计”.
    public var centreCaption: String?
    public var width: Double
    public var description: String?
    public var id: String?
    public var showsTitle: Bool
    public var noDataReason: String?

    public init(title: String, slices: [Slice], format: ChartValueFormat = .count, centreText: String? = nil,
                centreCaption: String? = nil, width: Double = 480, description: String? = nil, id: String? = nil,
                showsTitle: Bool = false, noDataReason: String? = nil) {
        self.title = title
        self.slices = slices
        self.format = format
        self.centreText = centreText
        self.centreCaption = centreCaption
        self.width = width
        self.description = description
        self.id = id
        self.showsTitle = showsTitle
        self.noDataReason = noDataReason
    }

    public func svg(_ language: Language = .default) -> String {
        let t = Catalogue.standard.texts(language)
        let width = ChartGeometry.width(width)
        let pad = 12.0
        var svg = SVGDocument(idPrefix: ChartID.make(explicit: id, content: "donut|\(title)|\(slices)"))
        var top = pad
        if showsTitle {
            svg.heading(title, x: pad, y: top + 14, width: width - 2 * pad)
            top += 26
        }
        let values = slices.map { ChartNumber.sanitized($0.value) }
        let total = values.reduce(0) { $0 + max(0, $1 ?? 0) }
        let outer = 90.0, inner = 54.0
        let legendRows = Double(max(1, slices.count))
        let height = top + max(2 * outer + 8, legendRows * 22 + 8) + pad
        let cx = pad + outer + 4, cy = top + max(2 * outer + 8, legendRows * 22 + 8) / 2

        func valueText(_ index: Int) -> String { values[index].map(format.text) ?? t("chart.no_data") }
        func shareText(_ index: Int) -> String {
            guard total > 0, let value = values[index], value > 0 else { return ChartValueFormat.percent.text(0) }
            return ChartValueFormat.percent.text(value / total)
        }
        let fills = slices.enumerated().map { $0.element.fill ?? .palette($0.offset) }
        var summary = [t("chart.summary_bar", title, String(slices.count))]
        summary += slices.indices.map { t("chart.item_share", slices[$0].label, valueText($0), shareText($0)) }

        if total > 0 {
            var angle = 0.0
            let full = slices.indices.filter { (values[$0] ?? 0) > 0 }
            for index in full {
                let sweep = (values[index]! / total) * 2 * Double.pi
                let tooltip = t("chart.item_share", slices[index].label, valueText(index), shareText(index))
                let paint = svg.paint(fills[index])
                if full.count == 1 {
                    // A single slice is the whole ring: two circles, even-odd filled.
                    let d = "M\(c(cx - outer)) \(c(cy))a\(c(outer)) \(c(outer)) 0 1 0 \(c(2 * outer)) 0a\(c(outer)) \(c(outer)) 0 1 0 \(c(-2 * outer)) 0Z"
                        + "M\(c(cx - inner)) \(c(cy))a\(c(inner)) \(c(inner)) 0 1 0 \(c(2 * inner)) 0a\(c(inner)) \(c(inner)) 0 1 0 \(c(-2 * inner)) 0Z"
                    svg.shape("path", ["d": .text(d), "fill": .text(paint), "fill-rule": .text("evenodd"),
                                       "stroke": .text("#ffffff"), "stroke-width": SVGDocument.n(1)], tooltip: tooltip)
                } else {
                    svg.shape("path", ["d": .text(Self.sector(cx: cx, cy: cy, outer: outer, inner: inner, from: angle, sweep: sweep)),
                                       "fill": .text(paint), "stroke": .text("#ffffff"), "stroke-width": SVGDocument.n(1.5)], tooltip: tooltip)
                }
                angle += sweep
            }
            svg.text("text", ["x": SVGDocument.n(cx), "y": SVGDocument.n(cy + 2), "text-anchor": .text("middle"),
                              "font-size": SVGDocument.n(20), "font-weight": .text("bold")],
                     ChartText.fit(centreText ?? format.text(total), maxWidth: 2 * inner - 8, fontSize: 20))
            svg.text("text", ["x": SVGDocument.n(cx), "y": SVGDocument.n(cy + 20), "text-anchor": .text("middle"),
                              "font-size": SVGDocument.n(12), "fill": .text(ChartPalette.secondaryText)],
                     ChartText.fit(centreCaption ?? t("chart.total"), maxWidth: 2 * inner - 8, fontSize: 12))
        } else {
            let d = "M\(c(cx - outer)) \(c(cy))a\(c(outer)) \(c(outer)) 0 1 0 \(c(2 * outer)) 0a\(c(outer)) \(c(outer)) 0 1 0 \(c(-2 * outer)) 0Z"
                + "M\(c(cx - inner)) \(c(cy))a\(c(inner)) \(c(inner)) 0 1 0 \(c(2 * inner)) 0a\(c(inner)) \(c(inner)) 0 1 0 \(c(-2 * inner)) 0Z"
            svg.leaf("path", ["d": .text(d), "fill": .text(ChartPalette.empty), "fill-rule": .text("evenodd"),
                              "stroke": .text(ChartPalette.grid), "stroke-dasharray": .text("4 3")])
            svg.text("text", ["x": SVGDocument.n(cx), "y": SVGDocument.n(cy + 5), "text-anchor": .text("middle"),
                              "font-size": SVGDocument.n(14), "fill": .text(ChartPalette.secondaryText)], t("chart.no_data"))
            let reason = noDataReason ?? t("chart.no_data_reason")
            svg.text("text", ["x": SVGDocument.n(cx + outer + 24), "y": SVGDocument.n(cy + 5), "font-size": SVGDocument.n(12),
                              "fill": .text(ChartPalette.secondaryText)],
                     ChartText.fit(reason, maxWidth: width - (cx + outer + 24) - pad, fontSize: 12))
            summary.append(t("chart.no_data"))
        }

        // Legend: one row per slice with its value and share, so the numbers are there in print.
        if total > 0 {
            let legendX = cx + outer + 24
            let legendWidth = width - legendX - pad
            let firstY = cy - Double(slices.count) * 11
            for index in slices.indices {
                let y = firstY + Double(index) * 22
                svg.leaf("rect", ["x": SVGDocument.n(legendX), "y": SVGDocument.n(y + 4), "width": SVGDocument.n(12), "height": SVGDocument.n(12),
                                  "fill": .text(svg.paint(fills[index])), "stroke": .text("#333333"), "stroke-width": SVGDocument.n(0.5)])
                let numbers = t("chart.value_share", valueText(index), shareText(index))
                let numbersWidth = ChartText.width(numbers, fontSize: 12)
                svg.text("text", ["x": SVGDocument.n(legendX + 20), "y": SVGDocument.n(y + 14)],
                         ChartText.fit(slices[index].label, maxWidth: max(30, legendWidth - numbersWidth - 32), fontSize: 12))
                svg.text("text", ["x": SVGDocument.n(legendX + legendWidth), "y": SVGDocument.n(y + 14), "text-anchor": .text("end"),
                                  "fill": .text(ChartPalette.secondaryText)], numbers)
            }
        }
        return svg.finished(width: width, height: height, kind: "donut", title: title,
                            description: description ?? summary.joined(separator: t("chart.separator")))
    }

    private func c(_ value: Double) -> String { ChartNumber.coordinate(value) }

    /// An annular sector from `from` (radians clockwise from twelve o'clock) over `sweep` radians.
    static func sector(cx: Double, cy: Double, outer: Double, inner: Double, from: Double, sweep: Double) -> String {
        func point(_ r: Double, _ a: Double) -> String {
            ChartNumber.coordinate(cx + r * sin(a)) + " " + ChartNumber.coordinate(cy - r * cos(a))
        }
        let to = from + sweep
        let large = sweep > Double.pi ? 1 : 0
        let o = ChartNumber.coordinate(outer), i = ChartNumber.coordinate(inner)
        return "M\(point(outer, from))A\(o) \(o) 0 \(large) 1 \(point(outer, to))L\(point(inner, to))A\(i) \(i) 0 \(large) 0 \(point(inner, from))Z"
    }
}
