import Foundation
import ShegongDomain
import Vapor

// TRANSITIONAL — removed once every page is a typed view. Nothing new may use these.

extension Node {
    /// HTML a page still builds by hand with `HTML.escape`.
    static func legacyMarkup(_ html: String) -> Node { .init(legacy: html) }
}

extension PageContext {
    var csrfField: String { csrfInput.render() }
}

extension WebPage {
    static func render(_ ctx: PageContext, title: String, active: String? = nil, content: String,
                       status: HTTPResponseStatus = .ok, wide: Bool = false, refresh: Int? = nil) -> Response {
        render(ctx, title: title, active: active, content: .legacyMarkup(content), status: status, wide: wide, refresh: refresh)
    }

    static func document(language: Language, title: String, status: HTTPResponseStatus = .ok, refresh: Int? = nil, body: String) -> Response {
        document(language: language, title: title, status: status, refresh: refresh, body: .legacyMarkup(body))
    }
}
