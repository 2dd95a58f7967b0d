import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

/// `shegong user add|disable|enable|reset-password|list|bootstrap` — accounts for operators
/// (issue #3 §5). Every change is audited with the actor `cli`.
enum UserCommands {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(UserAddCommand(), as: "add")
        commands.use(UserDisableCommand(disable: true), as: "disable")
        commands.use(UserDisableCommand(disable: false), as: "enable")
        commands.use(UserResetPasswordCommand(), as: "reset-password")
        commands.use(UserListCommand(), as: "list")
        commands.use(UserBootstrapCommand(), as: "bootstrap")
        return commands.group(help: "Accounts: add (prints a one-time password), disable, enable, reset-password, list, bootstrap.")
    }

    /// Runs `body` with the account store over the migrated database; a refusal of the store
    /// (unknown account, a rule of the administrators' separation) becomes the command's failure message.
    static func withAccounts<T>(_ context: CommandContext, _ body: (AccountStore) async throws -> T) async throws -> T {
        let db = try await context.preparedDatabase()
        let accounts = try context.application.shegong.accounts(db: db)
        do {
            return try await body(accounts)
        } catch let error as StoreError {
            throw failure(error)
        }
    }

    static func failure(_ error: StoreError) -> CommandFailure {
        CommandFailure(([error.message] + error.details.filter { $0.message != error.message }.map(\.message)).joined(separator: "；"))
    }

    static func printOneTimePassword(_ password: String, for username: String, console: any Console) {
        console.print("用户 \(username) 的一次性密码（只显示这一次，首次登录后须修改）：")
        console.print(password)
    }
}

struct UserAddCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "name", help: "Username: 3–32 letters, digits, . _ -")
        var name: String
        @Option(name: "role", help: "system_administrator, security_administrator, audit_administrator, official, department_operator, organization_manager or social_worker.")
        var role: String?
        @Option(name: "region", help: "Region code of the scope (official, department_operator); 000000 is the nation.")
        var region: String?
        @Option(name: "organization", help: "The organisation's USCC or record id (organization_manager).")
        var organization: String?
        @Option(name: "department", help: "Department (department_operator): a department record id, or a name such as 民政局 — the record of that name at or above the region, created in the region if there is none.")
        var department: String?
        @Option(name: "access", help: "read (default) or readwrite (official).")
        var access: String?
        @Option(name: "person", help: "The person's record id (social_worker).")
        var person: String?
    }
    var help: String { "Create an account with one role and its scope; prints a one-time password once." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let request = Grant.Request(roles: signature.role.map { [$0] } ?? [], region: signature.region, access: signature.access,
                                    department: signature.department, organization: signature.organization, person: signature.person)
        let grant: Grant
        switch Grant.parse(request) {
        case .success(let g): grant = g
        case .failure(let problem): throw CommandFailure(problem.message)
        }
        let created = try await UserCommands.withAccounts(context) { try await $0.create(username: signature.name, grant: grant, actor: "cli") }
        context.console.print("已创建：\(created.account.username)（\(created.account.role.chineseName)）")
        UserCommands.printOneTimePassword(created.oneTimePassword, for: created.account.username, console: context.console)
    }
}

struct UserDisableCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "name", help: "Username.")
        var name: String
    }
    let disable: Bool
    var help: String { disable ? "Disable an account: it cannot log in, its sessions end now, its API tokens stop working." : "Enable a disabled account again." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await UserCommands.withAccounts(context) { accounts in
            if disable {
                try await accounts.disable(username: signature.name, actor: "cli")
                context.console.print("已停用：\(signature.name)，其会话已全部结束")
            } else {
                try await accounts.enable(username: signature.name, actor: "cli")
                context.console.print("已启用：\(signature.name)")
            }
        }
    }
}

struct UserResetPasswordCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "name", help: "Username.")
        var name: String
    }
    var help: String { "Give an account a new one-time password (printed once); ends its sessions and clears a lock." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let password = try await UserCommands.withAccounts(context) { try await $0.resetPassword(username: signature.name, actor: "cli") }
        UserCommands.printOneTimePassword(password, for: signature.name, console: context.console)
    }
}

