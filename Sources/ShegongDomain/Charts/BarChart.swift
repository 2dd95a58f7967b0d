import Foundation

/// One bar: a label and a value. A value that is not a finite number is "no data" for that bar:
/// nothing is drawn and its label says so.
public struct ChartBar: Hashable, Sendable {
    public var label: String
    public var value: Double
    /// Overrides the chart's colour for this bar (a status tone, or the viewer's own region).
    public var fill: ChartFill?
    /// A drill-down link on the label; only a same-site path (`/…`, `?…`, `#…`) is kept.
    public var link: String?

    public init(_ label: String, _ value: Double, fill: ChartFill? = nil, link: String? = nil) {
        self.label = label
        self.value = value
        self.fill = fill
        self.link = link
    }
}

/// A value marked across the plot: a target (“目标 50%”), a national average.
public struct ChartReference: Hashable, Sendable {
    public var value: Double
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

public enum ChartOrientation: String, Hashable, Sendable {
    /// Bars grow to the right, labels on the left: rankings of regions, departments (long names).
    case horizontal
    /// Columns grow upwards: years, levels (few, short labels).
    case vertical
}

/// A bar chart of one series, e.g. certificate holders per county.
///
/// ```swift
/// BarChart(title: "各县持证人数", bars: [ChartBar("肃州区", 120), ChartBar("敦煌市", 80)]).svg(.zhHans)
/// ```
public struct BarChart: Hashable, Sendable {
    public var title: String
    public var bars: [ChartBar]
    public var orientation: ChartOrientation
    public var format: ChartValueFormat
    public var reference: ChartReference?
    /// Width in CSS pixels; the height of a horizontal chart follows from the number of bars.
    public var width: Double
    /// Height of a vertical chart (ignored for horizontal ones).
    public var height: Double
    /// Text for screen readers (`<desc>`); by default the values themselves.
    public var description: String?
    /// The id prefix inside the SVG; by default one made from the content.
    public var id: String?
    /// Draws the title inside the image (for a chart shown or printed on its own).
    public var showsTitle: Bool
    /// Why there is nothing to show, under “无数据” (e.g. “本地区尚未录入统计数据”).
    public var noDataReason: String?

    public init(title: String, bars: [ChartBar], orientation: ChartOrientation = .horizontal,
                format: ChartValueFormat = .count, reference: ChartReference? = nil, width: Double = 600,
                height: Double = 320, description: String? = nil, id: String? = nil, showsTitle: Bool = false,
                noDataReason: String? = nil) {
        self.title = title
        self.bars = bars
        self.orientation = orientation
        self.format = format
        self.reference = reference
        self.width = width
        self.height = height
        self.description = description
        self.id = id
        self.showsTitle = showsTitle
        self.noDataReason = noDataReason
    }

    public func svg(_ language: Language = .default) -> String {
        let t = Catalogue.standard.texts(language)
        let plot = BarPlot(
            categories: bars.map { bar in
                let value = ChartNumber.sanitized(bar.value)
                let shown = value.map(format.text) ?? t("chart.no_data")
                return BarPlot.Category(label: bar.label, link: bar.link, endLabel: shown,
                                        segments: value.map { [BarPlot.Segment(value: $0, fill: bar.fill ?? .palette(0),
                                                                               tooltip: t("chart.item_value", bar.label, shown))] } ?? [])
            },
            legend: [], axisFormat: format, reference: reference)
        let summary = description ?? ([t("chart.summary_bar", title, String(bars.count))]
            + bars.map { t("chart.item_value", $0.label, ChartNumber.sanitized($0.value).map(format.text) ?? t("chart.no_data")) })
            .joined(separator: t("chart.separator"))
        return plot.render(kind: "bar", title: title, description: summary, id: id, content: "bar|\(title)|\(bars)",
                           orientation: orientation, width: width, height: height, showsTitle: showsTitle,
                           noDataReason: noDataReason, language: language)
    }
}

/// A named row of values for a stacked chart (one value per category) or a line chart.
public struct ChartSeries: Hashable, Sendable {
    public var name: String
    public var values: [Double]
    public var fill: ChartFill?

