import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Login, logout, the forced password change and the language switch.
struct SessionPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login") { req async throws -> Response in
            if req.principal != nil, req.sessionToken != nil { return req.redirect(to: Self.safeNext(req.query[String.self, at: "next"])) }
            return Self.loginPage(req, username: "", message: req.query[String.self, at: "expired"] != nil ? "login.session_expired" : nil)
        }
        routes.post("login") { req async throws -> Response in
            guard CSRF.isValid(req) else {
                return Self.loginPage(req, username: "", message: "form.csrf", status: .forbidden)
            }
            let ip = req.clientIP ?? "unknown"
            if case .limited(let retry) = await req.application.shegong.loginRateLimiter.attempt(ip: ip) {
                let seconds = String(Int(retry))
                let response = Self.loginPage(req, username: "", rawMessage: Catalogue.text("error.429.message", req.language, seconds),
                                              status: .tooManyRequests)
                response.headers.replaceOrAdd(name: .retryAfter, value: seconds)
                return response
            }
            let username = (try? req.content.get(String.self, at: "username")) ?? ""
            let password = (try? req.content.get(String.self, at: "password")) ?? ""
            let code = try? req.content.get(String.self, at: "totp")
            let outcome = try await req.accountStore.login(username: username, password: password, totpCode: code, ip: req.clientIP,
                                                           replacing: req.cookies[SessionCookie.name]?.string)
            switch outcome {
            case .success(let session):
                let target = session.principal.mustChangePassword ? "/account/password"
                    : session.principal.mustEnrolTOTP ? "/account/totp" : Self.safeNext(try? req.content.get(String.self, at: "next"))
                let response = req.redirect(to: target, redirectType: .normal)
                response.cookies[SessionCookie.name] = SessionCookie.value(session.token, secure: req.isSecureTransport)
                response.cookies[CSRF.preSessionCookie] = .expired
                return response
            case .failure(let failure):
                let message: String
                switch failure {
                case .locked(let until):
                    message = Catalogue.text("login.locked", req.language, String(max(1, Int((until.timeIntervalSinceNow / 60).rounded(.up)))))
                case .secondFactorRequired, .secondFactorInvalid, .disabled:
                    message = req.language == .zhHans ? failure.message : Catalogue.text("login.failed", .en)
                case .invalidCredentials:
                    message = Catalogue.text("login.failed", req.language)
                }
                return Self.loginPage(req, username: username, rawMessage: message, status: .unauthorized,
                                      askTOTP: failure == .secondFactorRequired || failure == .secondFactorInvalid)
            }
        }
        routes.post("logout") { req async throws -> Response in
            if let token = req.sessionToken {
                try CSRF.require(req)
                try await req.authenticator.logout(sessionToken: token, ip: req.clientIP)
            }
            let response = req.redirect(to: "/login", redirectType: .normal)
            response.cookies[SessionCookie.name] = SessionCookie.expired(secure: req.isSecureTransport)
            return response
        }
        routes.get("lang") { req async throws -> Response in
            let language = Language(tag: req.query[String.self, at: "to"] ?? "") ?? .zhHans
            let response = req.redirect(to: Self.safeNext(req.query[String.self, at: "back"]))
            response.cookies["lang"] = HTTPCookies.Value(string: language.tag, maxAge: 365 * 86_400, path: "/", isSecure: req.isSecureTransport,
                                                         isHTTPOnly: true, sameSite: .lax)
            return response
        }
        routes.page(.GET, "account", "password") { req, ctx in
            Self.passwordPage(ctx, errors: [:])
        }
        routes.page(.POST, "account", "password") { req, ctx in
            let current = (try? req.content.get(String.self, at: "currentPassword")) ?? ""
            let new = (try? req.content.get(String.self, at: "newPassword")) ?? ""
            let repeated = (try? req.content.get(String.self, at: "repeatPassword")) ?? ""
            if new != repeated {
                return Self.passwordPage(ctx, errors: ["repeatPassword": ctx.language == .zhHans ? "两次输入的新密码不一致" : "The two new passwords differ"],
                                         status: .unprocessableEntity)
            }
            do {
                let session = try await req.accountStore.changePassword(userID: ctx.principal.userID, current: current, new: new, ip: req.clientIP)
                let response = req.redirect(to: session.principal.mustEnrolTOTP ? "/account/totp" : "/account?changed=1", redirectType: .normal)
                response.cookies[SessionCookie.name] = SessionCookie.value(session.token, secure: req.isSecureTransport)
                return response
            } catch let error as StoreError where error.kind == .invalid {
                var errors = Dictionary(grouping: error.details) { $0.field ?? "newPassword" }
                    .mapValues { $0.map { $0.message(ctx.language) }.joined(separator: ctx.language == .en ? "; " : "；") }
                if errors.isEmpty { errors["newPassword"] = error.message(ctx.language) }
                return Self.passwordPage(ctx, errors: errors, status: .unprocessableEntity)
            }
        }
    }

    /// Only a local path: never an absolute URL (no open redirect).
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"), !raw.hasPrefix("/login") else { return "/" }
        return raw
    }

    static func loginPage(_ req: Request, username: String, message: String? = nil, rawMessage: String? = nil,
                          status: HTTPResponseStatus = .ok, askTOTP: Bool = false) -> Response {
        let language = req.language
        let t = Catalogue.standard.texts(language)
        let csrf = CSRF.preSessionToken(req)
        let notice = rawMessage ?? message.map { t($0) }
        let next = (try? req.content.get(String.self, at: "next")) ?? req.query[String.self, at: "next"] ?? "/"
        let other: Language = language == .zhHans ? .en : .zhHans
        let body = """
        <main id="content" class="login"><h1>\(HTML.escape(t("app.name")))<br><small>\(HTML.escape(t("app.title")))</small></h1>
        \(notice.map { HTML.notice($0, kind: status == .ok ? "info" : "error") } ?? "")
        <form method="post" action="/login" class="stack">
        <input type="hidden" name="\(CSRF.field)" value="\(HTML.escape(csrf))"><input type="hidden" name="next" value="\(HTML.escape(safeNext(next)))">
        \(Form.field(t("login.username"), name: "username", value: username, required: true, autocomplete: "username"))
        \(Form.field(t("login.password"), name: "password", type: "password", required: true, autocomplete: "current-password"))
        \(askTOTP ? Form.field(t("login.totp"), name: "totp", required: true, autocomplete: "one-time-code", attributes: #"inputmode="numeric" pattern="[0-9]{6}""#) : "")
        <button type="submit">\(HTML.escape(t("action.login")))</button></form>
        <p class="muted"><a href="/lang?to=\(other.tag)&amp;back=%2Flogin" lang="\(other.tag)">\(HTML.escape(other.nativeName))</a></p></main>
        """
        let response = WebPage.document(language: language, title: t("login.title"), status: status, body: body)
        CSRF.attachCookie(req, to: response)
        return response
    }

    static func passwordPage(_ ctx: PageContext, errors: [String: String], status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t
        var content = ""
        if ctx.principal.mustChangePassword { content += HTML.notice(t("account.must_change_password"), kind: "warn") }
        content += Form.summary(ctx, count: errors.count)
        content += """
        <form method="post" action="/account/password" class="stack">\(ctx.csrfField)
        \(Form.field(t("account.current_password"), name: "currentPassword", type: "password", error: errors["currentPassword"], required: true, autocomplete: "current-password"))
        \(Form.field(t("account.new_password"), name: "newPassword", type: "password", error: errors["newPassword"], required: true, autocomplete: "new-password", hint: t("account.password_rules")))
        \(Form.field(t("account.repeat_password"), name: "repeatPassword", type: "password", error: errors["repeatPassword"], required: true, autocomplete: "new-password"))
        <button type="submit">\(HTML.escape(t("action.save")))</button></form>
        """
        return WebPage.render(ctx, title: t("account.change_password"), active: "/account", content: content, status: status)
    }
}

extension ShegongServices {
    struct RateLimiterKey: StorageKey { typealias Value = LoginRateLimiter }

    /// Per-IP login attempts (one per application).
    var loginRateLimiter: LoginRateLimiter {
        get { app.storage[RateLimiterKey.self]! }
        nonmutating set { app.storage[RateLimiterKey.self] = newValue }
    }
}
