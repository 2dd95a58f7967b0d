import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// What every page handler gets: who is asking, in which language, the texts in that language
/// and the CSRF token for its forms.
struct PageContext: Sendable {
    let request: Request
    let principal: Principal
    let language: Language
    var t: LocalizedTexts { Catalogue.standard.texts(language) }
    var csrf: String { CSRF.token(for: request) }

    /// `<input type="hidden" name="_csrf" …>` for a state-changing form.
    var csrfField: String { #"<input type="hidden" name="\#(CSRF.field)" value="\#(HTML.escape(csrf))">"# }
}

extension Request {
    /// `?lang=`, then the `lang` cookie the switch sets, then `Accept-Language`, then Chinese.
    var language: Language {
        Language.resolve(query: query[String.self, at: "lang"], cookie: cookies["lang"]?.string,
                         acceptLanguage: headers.first(name: .acceptLanguage))
    }
}

extension RoutesBuilder {
    /// A page behind login. Anonymous requests are sent to the login page (and back afterwards);
    /// an account with a one-time or expired password may only change it, an administrator who
    /// must enrol TOTP only enrol; `allow` decides the rest (false: the 403 page, audited). Every
    /// POST checks the CSRF token first — no page changes anything on GET.
    @discardableResult
    func page(_ method: HTTPMethod = .GET, _ path: PathComponent..., body: HTTPBodyStreamStrategy = .collect,
              allow: @Sendable @escaping (Principal) -> Bool = { _ in true },
              use handler: @Sendable @escaping (Request, PageContext) async throws -> Response) -> Route {
        let confinedTo = path.map(\.description).joined(separator: "/")
        let streamed: Bool
        if case .stream = body { streamed = true } else { streamed = false }
        return on(method, path, body: body) { req async throws -> Response in
            guard let principal = req.principal, req.sessionToken != nil || method == .GET else {
                if method == .GET {
                    let next = req.url.string
                    return req.redirect(onSite: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
                }
                throw Abort(.unauthorized)
            }
            if principal.mustChangePassword, confinedTo != "account/password" {
                return req.redirect(onSite: "/account/password")
            }
            if principal.mustEnrolTOTP, !principal.mustChangePassword, confinedTo != "account/totp" {
                return req.redirect(onSite: "/account/totp")
            }
            if method != .GET { try await CSRF.require(req, allowQuery: streamed) }
            guard allow(principal) else {
                try await req.audit(.accessDenied, "page", req.url.path, details: "\(method.rawValue) \(req.url.path)", result: .denied)
                throw Abort(.forbidden)
            }
            return try await handler(req, PageContext(request: req, principal: principal, language: req.language))
        }
    }
}

/// The page frame: header with the user's region and account, navigation for their role, the
/// language switch, and the content. Plain HTML and the project's stylesheet; no script needed.
enum WebPage {
    struct NavItem {
        var key: String
        var path: String
    }

    static func navigation(for principal: Principal) -> [NavItem] {
        switch principal.role {
        case .systemAdministrator: return [.init(key: "admin.users", path: "/admin/users")]
        case .securityAdministrator: return [.init(key: "admin.roles", path: "/admin/users")]
        case .auditAdministrator: return [.init(key: "nav.audit", path: "/admin/audit")]
        case .official:
            var items: [NavItem] = [.init(key: "nav.home", path: "/"), .init(key: "nav.regions", path: "/regions"),
                                    .init(key: "nav.people", path: "/people"), .init(key: "nav.organizations", path: "/organizations")]
            if principal.isReadWriteOfficial { items.append(.init(key: "nav.import", path: "/import")) }
            items += [.init(key: "nav.export", path: "/export"), .init(key: "nav.statistics", path: "/statistics"),
                      .init(key: "nav.figures", path: "/figures"), .init(key: "nav.plans", path: "/dashboard"),
                      .init(key: "nav.incentives", path: "/incentives")]
            return items
        case .departmentOperator:
            return [.init(key: "nav.home", path: "/"), .init(key: "nav.regions", path: "/regions"),
                    .init(key: "nav.statistics", path: "/statistics"), .init(key: "nav.figures", path: "/figures"),
                    .init(key: "nav.plans", path: "/dashboard")]
        case .organizationManager:
            return [.init(key: "nav.home", path: "/"), .init(key: "nav.people", path: "/people"),
                    .init(key: "nav.organizations", path: "/organizations"), .init(key: "nav.incentives", path: "/incentives")]
        case .socialWorker:
            return [.init(key: "nav.home", path: "/"), .init(key: "nav.incentives", path: "/incentives")]
        }
    }

