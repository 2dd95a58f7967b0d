import Foundation
import Logging
import ShegongWeb
import Vapor

// Every file this process creates — the SQLite database, its WAL and shared memory, backups,
// exports written by `shegong export`, temporary files — holds personal data, so it is created
// readable and writable by the server's own user only (0600, directories 0700), whatever umask
// the shell or service manager passed on. Files that already exist are tightened where Shegong
// opens them (configure, `DatabaseFileModes`); the key file is refused if others may read it.
umask(0o077)

// Thin entry point: everything lives in ShegongWeb so the tests start the same application.
let settings: ShegongSettings
do {
    settings = try ShegongSettings().forCommandLine(CommandLine.arguments)
} catch {
    FileHandle.standardError.write(Data("shegong: configuration error: \(error)\n".utf8))
    exit(2)
}
// Temporary files of libraries that use the system's temporary folder (the spreadsheet writer's
// scratch files) go to the server's own folder too, where they are private and swept.
setenv("TMPDIR", settings.tempDirectory, 1)
// Every line passes LogRedaction (ID and mobile numbers, tokens, cookies, queries, bodies) at
// every level before it is written: as text, or one JSON object a line (SHEGONG_LOG_FORMAT=json).
switch settings.logFormat {
case .plain: LogRedaction.bootstrap(level: settings.logLevel) { label in StreamLogHandler.standardError(label: label) }
case .json: LogRedaction.bootstrap(level: settings.logLevel) { label in JSONLogHandler.standardError(label: label) }
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
