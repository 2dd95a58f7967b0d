import Foundation

/// Builds one chart's SVG text. Attributes are written in the order given (deterministic
/// output), every value escaped, every number written by `ChartNumber.coordinate`.
///
/// Only presentation attributes are used — no `style` attribute, no `<style>`, no script — so the
/// chart obeys a Content-Security-Policy without `'unsafe-inline'` when inlined in a page.
struct SVGDocument {
    enum Value {
        case text(String)
        case number(Double)
    }

    let idPrefix: String
    private var patternsUsed: [ChartFill] = []
    private var body = ""

    init(idPrefix: String) {
        self.idPrefix = idPrefix
    }

    static func n(_ value: Double) -> Value { .number(value) }

    private static func attributes(_ pairs: KeyValuePairs<String, Value>) -> String {
        var out = ""
        for (name, value) in pairs {
            out += " " + name + "=\""
            switch value {
            case .text(let text): out += ChartText.escape(text)
            case .number(let number): out += ChartNumber.coordinate(number)
            }
            out += "\""
        }
        return out
    }

    mutating func open(_ name: String, _ pairs: KeyValuePairs<String, Value> = [:]) {
        body += "<" + name + Self.attributes(pairs) + ">"
    }

    mutating func close(_ name: String) { body += "</" + name + ">\n" }

    /// Markup already escaped by the caller.
    mutating func raw(_ markup: String) { body += markup }

    mutating func leaf(_ name: String, _ pairs: KeyValuePairs<String, Value>) {
        body += "<" + name + Self.attributes(pairs) + "/>\n"
    }

    /// An element with escaped text content, e.g. `<text x=".." y="..">肃州区</text>`.
    mutating func text(_ name: String, _ pairs: KeyValuePairs<String, Value>, _ content: String) {
        body += "<" + name + Self.attributes(pairs) + ">" + ChartText.escape(content) + "</" + name + ">\n"
    }

    /// A shape with a tooltip: `<rect …><title>肃州区：120</title></rect>`.
    mutating func shape(_ name: String, _ pairs: KeyValuePairs<String, Value>, tooltip: String?) {
        guard let tooltip else { leaf(name, pairs); return }
        body += "<" + name + Self.attributes(pairs) + "><title>" + ChartText.escape(tooltip) + "</title></" + name + ">\n"
    }

    /// The `fill` value for a chart fill: a plain colour, or a reference to its pattern (added to `<defs>`).
    mutating func paint(_ fill: ChartFill) -> String {
        if ChartPalette.pattern(fill) == .solid { return ChartPalette.colour(fill) }
        if !patternsUsed.contains(fill) { patternsUsed.append(fill) }
        return "url(#\(patternID(fill)))"
    }

    private func patternID(_ fill: ChartFill) -> String {
        switch fill {
        case .palette(let n): return "\(idPrefix)-p\(((n % ChartPalette.count) + ChartPalette.count) % ChartPalette.count)"
        case .tone(let tone): return "\(idPrefix)-\(tone.rawValue)"
        }
    }

    private func patternDefinition(_ fill: ChartFill) -> String {
        let colour = ChartPalette.colour(fill)
        let ink = ChartPalette.ink(on: colour)
        let head = "<pattern id=\"\(patternID(fill))\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\""
        let background = "<rect width=\"6\" height=\"6\" fill=\"\(colour)\"/>"
        switch ChartPalette.pattern(fill) {
        case .solid:
            return head + ">" + background + "</pattern>"
        case .stripes:
            return head + " patternTransform=\"rotate(45)\">" + background + "<rect width=\"2\" height=\"6\" fill=\"\(ink)\"/></pattern>"
        case .backStripes:
            return head + " patternTransform=\"rotate(-45)\">" + background + "<rect width=\"2\" height=\"6\" fill=\"\(ink)\"/></pattern>"
        case .horizontal:
            return head + ">" + background + "<rect width=\"6\" height=\"1.5\" fill=\"\(ink)\"/></pattern>"
        case .dots:
            return head + ">" + background + "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"\(ink)\"/></pattern>"
        case .crossHatch:
            return head + ">" + background + "<path d=\"M0 0L6 6M6 0L0 6\" stroke=\"\(ink)\" stroke-width=\"1\"/></pattern>"
        }
    }

