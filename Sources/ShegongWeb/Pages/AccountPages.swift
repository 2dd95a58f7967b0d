import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The signed-in user's own account: overview, TOTP enrolment and API tokens (issue #3 §1, §5, §6).
/// The password page is in `SessionPages`.
struct AccountPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "account") { req, ctx in
            try await Self.overview(ctx, notice: req.query[String.self, at: "changed"] != nil ? HTML.notice(ctx.t("account.password_changed"), kind: "ok") : "")
        }
        routes.page(.POST, "account", "tokens") { req, ctx in
            let name = ((try? req.content.get(String.self, at: "name")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...50).contains(name.count) else {
                return try await Self.overview(ctx, tokenError: ctx.t("account.token_name_invalid"), status: .unprocessableEntity)
            }
            let created: CreatedAPIToken
            do {
                created = try await req.accountStore.createToken(username: ctx.principal.username, name: name, actor: ctx.principal.username, ip: req.clientIP)
            } catch let error as StoreError where error.code == "token.owner_administrator" {
                try await req.audit(.tokenCreate, "api_token", nil, details: "refused: owner is an administrator", result: .denied)
                return try await Self.overview(ctx, notice: HTML.notice(error.message(ctx.language), kind: "error"), status: .forbidden)
            }
            let notice = HTML.notice(ctx.t("account.token_once"), kind: "warn")
                + #"<p>\#(HTML.escape(ctx.t("account.token_created"))) <code class="secret" id="new-token">\#(HTML.escape(created.secret))</code></p>"#
            return try await Self.overview(ctx, notice: notice)
        }
        routes.page(.POST, "account", "tokens", ":id", "revoke") { req, ctx in
            // `owner`: a user revokes only their own tokens (the store refuses another's as not found).
            try await req.accountStore.revokeToken(id: try req.parameter("id"), owner: ctx.principal.username, actor: ctx.principal.username, ip: req.clientIP)
            return req.redirect(onSite: "/account", redirectType: .normal)
        }
        routes.page(.GET, "account", "totp") { req, ctx in
            try await Self.totpPage(ctx, secret: ShegongStore.TOTP.generate(), errors: [:])
        }
        routes.page(.POST, "account", "totp") { req, ctx in
            func value(_ name: String) -> String { ((try? req.content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces) }
            let secretText = (try? req.content.get(String.self, at: "secret")) ?? ""
            guard let secret = ShegongStore.TOTP(base32: secretText), secret.secret.count >= 16 else { throw Abort(.badRequest) }
            do {
                // Re-binding (TOTP already on) needs the current password and a current code; the store checks.
                try await req.accountStore.enableTOTP(userID: ctx.principal.userID, secret: secret, code: value("code"),
                                                      currentPassword: (try? req.content.get(String.self, at: "currentPassword")) ?? "",
                                                      currentCode: value("currentCode"), ip: req.clientIP)
            } catch let error as StoreError where error.kind == .invalid {
                return try await Self.totpPage(ctx, secret: secret, errors: error.fieldMessages(ctx.language, fallback: "code"), status: .unprocessableEntity)
            }
            return try await Self.overview(ctx, notice: HTML.notice(ctx.t("account.totp_enabled"), kind: "ok"))
        }
    }

    static func overview(_ ctx: PageContext, notice: String = "", tokenError: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        guard let account = try await ctx.request.accountStore.account(id: ctx.principal.userID) else { throw Abort(.unauthorized) }
        var html = notice
        html += "<table class=\"facts\"><tbody>"
        html += row(t("account.username"), account.username)
        html += row(t("account.role"), Catalogue.text("role.\(account.role.rawValue)", ctx.language))
        html += row(t("admin.scope"), AdminPages.describe(account.grant, ctx.language))
        html += row(t("account.last_login"), account.lastLoginAt.map(AdminPages.beijing) ?? "—")
        html += row(t("account.password_changed_at"), AdminPages.beijing(account.passwordChangedAt))
        html += row(t("account.totp"), account.hasTOTP ? t("account.totp_status_on") : t("account.totp_status_off"))
        html += "</tbody></table>"
        html += #"<p><a class="button secondary" href="/account/password">\#(HTML.escape(t("account.change_password")))</a>"#
        html += #" <a class="button secondary" href="/account/totp">\#(HTML.escape(t(account.hasTOTP ? "account.totp_rebind" : "account.totp_enable")))</a>"#
        html += "</p>"
        // Tokens are for programs reading the registry: not for the administrators (no business data).
        if !ctx.principal.role.isAdministrator {
            html += "<h2>\(HTML.escape(t("account.tokens")))</h2><p class=\"muted\">\(HTML.escape(t("account.token_scope")))</p>"
            let tokens = try await ctx.request.accountStore.tokens(username: account.username)
            if tokens.isEmpty {
                html += "<p>\(HTML.escape(t("account.token_none")))</p>"
            } else {
                html += "<table id=\"tokens\"><thead><tr><th>\(HTML.escape(t("account.token_name")))</th><th>\(HTML.escape(t("account.token_created_at")))</th>"
                    + "<th>\(HTML.escape(t("account.token_last_used")))</th><th></th></tr></thead><tbody>"
                for token in tokens {
                    let action = token.revokedAt == nil
                        ? #"<form method="post" action="/account/tokens/\#(HTML.escape(token.id))/revoke" class="inline">\#(ctx.csrfField)<button class="secondary" type="submit">\#(HTML.escape(t("account.revoke")))</button></form>"#
                        : HTML.escape(t("account.token_revoked"))
                    html += "<tr><td>\(HTML.escape(token.name))</td><td>\(AdminPages.beijing(token.createdAt))</td>"
                        + "<td>\(token.lastUsedAt.map(AdminPages.beijing) ?? "—")</td><td>\(action)</td></tr>"
                }
                html += "</tbody></table>"
            }
            html += #"<form method="post" action="/account/tokens" class="stack" id="token-form">\#(ctx.csrfField)"#
                + Form.field(t("account.token_name"), name: "name", error: tokenError, required: true, attributes: #"maxlength="50""#)
                + #"<button type="submit">\#(HTML.escape(t("account.token_create")))</button></form>"#
        }
        return WebPage.render(ctx, title: t("account.title"), active: "/account", content: html, status: status)
    }

    static func row(_ label: String, _ value: String) -> String {
        "<tr><th scope=\"row\">\(HTML.escape(label))</th><td>\(HTML.escape(value))</td></tr>"
    }

    static func totpPage(_ ctx: PageContext, secret: ShegongStore.TOTP, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        guard let account = try await ctx.request.accountStore.account(id: ctx.principal.userID) else { throw Abort(.unauthorized) }
        var html = ctx.principal.mustEnrolTOTP ? HTML.notice(t("account.totp_required"), kind: "warn") : ""
        if account.hasTOTP { html += HTML.notice(t("account.totp_rebind_intro")) }
        html += Form.summary(ctx, count: errors.count)
        // The key is grouped in fours so it can be typed into a phone without mistakes.
        let grouped = stride(from: 0, to: secret.base32.count, by: 4).map { i -> String in
            let start = secret.base32.index(secret.base32.startIndex, offsetBy: i)
            return String(secret.base32[start..<secret.base32.index(start, offsetBy: min(4, secret.base32.count - i))])
        }.joined(separator: " ")
        html += "<p>\(HTML.escape(t("account.totp_intro")))</p>"
        html += #"<p>\#(HTML.escape(t("account.totp_key"))): <code class="secret" id="totp-secret">\#(HTML.escape(grouped))</code></p>"#
        html += #"<p class="muted"><code>\#(HTML.escape(secret.provisioningURI(account: account.username)))</code></p>"#
        html += #"<form method="post" action="/account/totp" class="stack">\#(ctx.csrfField)<input type="hidden" name="secret" value="\#(HTML.escape(secret.base32))">"#
        if account.hasTOTP {
            html += Form.field(t("account.current_password"), name: "currentPassword", type: "password", error: errors["currentPassword"], required: true,
                               autocomplete: "current-password")
                + Form.field(t("account.totp_current_code"), name: "currentCode", error: errors["currentCode"], required: true, autocomplete: "off",
                             attributes: #"inputmode="numeric" pattern="[0-9]{6}" maxlength="6""#)
        }
        html += Form.field(t("account.totp_code"), name: "code", error: errors["code"], required: true, autocomplete: "one-time-code",
                           attributes: #"inputmode="numeric" pattern="[0-9]{6}" maxlength="6""#)
            + #"<button type="submit">\#(HTML.escape(t(account.hasTOTP ? "account.totp_rebind" : "account.totp_enable")))</button></form>"#
        return WebPage.render(ctx, title: t("account.totp"), active: "/account", content: html, status: status)
    }
}