    public init(_ name: String, _ values: [Double], fill: ChartFill? = nil) {
        self.name = name
        self.values = values
        self.fill = fill
    }
}

/// Bars split into parts, e.g. measures by status per department, holders by level per county.
/// Negative values are drawn below (left of) zero; missing values (not finite, or a series shorter
/// than the categories) are skipped.
public struct StackedBarChart: Hashable, Sendable {
    public var title: String
    public var categories: [String]
    public var series: [ChartSeries]
    public var orientation: ChartOrientation
    public var format: ChartValueFormat
    /// Each bar as shares of its own total (0–100 %), the end label still giving the total.
    public var normalized: Bool
    public var reference: ChartReference?
    public var width: Double
    public var height: Double
    public var description: String?
    public var id: String?
    public var showsTitle: Bool
    public var noDataReason: String?
    /// Drill-down links per category (same-site paths only), parallel to `categories`.
    public var links: [String?]

    public init(title: String, categories: [String], series: [ChartSeries], orientation: ChartOrientation = .horizontal,
                format: ChartValueFormat = .count, normalized: Bool = false, reference: ChartReference? = nil,
                width: Double = 600, height: Double = 320, description: String? = nil, id: String? = nil,
                showsTitle: Bool = false, noDataReason: String? = nil, links: [String?] = []) {
        self.title = title
        self.categories = categories
        self.series = series
        self.orientation = orientation
        self.format = format
        self.normalized = normalized
        self.reference = reference
        self.width = width
        self.height = height
        self.description = description
        self.id = id
        self.showsTitle = showsTitle
        self.noDataReason = noDataReason
        self.links = links
    }

    public func svg(_ language: Language = .default) -> String {
        let t = Catalogue.standard.texts(language)
        var categoryModels: [BarPlot.Category] = []
        var summaries: [String] = [t("chart.summary_bar", title, String(categories.count))]
        for (index, category) in categories.enumerated() {
            var parts: [(series: Int, value: Double)] = []
            for (s, row) in series.enumerated() where index < row.values.count {
                if let value = ChartNumber.sanitized(row.values[index]) { parts.append((s, value)) }
            }
            let total = parts.reduce(0) { $0 + $1.value }
            let absoluteTotal = parts.reduce(0) { $0 + abs($1.value) }
            let segments: [BarPlot.Segment] = parts.map { part in
                let row = series[part.series]
                let valueText = format.text(part.value)
                let tooltip = absoluteTotal > 0
                    ? t("chart.item_share", "\(category) · \(row.name)", valueText, ChartValueFormat.percent.text(abs(part.value) / absoluteTotal))
                    : t("chart.item_value", "\(category) · \(row.name)", valueText)
                let drawn = normalized ? (absoluteTotal > 0 ? part.value / absoluteTotal : 0) : part.value
                return BarPlot.Segment(value: drawn, fill: row.fill ?? .palette(part.series), tooltip: tooltip)
            }
            let end = parts.isEmpty ? t("chart.no_data") : format.text(total)
            categoryModels.append(.init(label: category, link: index < links.count ? links[index] : nil, endLabel: end, segments: segments))
            summaries.append(t("chart.item_value", category,
                               parts.isEmpty ? end : parts.map { "\(series[$0.series].name) \(format.text($0.value))" }.joined(separator: t("chart.list_separator"))))
        }
        let legend = series.enumerated().map { ChartLegendItem(label: $0.element.name, mark: .swatch($0.element.fill ?? .palette($0.offset))) }
        let plot = BarPlot(categories: categoryModels, legend: legend, axisFormat: normalized ? .percent : format,
                           reference: normalized ? nil : reference)
        return plot.render(kind: "stacked", title: title, description: description ?? summaries.joined(separator: t("chart.separator")), id: id,
                           content: "stacked|\(title)|\(categories)|\(series)|\(normalized)", orientation: orientation,
                           width: width, height: height, showsTitle: showsTitle, noDataReason: noDataReason, language: language)
    }
}

/// The drawing shared by plain and stacked bars: positive parts stack up from zero, negative
/// parts down from zero.
struct BarPlot {
    struct Segment {
        var value: Double
        var fill: ChartFill
        var tooltip: String
    }
    struct Category {
        var label: String
        var link: String?
        var endLabel: String
        var segments: [Segment]
    }

