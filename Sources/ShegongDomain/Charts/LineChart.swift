import Foundation

/// Values over time: a target's actual path against the path it requires, with the projection to
/// the deadline (`LineChart.target`), or registrants per exam year.
///
/// Lines differ by dash pattern and marker shape as well as colour, so they read in greyscale.
/// Points that are not finite numbers break the line. The value axis always includes zero.
public struct LineChart: Hashable, Sendable {
    public struct Point: Hashable, Sendable {
        public var date: CivilDate
        public var value: Double

        public init(_ date: CivilDate, _ value: Double) {
            self.date = date
            self.value = value
        }
    }

    public enum Stroke: String, Hashable, Sendable {
        case solid, dashed, dotted, dashDot

        var dashArray: String? {
            switch self {
            case .solid: return nil
            case .dashed: return "7 4"
            case .dotted: return "2 3"
            case .dashDot: return "8 3 2 3"
            }
        }
    }

    public struct Line: Hashable, Sendable {
        public var name: String
        public var points: [Point]
        /// By default the n-th line gets the n-th stroke (solid, dashed, dotted, dash-dot).
        public var stroke: Stroke?
        public var fill: ChartFill?
        public var markers: Bool
        /// Writes the last point's value beside it.
        public var labelsLastPoint: Bool

        public init(_ name: String, _ points: [Point], stroke: Stroke? = nil, fill: ChartFill? = nil,
                    markers: Bool = true, labelsLastPoint: Bool = true) {
            self.name = name
            self.points = points
            self.stroke = stroke
            self.fill = fill
            self.markers = markers
            self.labelsLastPoint = labelsLastPoint
        }
    }

    public var title: String
    public var lines: [Line]
    public var format: ChartValueFormat
    public var reference: ChartReference?
    public var width: Double
    public var height: Double
    public var description: String?
    public var id: String?
    public var showsTitle: Bool
    public var noDataReason: String?

    public init(title: String, lines: [Line], format: ChartValueFormat = .count, reference: ChartReference? = nil,
                width: Double = 600, height: Double = 300, description: String? = nil, id: String? = nil,
                showsTitle: Bool = false, noDataReason: String? = nil) {
        self.title = title
        self.lines = lines
        self.format = format
        self.reference = reference
        self.width = width
        self.height = height
        self.description = description
        self.id = id
        self.showsTitle = showsTitle
        self.noDataReason = noDataReason
    }

    static let strokes: [Stroke] = [.solid, .dashed, .dotted, .dashDot]

