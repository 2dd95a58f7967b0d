import Foundation

extension Pager {
    /// Under a list paged by keyset (docs/lists.md "The other lists"): previous (by page number,
    /// an offset), "page N of M" (or "page N" when the total is "more than"), and next by the
    /// cursor the store returned (`after`), keeping the page's other query items.
    static func keyset(_ ctx: PageContext, page: Int, perPage: Int, total: Int, exact: Bool, nextCursor: String?) -> Node {
        guard page > 1 || nextCursor != nil else { return .empty }
        func link(_ target: Int, after: String?, _ key: String, rel: String) -> Node {
            var components = URLComponents(string: ctx.request.url.string) ?? URLComponents()
            var items = (components.queryItems ?? []).filter { $0.name != "page" && $0.name != "after" }
            items.append(URLQueryItem(name: "page", value: String(target)))
            if let after { items.append(URLQueryItem(name: "after", value: after)) }
            components.queryItems = items
            return .link(components.string ?? "?page=\(target)", ctx.t(key), .attribute("rel", rel))
        }
        let pages = max(1, (total + perPage - 1) / perPage)
        return .nav(.class("pager"), .ariaLabel(ctx.t("pager.label")),
                    .if(page > 1, .group(link(page - 1, after: nil, "action.previous_page", rel: "prev"), " ")),
                    .span(.text(exact ? ctx.t("lists.page.of", String(page), String(pages)) : ctx.t("lists.page", String(page)))),
                    .unwrap(nextCursor) { cursor in .group(" ", link(page + 1, after: cursor, "action.next_page", rel: "next")) })
    }

    /// "12 results", or "more than 1000 results" when the count stopped at its cap.
    static func results(_ ctx: PageContext, total: Int, exact: Bool) -> Node {
        .p(.text(ctx.t(exact ? "pager.results" : "pager.results.more", String(total))))
    }
}
