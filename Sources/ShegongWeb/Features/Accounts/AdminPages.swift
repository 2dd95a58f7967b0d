import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// The three administrators' pages (issue #3 §2, issue #10 item 5, 三员分立): the system
/// administrator manages business accounts (requests new ones, disables, enables, resets a
/// password or TOTP) and never sees a password; the security administrator grants business roles
/// and scopes and issues the one-time password of an account awaiting one; the audit
/// administrator searches and verifies the audit log. Each sees only their own page. The rules
/// themselves are `AccountStore`'s (AccountStore+Separation.swift): these pages only ask, and the
/// views (`AdminView`) only render what the models hold.
struct AdminPages: RouteCollection {
    static let accountAdmins: Set<Role> = [.systemAdministrator, .securityAdministrator]

    func boot(routes: any RoutesBuilder) throws {
        let manages: @Sendable (Principal) -> Bool = { Self.accountAdmins.contains($0.role) }
        let system: @Sendable (Principal) -> Bool = { $0.role == .systemAdministrator }
        let security: @Sendable (Principal) -> Bool = { $0.role == .securityAdministrator }
        routes.page(.GET, "admin", "users", allow: manages) { req, ctx in
            if req.queryString("format") != nil { return try await AdminExportsController.accounts(req) }
            return try await Self.users(ctx)
        }
        routes.page(.POST, "admin", "users", allow: system) { req, ctx in
            let form = try await GrantForm.read(req)
            if form.pickerOnly { return try await Self.users(ctx, form: form) }
            return try await Self.requestAccount(ctx, form: form)
        }
        routes.page(.POST, "admin", "users", ":name", ":action", allow: system) { req, ctx in
            guard let action = AccountAction(rawValue: try req.parameter("action")) else { throw Abort(.badRequest) }
            return try await Self.apply(action, to: try req.parameter("name"), ctx)
        }
        routes.page(.GET, "admin", "users", ":name", "grant", allow: security) { req, ctx in
            let account = try await Self.account(req)
            return try await Self.grantPage(ctx, GrantPageModel(account: account, form: GrantForm(account.grant, username: account.username,
                                                                                             departmentID: account.departmentID)))
        }
        routes.page(.POST, "admin", "users", ":name", "grant", allow: security) { req, ctx in
            let form = try await GrantForm.read(req)
            if form.pickerOnly { return try await Self.grantPage(ctx, GrantPageModel(account: try await Self.account(req), form: form)) }
            return try await Self.changeGrant(ctx, account: try await Self.account(req), form: form)
        }
        routes.page(.GET, "admin", "audit", allow: { $0.role == .auditAdministrator }) { req, ctx in
            // The export links: the search as it stands, as a file; a wrong date shows the page with its message.
            if req.queryString("format") != nil, case let (query, errors) = AuditPage.query(req), errors.isEmpty {
                return try await AdminExportsController.audit(req, query)
            }
            return try await AuditPage.search(ctx)
        }
        routes.page(.POST, "admin", "audit", "verify", allow: { $0.role == .auditAdministrator }) { req, ctx in
            try await AuditPage.verify(ctx)
        }
    }

    private static func account(_ req: Request) async throws -> Account {
        guard let account = try await req.accountStore.account(username: try req.parameter("name")) else { throw Abort(.notFound) }
        return account
    }

    /// The system administrator's new account: a business role only (administrators come from the CLI).
    static func requestAccount(_ ctx: PageContext, form: GrantForm) async throws -> Response {
        let grant: Grant
        switch form.parse() {
        case .success(let parsed) where parsed.role == .securityAdministrator || parsed.role == .auditAdministrator:
            return try await createAdministrator(ctx, form: form, role: parsed.role)
        case .success(let parsed) where parsed.role.isAdministrator:
            return try await users(ctx, form: form, errors: ["role": ctx.t("admin.admin_roles_cli_only")], status: .unprocessableEntity)
        case .success(let parsed): grant = parsed
        case .failure(let problem):
            return try await users(ctx, form: form, errors: [problem.field: problem.message(ctx.language)], status: .unprocessableEntity)
        }
        do {
            let account = try await ctx.request.accountStore.request(username: form.username, grant: grant, by: administrator(ctx))
            return try await users(ctx, notice: ActionNotice(ctx.t("admin.user_requested", account.username)))
        } catch let denied as AccountDenied {
            return try await users(ctx, notice: ActionNotice(denied.message(ctx.language), kind: .error), status: .forbidden)
        } catch let error as StoreError where error.kind != .notFound {
            return try await users(ctx, form: form, errors: error.fieldMessages(ctx.language, fallback: "username"), status: .unprocessableEntity)
        }
    }