struct UserListCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List accounts with their role and scope." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = try await context.preparedDatabase()
        let accounts = try await context.application.shegong.accounts(db: db).accounts()
        let names = try await GrantNames.load(accounts.map(\.grant), db: db)
        for account in accounts {
            var flags: [String] = []
            if account.disabled { flags.append("已停用") }
            if account.mustChangePassword { flags.append("须改密码") }
            if account.lockedUntil.map({ $0 > Date() }) ?? false { flags.append("已锁定") }
            if account.hasTOTP { flags.append("动态口令") }
            context.console.print("\(account.username)\t\(account.role.rawValue)\t\(Self.scope(account.grant, names))\t\(flags.joined(separator: "、"))")
        }
    }

    /// The scope as an operator reads it and a script can still cut it: each code or id that the
    /// other commands take, followed by the name it stands for.
    static func scope(_ grant: Grant, _ names: GrantNames) -> String {
        func named(_ key: String, _ name: String?) -> String { name.map { "\(key)（\($0)）" } ?? key }
        switch grant {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator: return "-"
        case .official(let region, let access): return "\(named(region.value, names.regions[region.value])) \(access.rawValue)"
        case .departmentOperator(let department, let region): return "\(named(region.value, names.regions[region.value])) \(department)"
        case .organizationManager(let id): return "organization \(named(id, names.organizations[id]))"
        case .socialWorker(let id): return "person \(named(id, names.people[id]))"
        }
    }
}

/// First start without the web server: creates the system administrator `admin` if there is no
/// account at all, and prints its one-time password once.
struct UserBootstrapCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "If there are no accounts, create the system administrator 'admin' and print its one-time password once." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = try await context.preparedDatabase()
        if let created = try await context.application.shegong.accounts(db: db).bootstrapAdministrator() {
            UserCommands.printOneTimePassword(created.oneTimePassword, for: created.account.username, console: context.console)
        } else {
            context.console.print("已有账号，未创建")
        }
    }
}

/// `shegong token create|list|revoke`.
enum TokenCommands {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(TokenCreateCommand(), as: "create")
        commands.use(TokenListCommand(), as: "list")
        commands.use(TokenRevokeCommand(), as: "revoke")
        return commands.group(help: "API tokens (Authorization: Bearer): create (printed once), list, revoke.")
    }
}

struct TokenCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "name", help: "The username the token acts as (it has that account's role and scope).")
        var name: String
        @Option(name: "label", help: "What the token is for (default: cli).")
        var label: String?
    }
    var help: String { "Create an API token for an account; prints it once (only its hash is stored)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let created = try await UserCommands.withAccounts(context) {
            try await $0.createToken(username: signature.name, name: signature.label ?? "cli", actor: "cli")
        }
        context.console.print("已为 \(created.token.username) 创建令牌 \(created.token.id)（只显示这一次）：")
        context.console.print(created.secret)
    }
}

struct TokenListCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "name", help: "Username.")
        var name: String
    }
    var help: String { "List an account's API tokens (never the tokens themselves)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = try await context.preparedDatabase()
        for token in try await context.application.shegong.accounts(db: db).tokens(username: signature.name) {
            let used = token.lastUsedAt.map { "最近使用 \(AuditCommands.beijing($0))" } ?? "未使用"
            let state = token.revokedAt.map { "已吊销 \(AuditCommands.beijing($0))" } ?? "有效"
            context.console.print("\(token.id)\t\(token.name)\t创建 \(AuditCommands.beijing(token.createdAt))\t\(used)\t\(state)")
        }
    }
}

struct TokenRevokeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id", help: "The token's id (from token list).")
        var id: String
    }
    var help: String { "Revoke an API token at once." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await UserCommands.withAccounts(context) { try await $0.revokeToken(id: signature.id, actor: "cli") }
        context.console.print("已吊销令牌 \(signature.id)")
    }
}
