import Crypto
import Fluent
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

/// Resolves who is asking, once per request: the session cookie (browsers) or, under `/api/`
/// only, `Authorization: Bearer` (programs). Pages never take a bearer token: a token has no
/// idle timeout and no second factor, so it must not open what a browser session guards
/// (issue #10 item 5). It rejects nothing itself; the API routes (`RoutesBuilder.on(_:)`) and
/// the pages (`RoutesBuilder.page`) decide what an anonymous or unauthorised request gets. The
/// principal is this server's cached one only while the accounts' generation (read at most a fifth
/// of a second ago) is unchanged and for at most a second, so disabling an account or changing its
/// grant takes effect on the next request of the server it was made through and within a fifth of
/// a second on every other (docs/security.md, "Principal cache").
struct PrincipalMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let authenticator = try request.authenticator
        let isAPI = request.url.path.hasPrefix("/api/")
        let now = request.application.shegong.clock()
        if isAPI, let header = request.headers.first(name: .authorization) {
            request.principal = try await authenticator.principal(authorization: header, ip: request.clientIP, now: now)
        } else if let token = request.cookies[request.sessionCookieName]?.string, !token.isEmpty {
            request.principal = try await authenticator.principal(sessionToken: token, ip: request.clientIP, now: now)
            if request.principal != nil { request.sessionToken = token }
        }
        return try await next.respond(to: request)
    }
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
/// POSTs), Secure with the `__Host-` prefix (only this host, path `/`, never over plain HTTP)
/// unless `Request.usesSecureCookies` says plain HTTP is intended. No Expires: it ends with the
/// browser, and the server ends it sooner (idle 30 minutes, absolute 12 hours).
enum SessionCookie {
    static let name = "shegong_session"
    /// Browsers accept a `__Host-` cookie only when it is Secure, has path `/` and no Domain,
    /// so no other host (a sibling subdomain) can plant or overwrite it.
    static let hostPrefix = "__Host-"

    static func name(secure: Bool) -> String { secure ? hostPrefix + name : name }

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

    /// The client's address (`ClientAddress`): the peer, or behind a trusted proxy the
    /// rightmost `X-Forwarded-For` entry that is not a trusted proxy.
    var clientIP: String? {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trusted: application.shegong.settings.trustedProxies)
    }

    /// Whether cookies are Secure (and the session cookie `__Host-` prefixed), issue #10 item 10.
    /// Yes by default; no only when Shegong serves plain HTTP on a loopback address with no
    /// trusted proxy in front (the tests, `scripts/run`, the browser tests), or when
    /// `SHEGONG_PLAIN_HTTP=1` says plain HTTP is intended. TLS or `SHEGONG_SECURE_COOKIES=1`
    /// always means yes.
    var usesSecureCookies: Bool {
        let settings = application.shegong.settings
        let server = application.http.server.configuration
        if settings.secureCookies || server.tlsConfiguration != nil { return true }
        if settings.plainHTTP { return false }
        guard settings.trustedProxies.isEmpty, case .hostname = server.address else { return true }
        return !Self.isLoopback(server.hostname)
    }

    static func isLoopback(_ hostname: String) -> Bool {
        if hostname == "localhost" { return true }
        guard let bytes = AddressRange.parse(hostname) else { return false }
        return AddressRange.loopback.contains { $0.contains(bytes) }
    }

    /// `__Host-shegong_session` with Secure cookies, else `shegong_session`.
    var sessionCookieName: String { SessionCookie.name(secure: usesSecureCookies) }

    var authenticator: ShegongStore.Authenticator {
        get throws { ShegongStore.Authenticator(db: db, settings: try application.shegong.accountSettings(), audit: application.shegong.auditLog,
                                       writes: application.shegong.writeQueue, cache: application.shegong.principalCache) }
    }

    var accountStore: AccountStore {
        get throws { try application.shegong.accounts(db: db) }
    }

    var auditLog: AuditLog { application.shegong.auditLog }

    /// Who the audit log names: the username, or "anonymous".
    var actorName: String { principal?.username ?? "anonymous" }
}
