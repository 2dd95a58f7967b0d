import Foundation
import ShegongDomain

/// A piece of a page built from typed parts. Text and attribute values are escaped when the page
/// is written (`render`), by construction: no page writes a tag into a string, so no page can
/// forget to escape a value (docs/architecture.md "Pages").
///
/// Tag and attribute names are `StaticString`, so they come from the code, never from data.
/// Attributes are nodes too (as in Plot): an element puts the attribute nodes among its children,
/// also inside groups, into its start tag.
struct Node: Sendable, ExpressibleByStringInterpolation {
    fileprivate enum Content: Sendable {
        case element(StaticString, [Node], isVoid: Bool)
        case attribute(StaticString, String?)
        case text(String)
        case group([Node])
        /// Markup the domain wrote with its own escaper (`MarkupText`): the charts' SVG.
        case drawn(String)
    }

    fileprivate let content: Content

    fileprivate init(_ content: Content) { self.content = content }

    /// Text, escaped when written.
    init(stringLiteral value: String) { content = .text(value) }

    init(stringInterpolation: DefaultStringInterpolation) { content = .text(String(stringInterpolation: stringInterpolation)) }

    static func text(_ value: String) -> Node { Node(.text(value)) }

    /// Nothing: the empty branch of a condition.
    static let empty = Node(.group([]))

    static func group(_ nodes: [Node]) -> Node { Node(.group(nodes)) }

    static func group(_ nodes: Node...) -> Node { Node(.group(nodes)) }

    static func element(_ name: StaticString, _ children: [Node]) -> Node { Node(.element(name, children, isVoid: false)) }

    /// An element with no end tag (`input`, `meta`, `link`, `br`): only its attributes are written.
    static func voidElement(_ name: StaticString, _ attributes: [Node]) -> Node { Node(.element(name, attributes, isVoid: true)) }

    /// `name="value"`; a nil value writes the bare name (`required`, `selected`).
    static func attribute(_ name: StaticString, _ value: String?) -> Node { Node(.attribute(name, value)) }

    /// A chart drawn by the domain (its labels escaped by the chart itself).
    static func chart(_ chart: some DrawnChart, _ language: Language) -> Node { Node(.drawn(chart.svg(language))) }

    // MARK: Composition

    static func `if`(_ condition: Bool, _ node: @autoclosure () -> Node, else otherwise: @autoclosure () -> Node = .empty) -> Node {
        condition ? node() : otherwise()
    }

    static func unwrap<Value>(_ value: Value?, else otherwise: @autoclosure () -> Node = .empty, _ node: (Value) -> Node) -> Node {
        value.map(node) ?? otherwise()
    }

    static func forEach<Items: Sequence>(_ items: Items, _ node: (Items.Element) -> Node) -> Node {
        Node(.group(items.map(node)))
    }

    /// The nodes with `separator` between each two (links in a line, " · ").
    static func joined(_ nodes: [Node], separator: Node) -> Node {
        var out: [Node] = []
        for (index, node) in nodes.enumerated() {
            if index > 0 { out.append(separator) }
            out.append(node)
        }
        return Node(.group(out))
    }

    // MARK: Writing

    /// The escaped HTML.
    func render() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch content {
        case .text(let text): out += MarkupText.escape(text, lineBreaks: .keep)
        case .drawn(let markup): out += markup
        case .group(let nodes): for node in nodes { node.write(into: &out) }
        case .attribute: break // written by its element
        case .element(let name, let children, let isVoid):
            out += "<\(name)"
            var body: [Node] = []
            Self.split(children, attributes: &out, body: &body)
            out += ">"
            guard !isVoid else { return }
            for node in body { node.write(into: &out) }
            out += "</\(name)>"
        }
    }

    /// Writes the attribute nodes (in groups too) into the start tag and keeps the rest as the body.
    private static func split(_ nodes: [Node], attributes out: inout String, body: inout [Node]) {
        for node in nodes {
            switch node.content {
            case .attribute(let name, let value):
                out += " \(name)"
                if let value { out += "=\"" + MarkupText.escape(value, lineBreaks: .keep) + "\"" }
            case .group(let inner): split(inner, attributes: &out, body: &body)
            default: body.append(node)
            }
        }
    }
}

/// A chart of the domain that draws itself as inline SVG.
protocol DrawnChart {
    func svg(_ language: Language) -> String
}

extension BarChart: DrawnChart {}
extension StackedBarChart: DrawnChart {}
extension LineChart: DrawnChart {}
extension DonutChart: DrawnChart {}
extension ProgressBarChart: DrawnChart {}
