import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The signed-in user's own account: overview, TOTP enrolment and API tokens (issue #3 §1, §5, §6).
/// The password page is in `SessionPages`. Handlers decode and ask `AccountStore` (where the
/// account rules live); `AccountView` only renders the model.
struct AccountPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.page(.GET, "account") { req, ctx in
            let changed = req.queryValue("changed") != nil
            return try await Self.overview(ctx, notice: changed ? ActionNotice(ctx.t("account.password_changed")) : nil)
        }
        routes.page(.POST, "account", "tokens") { req, ctx in
            let name = ((try? req.content.get(String.self, at: "name")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return try await Self.createToken(ctx, name: name)
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
            try await Self.enableTOTP(ctx, TOTPForm(req))
        }
    }

    static func createToken(_ ctx: PageContext, name: String) async throws -> Response {
        let req = ctx.request
        guard (1...50).contains(name.count) else {
            return try await overview(ctx, tokenError: ctx.t("account.token_name_invalid"), status: .unprocessableEntity)
        }
        let created: CreatedAPIToken
        do {
            created = try await req.accountStore.createToken(username: ctx.principal.username, name: name, actor: ctx.principal.username, ip: req.clientIP)
        } catch let error as StoreError where error.code == "token.owner_administrator" {
            try await req.audit(.tokenCreate, "api_token", nil, details: "refused: owner is an administrator", result: .denied)
            return try await overview(ctx, notice: ActionNotice(error.message(ctx.language), kind: .error), status: .forbidden)
        }
        let secret = ActionNotice.Secret(id: "new-token", value: created.secret, label: ctx.t("account.token_created"))
        return try await overview(ctx, notice: ActionNotice(ctx.t("account.token_once"), kind: .warning, secret: secret))
    }

    static func enableTOTP(_ ctx: PageContext, _ form: TOTPForm) async throws -> Response {
        guard let secret = ShegongStore.TOTP(base32: form.secret), secret.secret.count >= 16 else { throw Abort(.badRequest) }
        do {
            // Re-binding (TOTP already on) needs the current password and a current code; the store checks.
            try await ctx.request.accountStore.enableTOTP(userID: ctx.principal.userID, secret: secret, code: form.code,
                                                          currentPassword: form.currentPassword, currentCode: form.currentCode,
                                                          ip: ctx.request.clientIP)
        } catch let error as StoreError where error.kind == .invalid {
            return try await totpPage(ctx, secret: secret, errors: error.fieldMessages(ctx.language, fallback: "code"), status: .unprocessableEntity)
        }
        return try await overview(ctx, notice: ActionNotice(ctx.t("account.totp_enabled")))
    }

    static func overview(_ ctx: PageContext, notice: ActionNotice? = nil, tokenError: String? = nil,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let model = try await AccountOverview.load(ctx, notice: notice, tokenError: tokenError)
        return WebPage.render(ctx, title: ctx.t("account.title"), active: "/account", content: AccountView.overview(ctx, model), status: status)
    }

    static func totpPage(_ ctx: PageContext, secret: ShegongStore.TOTP, errors: [String: String],
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        guard let account = try await ctx.request.accountStore.account(id: ctx.principal.userID) else { throw Abort(.unauthorized) }
        let model = TOTPEnrolment(account: account, secret: secret, mustEnrol: ctx.principal.mustEnrolTOTP, errors: errors)
        return WebPage.render(ctx, title: ctx.t("account.totp"), active: "/account", content: AccountView.totp(ctx, model), status: status)
    }
}

/// The TOTP form as sent: the key shown, the new code and, when re-binding, the current password and code.
struct TOTPForm {
    var secret: String
    var code: String
    var currentPassword: String
    var currentCode: String

    init(_ req: Request) {
        func value(_ name: String) -> String { ((try? req.content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces) }
        secret = (try? req.content.get(String.self, at: "secret")) ?? ""
        code = value("code")
        // A password is taken as typed: spaces may be part of it.
        currentPassword = (try? req.content.get(String.self, at: "currentPassword")) ?? ""
        currentCode = value("currentCode")
    }
}

/// The account page: the account's facts, and its API tokens unless it is an administrator's.
struct AccountOverview {
    var account: Account
    /// Nil for administrators: tokens are for programs reading the registry, and administrators
    /// have no business data.
    var tokens: [APIToken]?
    var notice: ActionNotice?
    var tokenError: String?
    /// The names of the grant's region, organisation or person.
    var names = GrantNames()

    static func load(_ ctx: PageContext, notice: ActionNotice?, tokenError: String?) async throws -> AccountOverview {
        let store = try ctx.request.accountStore
        guard let account = try await store.account(id: ctx.principal.userID) else { throw Abort(.unauthorized) }
        let tokens = ctx.principal.role.isAdministrator ? nil : try await store.tokens(username: account.username)
        return AccountOverview(account: account, tokens: tokens, notice: notice, tokenError: tokenError,
                               names: try await GrantNames.load([account.grant], db: ctx.request.db))
    }
}

/// The TOTP enrolment page: a new key to add to a phone, and the code it then shows.
struct TOTPEnrolment {
    var account: Account
    var secret: ShegongStore.TOTP
    /// The settings require TOTP of this account before anything else.
    var mustEnrol: Bool
    var errors: [String: String]