    /// A whole page. `content` is HTML the caller built with every value escaped.
    /// `refresh` (seconds) reloads the page by itself (a progress page; no script needed).
    static func render(_ ctx: PageContext, title: String, active: String? = nil, content: String,
                       status: HTTPResponseStatus = .ok, wide: Bool = false, refresh: Int? = nil) -> Response {
        let t = ctx.t
        let path = ctx.request.url.path
        let nav = navigation(for: ctx.principal).map { item -> String in
            let current = item.path == (active ?? path) || (item.path != "/" && path.hasPrefix(item.path))
            return #"<li><a href="\#(item.path)"\#(current ? #" aria-current="page""# : "")>\#(HTML.escape(t(item.key)))</a></li>"#
        }.joined()
        let other: Language = ctx.language == .zhHans ? .en : .zhHans
        let back = ctx.request.url.string.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        let header = """
        <header class="top"><a class="brand" href="/">\(HTML.escape(t("app.name")))<small>\(HTML.escape(t("app.title")))</small></a>
        <div class="who"><span>\(HTML.escape(t("app.signed_in_as", ctx.principal.username)))</span>
        <span class="role">\(HTML.escape(Catalogue.text("role.\(ctx.principal.role.rawValue)", ctx.language)))</span>
        <a href="/lang?to=\(other.tag)&amp;back=\(back)" lang="\(other.tag)">\(HTML.escape(other.nativeName))</a>
        <a href="/account">\(HTML.escape(t("nav.account")))</a>
        <form method="post" action="/logout" class="inline">\(ctx.csrfField)<button type="submit" class="link">\(HTML.escape(t("nav.logout")))</button></form></div></header>
        <nav class="main" aria-label="\(HTML.escape(t("nav.main")))"><ul>\(nav)</ul></nav>
        """
        return document(language: ctx.language, title: title, status: status, refresh: refresh,
                        body: header + #"<main id="content"\#(wide ? #" class="wide""# : "")><h1>\#(HTML.escape(title))</h1>"# + content + "</main>"
                            + #"<footer>\#(HTML.escape(t("app.footer")))</footer>"#)
    }

    /// The bare document (login and error pages use it without the navigation).
    static func document(language: Language, title: String, status: HTTPResponseStatus = .ok, refresh: Int? = nil, body: String) -> Response {
        let page = """
        <!doctype html><html lang="\(language.tag)"><head><meta charset="utf-8">\(refresh.map { #"<meta http-equiv="refresh" content="\#($0)">"# } ?? "")
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(Catalogue.text("app.page_title", language, title)))</title>
        <link rel="stylesheet" href="\(StaticAssets.stylesheetPath)"></head>
        <body><a class="skip" href="#content">\(HTML.escape(Catalogue.text("app.skip_to_content", language)))</a>\(body)</body></html>
        """
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: page))
    }
}

/// Form pieces that put the server's message beside the field (issue #3 §6).
enum Form {
    /// One labelled input. `error` (already localised) is shown under it and marks it invalid.
    /// `id` defaults to `f-<name>`; a page with the same form several times gives each its own.
    static func field(_ label: String, name: String, value: String? = nil, type: String = "text", error: String? = nil,
                      required: Bool = false, autocomplete: String? = nil, hint: String? = nil, attributes: String = "",
                      id: String? = nil) -> String {
        let id = id ?? "f-" + name
        var input = #"<input id="\#(id)" name="\#(HTML.escape(name))" type="\#(type)""#
        if let value, type != "password" { input += #" value="\#(HTML.escape(value))""# }
        if required { input += " required" }
        if let autocomplete { input += #" autocomplete="\#(autocomplete)""# }
        if error != nil { input += #" aria-invalid="true" aria-describedby="\#(id)-error""# }
        if !attributes.isEmpty { input += " " + attributes }
        input += ">"
        var html = #"<div class="field\#(error == nil ? "" : " invalid")"><label for="\#(id)">\#(HTML.escape(label))</label>"# + input
        if let hint { html += #"<small class="hint">\#(HTML.escape(hint))</small>"# }
        if let error { html += #"<small class="error" id="\#(id)-error">\#(HTML.escape(error))</small>"# }
        return html + "</div>"
    }

    /// A `<select>`; `options` are (value, label).
    static func select(_ label: String, name: String, options: [(String, String)], selected: String?, error: String? = nil) -> String {
        let id = "f-" + name
        let opts = options.map { value, text in
            #"<option value="\#(HTML.escape(value))"\#(value == selected ? " selected" : "")>\#(HTML.escape(text))</option>"#
        }.joined()
        var html = #"<div class="field\#(error == nil ? "" : " invalid")"><label for="\#(id)">\#(HTML.escape(label))</label><select id="\#(id)" name="\#(HTML.escape(name))"\#(error == nil ? "" : #" aria-invalid="true""#)>\#(opts)</select>"#
        if let error { html += #"<small class="error">\#(HTML.escape(error))</small>"# }
        return html + "</div>"
    }

    /// The summary above a form with errors.
    static func summary(_ ctx: PageContext, count: Int) -> String {
        count == 0 ? "" : #"<p class="alert error" role="alert">\#(HTML.escape(ctx.t("form.errors_summary", String(count))))</p>"#
    }
}

extension HTML {
    /// A notice box (`kind`: info, ok, error).
    static func notice(_ text: String, kind: String = "info") -> String {
        #"<p class="alert \#(kind)" role="status">\#(escape(text))</p>"#
    }
}

extension StoreError {
    /// The messages a form shows beside its fields, in the page's language: each detail under its
    /// field (`fallback` when it names none), the error's own message under `fallback` when it has
    /// no details.
    func fieldMessages(_ language: Language, fallback: String) -> [String: String] {
        FieldMessages.collect(details.map { ($0.field, $0.message(language)) }, general: message(language), fallback: fallback)
    }
}

extension APIError {
    /// As `StoreError.fieldMessages`.
    func fieldMessages(_ language: Language, fallback: String) -> [String: String] {
        FieldMessages.collect(details.map { ($0.field, $0.message(language)) }, general: message(language), fallback: fallback)
    }
}

enum FieldMessages {
    static func collect(_ details: [(field: String?, message: String)], general: String, fallback: String) -> [String: String] {
        var errors: [String: String] = [:]
        for detail in details { errors[detail.field ?? fallback] = detail.message }
        return errors.isEmpty ? [fallback: general] : errors
    }
}