    /// The complete `<svg>` element: accessible name and description first, then pattern
    /// definitions, then the drawing.
    func finished(width: Double, height: Double, kind: String, title: String, description: String) -> String {
        let w = ChartNumber.coordinate(width), h = ChartNumber.coordinate(height)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind)\" width=\"\(w)\" height=\"\(h)\""
            + " viewBox=\"0 0 \(w) \(h)\" role=\"img\" aria-labelledby=\"\(idPrefix)-title \(idPrefix)-desc\""
            + " font-family=\"\(ChartPalette.fontFamily)\" font-size=\"12\" fill=\"\(ChartPalette.text)\">\n"
        out += "<title id=\"\(idPrefix)-title\">\(ChartText.escape(title))</title>\n"
        out += "<desc id=\"\(idPrefix)-desc\">\(ChartText.escape(description))</desc>\n"
        if !patternsUsed.isEmpty {
            out += "<defs>" + patternsUsed.map(patternDefinition).joined() + "</defs>\n"
        }
        out += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        return out + body + "</svg>\n"
    }
}

/// Identifiers inside an inlined SVG share the page's id space; they are made from the chart's
/// content (FNV-1a), never random, so output is stable and two different charts on a page differ.
enum ChartID {
    static func make(explicit: String?, content: String) -> String {
        if let explicit {
            let cleaned = String(explicit.unicodeScalars.filter {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
            }.map(Character.init))
            if !cleaned.isEmpty { return cleaned.first!.isLetter ? cleaned : "c" + cleaned }
        }
        var hash: UInt32 = 2_166_136_261
        for byte in content.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return "chart-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}

/// A line in a chart's legend.
struct ChartLegendItem {
    enum Mark {
        case swatch(ChartFill)
        case line(colour: String, dash: String?, marker: LineMarker?)
    }
    var label: String
    var mark: Mark
}

enum LineMarker: CaseIterable {
    case circle, square, triangle, diamond
}

extension SVGDocument {
    /// Draws a legend wrapping across `width` from (`x`, `y`); returns the height used.
    @discardableResult
    mutating func legend(_ items: [ChartLegendItem], x: Double, y: Double, width: Double, fontSize: Double = 12) -> Double {
        guard !items.isEmpty else { return 0 }
        let rowHeight = fontSize + 8
        var cursorX = x, cursorY = y
        for item in items {
            let label = ChartText.fit(item.label, maxWidth: max(40, width - 30), fontSize: fontSize)
            let itemWidth = 20 + ChartText.width(label, fontSize: fontSize) + 16
            if cursorX > x, cursorX + itemWidth > x + width {
                cursorX = x
                cursorY += rowHeight
            }
            let middle = cursorY + rowHeight / 2
            switch item.mark {
            case .swatch(let fill):
                let paint = paint(fill)
                leaf("rect", ["x": Self.n(cursorX), "y": Self.n(middle - 6), "width": Self.n(12), "height": Self.n(12),
                              "fill": .text(paint), "stroke": .text("#333333"), "stroke-width": Self.n(0.5)])
            case .line(let colour, let dash, let marker):
                if let dash {
                    leaf("line", ["x1": Self.n(cursorX), "y1": Self.n(middle), "x2": Self.n(cursorX + 18), "y2": Self.n(middle),
                                  "stroke": .text(colour), "stroke-width": Self.n(2), "stroke-dasharray": .text(dash)])
                } else {
                    leaf("line", ["x1": Self.n(cursorX), "y1": Self.n(middle), "x2": Self.n(cursorX + 18), "y2": Self.n(middle),
                                  "stroke": .text(colour), "stroke-width": Self.n(2)])
                }
                if let marker { self.marker(marker, x: cursorX + 9, y: middle, colour: colour, tooltip: nil) }
            }
            let textX: Double
            if case .line = item.mark { textX = cursorX + 24 } else { textX = cursorX + 18 }
            text("text", ["x": Self.n(textX), "y": Self.n(middle + fontSize * 0.35), "font-size": Self.n(fontSize)], label)
            cursorX += itemWidth + (textX - cursorX - 18)
        }
        return cursorY - y + rowHeight
    }

    mutating func marker(_ marker: LineMarker, x: Double, y: Double, colour: String, tooltip: String?) {
        switch marker {
        case .circle:
            shape("circle", ["cx": Self.n(x), "cy": Self.n(y), "r": Self.n(3.5), "fill": .text(colour),
                             "stroke": .text("#ffffff"), "stroke-width": Self.n(1)], tooltip: tooltip)
        case .square:
            shape("rect", ["x": Self.n(x - 3.5), "y": Self.n(y - 3.5), "width": Self.n(7), "height": Self.n(7), "fill": .text(colour),
                           "stroke": .text("#ffffff"), "stroke-width": Self.n(1)], tooltip: tooltip)
        case .triangle:
            let d = "M\(ChartNumber.coordinate(x)) \(ChartNumber.coordinate(y - 4.5))L\(ChartNumber.coordinate(x + 4.5)) \(ChartNumber.coordinate(y + 3.5))L\(ChartNumber.coordinate(x - 4.5)) \(ChartNumber.coordinate(y + 3.5))Z"
            shape("path", ["d": .text(d), "fill": .text("#ffffff"), "stroke": .text(colour), "stroke-width": Self.n(1.5)], tooltip: tooltip)
        case .diamond:
            let d = "M\(ChartNumber.coordinate(x)) \(ChartNumber.coordinate(y - 4.5))L\(ChartNumber.coordinate(x + 4.5)) \(ChartNumber.coordinate(y))L\(ChartNumber.coordinate(x)) \(ChartNumber.coordinate(y + 4.5))L\(ChartNumber.coordinate(x - 4.5)) \(ChartNumber.coordinate(y))Z"
            shape("path", ["d": .text(d), "fill": .text(colour), "stroke": .text("#ffffff"), "stroke-width": Self.n(1)], tooltip: tooltip)
        }
    }

    /// The "no data" state: a labelled empty plot area, never an empty or broken image.
    mutating func noData(x: Double, y: Double, width: Double, height: Double, label: String, reason: String?) {
        leaf("rect", ["x": Self.n(x), "y": Self.n(y), "width": Self.n(max(0, width)), "height": Self.n(max(0, height)),
                      "fill": .text(ChartPalette.empty), "stroke": .text(ChartPalette.grid), "stroke-dasharray": .text("4 3")])
        let middle = y + height / 2
        text("text", ["x": Self.n(x + width / 2), "y": Self.n(reason == nil ? middle + 5 : middle - 4), "text-anchor": .text("middle"),
                      "font-size": Self.n(14), "fill": .text(ChartPalette.secondaryText)], label)
        if let reason {
            text("text", ["x": Self.n(x + width / 2), "y": Self.n(middle + 16), "text-anchor": .text("middle"),
                          "font-size": Self.n(12), "fill": .text(ChartPalette.secondaryText)],
                 ChartText.fit(reason, maxWidth: width - 16, fontSize: 12))
        }
    }

    /// A visible heading inside the image (for charts saved or printed on their own).
    mutating func heading(_ title: String, x: Double, y: Double, width: Double) {
        text("text", ["x": Self.n(x), "y": Self.n(y), "font-size": Self.n(15), "font-weight": .text("bold")],
             ChartText.fit(title, maxWidth: width, fontSize: 15))
    }
}