    /// The key in groups of four, so it can be typed into a phone without mistakes.
    var groupedKey: String {
        let characters = Array(secret.base32)
        return stride(from: 0, to: characters.count, by: 4).map { String(characters[$0..<min($0 + 4, characters.count)]) }.joined(separator: " ")
    }
}

/// The user's own account pages as typed views.
enum AccountView {
    static func overview(_ ctx: PageContext, _ model: AccountOverview) -> Node {
        let t = ctx.t, account = model.account
        let facts: [(String, Node)] = [
            (t("account.username"), .text(account.username)),
            (t("account.role"), .text(Catalogue.text("role.\(account.role.rawValue)", ctx.language))),
            (t("admin.scope"), AdminPages.scope(account.grant, model.names, ctx.language)),
            (t("account.last_login"), .text(account.lastLoginAt.map(BeijingTime.minute) ?? "—")),
            (t("account.password_changed_at"), .text(BeijingTime.minute(account.passwordChangedAt))),
            (t("account.totp"), .text(t(account.hasTOTP ? "account.totp_status_on" : "account.totp_status_off"))),
        ]
        return .group(.unwrap(model.notice) { $0.node },
                      .dl(.class("facts"), .forEach(facts) { .group(.dt(.text($0.0)), .dd($0.1)) }),
                      .p(.a(.class("button", "secondary"), .href("/account/password"), .text(t("account.change_password"))), " ",
                         .a(.class("button", "secondary"), .href("/account/totp"),
                            .text(t(account.hasTOTP ? "account.totp_rebind" : "account.totp_enable")))),
                      .unwrap(model.tokens) { tokens(ctx, $0, error: model.tokenError) })
    }

    static func tokens(_ ctx: PageContext, _ tokens: [APIToken], error: String?) -> Node {
        let t = ctx.t
        let columns = ["account.token_name", "account.token_created_at", "account.token_last_used"].map { DataTable.Column(t($0)) }
        let rows = tokens.map { token -> [Node] in
            let action: Node = token.revokedAt == nil
                ? .form(.method("post"), .action("/account/tokens/\(token.id)/revoke"), .class("inline"), ctx.csrfInput,
                        .button(.class("secondary"), .type("submit"), .text(t("account.revoke"))))
                : .text(t("account.token_revoked"))
            return [.text(token.name), .text(BeijingTime.minute(token.createdAt)), .text(token.lastUsedAt.map(BeijingTime.minute) ?? "—"), action]
        }
        return .group(.h2(.text(t("account.tokens"))), .p(.class("muted"), .text(t("account.token_scope"))),
                      DataTable(id: "tokens", columns: columns + [DataTable.Column("")], rows: rows, empty: t("account.token_none")).node(),
                      .form(.method("post"), .action("/account/tokens"), .class("stack"), .id("token-form"), ctx.csrfInput,
                            Field.input(t("account.token_name"), name: "name", error: error, required: true, .attribute("maxlength", "50")),
                            .button(.type("submit"), .text(t("account.token_create")))))
    }

    static func totp(_ ctx: PageContext, _ model: TOTPEnrolment) -> Node {
        let t = ctx.t, rebinding = model.account.hasTOTP
        return .group(.if(model.mustEnrol, .notice(t("account.totp_required"), .warning)),
                      .if(rebinding, .notice(t("account.totp_rebind_intro"))),
                      Field.summary(ctx, count: model.errors.count),
                      .p(.text(t("account.totp_intro"))),
                      .p(.text(t("account.totp_key") + ": "), .code(.class("secret"), .id("totp-secret"), .text(model.groupedKey))),
                      .p(.class("muted"), .code(.text(model.secret.provisioningURI(account: model.account.username)))),
                      .form(.method("post"), .action("/account/totp"), .class("stack"), ctx.csrfInput,
                            .input(.type("hidden"), .name("secret"), .value(model.secret.base32)),
                            .if(rebinding, currentFactors(ctx, errors: model.errors)),
                            Field.input(t("account.totp_code"), name: "code", error: model.errors["code"], required: true,
                                        autocomplete: "one-time-code", codeAttributes),
                            .button(.type("submit"), .text(t(rebinding ? "account.totp_rebind" : "account.totp_enable")))))
    }

    /// Re-binding asks for what proves the account's holder: the password and the current device's code.
    static func currentFactors(_ ctx: PageContext, errors: [String: String]) -> Node {
        .group(Field.input(ctx.t("account.current_password"), name: "currentPassword", type: "password", error: errors["currentPassword"],
                           required: true, autocomplete: "current-password"),
               Field.input(ctx.t("account.totp_current_code"), name: "currentCode", error: errors["currentCode"], required: true,
                           autocomplete: "off", codeAttributes))
    }

    /// A six-digit code: the numeric keyboard on a phone.
    static let codeAttributes = Node.group(.inputmode("numeric"), .pattern("[0-9]{6}"), .attribute("maxlength", "6"))
}