    public func svg(_ language: Language = .default) -> String {
        let t = Catalogue.standard.texts(language)
        let width = ChartGeometry.width(width), height = ChartGeometry.height(height)
        let pad = 12.0
        var svg = SVGDocument(idPrefix: ChartID.make(explicit: id, content: "line|\(title)|\(lines)|\(String(describing: reference))"))
        var top = pad
        if showsTitle {
            svg.heading(title, x: pad, y: top + 14, width: width - 2 * pad)
            top += 26
        }
        let clean: [[(date: CivilDate, value: Double?)]] = lines.map { line in
            line.points.sorted { $0.date < $1.date }.map { ($0.date, ChartNumber.sanitized($0.value)) }
        }
        var summary = [t("chart.summary_line", title, String(lines.count))]
        for (index, line) in lines.enumerated() {
            let values = clean[index].map { "\(Self.dateLabel($0.date, language)) \($0.value.map(format.text) ?? t("chart.no_data"))" }
            summary.append(t("chart.item_value", line.name, values.isEmpty ? t("chart.no_data") : values.joined(separator: t("chart.list_separator"))))
        }
        if let reference { summary.append(t("chart.item_value", reference.label, format.text(reference.value))) }
        let description = description ?? summary.joined(separator: t("chart.separator"))

        let finite = clean.flatMap { $0.filter { $0.value != nil } }
        guard let firstDate = finite.map(\.date).min(), let lastDate = finite.map(\.date).max() else {
            svg.noData(x: pad, y: top, width: width - 2 * pad, height: height - top - pad,
                       label: t("chart.no_data"), reason: noDataReason ?? t("chart.no_data_reason"))
            return svg.finished(width: width, height: height, kind: "line", title: title, description: description)
        }

        let legend = lines.enumerated().map { index, line in
            ChartLegendItem(label: line.name, mark: .line(colour: colour(index), dash: stroke(index).dashArray,
                                                          marker: line.markers ? LineMarker.allCases[index % LineMarker.allCases.count] : nil))
        }
        top += svg.legend(legend, x: pad, y: top, width: width - 2 * pad) + 4

        // Axes.
        var low = 0.0, high = 0.0
        for point in finite { low = min(low, point.value!); high = max(high, point.value!) }
        if let value = reference.flatMap({ ChartNumber.sanitized($0.value) }) { low = min(low, value); high = max(high, value) }
        let ticks = ChartNumber.ticks(low: low, high: high, resolution: format.resolution)
        let axis = ChartAxis(low: ticks.first!, high: ticks.last!)
        let tickFormat = format.forTicks(ticks)
        var firstDay = firstDate.daysSinceEpoch, lastDay = lastDate.daysSinceEpoch
        if firstDay == lastDay { firstDay -= 1; lastDay += 1 }
        let dayAxis = ChartAxis(low: Double(firstDay), high: Double(lastDay))

        let tickColumn = (ticks.map { ChartText.width(tickFormat.text($0), fontSize: 11) }.max() ?? 0) + 6
        var endColumn = 12.0
        for (index, line) in lines.enumerated() where line.labelsLastPoint {
            if let last = clean[index].last(where: { $0.value != nil }) {
                endColumn = max(endColumn, ChartText.width(format.text(last.value!), fontSize: 11) + 10)
            }
        }
        let x0 = pad + tickColumn + 4, x1 = width - pad - endColumn
        let y0 = top + 8, y1 = max(y0 + 60, height - pad - 20)
        let xScale = { (date: CivilDate) in x0 + dayAxis.fraction(Double(date.daysSinceEpoch)) * (x1 - x0) }
        let yScale = { (value: Double) in y1 - axis.fraction(value) * (y1 - y0) }

        for tick in ticks {
            let y = yScale(tick)
            svg.leaf("line", ["x1": SVGDocument.n(x0), "y1": SVGDocument.n(y), "x2": SVGDocument.n(x1), "y2": SVGDocument.n(y),
                              "stroke": .text(tick == 0 ? ChartPalette.axis : ChartPalette.grid), "stroke-width": SVGDocument.n(1)])
            svg.text("text", ["x": SVGDocument.n(x0 - 6), "y": SVGDocument.n(y + 4), "text-anchor": .text("end"),
                              "font-size": SVGDocument.n(11), "fill": .text(ChartPalette.secondaryText)], tickFormat.text(tick))
        }
        for tick in Self.dateTicks(from: CivilDate(daysSinceEpoch: firstDay), to: CivilDate(daysSinceEpoch: lastDay),
                                   language: language, slotWidth: x1 - x0) {
            let x = xScale(tick.date)
            svg.leaf("line", ["x1": SVGDocument.n(x), "y1": SVGDocument.n(y1), "x2": SVGDocument.n(x), "y2": SVGDocument.n(y1 + 4),
                              "stroke": .text(ChartPalette.axis), "stroke-width": SVGDocument.n(1)])
            svg.text("text", ["x": SVGDocument.n(x), "y": SVGDocument.n(y1 + 16), "text-anchor": .text("middle"),
                              "font-size": SVGDocument.n(11), "fill": .text(ChartPalette.secondaryText)], tick.label)
        }
        if let reference, let value = ChartNumber.sanitized(reference.value) {
            let y = yScale(value)
            svg.leaf("line", ["x1": SVGDocument.n(x0), "y1": SVGDocument.n(y), "x2": SVGDocument.n(x1), "y2": SVGDocument.n(y),
                              "stroke": .text(ChartPalette.reference), "stroke-width": SVGDocument.n(1), "stroke-dasharray": .text("3 3")])
            svg.text("text", ["x": SVGDocument.n(x0 + 4), "y": SVGDocument.n(y - 4), "font-size": SVGDocument.n(11),
                              "fill": .text(ChartPalette.reference)], "\(reference.label) \(format.text(value))")
        }

        for (index, line) in lines.enumerated() {
            let points = clean[index]
            var d = "", drawing = false
            for point in points {
                guard let value = point.value else { drawing = false; continue }
                d += (drawing ? "L" : "M") + ChartNumber.coordinate(xScale(point.date)) + " " + ChartNumber.coordinate(yScale(value))
                drawing = true
            }
            let colour = colour(index)
            if !d.isEmpty {
                if let dash = stroke(index).dashArray {
                    svg.leaf("path", ["d": .text(d), "fill": .text("none"), "stroke": .text(colour), "stroke-width": SVGDocument.n(2),
                                      "stroke-dasharray": .text(dash), "stroke-linejoin": .text("round")])
                } else {
                    svg.leaf("path", ["d": .text(d), "fill": .text("none"), "stroke": .text(colour), "stroke-width": SVGDocument.n(2),
                                      "stroke-linejoin": .text("round")])
                }
            }
            if line.markers {
                let marker = LineMarker.allCases[index % LineMarker.allCases.count]
                for point in points {
                    guard let value = point.value else { continue }
                    svg.marker(marker, x: xScale(point.date), y: yScale(value), colour: colour,
                               tooltip: t("chart.item_value", "\(line.name) \(Self.dateLabel(point.date, language))", format.text(value)))
                }
            }
            if line.labelsLastPoint, let last = points.last(where: { $0.value != nil }) {
                svg.text("text", ["x": SVGDocument.n(xScale(last.date) + 6), "y": SVGDocument.n(yScale(last.value!) + 4),
                                  "font-size": SVGDocument.n(11), "fill": .text(colour)], format.text(last.value!))
            }
        }
        return svg.finished(width: width, height: height, kind: "line", title: title, description: description)
    }

