import Crypto
import Foundation
import ShegongStore
import Vapor

/// The response headers of issue #3 §4 on every response: a Content-Security-Policy that allows
/// no inline script and no framing, no MIME sniffing, no referrer leaving the site, and
/// `Cache-Control: no-store` on everything but the static assets (any page or API answer may hold
/// personal data, so none is kept by a browser or proxy).
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("Content-Security-Policy", Self.contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        if !request.url.path.hasPrefix(StaticAssets.prefix) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            response.headers.replaceOrAdd(name: .pragma, value: "no-cache")
        }
        if request.usesSecureCookies {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        return response
    }
}

/// Cross-site request forgery tokens (issue #3 §4).
///
/// With a session: the token is an HMAC of the session id under a key derived from the
/// personal-data key, so it needs no storage, changes with every login and cannot be made by
/// another site. Before login (the login form): a random value in a `SameSite=Strict` cookie that
/// the form must repeat (double submit). Pages put it in a hidden `_csrf` field; scripts and API
/// clients using the session cookie send it as `X-CSRF-Token`. Bearer-token requests need none
/// (a browser never adds that header by itself).
enum CSRF {
    static let field = "_csrf"
    static let header = "X-CSRF-Token"
    static let preSessionCookieBase = "shegong_csrf"

    /// `__Host-shegong_csrf` with Secure cookies (as the session cookie), else `shegong_csrf`.
    static func preSessionCookie(_ request: Request) -> String {
        request.usesSecureCookies ? SessionCookie.hostPrefix + preSessionCookieBase : preSessionCookieBase
    }

    struct KeyKey: StorageKey { typealias Value = [UInt8] }

    static func deriveKey(_ cipher: PersonalDataCipher) -> [UInt8] {
        Array(cipher.index("shegong/csrf/v1").utf8)
    }

    /// Derived once at start-up (`configure`).
    static func key(_ request: Request) -> SymmetricKey {
        SymmetricKey(data: request.application.storage[KeyKey.self] ?? deriveKey(request.application.shegong.cipher))
    }

    /// The token for this request's session, or the pre-login token (set by `preSessionToken`).
    static func token(for request: Request) -> String {
        if let session = request.sessionToken {
            let mac = HMAC<SHA256>.authenticationCode(for: Data(session.utf8), using: key(request))
            return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return request.cookies[preSessionCookie(request)]?.string ?? ""
    }

    /// A pre-login token, reusing the cookie when it is there; `response` gets the cookie.
    static func preSessionToken(_ request: Request) -> String {
        if let existing = request.cookies[preSessionCookie(request)]?.string, existing.count == 43 { return existing }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        request.storage[PendingCookieKey.self] = token
        return token
    }

    struct PendingCookieKey: StorageKey { typealias Value = String }

    /// Adds the pre-login cookie to a response when `preSessionToken` made a new one.
    static func attachCookie(_ request: Request, to response: Response) {
        guard let token = request.storage[PendingCookieKey.self] else { return }
        response.cookies[preSessionCookie(request)] = HTTPCookies.Value(string: token, path: "/", isSecure: request.usesSecureCookies,
                                                               isHTTPOnly: true, sameSite: .strict)
    }

    /// Whether the request carries the right token: header, form field, or `?_csrf=` (used only by
    /// the multipart upload form, whose body is streamed to disk before it could be read).
    static func isValid(_ request: Request, allowQuery: Bool = false) -> Bool {
        let expected = token(for: request)
        guard !expected.isEmpty else { return false }
        var presented = request.headers.first(name: header)
        if presented == nil, request.headers.contentType == .urlEncodedForm {
            presented = try? request.content.get(String.self, at: field)
        }
        if presented == nil, allowQuery { presented = request.queryValue(field) }
        guard let presented else { return false }
        return constantTimeEqual(presented, expected)
    }

    /// 403 without the right token; every rejection is audited with the address
    /// (`security.csrf_rejected`), as a forged form is an attack on whoever was logged in.
    static func require(_ request: Request, allowQuery: Bool = false) async throws {
        guard isValid(request, allowQuery: allowQuery) else {
            try await auditRejection(request)
            throw APIError(status: .forbidden, code: "csrf.invalid", message: "表单已失效或来源不明（CSRF 校验未通过），请刷新页面后重试")
        }
    }

    static func auditRejection(_ request: Request) async throws {
        try await request.audit(.csrfRejected, "request", request.url.path, details: "\(request.method.rawValue) \(request.url.path)", result: .denied)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
