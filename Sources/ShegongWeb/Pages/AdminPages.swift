import Foundation
import ShegongDomain
import ShegongStore
import Vapor

/// The three administrators' pages (issue #3 §2, issue #10 item 5, 三员分立): the system
/// administrator manages business accounts (requests new ones, disables, enables, resets a
/// password or TOTP) and never sees a password; the security administrator grants business roles
/// and scopes and issues the one-time password of an account awaiting one; the audit
/// administrator searches and verifies the audit log. Each sees only their own page. The rules
/// themselves are `AccountStore`'s (AccountStore+Separation.swift): these pages only ask.
struct AdminPages: RouteCollection {
    static let accountAdmins: Set<Role> = [.systemAdministrator, .securityAdministrator]

    func boot(routes: any RoutesBuilder) throws {
        let manages: @Sendable (Principal) -> Bool = { Self.accountAdmins.contains($0.role) }
        let system: @Sendable (Principal) -> Bool = { $0.role == .systemAdministrator }
        routes.page(.GET, "admin", "users", allow: manages) { req, ctx in
            try await Self.users(ctx)
        }
        routes.page(.POST, "admin", "users", allow: system) { req, ctx in
            let form = GrantForm(req)
            var errors: [String: String] = [:]
            var grant: Grant?
            switch form.parse() {
            case .success(let g) where g.role.isAdministrator: errors["role"] = ctx.t("admin.admin_roles_cli_only")
            case .success(let g): grant = g
            case .failure(let problem): errors[problem.field] = problem.message(ctx.language)
            }
            guard let grant, errors.isEmpty else { return try await Self.users(ctx, form: form, errors: errors, status: .unprocessableEntity) }
            do {
                let account = try await req.accountStore.request(username: form.username, grant: grant, by: AccountAdministrator(ctx.principal, ip: req.clientIP))
                return try await Self.users(ctx, notice: HTML.notice(ctx.t("admin.user_requested", account.username), kind: "ok"))
            } catch let denied as AccountDenied {
                return try await Self.users(ctx, notice: HTML.notice(denied.message(ctx.language), kind: "error"), status: .forbidden)
            } catch let error as StoreError where error.kind != .notFound {
                return try await Self.users(ctx, form: form, errors: error.fieldMessages(ctx.language, fallback: "username"), status: .unprocessableEntity)
            }
        }
        routes.page(.POST, "admin", "users", ":name", ":action", allow: system) { req, ctx in
            let name = try req.parameter("name")
            let accounts = try req.accountStore
            let administrator = AccountAdministrator(ctx.principal, ip: req.clientIP)
            do {
                switch try req.parameter("action") {
                case "disable":
                    try await accounts.setDisabled(true, username: name, by: administrator)
                    return try await Self.users(ctx, notice: HTML.notice(ctx.t("admin.user_disabled", name), kind: "ok"))
                case "enable":
                    try await accounts.setDisabled(false, username: name, by: administrator)
                    return try await Self.users(ctx, notice: HTML.notice(ctx.t("admin.user_enabled", name), kind: "ok"))
                case "reset-password":
                    try await accounts.resetPassword(username: name, by: administrator)
                    return try await Self.users(ctx, notice: HTML.notice(ctx.t("admin.password_reset_requested", name), kind: "ok"))
                case "reset-totp":
                    try await accounts.disableTOTP(username: name, by: administrator)
                    return try await Self.users(ctx)
                default:
                    throw Abort(.badRequest)
                }
            } catch let denied as AccountDenied {
                return try await Self.users(ctx, notice: HTML.notice(denied.message(ctx.language), kind: "error"), status: .forbidden)
            }
        }
        routes.page(.GET, "admin", "users", ":name", "grant", allow: { $0.role == .securityAdministrator }) { req, ctx in
            guard let account = try await req.accountStore.account(username: try req.parameter("name")) else { throw Abort(.notFound) }
            return Self.grantPage(ctx, account: account, form: GrantForm(account.grant, username: account.username), errors: [:])
        }
        routes.page(.POST, "admin", "users", ":name", "grant", allow: { $0.role == .securityAdministrator }) { req, ctx in
            guard let account = try await req.accountStore.account(username: try req.parameter("name")) else { throw Abort(.notFound) }
            let form = GrantForm(req)
            switch form.parse() {
            case .failure(let problem):
                return Self.grantPage(ctx, account: account, form: form, errors: [problem.field: problem.message(ctx.language)], status: .unprocessableEntity)
            case .success(let grant):
                let issued: String?
                do {
                    issued = try await req.accountStore.grant(username: account.username, grant: grant, by: AccountAdministrator(ctx.principal, ip: req.clientIP))
                } catch let denied as AccountDenied {
                    return try await Self.users(ctx, notice: HTML.notice(denied.message(ctx.language), kind: "error"), status: .forbidden)
                } catch let error as StoreError where error.kind == .invalid {
                    return Self.grantPage(ctx, account: account, form: form, errors: error.fieldMessages(ctx.language, fallback: "role"),
                                          status: .unprocessableEntity)
                }
                if let issued {
                    return try await Self.users(ctx, notice: Self.secretNotice(ctx.t("admin.password_issued", account.username), issued))
                }
                return try await Self.users(ctx, notice: HTML.notice(ctx.t("admin.grant_changed", account.username), kind: "ok"))
            }
        }
        routes.page(.GET, "admin", "audit", allow: { $0.role == .auditAdministrator }) { req, ctx in
            try await AuditPage.search(ctx)
        }
        routes.page(.POST, "admin", "audit", "verify", allow: { $0.role == .auditAdministrator }) { req, ctx in
            try await AuditPage.verify(ctx)
        }
    }

