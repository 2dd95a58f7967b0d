import Foundation

/// A target's progress as a bar (`TargetAssessment.progress`: 0 = baseline, 1 = target reached),
/// with the written figure beside it so it reads without colour. The bar is clamped to 0…100 %;
/// the figure is not (“130%” when exceeded). No value → an empty track marked “无数据”.
public struct ProgressBarChart: Hashable, Sendable {
    public var label: String
    /// Share done; nil when unknown.
    public var value: Double?
    /// Where the required path says the value should be today (a tick on the track).
    public var expected: Double?
    public var tone: ChartTone
    public var format: ChartValueFormat
    public var width: Double
    public var id: String?

    public init(label: String, value: Double?, expected: Double? = nil, tone: ChartTone = .neutral,
                format: ChartValueFormat = ChartValueFormat(decimals: 0, scale: 100, suffix: "%"),
                width: Double = 240, id: String? = nil) {
        self.label = label
        self.value = value
        self.expected = expected
        self.tone = tone
        self.format = format
        self.width = width
        self.id = id
    }

    /// The bar of a target, in its status's tone, with the required position marked.
    public init(_ assessment: TargetAssessment, label: String, width: Double = 240, id: String? = nil) {
        var expected: Double?
        if let baseline = assessment.baseline {
            let distance = assessment.target.value - baseline.value
            let required = assessment.target.requiredValue(on: assessment.asOf, baseline: baseline)
            if distance != 0 && !assessment.baselineMeetsTarget { expected = (required - baseline.value) / distance }
        }
        self.init(label: label, value: assessment.progress, expected: expected, tone: ChartTone(assessment.status), width: width, id: id)
    }

    public func svg(_ language: Language = .default) -> String {
        let t = Catalogue.standard.texts(language)
        let width = min(1600, max(80, width.isFinite ? width : 240))
        let height = 22.0
        let value = value.flatMap(ChartNumber.sanitized)
        let figure = value.map(format.text) ?? t("chart.no_data")
        var svg = SVGDocument(idPrefix: ChartID.make(explicit: id, content: "progress|\(label)|\(String(describing: value))|\(String(describing: expected))|\(tone)"))
        let figureWidth = max(44, ChartText.width(figure, fontSize: 12) + 8)
        let trackWidth = max(20, width - figureWidth)
        svg.leaf("rect", ["x": SVGDocument.n(0.5), "y": SVGDocument.n(4.5), "width": SVGDocument.n(trackWidth - 1), "height": SVGDocument.n(13),
                          "rx": SVGDocument.n(2), "fill": .text(ChartPalette.track), "stroke": .text("#999999"), "stroke-width": SVGDocument.n(1)])
        if let value {
            let done = min(1, max(0, value))
            if done > 0 {
                svg.leaf("rect", ["x": SVGDocument.n(1), "y": SVGDocument.n(5), "width": SVGDocument.n((trackWidth - 2) * done),
                                  "height": SVGDocument.n(12), "fill": .text(svg.paint(.tone(tone)))])
            }
        }
        if let expected = expected.flatMap(ChartNumber.sanitized) {
            let x = 1 + (trackWidth - 2) * min(1, max(0, expected))
            svg.leaf("line", ["x1": SVGDocument.n(x), "y1": SVGDocument.n(1), "x2": SVGDocument.n(x), "y2": SVGDocument.n(21),
                              "stroke": .text(ChartPalette.text), "stroke-width": SVGDocument.n(2)])
        }
        svg.text("text", ["x": SVGDocument.n(width - 2), "y": SVGDocument.n(15.5), "text-anchor": .text("end"),
                          "font-size": SVGDocument.n(12), "fill": .text(value == nil ? ChartPalette.secondaryText : ChartPalette.text)], figure)
        var description = t("chart.progress", label, figure)
        if let expected = expected.flatMap(ChartNumber.sanitized) {
            description += t("chart.separator") + t("chart.item_value", t("chart.required_path"), format.text(expected))
        }
        return svg.finished(width: width, height: height, kind: "progress", title: label, description: description)
    }
}