    /// Setting up: the security or audit administrator nobody holds yet, its one-time password
    /// shown once (`AccountStore.createVacantAdministrator`).
    static func createAdministrator(_ ctx: PageContext, form: GrantForm, role: Role) async throws -> Response {
        do {
            let created = try await ctx.request.accountStore.createVacantAdministrator(username: form.username, role: role, by: administrator(ctx))
            let secret = ActionNotice.Secret(id: "one-time-password", value: created.oneTimePassword)
            let text = ctx.t("admin.administrator_created", created.account.username, Catalogue.text("role.\(role.rawValue)", ctx.language))
            return try await users(ctx, notice: ActionNotice(text, secret: secret))
        } catch let denied as AccountDenied {
            return try await users(ctx, form: form, errors: ["role": denied.message(ctx.language)], status: .forbidden)
        } catch let error as StoreError where error.kind != .notFound {
            return try await users(ctx, form: form, errors: error.fieldMessages(ctx.language, fallback: "username"), status: .unprocessableEntity)
        }
    }

    static func apply(_ action: AccountAction, to name: String, _ ctx: PageContext) async throws -> Response {
        let accounts = try ctx.request.accountStore, by = administrator(ctx)
        do {
            switch action {
            case .disable: try await accounts.setDisabled(true, username: name, by: by)
            case .enable: try await accounts.setDisabled(false, username: name, by: by)
            case .resetPassword: try await accounts.resetPassword(username: name, by: by)
            case .resetTOTP: try await accounts.disableTOTP(username: name, by: by)
            }
        } catch let denied as AccountDenied {
            return try await users(ctx, notice: ActionNotice(denied.message(ctx.language), kind: .error), status: .forbidden)
        }
        return try await users(ctx, notice: action.doneKey.map { ActionNotice(ctx.t($0, name)) })
    }

    /// The security administrator's grant; on an account awaiting a password it issues the one-time
    /// password, shown to them once.
    static func changeGrant(_ ctx: PageContext, account: Account, form: GrantForm) async throws -> Response {
        let grant: Grant
        switch form.parse() {
        case .failure(let problem):
            let model = GrantPageModel(account: account, form: form, errors: [problem.field: problem.message(ctx.language)])
            return try await grantPage(ctx, model, status: .unprocessableEntity)
        case .success(let parsed): grant = parsed
        }
        let issued: String?
        do {
            issued = try await ctx.request.accountStore.grant(username: account.username, grant: grant, by: administrator(ctx))
        } catch let denied as AccountDenied {
            return try await users(ctx, notice: ActionNotice(denied.message(ctx.language), kind: .error), status: .forbidden)
        } catch let error as StoreError where error.kind == .invalid {
            let model = GrantPageModel(account: account, form: form, errors: error.fieldMessages(ctx.language, fallback: "role"))
            return try await grantPage(ctx, model, status: .unprocessableEntity)
        }
        guard let issued else { return try await users(ctx, notice: ActionNotice(ctx.t("admin.grant_changed", account.username))) }
        let secret = ActionNotice.Secret(id: "one-time-password", value: issued)
        return try await users(ctx, notice: ActionNotice(ctx.t("admin.password_issued", account.username), secret: secret))
    }

    static func administrator(_ ctx: PageContext) -> AccountAdministrator {
        AccountAdministrator(ctx.principal, ip: ctx.request.clientIP)
    }

    static func users(_ ctx: PageContext, notice: ActionNotice? = nil, form: GrantForm = GrantForm(), errors: [String: String] = [:],
                      status: HTTPResponseStatus = .ok) async throws -> Response {
        let model = try await AccountList.load(ctx, notice: notice, form: form, errors: errors)
        let title = ctx.t(model.viewerIsSystem ? "admin.users" : "admin.roles")
        return WebPage.render(ctx, title: title, active: "/admin/users", content: AdminView.users(ctx, model), status: status)
    }

