import FluentKit
import Foundation
import ShegongStore
import ShegongWeb
import Vapor

/// The options of the benches that drive a server over HTTP with wrk (`auth`, `lists`).
struct ServedBenchOptions {
    var database: String
    var keyFile: String
    var seconds = 10
    var connections = 8

    init(arguments: [String], command: String) throws {
        var database: String?, key: String?
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : nil
            switch arguments[i] {
            case "--database": database = value
            case "--key": key = value
            case "--seconds": seconds = value.flatMap(Int.init) ?? seconds
            case "--connections": connections = value.flatMap(Int.init) ?? connections
            default: throw BenchUsageError("unknown option \(arguments[i])")
            }
            i += 2
        }
        guard let database, let key else { throw BenchUsageError("\(command) needs --database and --key") }
        self.database = database
        keyFile = key
    }

    /// Shegong in this process, wired by `configure` on the database, serving on a free port of
    /// 127.0.0.1: `prepare` runs before the server starts (extra routes), `body` gets the base URL.
    func serve(prepare: (Application) async throws -> Void = { _ in },
               _ body: (Application, String) async throws -> Void) async throws {
        var environment = [DatabaseLocation.environmentKey: database, PersonalDataCipher.keyFileEnvironmentKey: keyFile]
        environment[ShegongSettings.logLevelKey] = "error"
        let app = try await Application.make(.production)
        var started = false
        do {
            try await configure(app, settings: try ShegongSettings(environment: environment))
            try await app.autoMigrate()
            try await prepare(app)
            let port = 18_000 + Int.random(in: 0..<2_000)
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            started = true
            try await body(app, "http://127.0.0.1:\(port)")
            fflush(nil)   // every C stream, so a crash on shutdown cannot lose the figures
            // wrk drops its connections at the end of a run; let the requests already inside finish
            // before the databases close under them.
            try await Task.sleep(nanoseconds: 2_000_000_000)
            await app.server.shutdown()
            try await app.asyncShutdown()
        } catch {
            if started { await app.server.shutdown() }
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// One wrk run with these options' length and connections (or `connections`).
    /// The server is this process, so its CPU time over the run, per request, is the route's cost.
    func wrk(_ url: String, token: String?, connections: Int? = nil, luaBody: String = "") throws -> WrkRun {
        let before = Self.processCPUSeconds()
        var run = try WrkRun.run(url, token: token, seconds: seconds, connections: connections ?? self.connections, luaBody: luaBody)
        if run.requests > 0 { run.cpuMicrosecondsPerRequest = (Self.processCPUSeconds() - before) / Double(run.requests) * 1_000_000 }
        return run
    }

    /// User and system CPU time of this process so far, in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
