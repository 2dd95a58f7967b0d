/// The HTML elements pages use, as `Node`s: `.p(.class("muted"), "text")`. Arguments are the
/// element's attributes and children, in any order.
extension Node {
    static func html(_ children: Node...) -> Node { .element("html", children) }
    static func head(_ children: Node...) -> Node { .element("head", children) }
    static func body(_ children: Node...) -> Node { .element("body", children) }
    static func a(_ children: Node...) -> Node { .element("a", children) }
    static func abbr(_ children: Node...) -> Node { .element("abbr", children) }
    static func article(_ children: Node...) -> Node { .element("article", children) }
    static func aside(_ children: Node...) -> Node { .element("aside", children) }
    static func b(_ children: Node...) -> Node { .element("b", children) }
    static func button(_ children: Node...) -> Node { .element("button", children) }
    static func caption(_ children: Node...) -> Node { .element("caption", children) }
    static func code(_ children: Node...) -> Node { .element("code", children) }
    static func dd(_ children: Node...) -> Node { .element("dd", children) }
    static func details(_ children: Node...) -> Node { .element("details", children) }
    static func dialog(_ children: Node...) -> Node { .element("dialog", children) }
    static func div(_ children: Node...) -> Node { .element("div", children) }
    static func dl(_ children: Node...) -> Node { .element("dl", children) }
    static func dt(_ children: Node...) -> Node { .element("dt", children) }
    static func em(_ children: Node...) -> Node { .element("em", children) }
    static func fieldset(_ children: Node...) -> Node { .element("fieldset", children) }
    static func figcaption(_ children: Node...) -> Node { .element("figcaption", children) }
    static func figure(_ children: Node...) -> Node { .element("figure", children) }
    static func footer(_ children: Node...) -> Node { .element("footer", children) }
    static func form(_ children: Node...) -> Node { .element("form", children) }
    static func h1(_ children: Node...) -> Node { .element("h1", children) }
    static func h2(_ children: Node...) -> Node { .element("h2", children) }
    static func h3(_ children: Node...) -> Node { .element("h3", children) }
    static func h4(_ children: Node...) -> Node { .element("h4", children) }
    static func h5(_ children: Node...) -> Node { .element("h5", children) }
    static func h6(_ children: Node...) -> Node { .element("h6", children) }
    static func header(_ children: Node...) -> Node { .element("header", children) }
    static func label(_ children: Node...) -> Node { .element("label", children) }
    static func legend(_ children: Node...) -> Node { .element("legend", children) }
    static func li(_ children: Node...) -> Node { .element("li", children) }
    static func `main`(_ children: Node...) -> Node { .element("main", children) }
    static func nav(_ children: Node...) -> Node { .element("nav", children) }
    static func ol(_ children: Node...) -> Node { .element("ol", children) }
    static func optgroup(_ children: Node...) -> Node { .element("optgroup", children) }
    static func option(_ children: Node...) -> Node { .element("option", children) }
    static func output(_ children: Node...) -> Node { .element("output", children) }
    static func p(_ children: Node...) -> Node { .element("p", children) }
    static func pre(_ children: Node...) -> Node { .element("pre", children) }
    static func section(_ children: Node...) -> Node { .element("section", children) }
    static func select(_ children: Node...) -> Node { .element("select", children) }
    static func small(_ children: Node...) -> Node { .element("small", children) }
    static func span(_ children: Node...) -> Node { .element("span", children) }
    static func strong(_ children: Node...) -> Node { .element("strong", children) }
    static func summary(_ children: Node...) -> Node { .element("summary", children) }
    static func table(_ children: Node...) -> Node { .element("table", children) }
    static func tbody(_ children: Node...) -> Node { .element("tbody", children) }
    static func td(_ children: Node...) -> Node { .element("td", children) }
    static func textarea(_ children: Node...) -> Node { .element("textarea", children) }
    static func tfoot(_ children: Node...) -> Node { .element("tfoot", children) }
    static func th(_ children: Node...) -> Node { .element("th", children) }
    static func thead(_ children: Node...) -> Node { .element("thead", children) }
    static func time(_ children: Node...) -> Node { .element("time", children) }
    static func tr(_ children: Node...) -> Node { .element("tr", children) }
    static func ul(_ children: Node...) -> Node { .element("ul", children) }
    static func kbd(_ children: Node...) -> Node { .element("kbd", children) }
    static func mark(_ children: Node...) -> Node { .element("mark", children) }
    static func sup(_ children: Node...) -> Node { .element("sup", children) }
    static func del(_ children: Node...) -> Node { .element("del", children) }
    static func ins(_ children: Node...) -> Node { .element("ins", children) }
    static func progress(_ children: Node...) -> Node { .element("progress", children) }
    static func meter(_ children: Node...) -> Node { .element("meter", children) }
    static func blockquote(_ children: Node...) -> Node { .element("blockquote", children) }

    // Void elements: attributes only.
    static func br(_ attributes: Node...) -> Node { .voidElement("br", attributes) }
    static func hr(_ attributes: Node...) -> Node { .voidElement("hr", attributes) }
    static func input(_ attributes: Node...) -> Node { .voidElement("input", attributes) }
    static func link(_ attributes: Node...) -> Node { .voidElement("link", attributes) }
    static func meta(_ attributes: Node...) -> Node { .voidElement("meta", attributes) }
    static func col(_ attributes: Node...) -> Node { .voidElement("col", attributes) }
    static func img(_ attributes: Node...) -> Node { .voidElement("img", attributes) }

    /// A heading of the given level (1–6), for panels that nest under different headings.
    static func heading(_ level: Int, _ children: Node...) -> Node {
        switch level {
        case 1: return .element("h1", children)
        case 2: return .element("h2", children)
        case 3: return .element("h3", children)
        case 4: return .element("h4", children)
        case 5: return .element("h5", children)
        default: return .element("h6", children)
        }
    }
}