    static func grantPage(_ ctx: PageContext, _ model: GrantPageModel, status: HTTPResponseStatus = .ok) async throws -> Response {
        var model = model
        model.departments = try await DepartmentChoices.options(ctx)
        model.holders = try await AccountHolderPicks.load(ctx, model.form)
        let region = try await ctx.request.regionPicker("region", label: ctx.t("admin.region"), selected: model.form.region,
                                                        search: model.form.regionSearch, error: model.errors["region"])
        return WebPage.render(ctx, title: ctx.t("admin.change_grant"), active: "/admin/users", content: AdminView.grant(ctx, model, region: region),
                              status: status)
    }

    /// "酒泉市 620900 · 读写" — the grant in words, each region, organisation and person by its
    /// name with the code second (the id alone only when the name is not known).
    static func scope(_ grant: Grant, _ names: GrantNames, _ language: Language) -> Node {
        func region(_ code: RegionCode) -> Node {
            if code.value == RegionPath.nationCode { return .text(Catalogue.text("regionLevel.nation", language)) }
            guard let name = names.regions[code.value] else { return .span(.class("code"), .text(code.value)) }
            return .group(.text(name), " ", .span(.class("code"), .text(code.value)))
        }
        switch grant {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator: return .text("—")
        case .official(let code, let access): return .group(region(code), .text(" · " + Catalogue.text("access.\(access.rawValue)", language)))
        case .departmentOperator(let department, let code):
            return .group(region(code), .text(" · \(department) · " + departmentStatistics(department, language)))
        case .organizationManager(let id): return names.organizations[id].map { .text($0) } ?? .span(.class("code"), .text(id))
        case .socialWorker(let id): return names.people[id].map { .text($0) } ?? .span(.class("code"), .text(id))
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

}

/// What the system administrator may do to a business account from the list: the path's last
/// part, the button's text and what the page says afterwards.
enum AccountAction: String, CaseIterable {
    case disable, enable
    case resetPassword = "reset-password"
    case resetTOTP = "reset-totp"

    var labelKey: String {
        switch self {
        case .disable: "admin.disable"
        case .enable: "admin.enable"
        case .resetPassword: "admin.reset_password"
        case .resetTOTP: "admin.reset_totp"
        }
    }

    /// The notice after it was done (a TOTP reset says nothing: the list shows the change).
    var doneKey: String? {
        switch self {
        case .disable: "admin.user_disabled"
        case .enable: "admin.user_enabled"
        case .resetPassword: "admin.password_reset_requested"
        case .resetTOTP: nil
        }
    }
}

/// What an action says at the top of the page it answers with, in the page's language; `secret`
/// is a value shown this once (a one-time password, a new API token) in a `<code>` of its own id.
struct ActionNotice {
    struct Secret {
        var id: String
        var value: String
        /// The words before the value ("New token:").
        var label: String?
    }

    var text: String
    var kind: Node.NoticeKind = .ok
    var secret: Secret?

    init(_ text: String, kind: Node.NoticeKind = .ok, secret: Secret? = nil) {
        self.text = text
        self.kind = kind
        self.secret = secret
    }

    var node: Node {
        .unwrap(secret, else: .notice(text, kind)) { secret in
            .div(.class("alert", kind.rawValue), .role("status"), .p(.text(text)),
                 .p(.unwrap(secret.label) { .text($0 + " ") }, .code(.class("secret"), .id(secret.id), .text(secret.value))))
        }
    }
}

/// The accounts page: every account with its state and what the viewer may do to it, and the
/// system administrator's form for a new account as last sent.
struct AccountList {
    struct Row {
        var account: Account
        /// `admin.status_*`: awaiting a password, disabled, locked or active.
        var stateKey: String
        /// Administrators' accounts and one's own are managed with the CLI on the server only.
        var manageable: Bool
        /// The system administrator's buttons for this account.
        var actions: [AccountAction]
    }

    var rows: [Row]
    var viewerIsSystem: Bool
    /// The security and audit administrator roles nobody holds yet (the system administrator's set-up).
    var vacantAdministratorRoles: [Role] = []
    var notice: ActionNotice?
    var form: GrantForm
    var errors: [String: String]
    /// The names of the grants' regions, organisations and people.
    var names = GrantNames()
    /// The region picker of the create form (the system administrator's, who alone sees it).
    var region: RegionPicker?
    /// The department records an operator's grant chooses from.
    var departments: [(value: String, label: String)] = []
    /// The organisations and people the create form chooses from, by name.
    var holders = AccountHolderPicks()

    static func load(_ ctx: PageContext, notice: ActionNotice?, form: GrantForm, errors: [String: String]) async throws -> AccountList {
        let accounts = try await ctx.request.accountStore.accounts()
        let now = Date()
        let rows = accounts.map { account in
            Row(account: account, stateKey: stateKey(account, now: now),
                manageable: !account.role.isAdministrator && account.username != ctx.principal.username,
                actions: actions(account))
        }
        let system = ctx.principal.role == .systemAdministrator
        let picker = system ? try await ctx.request.regionPicker("region", label: ctx.t("admin.region"), selected: form.region,
                                                                  search: form.regionSearch, error: errors["region"]) : nil
        var list = AccountList(rows: rows, viewerIsSystem: system, notice: notice, form: form, errors: errors,
                               names: try await GrantNames.load(accounts.map(\.grant), db: ctx.request.db), region: picker)
        if system {
            list.vacantAdministratorRoles = try await ctx.request.accountStore.vacantAdministratorRoles()
            list.departments = try await DepartmentChoices.options(ctx)
            list.holders = try await AccountHolderPicks.load(ctx, form)
        }
        return list
    }

    static func stateKey(_ account: Account, now: Date) -> String { account.stateKey(now: now) }

    static func actions(_ account: Account) -> [AccountAction] {
        var actions: [AccountAction] = [account.disabled ? .enable : .disable]
        if !account.awaitingPassword { actions.append(.resetPassword) }
        if account.hasTOTP { actions.append(.resetTOTP) }
        return actions
    }
}

/// The security administrator's grant page: the account and the role-and-scope form.
struct GrantPageModel {
    var account: Account
    var form: GrantForm
    var errors: [String: String] = [:]
    /// The department records an operator's grant chooses from.
    var departments: [(value: String, label: String)] = []
    /// The organisations and people the grant chooses from, by name.
    var holders = AccountHolderPicks()
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
    /// The searches of the organisation and person fields (`AccountHolderPicks`).
    var organizationSearch: String?
    var personSearch: String?
    /// The region picker's search text, and whether only the picker was asked to move on.
    var regionSearch: String?
    var pickerOnly = false

    init() {}

    /// The form as posted, its region from the region picker.
    static func read(_ req: Request) async throws -> GrantForm {
        var form = GrantForm(req)
        let pick = try await RegionPick.read("region", value: { try? req.content.get(String.self, at: $0) }, regions: try req.regionService)
        if (try? req.content.get(String.self, at: "region_1")) != nil || pick.code != nil { form.region = pick.code ?? "" }
        form.regionSearch = pick.search
        form.pickerOnly = pick.moveOnly
        form.readHolderSearch(req)
        return form
    }

    init(_ req: Request) {
        func value(_ name: String) -> String { ((try? req.content.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces) }
        username = value("username"); role = value("role"); region = value("region"); access = value("access")
        department = value("department"); organization = value("organization"); person = value("person")
    }

    init(_ grant: Grant, username: String, departmentID: String? = nil) {
        self.username = username
        role = grant.role.rawValue
        switch grant {
        case .official(let r, let a): region = r.value; access = a.rawValue
        case .departmentOperator(let d, let r): department = departmentID ?? d; region = r.value
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
}

/// The administrators' account pages as typed views: they only render their model.
enum AdminView {
    static func users(_ ctx: PageContext, _ model: AccountList) -> Node {
        .group(.unwrap(model.notice) { $0.node }, .p(.class("muted"), .text(ctx.t("admin.separation"))),
               ExportLinks.node(ctx, path: "/admin/users", filters: [], id: "accounts"),
               accountTable(ctx, model),
               .unwrap(model.viewerIsSystem ? model.region : nil) {
                   createForm(ctx, model.form, errors: model.errors, region: $0, departments: model.departments, holders: model.holders,
                              vacant: model.vacantAdministratorRoles)
               })
    }

    static func accountTable(_ ctx: PageContext, _ model: AccountList) -> Node {
        let t = ctx.t
        let columns = ["account.username", "account.role", "admin.scope", "admin.status", "account.last_login"].map { DataTable.Column(t($0)) }
        let rows = model.rows.map { row -> [Node] in
            let account = row.account
            return [.text(account.username), .text(Catalogue.text("role.\(account.role.rawValue)", ctx.language)),
                    AdminPages.scope(account.grant, model.names, ctx.language), .text(t(row.stateKey)),
                    .text(account.lastLoginAt.map(BeijingTime.minute) ?? "—"), actions(ctx, row, system: model.viewerIsSystem)]
        }
        return DataTable(id: "users", columns: columns + [DataTable.Column("")], rows: rows, empty: t("list.empty")).node()
    }

    /// The system administrator's buttons, or the security administrator's link to the grant.
    static func actions(_ ctx: PageContext, _ row: AccountList.Row, system: Bool) -> Node {
        let name = row.account.username
        guard row.manageable else { return .text(ctx.t("admin.cli_only")) }
        guard system else {
            return .link("/admin/users/\(name)/grant", ctx.t(row.account.awaitingPassword ? "admin.confirm_grant" : "admin.change_grant"))
        }
        let buttons = row.actions.map { action in
            Node.form(.method("post"), .action("/admin/users/\(name)/\(action.rawValue)"), .class("inline"), ctx.csrfInput,
                      .button(.type("submit"), .class("secondary"), .text(ctx.t(action.labelKey))))
        }
        return .joined(buttons, separator: " ")
    }

    static func createForm(_ ctx: PageContext, _ form: GrantForm, errors: [String: String], region: RegionPicker,
                           departments: [(value: String, label: String)], holders: AccountHolderPicks, vacant: [Role]) -> Node {
        let t = ctx.t
        let vacantNames = vacant.map { Catalogue.text("role.\($0.rawValue)", ctx.language) }
        return .group(.h2(.text(t("admin.create_user"))), Field.summary(ctx, count: errors.count),
                      .if(!vacant.isEmpty, .notice(t("admin.vacant_roles", vacantNames.joined(separator: t("chart.list_separator"))), .warning)),
                      .form(.method("post"), .action("/admin/users"), .class("stack"), .id("user-form"), ctx.csrfInput,
                            Field.input(t("account.username"), name: "username", value: form.username, error: errors["username"], required: true),
                            grantFields(ctx, form, errors: errors, region: region, departments: departments, holders: holders, alsoRoles: vacant),
                            .button(.type("submit"), .text(t("action.create")))))
    }

    static func grant(_ ctx: PageContext, _ model: GrantPageModel, region: RegionPicker) -> Node {
        let t = ctx.t, account = model.account
        return .group(.p(.text(t("account.username") + ": "), .strong(.text(account.username))),
                      .p(.class("muted"), .text(t("admin.separation"))), Field.summary(ctx, count: model.errors.count),
                      .if(account.awaitingPassword, .notice(t("admin.grant_issues_password"), .warning)),
                      departmentNotice(ctx, account.grant),
                      .form(.method("post"), .action("/admin/users/\(account.username)/grant"), .class("stack"), .id("grant-form"), ctx.csrfInput,
                            grantFields(ctx, model.form, errors: model.errors, region: region, departments: model.departments, holders: model.holders),
                            .button(.type("submit"), .text(t("action.save")))))
    }

    /// What the department named in the grant enters, so a typo shows before it is saved.
    static func departmentNotice(_ ctx: PageContext, _ grant: Grant) -> Node {
        guard case .departmentOperator(let department, _) = grant else { return .empty }
        return .notice(AdminPages.departmentStatistics(department, ctx.language))
    }

    /// Role, region, access, department, organisation and person: business roles, and on the
    /// system administrator's form the administrator roles nobody holds yet (`alsoRoles`).
    static func grantFields(_ ctx: PageContext, _ form: GrantForm, errors: [String: String], region: RegionPicker,
                            departments: [(value: String, label: String)] = [], holders: AccountHolderPicks = AccountHolderPicks(),
                            alsoRoles: [Role] = []) -> Node {
        let t = ctx.t
        let roles = Role.allCases.filter { !$0.isAdministrator || alsoRoles.contains($0) }.map { ($0.rawValue, Catalogue.text("role.\($0.rawValue)", ctx.language)) }
        let access = [(Access.read.rawValue, t("access.read")), (Access.readWrite.rawValue, t("access.readwrite"))]
        return .group(
            Field.select(t("admin.role"), name: "role", options: roles, selected: form.role, error: errors["role"]),
            region.node(ctx),
            Field.select(t("admin.access"), name: "access", options: access, selected: form.access, error: errors["access"]),
            // A department is chosen among the records (issue #18 §2), never typed.
            Field.select(t("admin.department"), name: "department", options: [(value: "", label: t("departments.choose"))] + departments,
                         selected: form.department, error: errors["department"], hint: t("departments.choose_hint")),
            // The organisation and the person by name (searched), never a typed id.
            holders.node(ctx, form, errors: errors))
    }
}
