import FluentKit
import Foundation
import SQLKit

extension AccountStore {
    /// The principal an operator command acts as: an enabled account, with its one grant and
    /// scope. The operator is on the server already (they hold the database and the key), so no
    /// password is asked; what the account may do, in which scope, and the audit entries under its
    /// name are the same as on the web.
    public func commandLinePrincipal(username: String, now: Date = Date()) async throws -> Principal? {
        guard let stored = try await stored(username: username, on: db.sql), !stored.account.disabled else { return nil }
        var principal = stored.principal(credential: .commandLine, settings: settings, now: now)
        principal.mustChangePassword = false
        principal.mustEnrolTOTP = false
        return principal
    }
}
