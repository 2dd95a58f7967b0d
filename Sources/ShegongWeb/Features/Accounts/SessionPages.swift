import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// Login, logout, the forced password change and the language switch.
struct SessionPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login") { req async throws -> Response in
            if req.principal != nil, req.sessionToken != nil { return req.redirect(onSite: Self.safeNext(req.queryValue("next"))) }
            return Self.loginPage(req, username: "", message: req.queryValue("expired") != nil ? "login.session_expired" : nil)
        }
        routes.post("login") { req async throws -> Response in
            guard CSRF.isValid(req) else {
                try await CSRF.auditRejection(req)
                return Self.loginPage(req, username: "", message: "form.csrf", status: .forbidden)
            }
            let username = (try? req.content.get(String.self, at: "username")) ?? ""
            let password = (try? req.content.get(String.self, at: "password")) ?? ""
            let code = try? req.content.get(String.self, at: "totp")
            let attempt = req.application.shegong.loginRateLimiter.attempt(from: req.clientIP ?? "unknown")
            let outcome = try await req.accountStore.login(username: username, password: password, totpCode: code, ip: req.clientIP,
                                                           replacing: req.cookies[req.sessionCookieName]?.string, attempt: attempt)
            switch outcome {
            case .success(let session):
                let target = session.principal.mustChangePassword ? "/account/password"
                    : session.principal.mustEnrolTOTP ? "/account/totp" : Self.safeNext(try? req.content.get(String.self, at: "next"))
                let response = req.redirect(onSite: target, redirectType: .normal)
                response.cookies[req.sessionCookieName] = SessionCookie.value(session.token, secure: req.usesSecureCookies)
                response.cookies[CSRF.preSessionCookie(req)] = .expired
                return response
            case .failure(.rateLimited(let retry)):
                return try await Self.rateLimited(req, retryAfter: retry, tried: username)
            case .failure(let failure):
                // Unknown user, wrong password, locked and disabled answer alike (issue #10 item 6);
                // the lock itself is audited (`user.lock`) and shown to the administrators.
                let settings = try req.application.shegong.accountSettings()
                let shown = failure.shownToUser
                let message: String = switch shown {
                case .secondFactorRequired: Catalogue.text("login.totp_required", req.language)
                case .secondFactorInvalid: Catalogue.text("login.totp_invalid", req.language)
                default: Catalogue.text("login.failed_generic", req.language, String(settings.lockoutThreshold),
                                        String(Int(settings.lockoutDuration / 60)))
                }
                return Self.loginPage(req, username: username, rawMessage: message, status: .unauthorized,
                                      askTOTP: shown == .secondFactorRequired || shown == .secondFactorInvalid)
            }
        }
        routes.post("logout") { req async throws -> Response in
            if let token = req.sessionToken {
                try await CSRF.require(req)
                try await req.authenticator.logout(sessionToken: token, ip: req.clientIP)
            }
            let response = req.redirect(onSite: "/login", redirectType: .normal)
            response.cookies[req.sessionCookieName] = SessionCookie.expired(secure: req.usesSecureCookies)
            return response
        }
        routes.get("lang") { req async throws -> Response in
            let language = Language(tag: req.queryValue("to") ?? "") ?? .zhHans
            let response = req.redirect(onSite: req.queryValue("back") ?? "/")
            response.cookies["lang"] = HTTPCookies.Value(string: language.tag, maxAge: 365 * 86_400, path: "/", isSecure: req.usesSecureCookies,
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
                return Self.passwordPage(ctx, errors: ["repeatPassword": ctx.t("account.password_mismatch")], status: .unprocessableEntity)
            }
            do {
                let session = try await req.accountStore.changePassword(userID: ctx.principal.userID, current: current, new: new, ip: req.clientIP)
                let response = req.redirect(onSite: session.principal.mustEnrolTOTP ? "/account/totp" : "/account?changed=1", redirectType: .normal)
                response.cookies[req.sessionCookieName] = SessionCookie.value(session.token, secure: req.usesSecureCookies)
                return response
            } catch let error as StoreError where error.kind == .invalid {
                var errors = Dictionary(grouping: error.details) { $0.field ?? "newPassword" }
                    .mapValues { $0.map { $0.message(ctx.language) }.joined(separator: ctx.t("form.message_separator")) }
                if errors.isEmpty { errors["newPassword"] = error.message(ctx.language) }
                return Self.passwordPage(ctx, errors: errors, status: .unprocessableEntity)
            }
        }
    }

    /// Where to go after login: a path of this site (`RedirectTarget.onSite`), never the login
    /// page itself.
    static func safeNext(_ raw: String?) -> String {
        let target = RedirectTarget.onSite(raw)
        return target.hasPrefix("/login") ? "/" : target
    }

    /// 429 with `Retry-After`, audited. The name tried is recorded as the object, not as the
    /// actor: nobody has proved who they are.
    static func rateLimited(_ req: Request, retryAfter: TimeInterval, tried: String) async throws -> Response {
        let seconds = String(Int(retryAfter))
        try await req.audit(.loginRateLimited, "user", String(tried.prefix(64)), details: "429 retry_after=\(seconds)", result: .denied)
        let response = loginPage(req, username: "", rawMessage: Catalogue.text("error.429.message", req.language, seconds),
                                 status: .tooManyRequests)
        response.headers.replaceOrAdd(name: .retryAfter, value: seconds)
        return response
    }

    static func loginPage(_ req: Request, username: String, message: String? = nil, rawMessage: String? = nil,
                          status: HTTPResponseStatus = .ok, askTOTP: Bool = false) -> Response {
        let language = req.language
        let next = (try? req.content.get(String.self, at: "next")) ?? req.queryValue("next") ?? "/"
        let model = LoginModel(username: username, message: rawMessage ?? message.map { Catalogue.text($0, language) },
                               messageIsError: status != .ok, askTOTP: askTOTP, csrf: CSRF.preSessionToken(req), next: safeNext(next))
        let response = WebPage.document(language: language, title: Catalogue.text("login.title", language), status: status,
                                        body: SessionView.login(model, language))
        CSRF.attachCookie(req, to: response)
        return response
    }

    static func passwordPage(_ ctx: PageContext, errors: [String: String], status: HTTPResponseStatus = .ok) -> Response {
        WebPage.render(ctx, title: ctx.t("account.change_password"), active: "/account",
                       content: SessionView.password(ctx, mustChange: ctx.principal.mustChangePassword, errors: errors), status: status)
    }
}

