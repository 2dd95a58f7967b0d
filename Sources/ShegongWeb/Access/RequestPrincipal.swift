import Crypto
import Fluent
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

/// Resolves who is asking, once per request: the session cookie (browsers) or
/// `Authorization: Bearer` (programs). It rejects nothing itself; the API routes
/// (`RoutesBuilder.on(_:)`) and the pages (`RoutesBuilder.page`) decide what an anonymous or
/// unauthorised request gets. The account row is read on every request, so disabling an account
/// or changing its grant takes effect at once (docs/security.md).
struct PrincipalMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let authenticator = try request.authenticator
        if let header = request.headers.first(name: .authorization) {
            request.principal = try await authenticator.principal(authorization: header)
        } else if let token = request.cookies[SessionCookie.name]?.string, !token.isEmpty {
            request.principal = try await authenticator.principal(sessionToken: token)
            if request.principal != nil { request.sessionToken = token }
        }
        return try await next.respond(to: request)
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
/// POSTs), Secure when Shegong is served over TLS or `SHEGONG_SECURE_COOKIES=1` says a TLS proxy
/// is in front. No Expires: it ends with the browser, and the server ends it sooner (idle 30
/// minutes, absolute 12 hours).
enum SessionCookie {
    static let name = "shegong_session"

    static func value(_ token: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    static func expired(secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: secure,
                          isHTTPOnly: true, sameSite: .lax)
    }
}

extension Request {
    struct PrincipalKey: StorageKey { typealias Value = Principal }
    struct SessionTokenKey: StorageKey { typealias Value = String }

    /// The authenticated account, or nil.
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// The session cookie's value when the principal came from it.
    var sessionToken: String? {
        get { storage[SessionTokenKey.self] }
        set { storage[SessionTokenKey.self] = newValue }
    }

    /// The principal, or 401 (JSON for the API).
    func requirePrincipal() throws -> Principal {
        guard let principal else {
            throw APIError(status: .unauthorized, code: "auth.required", message: "请先登录，或在请求头中提供 Authorization: Bearer 令牌")
        }
        return principal
    }

    /// The peer address; `X-Forwarded-For` only when `SHEGONG_TRUST_PROXY=1` says a proxy sets it.
    var clientIP: String? {
        if application.shegong.settings.trustProxy, let forwarded = headers.first(name: .xForwardedFor) {
            return forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return remoteAddress?.ipAddress
    }

    /// Whether this request arrived over TLS (or the operator says a TLS proxy is in front).
    var isSecureTransport: Bool {
        application.shegong.settings.secureCookies || application.http.server.configuration.tlsConfiguration != nil
    }

    var authenticator: ShegongStore.Authenticator {
        get throws { ShegongStore.Authenticator(db: db, settings: try application.shegong.accountSettings(), audit: application.shegong.auditLog) }
    }

    var accountStore: AccountStore {
        get throws { try application.shegong.accounts(db: db) }
    }

    var auditLog: AuditLog { application.shegong.auditLog }

    /// Who the audit log names: the username, or "anonymous".
    var actorName: String { principal?.username ?? "anonymous" }
}
