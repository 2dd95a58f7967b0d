import Foundation
import Logging
import ShegongWeb
import Vapor

// Thin entry point: everything lives in ShegongWeb so the tests start the same application.
let settings: ShegongSettings
do {
    settings = try ShegongSettings()
} catch {
    FileHandle.standardError.write(Data("shegong: configuration error: \(error)\n".utf8))
    exit(2)
}
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = settings.logLevel
    return handler
}
let app = try await Application.make(try Environment.detect())
do {
    try await configure(app, settings: settings)
    try await app.execute()
    try await app.asyncShutdown()
} catch {
    FileHandle.standardError.write(Data("shegong: \(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