    var categories: [Category]
    var legend: [ChartLegendItem]
    var axisFormat: ChartValueFormat
    var reference: ChartReference?

    static let padding = 12.0

    func render(kind: String, title: String, description: String, id: String?, content: String,
                orientation: ChartOrientation, width requestedWidth: Double, height requestedHeight: Double,
                showsTitle: Bool, noDataReason: String?, language: Language) -> String {
        let t = Catalogue.standard.texts(language)
        let width = ChartGeometry.width(requestedWidth)
        var svg = SVGDocument(idPrefix: ChartID.make(explicit: id, content: content))
        let pad = Self.padding
        var top = pad
        if showsTitle {
            svg.heading(title, x: pad, y: top + 14, width: width - 2 * pad)
            top += 26
        }
        let hasData = categories.contains { !$0.segments.isEmpty }
        guard hasData else {
            let height = max(140, top + 120)
            svg.noData(x: pad, y: top, width: width - 2 * pad, height: height - top - pad,
                       label: t("chart.no_data"), reason: noDataReason ?? t("chart.no_data_reason"))
            return svg.finished(width: width, height: height, kind: kind, title: title, description: description)
        }
        if !legend.isEmpty {
            top += svg.legend(legend, x: pad, y: top, width: width - 2 * pad) + 6
        }

        // The value axis: zero, every stack's ends and the reference.
        var low = 0.0, high = 0.0
        for category in categories {
            let up = category.segments.filter { $0.value > 0 }.reduce(0) { $0 + $1.value }
            let down = category.segments.filter { $0.value < 0 }.reduce(0) { $0 + $1.value }
            high = max(high, up)
            low = min(low, down)
        }
        if let value = reference.flatMap({ ChartNumber.sanitized($0.value) }) {
            high = max(high, value)
            low = min(low, value)
        }
        let ticks = ChartNumber.ticks(low: low, high: high, resolution: axisFormat.resolution)
        let axis = ChartAxis(low: ticks.first!, high: ticks.last!)
        let tickFormat = axisFormat.forTicks(ticks)

        switch orientation {
        case .horizontal:
            return horizontal(svg: &svg, width: width, top: top, ticks: ticks, tickFormat: tickFormat, axis: axis, kind: kind,
                              title: title, description: description)
        case .vertical:
            return vertical(svg: &svg, width: width, height: ChartGeometry.height(requestedHeight), top: top, ticks: ticks, tickFormat: tickFormat,
                            axis: axis, kind: kind, title: title, description: description)
        }
    }

