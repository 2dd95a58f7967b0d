import Fluent
import Foundation
import ShegongStore
import Vapor

/// The first start of the server (issue #3): no default account or password exists anywhere;
/// when `serve` finds no account at all it brings the schema up to date, creates the system
/// administrator `admin` with a random one-time password, and prints it once, to be changed at
/// first login. Other commands and the tests are left alone.
struct FirstStartAdministrator: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        guard app.isServing else { return }
        try await app.autoMigrate()
        guard let created = try await app.shegong.accounts().bootstrapAdministrator() else { return }
        // Straight to standard output, once: the password is never logged or stored in clear.
        let text = "首次启动：已创建系统管理员 \(created.account.username)。一次性密码（只显示这一次，首次登录后须修改）：\n"
            + created.oneTimePassword + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// The server favours its password checks over its other threads (`PasswordWork`): a busy server
/// still gives a sign-in's bcrypt check most of a core (docs/operations.md).
struct SignInsFavoured: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        guard app.isServing else { return }
        PasswordWork.favourOverOtherThreads()
    }
}

extension Application {
    /// `shegong serve`, or no command, which Vapor takes as `serve`; never the tests.
    var isServing: Bool {
        guard environment != .testing else { return false }
        let command = environment.commandInput.arguments.first
        return command == nil || command == "serve"
    }
}
