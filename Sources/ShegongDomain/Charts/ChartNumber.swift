import Foundation

/// How a chart writes its values: `1,234`, `45.3%`, `0.85`. Formatting is done with integer
/// arithmetic, never with the process locale, so the same data always gives the same SVG.
public struct ChartValueFormat: Hashable, Sendable {
    /// Digits after the decimal point.
    public var decimals: Int
    /// The value is multiplied by this before it is written (100 for a share shown as a percent).
    public var scale: Double
    public var suffix: String
    /// Thousands separators (`12,345`), as Chinese reports write them.
    public var grouping: Bool

    public init(decimals: Int = 0, scale: Double = 1, suffix: String = "", grouping: Bool = true) {
        self.decimals = min(6, max(0, decimals))
        self.scale = scale.isFinite && scale != 0 ? scale : 1
        self.suffix = suffix
        self.grouping = grouping
    }

    /// Whole numbers: people, measures, schools.
    public static let count = ChartValueFormat()
    /// A share 0…1 written as a percent with one decimal: 0.4532 → `45.3%`.
    public static let percent = ChartValueFormat(decimals: 1, scale: 100, suffix: "%")
    /// A plain number with `decimals` digits: ratios such as social workers per 1000 older people.
    public static func decimal(_ decimals: Int) -> ChartValueFormat { ChartValueFormat(decimals: decimals) }

    /// The smallest step between two values this format can tell apart (axis ticks never go finer).
    var resolution: Double { 1 / (abs(scale) * ChartNumber.powerOfTen(decimals)) }

    /// The same format with no more decimals than axis ticks `step` apart need (`0%, 20%…`, not `0.0%, 20.0%…`).
    func forTicks(_ ticks: [Double]) -> ChartValueFormat {
        guard ticks.count >= 2 else { return self }
        let step = abs(ticks[1] - ticks[0]) * abs(scale)
        var copy = self
        copy.decimals = (0...decimals).first { d in
            let shifted = step * ChartNumber.powerOfTen(d)
            return abs(shifted - shifted.rounded()) < 1e-6
        } ?? decimals
        return copy
    }

    /// The value as text; a value that is not a finite number is written as `—`.
    public func text(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        return ChartNumber.decimalText(value * scale, decimals: decimals, grouping: grouping) + suffix
    }
}

/// Number formatting for chart output.
enum ChartNumber {
    /// Values beyond this magnitude are drawn as this magnitude: no count in Shegong comes near it,
    /// and it keeps sums, scales and Int64 arithmetic finite.
    static let limit = 1e15

    static func powerOfTen(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<max(0, n) { p *= 10 }
        return p
    }

    /// A data value made safe to draw: not finite → nil, huge → clamped.
    static func sanitized(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        return min(limit, max(-limit, value))
    }

    /// `value` rounded half away from zero to `decimals` digits, written without exponent.
    static func decimalText(_ value: Double, decimals: Int, grouping: Bool) -> String {
        guard value.isFinite else { return "—" }
        let clamped = min(limit, max(-limit, value))
        let factor = powerOfTen(decimals)
        // Past 2^53 / factor a Double cannot carry the fraction; drop it rather than overflow.
        let useDecimals = abs(clamped) * factor < 9e15 ? decimals : 0
        let scaled = (abs(clamped) * powerOfTen(useDecimals)).rounded()
        let digits = Int64(scaled)
        let unit = Int64(powerOfTen(useDecimals))
        var integer = String(digits / unit)
        if grouping, integer.count > 3 {
            var grouped = ""
            for (index, character) in integer.enumerated() {
                if index > 0, (integer.count - index) % 3 == 0 { grouped.append(",") }
                grouped.append(character)
            }
            integer = grouped
        }
        var text = integer
        if useDecimals > 0 {
            let fraction = String(digits % unit)
            text += "." + String(repeating: "0", count: useDecimals - fraction.count) + fraction
        }
        return clamped < 0 && digits != 0 ? "-" + text : text
    }

    /// A coordinate: at most two decimals, trailing zeros dropped, never `NaN`, `inf` or `-0`.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = Int64((min(1e9, max(-1e9, value)) * 100).rounded())
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100, fraction = magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + String(whole) + "." + String(fraction / 10) }
        return sign + String(whole) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// Axis ticks: a "nice" step (1, 2 or 5 × 10ⁿ, never finer than `resolution`) covering
    /// `low…high`, about `count` intervals. Always at least two ticks, always finite.
    static func ticks(low: Double, high: Double, count: Int = 5, resolution: Double) -> [Double] {
        var low = low.isFinite ? low : 0, high = high.isFinite ? high : 0
        if low > high { swap(&low, &high) }
        if low == high {
            if low == 0 { high = max(resolution, 1) } else if low > 0 { low = 0 } else { high = 0 }
        }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = powerOfTen(0) * pow(10, floor(log10(raw)))
        var step = magnitude
        for candidate in [1.0, 2.0, 5.0, 10.0] where raw <= candidate * magnitude {
            step = candidate * magnitude
            break
        }
        step = max(step, resolution)
        guard step.isFinite, step > 0 else { return [0, 1] }
        let first = floor(low / step), last = ceil(high / step)
        guard last - first <= 100 else { return [low, high] }
        var values: [Double] = []
        var i = first
        while i <= last {
            let v = i * step
            values.append(abs(v) < step / 1e6 ? 0 : v)
            i += 1
        }
        return values.count >= 2 ? values : [values.first ?? 0, (values.first ?? 0) + step]
    }
}
