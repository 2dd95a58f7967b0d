import Foundation

/// "Previous · page 2 of 7 · next" under a long list, keeping the page's other query items.
enum Pager {
    static func node(_ ctx: PageContext, page: Int, perPage: Int, total: Int) -> Node {
        let pages = max(1, (total + perPage - 1) / perPage)
        guard pages > 1 else { return .empty }
        func link(_ target: Int, _ key: String) -> Node {
            var components = URLComponents(string: ctx.request.url.string) ?? URLComponents()
            var items = (components.queryItems ?? []).filter { $0.name != "page" }
            items.append(URLQueryItem(name: "page", value: String(target)))
            components.queryItems = items
            return .link(components.string ?? "?page=\(target)", ctx.t(key))
        }
        return .nav(.class("pager"), .ariaLabel(ctx.t("pager.label")),
                    .if(page > 1, .group(link(page - 1, "action.previous_page"), " ")),
                    .span(.text(ctx.t("pager.page", String(page), String(pages)))),
                    .if(page < pages, .group(" ", link(page + 1, "action.next_page"))))
    }
}
