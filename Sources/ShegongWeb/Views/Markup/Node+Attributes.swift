import Foundation

/// The attributes pages use, as `Node`s. Values are escaped when written; addresses also pass
/// `Node.siteAddress`, so a link can only lead within the site.
extension Node {
    static func `class`(_ names: String...) -> Node { .attribute("class", names.filter { !$0.isEmpty }.joined(separator: " ")) }
    static func id(_ value: String) -> Node { .attribute("id", value) }
    static func href(_ address: String) -> Node { .attribute("href", siteAddress(address)) }
    static func action(_ address: String) -> Node { .attribute("action", siteAddress(address)) }
    static func method(_ value: String) -> Node { .attribute("method", value) }
    static func enctype(_ value: String) -> Node { .attribute("enctype", value) }
    static func name(_ value: String) -> Node { .attribute("name", value) }
    static func value(_ value: String) -> Node { .attribute("value", value) }
    static func type(_ value: String) -> Node { .attribute("type", value) }
    static func `for`(_ id: String) -> Node { .attribute("for", id) }
    static func title(_ value: String) -> Node { .attribute("title", value) }
    static func lang(_ tag: String) -> Node { .attribute("lang", tag) }
    static func role(_ value: String) -> Node { .attribute("role", value) }
    static func scope(_ value: String) -> Node { .attribute("scope", value) }
    static func colspan(_ count: Int) -> Node { .attribute("colspan", String(count)) }
    static func rows(_ count: Int) -> Node { .attribute("rows", String(count)) }
    static func placeholder(_ value: String) -> Node { .attribute("placeholder", value) }
    static func autocomplete(_ value: String) -> Node { .attribute("autocomplete", value) }
    static func accept(_ value: String) -> Node { .attribute("accept", value) }
    static func pattern(_ value: String) -> Node { .attribute("pattern", value) }
    static func inputmode(_ value: String) -> Node { .attribute("inputmode", value) }
    static func datetime(_ value: String) -> Node { .attribute("datetime", value) }
    static func ariaLabel(_ value: String) -> Node { .attribute("aria-label", value) }
    static func ariaDescribedBy(_ id: String) -> Node { .attribute("aria-describedby", id) }
    static func ariaLive(_ value: String) -> Node { .attribute("aria-live", value) }
    /// `data-NAME="value"` with a name from the code (`.data("value", "12")`).
    static func data(_ name: StaticString, _ value: String) -> Node { .attribute(name, value) }

    // Boolean attributes: written when true, left out when false.
    static func required(_ on: Bool = true) -> Node { on ? .attribute("required", nil) : .empty }
    static func selected(_ on: Bool = true) -> Node { on ? .attribute("selected", nil) : .empty }
    static func checked(_ on: Bool = true) -> Node { on ? .attribute("checked", nil) : .empty }
    static func disabled(_ on: Bool = true) -> Node { on ? .attribute("disabled", nil) : .empty }
    static func readonly(_ on: Bool = true) -> Node { on ? .attribute("readonly", nil) : .empty }
    static func multiple(_ on: Bool = true) -> Node { on ? .attribute("multiple", nil) : .empty }
    static func download(_ on: Bool = true) -> Node { on ? .attribute("download", nil) : .empty }
    static func invalid(_ on: Bool = true) -> Node { on ? .attribute("aria-invalid", "true") : .empty }
    static func current(_ on: Bool = true) -> Node { on ? .attribute("aria-current", "page") : .empty }

    /// Same-site addresses only (a path, `?query` or `#fragment`); anything else — another host,
    /// a `javascript:` address — becomes `#`, so a value from data cannot make a link lead away.
    static func siteAddress(_ address: String) -> String {
        let sameSite = (address.hasPrefix("/") && !address.hasPrefix("//")) || address.hasPrefix("?") || address.hasPrefix("#")
        return sameSite && !address.contains("\\") ? address : "#"
    }
}
