import Foundation
import ShegongDomain
import Vapor

/// The error page for browsers: the catalogue's title and message for the status and its number
/// (never the internal error code, a key like `http.403`), never a stack trace or SQL (those go to the log only). Validation messages that name a
/// field are shown: they are written for the user.
enum ErrorPage {
    static func render(status: HTTPResponseStatus, body: APIErrorBody, request: Request) -> Response {
        let language = request.language
        let t = Catalogue.standard.texts(language)
        let known: Set<UInt> = [400, 401, 403, 404, 413, 429, 500, 503]
        let key = known.contains(status.code) ? "error.\(status.code)" : (status.code >= 500 ? "error.500" : "error.400")
        var message = t("\(key).message", status == .payloadTooLarge ? "\(request.application.shegong.settings.maxUploadBytes >> 20) MiB" : "")
        if status == .unprocessableEntity || status == .badRequest || status == .conflict {
            // A message with a catalogue key in the page's language; one without (a Chinese-only
            // API message) only on a Chinese page, the status's own message otherwise.
            if let text = body.error.text { message = text.text(language) } else if language == .zhHans { message = body.error.message }
        }
        let title = t(key + ".title")
        let back: Node = status == .unauthorized ? .p(.a(.class("button"), .href("/login"), .text(t("action.login"))))
                                                 : .p(.link("/", t("error.back_home")))
        let page = Node.main(.id("content"), .h1(.text(title)), .notice(message, .error),
                             .p(.class("muted"), .text(t("error.status", String(status.code)))), back)
        return WebPage.document(language: language, title: title, status: status, body: page)
    }
}