    static func secretNotice(_ text: String, _ secret: String) -> String {
        #"<div class="alert ok" role="status"><p>\#(HTML.escape(text))</p><p><code class="secret" id="one-time-password">\#(HTML.escape(secret))</code></p></div>"#
    }

    static func users(_ ctx: PageContext, notice: String = "", form: GrantForm = GrantForm(), errors: [String: String] = [:],
                      status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = ctx.t
        let accounts = try await ctx.request.accountStore.accounts()
        let isSystem = ctx.principal.role == .systemAdministrator
        var html = notice + #"<p class="muted">\#(HTML.escape(t("admin.separation")))</p>"#
        html += "<table id=\"users\"><thead><tr><th>\(HTML.escape(t("account.username")))</th><th>\(HTML.escape(t("account.role")))</th>"
            + "<th>\(HTML.escape(t("admin.scope")))</th><th>\(HTML.escape(t("admin.status")))</th><th>\(HTML.escape(t("account.last_login")))</th><th></th></tr></thead><tbody>"
        for account in accounts {
            let locked = account.lockedUntil.map { $0 > Date() } ?? false
            let stateText = account.disabled ? t("admin.status_disabled") : locked ? t("admin.status_locked") : t("admin.status_active")
            var actions = ""
            let name = HTML.escape(account.username)
            func button(_ action: String, _ key: String) -> String {
                #"<form method="post" action="/admin/users/\#(name)/\#(action)" class="inline">\#(ctx.csrfField)<button type="submit" class="secondary">\#(HTML.escape(t(key)))</button></form> "#
            }
            // Administrators' accounts are managed with the CLI on the server only.
            let manageable = !account.role.isAdministrator && account.username != ctx.principal.username
            if !manageable {
                actions = HTML.escape(t("admin.cli_only"))
            } else if isSystem {
                actions += account.disabled ? button("enable", "admin.enable") : button("disable", "admin.disable")
                if !account.awaitingPassword { actions += button("reset-password", "admin.reset_password") }
                if account.hasTOTP { actions += button("reset-totp", "admin.reset_totp") }
            } else {
                actions += #"<a href="/admin/users/\#(name)/grant">\#(HTML.escape(t(account.awaitingPassword ? "admin.confirm_grant" : "admin.change_grant")))</a>"#
            }
            let state = account.awaitingPassword ? t("admin.status_awaiting") : stateText
            html += "<tr><td>\(name)</td><td>\(HTML.escape(Catalogue.text("role.\(account.role.rawValue)", ctx.language)))</td>"
                + "<td>\(HTML.escape(describe(account.grant, ctx.language)))</td><td>\(HTML.escape(state))</td>"
                + "<td>\(account.lastLoginAt.map(beijing) ?? "—")</td><td>\(actions)</td></tr>"
        }
        html += "</tbody></table>"
        if isSystem {
            html += "<h2>\(HTML.escape(t("admin.create_user")))</h2>" + Form.summary(ctx, count: errors.count)
            html += #"<form method="post" action="/admin/users" class="stack" id="user-form">\#(ctx.csrfField)"#
                + Form.field(t("account.username"), name: "username", value: form.username, error: errors["username"], required: true)
                + form.fields(ctx, errors: errors, roles: Role.allCases.filter { !$0.isAdministrator })
                + #"<button type="submit">\#(HTML.escape(t("action.create")))</button></form>"#
        }
        return WebPage.render(ctx, title: t(isSystem ? "admin.users" : "admin.roles"), active: "/admin/users", content: html, status: status)
    }