/// What the login page shows: the name typed (never the password), a message, whether the code
/// is asked for, and the hidden fields (the pre-session CSRF token and where to go afterwards).
struct LoginModel {
    var username: String
    var message: String?
    var messageIsError: Bool
    var askTOTP: Bool
    var csrf: String
    /// Already `SessionPages.safeNext`: a path of this site.
    var next: String
}

/// The login and password pages as typed views.
enum SessionView {
    static func login(_ model: LoginModel, _ language: Language) -> Node {
        let t = Catalogue.standard.texts(language)
        let other: Language = language == .zhHans ? .en : .zhHans
        return .main(.id("content"), .class("login"),
                     .h1(.text(t("app.name")), .br(), .small(.text(t("app.title")))),
                     .unwrap(model.message) { .notice($0, model.messageIsError ? .error : .info) },
                     .form(.method("post"), .action("/login"), .class("stack"),
                           .input(.type("hidden"), .name(CSRF.field), .value(model.csrf)),
                           .input(.type("hidden"), .name("next"), .value(model.next)),
                           Field.input(t("login.username"), name: "username", value: model.username, required: true, autocomplete: "username"),
                           Field.input(t("login.password"), name: "password", type: "password", required: true, autocomplete: "current-password"),
                           .if(model.askTOTP, Field.input(t("login.totp"), name: "totp", required: true, autocomplete: "one-time-code",
                                                          .inputmode("numeric"), .pattern("[0-9]{6}"))),
                           .button(.type("submit"), .text(t("action.login")))),
                     .p(.class("muted"), .a(.href("/lang?to=\(other.tag)&back=%2Flogin"), .lang(other.tag), .text(other.nativeName))))
    }

    static func password(_ ctx: PageContext, mustChange: Bool, errors: [String: String]) -> Node {
        let t = ctx.t
        return .group(.if(mustChange, .notice(t("account.must_change_password"), .warning)),
                      Field.summary(ctx, count: errors.count),
                      .form(.method("post"), .action("/account/password"), .class("stack"), ctx.csrfInput,
                            Field.input(t("account.current_password"), name: "currentPassword", type: "password", error: errors["currentPassword"],
                                        required: true, autocomplete: "current-password"),
                            Field.input(t("account.new_password"), name: "newPassword", type: "password", error: errors["newPassword"],
                                        required: true, autocomplete: "new-password", hint: t("account.password_rules")),
                            Field.input(t("account.repeat_password"), name: "repeatPassword", type: "password", error: errors["repeatPassword"],
                                        required: true, autocomplete: "new-password"),
                            .button(.type("submit"), .text(t("action.save")))))
    }
}

extension ShegongServices {
    struct RateLimiterKey: StorageKey { typealias Value = LoginRateLimiter }

    /// Per-IP login attempts, counted in the database (shared by every server on it).
    var loginRateLimiter: LoginRateLimiter {
        get { app.storage[RateLimiterKey.self]! }
        nonmutating set { app.storage[RateLimiterKey.self] = newValue }
    }
}
