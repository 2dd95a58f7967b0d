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
    var csrfInput: Node { .input(.type("hidden"), .name(CSRF.field), .value(csrf)) }
}

extension Request {
    /// `?lang=`, then the `lang` cookie the switch sets, then `Accept-Language`, then Chinese.
    var language: Language {
        Language.resolve(query: queryValue("lang"), cookie: cookies["lang"]?.string,
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
