import Fluent
import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Vapor

/// A command that failed in a way the operator must see: printed, and the process exits non-zero.
public struct CommandFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension CommandContext {
    /// Commands bring the schema up to date first, so a fresh database needs no separate step.
    func preparedDatabase() async throws -> any Database {
        try await application.autoMigrate()
        return application.db
    }

    /// The services over the migrated database, with the application's write queue and audit log.
    func services() async throws -> ServiceContext {
        let db = try await preparedDatabase()
        let shegong = application.shegong
        return ServiceContext(db: db, cipher: shegong.cipher, auditLog: shegong.auditLog, writes: shegong.writeQueue)
    }

    /// The account a command acts as — `--as USERNAME`, else `SHEGONG_CLI_ACCOUNT` — so that the
    /// command may do only what that account may do on the web, in its scope, and its changes,
    /// imports, exports, reveals, runs and approvals are audited under its name.
    func caller(as username: String?, command: String) async throws -> Caller {
        guard let name = username ?? application.shegong.settings.commandLineAccount else {
            throw CommandFailure(CatalogueMessage("cli.account_required").chinese)
        }
        _ = try await preparedDatabase()
        guard let principal = try await application.shegong.accounts().commandLinePrincipal(username: name) else {
            throw CommandFailure(CatalogueMessage("cli.account_unknown", name).chinese)
        }
        return Caller(principal: principal, address: nil, origin: "cli \(command)")
    }
}

/// `--as USERNAME`, the account an operator command acts as (`CommandContext.caller(as:command:)`),
/// defined once for every command: a signature declares `var account: Option<String> = .account()`
/// and reads `signature.account.wrappedValue`. (ConsoleKit finds a signature's options by reflection
/// on its own properties, so the option is a shared value rather than a nested group.)
extension Option where Value == String {
    /// The `--as` option; `verb` and `detail` say what the account does in this command and what of it applies.
    static func account(_ verb: String = "act", _ detail: String = "its role and scope apply; audited under its name") -> Option<String> {
        Option(name: "as", help: "The account to \(verb) as (\(detail)). Default SHEGONG_CLI_ACCOUNT.")
    }
}