    private func stroke(_ index: Int) -> Stroke { lines[index].stroke ?? Self.strokes[index % Self.strokes.count] }
    private func colour(_ index: Int) -> String { ChartPalette.colour(lines[index].fill ?? .palette(index)) }

    static func dateLabel(_ date: CivilDate, _ language: Language) -> String { date.description }

    /// Ticks on 1 January when the span is long, else on the first of months, at most about one
    /// per 70 px; the two ends when no such day falls inside.
    static func dateTicks(from: CivilDate, to: CivilDate, language: Language, slotWidth: Double) -> [(date: CivilDate, label: String)] {
        let t = Catalogue.standard.texts(language)
        let maxTicks = max(2, Int(slotWidth / 70))
        let spanDays = to.daysSinceEpoch - from.daysSinceEpoch
        var ticks: [(CivilDate, String)] = []
        if spanDays > 3 * 366 {
            let years = Array((from.month == 1 && from.day == 1 ? from.year : from.year + 1)...max(from.year + 1, to.year))
                .filter { CivilDate(year: $0, month: 1, day: 1)! <= to }
            let step = [1, 2, 5, 10, 20, 50, 100].first { years.count / $0 <= maxTicks } ?? 100
            for year in years where year % step == 0 || step == 1 {
                ticks.append((CivilDate(year: year, month: 1, day: 1)!, t("chart.year", String(year))))
            }
        } else {
            var months: [CivilDate] = []
            var cursor = CivilDate(year: from.year, month: from.month, day: 1)!
            if cursor < from { cursor = cursor.adding(months: 1) }
            while cursor <= to {
                months.append(cursor)
                cursor = cursor.adding(months: 1)
            }
            let step = [1, 2, 3, 6, 12, 24].first { (months.count + $0 - 1) / $0 <= maxTicks } ?? 24
            for month in months where (month.month - 1) % step == 0 {
                let label = month.month == 1 && step >= 3
                    ? t("chart.year", String(month.year))
                    : t("chart.month", String(month.year), language == .en && month.month < 10 ? "0\(month.month)" : String(month.month))
                ticks.append((month, label))
            }
        }
        if ticks.isEmpty {
            ticks = [(from, from.description), (to, to.description)]
        }
        return ticks
    }
}

extension LineChart {
    /// The trend chart of a target (issue 5 §5): the actual values, the straight path from the
    /// baseline to the target value at the deadline (dashed), the projection from the latest value
    /// to the deadline (dotted, in the status's tone), and the target value as a reference line.
    public static func target(_ assessment: TargetAssessment, title: String, format: ChartValueFormat = .count,
                              language: Language = .default, width: Double = 600, height: Double = 300,
                              id: String? = nil, showsTitle: Bool = false) -> LineChart {
        let t = Catalogue.standard.texts(language)
        let target = assessment.target
        var lines: [Line] = []
        let actual = assessment.path.compactMap { point in point.actual.map { Point(point.date, $0) } }
        lines.append(Line(t("chart.actual"), actual, stroke: .solid, fill: .tone(.neutral), markers: true))
        if let first = assessment.path.first, let last = assessment.path.last, first.date < last.date {
            lines.append(Line(t("chart.required_path"), [Point(first.date, first.required), Point(last.date, last.required)],
                              stroke: .dashed, fill: .palette(5), markers: false, labelsLastPoint: false))
        }
        if let projection = assessment.projection, let current = assessment.current, current.date < target.deadline {
            lines.append(Line(t("chart.projection"), [Point(current.date, current.value), Point(target.deadline, projection)],
                              stroke: .dotted, fill: .tone(ChartTone(assessment.status)), markers: false, labelsLastPoint: true))
        }
        return LineChart(title: title, lines: lines, format: format,
                         reference: ChartReference(value: target.value, label: "\(t("chart.target")) \(target.comparator.rawValue)"),
                         width: width, height: height, description: nil, id: id, showsTitle: showsTitle,
                         noDataReason: assessment.reason.localized(language))
    }
}
