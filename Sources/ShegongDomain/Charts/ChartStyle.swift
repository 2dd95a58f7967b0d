import Foundation

/// A fill that stays distinguishable when printed in greyscale: each has its own lightness and,
/// past the first, its own pattern (stripes, dots, cross-hatch…), drawn with SVG `<pattern>`.
public enum ChartFill: Hashable, Sendable {
    /// The n-th series colour (cycles after `ChartPalette.count`).
    case palette(Int)
    /// A colour with a meaning, for statuses.
    case tone(ChartTone)
}

/// Colours with a meaning. Each prints differently in greyscale: done is dark and solid,
/// in progress mid-grey striped, not started light and plain, overdue dark with a cross-hatch.
public enum ChartTone: String, CaseIterable, Hashable, Sendable {
    case good, progress, neutral, warning, bad, muted

    /// The usual tone of a measure's status.
    public init(_ status: MeasureStatus) {
        switch status {
        case .done: self = .good
        case .inProgress: self = .progress
        case .notStarted: self = .muted
        case .overdue: self = .bad
        case .awaitingConfirmation: self = .warning
        }
    }

    /// The usual tone of a target's status.
    public init(_ status: TargetAssessment.Status) {
        switch status {
        case .met: self = .good
        case .onTrack: self = .progress
        case .atRisk: self = .warning
        case .missed: self = .bad
        case .noData: self = .muted
        }
    }
}

enum ChartPattern: String, CaseIterable {
    case solid, stripes, dots, crossHatch = "cross", horizontal = "lines", backStripes = "back"
}

/// Colours and fonts of every chart.
enum ChartPalette {
    /// Alternating dark and light so that neighbouring segments differ in greyscale too.
    static let colours = ["#1f4e79", "#f0a04b", "#4a8c5c", "#a9c8e8", "#8c3b3b", "#a0a0a0", "#6a4c93", "#e6d36b"]
    static var count: Int { colours.count }
    static let patterns: [ChartPattern] = [.solid, .stripes, .solid, .dots, .crossHatch, .horizontal, .backStripes, .crossHatch]

    static let text = "#222222"
    static let secondaryText = "#555555"
    static let axis = "#666666"
    static let grid = "#dddddd"
    static let track = "#eeeeee"
    static let empty = "#f4f4f4"
    static let reference = "#8c3b3b"
    /// Chinese first (docs/conventions.md §6: Noto on the Debian servers and browsers, YaHei on Windows desktops).
    static let fontFamily = "'Noto Sans CJK SC','Microsoft YaHei',sans-serif"

    static func colour(_ fill: ChartFill) -> String {
        switch fill {
        case .palette(let n): return colours[((n % count) + count) % count]
        case .tone(let tone):
            switch tone {
            case .good: return "#2e6b3f"
            case .progress: return "#4f86c6"
            case .neutral: return "#1f4e79"
            case .warning: return "#e0a030"
            case .bad: return "#a8322d"
            case .muted: return "#cfcfcf"
            }
        }
    }

    static func pattern(_ fill: ChartFill) -> ChartPattern {
        switch fill {
        case .palette(let n): return patterns[((n % patterns.count) + patterns.count) % patterns.count]
        case .tone(let tone):
            switch tone {
            case .good, .neutral, .muted: return .solid
            case .progress: return .stripes
            case .warning: return .dots
            case .bad: return .crossHatch
            }
        }
    }

    /// Colour of the lines or dots drawn over a patterned fill: white on dark colours, dark on light ones.
    static func ink(on colour: String) -> String {
        let hex = colour.dropFirst()
        guard hex.count == 6, let value = Int(hex, radix: 16) else { return "#ffffff" }
        let r = Double((value >> 16) & 0xff), g = Double((value >> 8) & 0xff), b = Double(value & 0xff)
        return (0.299 * r + 0.587 * g + 0.114 * b) > 150 ? "#333333" : "#ffffff"
    }
}

/// Escaping for HTML and SVG, the one algorithm every page, chart and table uses.
///
/// It works on Unicode scalars, not Swift `Character`s: a `"` followed by a combining mark
/// (U+0301) is one `Character`, so a character-wise replacement leaves the quote in place and
/// an attribute value can be closed by it (issue #10 item 2). Scalar by scalar, every `&`, `<`,
/// `>`, `"` and `'` is replaced whatever follows it. Scalars that HTML and XML 1.0 cannot carry
/// (C0 and C1 controls, DEL, U+FFFE, U+FFFF) are dropped.
public enum MarkupText {
    public enum LineBreaks: Sendable {
        /// Kept, as text areas and `<pre>` need them.
        case keep
        /// Replaced by a space, as SVG text shows them.
        case space
    }

    public static func escape(_ text: String, lineBreaks: LineBreaks = .keep) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\r", "\t":
                if lineBreaks == .space { out += " " } else { out.unicodeScalars.append(scalar) }
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Text in a chart: escaping and width estimates for layout.
public enum ChartText {
    /// Escapes text for an SVG text node or attribute value (`MarkupText`); line breaks become
    /// spaces, as SVG text would show them.
    public static func escape(_ text: String) -> String {
        MarkupText.escape(text, lineBreaks: .space)
    }

    /// Approximate drawn width: CJK and full-width characters are one em, Latin ones about half.
    static func width(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= 0x2E80 && !(0xFE00...0xFE0F).contains(v) { ems += 1 }
            else if v >= 0x0300 && v < 0x0370 { continue }
            else if "MW@%mw".unicodeScalars.contains(scalar) { ems += 0.85 }
            else if scalar.properties.isUppercase || ("0"..."9").contains(scalar) { ems += 0.62 }
            else if " .,:;'!|ijlI()".unicodeScalars.contains(scalar) { ems += 0.3 }
            else { ems += 0.55 }
        }
        return ems * fontSize
    }

    /// The text cut with “…” to fit `maxWidth`; unchanged when it fits.
    static func fit(_ text: String, maxWidth: Double, fontSize: Double) -> String {
        let clean = text.replacingOccurrences(of: "\n", with: " ")
        guard width(clean, fontSize: fontSize) > maxWidth else { return clean }
        var cut = ""
        let budget = maxWidth - width("…", fontSize: fontSize)
        for character in clean {
            if width(cut + String(character), fontSize: fontSize) > budget { break }
            cut.append(character)
        }
        return cut + "…"
    }
}
