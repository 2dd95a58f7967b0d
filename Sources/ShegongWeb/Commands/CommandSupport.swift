import Fluent
import Foundation
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
}