    private func horizontal(svg: inout SVGDocument, width: Double, top startTop: Double, ticks: [Double], tickFormat: ChartValueFormat,
                            axis: ChartAxis, kind: String, title: String, description: String) -> String {
        let pad = Self.padding, rowHeight = 26.0, barThickness = 16.0
        let labelColumn = min(width * 0.3, max(24, categories.map { ChartText.width($0.label, fontSize: 12) }.max() ?? 0))
        let endColumn = min(width * 0.2, (categories.map { ChartText.width($0.endLabel, fontSize: 11) }.max() ?? 0) + 8)
        let x0 = pad + labelColumn + 8
        let x1 = max(x0 + 40, width - pad - endColumn)
        var top = startTop
        if reference != nil { top += 16 }
        let plotHeight = Double(categories.count) * rowHeight
        let height = top + plotHeight + 6 + 16 + pad
        let scale = { (v: Double) in x0 + axis.fraction(v) * (x1 - x0) }

        // Grid and tick labels.
        for tick in ticks {
            let x = scale(tick)
            svg.leaf("line", ["x1": SVGDocument.n(x), "y1": SVGDocument.n(top), "x2": SVGDocument.n(x), "y2": SVGDocument.n(top + plotHeight),
                              "stroke": .text(tick == 0 ? ChartPalette.axis : ChartPalette.grid), "stroke-width": SVGDocument.n(1)])
            svg.text("text", ["x": SVGDocument.n(x), "y": SVGDocument.n(top + plotHeight + 16), "text-anchor": .text("middle"),
                              "font-size": SVGDocument.n(11), "fill": .text(ChartPalette.secondaryText)], tickFormat.text(tick))
        }
        for (index, category) in categories.enumerated() {
            let y = top + Double(index) * rowHeight + (rowHeight - barThickness) / 2
            let label = ChartText.fit(category.label, maxWidth: labelColumn, fontSize: 12)
            Self.label(&svg, text: label, full: category.label, link: category.link,
                       ["x": SVGDocument.n(pad + labelColumn), "y": SVGDocument.n(y + barThickness / 2 + 4), "text-anchor": .text("end")])
            var up = 0.0, down = 0.0
            for segment in category.segments {
                let start = segment.value >= 0 ? up : down
                let end = start + segment.value
                if segment.value >= 0 { up = end } else { down = end }
                let a = scale(min(start, end)), b = scale(max(start, end))
                svg.shape("rect", ["x": SVGDocument.n(a), "y": SVGDocument.n(y), "width": SVGDocument.n(max(0, b - a)),
                                   "height": SVGDocument.n(barThickness), "fill": .text(svg.paint(segment.fill)),
                                   "stroke": .text("#ffffff"), "stroke-width": SVGDocument.n(0.5)], tooltip: segment.tooltip)
            }
            let endX = category.segments.isEmpty ? scale(0) : scale(up) + 4
            svg.text("text", ["x": SVGDocument.n(max(endX, scale(0) + 4)), "y": SVGDocument.n(y + barThickness / 2 + 4),
                              "font-size": SVGDocument.n(11)], category.endLabel)
        }
        drawReference(&svg) { value in
            let x = scale(value)
            return (x1: x, y1: top - 4, x2: x, y2: top + plotHeight, labelX: x, labelY: top - 6, anchor: x > (x0 + x1) / 2 ? "end" : "start")
        }
        return svg.finished(width: width, height: height, kind: kind, title: title, description: description)
    }

    private func vertical(svg: inout SVGDocument, width: Double, height: Double, top startTop: Double, ticks: [Double], tickFormat: ChartValueFormat,
                          axis: ChartAxis, kind: String, title: String, description: String) -> String {
        let pad = Self.padding
        let tickColumn = (ticks.map { ChartText.width(tickFormat.text($0), fontSize: 11) }.max() ?? 0) + 6
        let x0 = pad + tickColumn + 4, x1 = width - pad
        let top = startTop + 16
        let bottom = max(top + 60, height - pad - 20)
        let scale = { (v: Double) in bottom - axis.fraction(v) * (bottom - top) }
        let slot = (x1 - x0) / Double(max(1, categories.count))
        let barWidth = min(56, slot * 0.62)

        for tick in ticks {
            let y = scale(tick)
            svg.leaf("line", ["x1": SVGDocument.n(x0), "y1": SVGDocument.n(y), "x2": SVGDocument.n(x1), "y2": SVGDocument.n(y),
                              "stroke": .text(tick == 0 ? ChartPalette.axis : ChartPalette.grid), "stroke-width": SVGDocument.n(1)])
            svg.text("text", ["x": SVGDocument.n(x0 - 6), "y": SVGDocument.n(y + 4), "text-anchor": .text("end"),
                              "font-size": SVGDocument.n(11), "fill": .text(ChartPalette.secondaryText)], tickFormat.text(tick))
        }
        let valueFont = slot < 40 ? 10.0 : 11.0
        for (index, category) in categories.enumerated() {
            let centre = x0 + slot * (Double(index) + 0.5)
            let x = centre - barWidth / 2
            var up = 0.0, down = 0.0
            for segment in category.segments {
                let start = segment.value >= 0 ? up : down
                let end = start + segment.value
                if segment.value >= 0 { up = end } else { down = end }
                let a = scale(max(start, end)), b = scale(min(start, end))
                svg.shape("rect", ["x": SVGDocument.n(x), "y": SVGDocument.n(a), "width": SVGDocument.n(barWidth),
                                   "height": SVGDocument.n(max(0, b - a)), "fill": .text(svg.paint(segment.fill)),
                                   "stroke": .text("#ffffff"), "stroke-width": SVGDocument.n(0.5)], tooltip: segment.tooltip)
            }
            let labelY = category.segments.isEmpty ? scale(0) - 4 : min(scale(up), scale(0)) - 4
            svg.text("text", ["x": SVGDocument.n(centre), "y": SVGDocument.n(labelY), "text-anchor": .text("middle"),
                              "font-size": SVGDocument.n(valueFont)], category.endLabel)
            let label = ChartText.fit(category.label, maxWidth: slot - 4, fontSize: 12)
            Self.label(&svg, text: label, full: category.label, link: category.link,
                       ["x": SVGDocument.n(centre), "y": SVGDocument.n(bottom + 16), "text-anchor": .text("middle")])
        }
        drawReference(&svg) { value in
            let y = scale(value)
            return (x1: x0, y1: y, x2: x1, y2: y, labelX: x1, labelY: y - 4, anchor: "end")
        }
        return svg.finished(width: width, height: height, kind: kind, title: title, description: description)
    }

