import Foundation
import ShegongDomain
import Vapor

/// The error page for browsers: the catalogue's title and message for the status and the error
/// code, never a stack trace or SQL (those go to the log only). Validation messages that name a
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
        var content = HTML.notice(message, kind: "error")
        content += #"<p class="muted">\#(HTML.escape(t("error.code", body.error.code)))</p>"#
        if status == .unauthorized {
            content += #"<p><a class="button" href="/login">\#(HTML.escape(t("action.login")))</a></p>"#
        } else {
            content += #"<p><a href="/">\#(HTML.escape(t("error.back_home")))</a></p>"#
        }
        let title = t(key + ".title")
        let page = #"<main id="content"><h1>\#(HTML.escape(title))</h1>\#(content)</main>"#
        return WebPage.document(language: language, title: title, status: status, body: page)
    }
}