    static func grantPage(_ ctx: PageContext, account: Account, form: GrantForm, errors: [String: String],
                          status: HTTPResponseStatus = .ok) -> Response {
        let t = ctx.t
        var html = #"<p>\#(HTML.escape(t("account.username"))): <strong>\#(HTML.escape(account.username))</strong></p>"#
        html += #"<p class="muted">\#(HTML.escape(t("admin.separation")))</p>"# + Form.summary(ctx, count: errors.count)
        if account.awaitingPassword { html += HTML.notice(t("admin.grant_issues_password"), kind: "warn") }
        if case .departmentOperator(let department, _) = account.grant {
            html += HTML.notice(departmentStatistics(department, ctx.language))
        }
        html += #"<form method="post" action="/admin/users/\#(HTML.escape(account.username))/grant" class="stack" id="grant-form">\#(ctx.csrfField)"#
            + form.fields(ctx, errors: errors, roles: Role.allCases.filter { !$0.isAdministrator })
            + #"<button type="submit">\#(HTML.escape(t("action.save")))</button></form>"#
        return WebPage.render(ctx, title: t("admin.change_grant"), active: "/admin/users", content: html, status: status)
    }

    /// "业务人员 · 620900 · 读写" — the grant in words.
    static func describe(_ grant: Grant, _ language: Language) -> String {
        switch grant {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator: return "—"
        case .official(let region, let access): return "\(region.value) · \(Catalogue.text("access.\(access.rawValue)", language))"
        case .departmentOperator(let department, let region):
            return "\(region.value) · \(department) · " + departmentStatistics(department, language)
        case .organizationManager(let id): return id
        case .socialWorker(let id): return id
        }
    }

    /// What a department of this name enters (`DepartmentStatistics`), so the security
    /// administrator sees the effect of the name typed in the grant.
    static func departmentStatistics(_ department: String, _ language: Language) -> String {
        let statistics = DepartmentStatistics.inForce.statistics(department: department)
        guard !statistics.isEmpty else { return Catalogue.text("admin.department_statistics_none", language) }
        return Catalogue.text("admin.department_statistics", language,
                              RegionStatistic.allCases.filter(statistics.contains).map { $0.localizedName(language) }.joined(separator: "、"))
    }

    /// Beijing time to the minute (the audit log's own listing shows seconds).
    static func beijing(_ date: Date) -> String { String(AuditCommands.beijing(date).prefix(16)) }
}

/// The role-and-scope fields shared by the create and grant forms; `Grant.parse` checks them.
struct GrantForm {
    var username = ""
    var role = Role.official.rawValue
    var region = ""
    var access = Access.read.rawValue
    var department = ""
    var organization = ""
    var person = ""

    init() {}

    init(_ req: Request) {
        func value(_ name: String) -> String { ((try? req.content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces) }
        username = value("username"); role = value("role"); region = value("region"); access = value("access")
        department = value("department"); organization = value("organization"); person = value("person")
    }

    init(_ grant: Grant, username: String) {
        self.username = username
        role = grant.role.rawValue
        switch grant {
        case .official(let r, let a): region = r.value; access = a.rawValue
        case .departmentOperator(let d, let r): department = d; region = r.value
        case .organizationManager(let o): organization = o
        case .socialWorker(let p): person = p
        default: break
        }
    }

    /// Only the fields the role uses are passed on, so switching role in the form needs no clearing.
    func parse() -> Result<Grant, Grant.Problem> {
        let chosen = Role(text: role)
        func used(_ value: String, _ roles: Set<Role>) -> String? { chosen.map(roles.contains) == true ? value : nil }
        return Grant.parse(Grant.Request(roles: [role], region: used(region, [.official, .departmentOperator]),
                                         access: used(access, [.official]), department: used(department, [.departmentOperator]),
                                         organization: used(organization, [.organizationManager]), person: used(person, [.socialWorker])))
    }

    func fields(_ ctx: PageContext, errors: [String: String], roles: [Role]) -> String {
        let t = ctx.t
        return Form.select(t("admin.role"), name: "role", options: roles.map { ($0.rawValue, Catalogue.text("role.\($0.rawValue)", ctx.language)) },
                           selected: role, error: errors["role"])
            + Form.field(t("admin.region"), name: "region", value: region, error: errors["region"], hint: t("role.official") + " / " + t("role.department_operator"))
            + Form.select(t("admin.access"), name: "access", options: [(Access.read.rawValue, t("access.read")), (Access.readWrite.rawValue, t("access.readwrite"))],
                          selected: access, error: errors["access"])
            + Form.field(t("admin.department"), name: "department", value: department, error: errors["department"], hint: t("role.department_operator"))
            + Form.field(t("admin.organization"), name: "organization", value: organization, error: errors["organization"], hint: t("role.organization_manager"))
            + Form.field(t("admin.person"), name: "person", value: person, error: errors["person"], hint: t("role.social_worker"))
    }
}
