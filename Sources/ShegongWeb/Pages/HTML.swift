import Foundation
import ShegongDomain

/// Writing HTML by hand: every value that goes into a page, text or attribute, passes `escape`.
enum HTML {
    /// The domain's `MarkupText.escape` (the same algorithm as the charts and report tables),
    /// keeping line breaks for text areas. Scalar by scalar: a quote followed by a combining mark
    /// is escaped too.
    static func escape(_ text: String) -> String {
        MarkupText.escape(text, lineBreaks: .keep)
    }

    /// "无数据" rather than a made-up 0 % when the denominator is empty.
    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.1f%%", $0 * 100) } ?? "无数据"
    }
}