    private func drawReference(_ svg: inout SVGDocument,
                               geometry: (Double) -> (x1: Double, y1: Double, x2: Double, y2: Double, labelX: Double, labelY: Double, anchor: String)) {
        guard let reference, let value = ChartNumber.sanitized(reference.value) else { return }
        let g = geometry(value)
        svg.leaf("line", ["x1": SVGDocument.n(g.x1), "y1": SVGDocument.n(g.y1), "x2": SVGDocument.n(g.x2), "y2": SVGDocument.n(g.y2),
                          "stroke": .text(ChartPalette.reference), "stroke-width": SVGDocument.n(1.5), "stroke-dasharray": .text("6 3")])
        svg.text("text", ["x": SVGDocument.n(g.labelX), "y": SVGDocument.n(g.labelY), "text-anchor": .text(g.anchor),
                          "font-size": SVGDocument.n(11), "fill": .text(ChartPalette.reference)],
                 "\(reference.label) \(axisFormat.text(value))")
    }

    /// A category label, linked when a safe link is given, with the full text as tooltip when cut.
    static func label(_ svg: inout SVGDocument, text: String, full: String, link: String?, _ pairs: KeyValuePairs<String, SVGDocument.Value>) {
        let href = ChartGeometry.safeLink(link)
        if let href { svg.open("a", ["href": .text(href)]) }
        if text != full {
            var attributes = ""
            for (name, value) in pairs {
                if case .number(let n) = value { attributes += " \(name)=\"\(ChartNumber.coordinate(n))\"" }
                if case .text(let s) = value { attributes += " \(name)=\"\(ChartText.escape(s))\"" }
            }
            svg.raw("<text\(attributes)><title>\(ChartText.escape(full))</title>\(ChartText.escape(text))</text>\n")
        } else {
            svg.text("text", pairs, text)
        }
        if href != nil { svg.close("a") }
    }
}

/// A linear value axis from `low` to `high`.
struct ChartAxis {
    var low: Double
    var high: Double

    /// 0 at `low`, 1 at `high`; never NaN (a flat axis maps everything to 0).
    func fraction(_ value: Double) -> Double {
        let span = high - low
        guard span > 0, span.isFinite, value.isFinite else { return 0 }
        return min(1, max(0, (value - low) / span))
    }
}

enum ChartGeometry {
    /// Sizes are kept within what a 1366×768 screen or an A4 landscape page shows.
    static func width(_ requested: Double) -> Double { requested.isFinite ? min(1600, max(200, requested)) : 600 }
    static func height(_ requested: Double) -> Double { requested.isFinite ? min(1200, max(120, requested)) : 320 }

    /// Only same-site links: a path, a query or a fragment; never `javascript:` or another host.
    static func safeLink(_ link: String?) -> String? {
        guard let link, !link.isEmpty, !link.hasPrefix("//"), !link.contains("\\"),
              link.hasPrefix("/") || link.hasPrefix("?") || link.hasPrefix("#") else { return nil }
        return link
    }
}
