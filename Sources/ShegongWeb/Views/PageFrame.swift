import Foundation
import ShegongDomain
import Vapor

/// The page frame: header with the user's account and role, navigation for their role (from the
/// features, `WebFeatures.navigation`), the language switch, and the content. Plain HTML and the
/// project's stylesheet; no script needed.
enum WebPage {
    /// A whole page. `refresh` (seconds) reloads the page by itself (a progress page; no script).
    static func render(_ ctx: PageContext, title: String, active: String? = nil, content: Node,
                       status: HTTPResponseStatus = .ok, wide: Bool = false, refresh: Int? = nil) -> Response {
        let body = Node.group(header(ctx), navigation(ctx, active: active),
                              .main(.id("content"), .if(wide, .class("wide")), .h1(.text(title)), content),
                              .footer(.text(ctx.t("app.footer")), " · ", .span(.id("clock"), .text(ctx.t("clock.beijing")))))
        return document(language: ctx.language, title: title, status: status, refresh: refresh, body: body)
    }

    /// The bare document (login and error pages use it without the navigation).
    static func document(language: Language, title: String, status: HTTPResponseStatus = .ok, refresh: Int? = nil, body: Node) -> Response {
        let page = Node.html(.lang(language.tag),
                             .head(.meta(.attribute("charset", "utf-8")),
                                   .unwrap(refresh) { .meta(.attribute("http-equiv", "refresh"), .attribute("content", String($0))) },
                                   .meta(.name("viewport"), .attribute("content", "width=device-width, initial-scale=1")),
                                   .element("title", [.text(Catalogue.text("app.page_title", language, title))]),
                                   .link(.attribute("rel", "stylesheet"), .href(StaticAssets.stylesheetPath))),
                             .body(.a(.class("skip"), .href("#content"), .text(Catalogue.text("app.skip_to_content", language))), body))
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: "<!doctype html>" + page.render()))
    }

    private static func header(_ ctx: PageContext) -> Node {
        let t = ctx.t
        let other: Language = ctx.language == .zhHans ? .en : .zhHans
        let back = ctx.request.url.string.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        return .header(.class("top"),
                       .a(.class("brand"), .href("/"), .text(t("app.name")), .small(.text(t("app.title")))),
                       .div(.class("who"),
                            .span(.text(t("app.signed_in_as", ctx.principal.username))),
                            .span(.class("role"), .text(Catalogue.text("role.\(ctx.principal.role.rawValue)", ctx.language))),
                            .a(.href("/lang?to=\(other.tag)&back=\(back)"), .lang(other.tag), .text(other.nativeName)),
                            .link("/account", t("nav.account")),
                            .form(.method("post"), .action("/logout"), .class("inline"), ctx.csrfInput,
                                  .button(.type("submit"), .class("link"), .text(t("nav.logout"))))))
    }

    private static func navigation(_ ctx: PageContext, active: String?) -> Node {
        let path = ctx.request.url.path
        let items = WebFeatures.navigation(for: ctx.principal).map { item in
            let current = item.path == (active ?? path) || (item.path != "/" && path.hasPrefix(item.path))
            return Node.li(.a(.href(item.path), .current(current), .text(ctx.t(item.key))))
        }
        return .nav(.class("main"), .ariaLabel(ctx.t("nav.main")), .ul(.group(items)))
    }
}
