import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    /// The list of accounts exported as a file, with its row count (issue #18 §1).
    static let userExport: AuditAction = "user.export"
}

/// The accounts as the administrators who list them see them (the system and the security
/// administrator; 三员分立 keeps the audit administrator and every business role out): today the
/// export of the list. Accounts are not business data, so there is no region scope to narrow them.
public struct AccountService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    /// Who may list (and so export) the accounts: the accounts page's two administrators.
    public static let readers = Permission.read(.systemAdministrator, .securityAdministrator)

    /// Every account as the accounts page lists it, as a table in `language` — never a password
    /// hash, a TOTP secret or a token; recorded as `user.export` with the number of rows.
    public func export(format: SpreadsheetFormat, language: Language) async throws -> ReportTable {
        try await context.require(caller, Self.readers, "user")
        let accounts = try await AccountStore.accounts(on: context.sql)
        let names = try await GrantNames.load(accounts.map(\.grant), db: context.db)
        let table = Self.table(accounts, names: names, language: language, now: context.now())
        try await context.record(caller, .userExport, "user", nil, details: "format=\(format.rawValue) rows=\(accounts.count)")
        return table
    }

    /// The export's table: role, access and state in `language`, the region by name and by code,
    /// the organisation or person an account acts for by name, the last sign-in in Beijing time.
    public static func table(_ accounts: [Account], names: GrantNames, language: Language, now: Date) -> ReportTable {
        func t(_ key: String, _ args: String...) -> String { Catalogue.text(key, language, arguments: args) }
        let columns = ["account.username", "exports.accounts.holder", "account.role", "field.region", "exports.region_code", "admin.access",
                       "admin.department", "admin.status", "exports.accounts.last_login"].map { t($0) }
        let beijing = PersonService.beijingTime()
        let rows: [[SpreadsheetCell]] = accounts.map { account in
            var holder = "", region = "", access = "", department = ""
            switch account.grant {
            case .official(let code, let level): region = code.value; access = t("access.\(level.rawValue)")
            case .departmentOperator(let name, let code): region = code.value; department = name
            case .organizationManager(let id): holder = names.organizations[id] ?? id
            case .socialWorker(let id): holder = names.people[id] ?? id
            case .systemAdministrator, .securityAdministrator, .auditAdministrator: break
            }
            let regionName = region == RegionPath.nationCode ? t("regionLevel.nation") : names.regions[region] ?? region
            return [.text(account.username), .text(holder), .text(t("role.\(account.role.rawValue)")), .text(regionName), .text(region),
                    .text(access), .text(department), .text(t(account.stateKey(now: now))), .text(account.lastLoginAt.map(beijing) ?? "")]
        }
        return ReportTable(title: t("exports.accounts.title"), columns: columns, rows: rows,
                           notes: [t("exports.accounts.note", String(accounts.count))])
    }
}

extension Account {
    /// `admin.status_*`, as the accounts page names it: awaiting a password, disabled, locked or active.
    public func stateKey(now: Date) -> String {
        if awaitingPassword { return "admin.status_awaiting" }
        if disabled { return "admin.status_disabled" }
        return lockedUntil.map { $0 > now } == true ? "admin.status_locked" : "admin.status_active"
    }
}
