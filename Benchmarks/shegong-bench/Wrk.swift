import Foundation

/// One run of `wrk` (Debian's) against a URL: requests a second and latency percentiles, as wrk
/// prints them with `--latency`. Throws when wrk prints no figure or saw answers other than 2xx,
/// so a figure is never printed for a route that failed.
struct WrkRun {
    var requestsPerSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    /// Requests answered in the run (wrk's "N requests in …").
    var requests: Int
    /// The server's CPU time (user and system) per request answered, when the server is this
    /// process (`ServedBenchOptions.wrk`): steadier than requests a second on a shared machine,
    /// whose other work slows the yardstick and the route alike but not by the same amount.
    var cpuMicrosecondsPerRequest: Double = .nan

    static func run(_ url: String, token: String?, seconds: Int, connections: Int, luaBody: String = "") throws -> WrkRun {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("shegong-wrk-\(UUID().uuidString).lua")
        defer { try? FileManager.default.removeItem(at: script) }
        var lua = "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
        if let token { lua += "wrk.headers[\"Authorization\"] = \"Bearer \(token)\"\n" }
        lua += luaBody
        try lua.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "-t\(min(2, connections))", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script.path, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let rate = lines.first(where: { $0.hasPrefix("Requests/sec:") }).flatMap({ Double($0.split(separator: " ").last ?? "") }) else {
            throw BenchUsageError("wrk gave no figure for \(url):\n\(output)")
        }
        if output.contains("Non-2xx") { throw BenchUsageError("requests to \(url) failed:\n\(output)") }
        let requests = lines.first(where: { $0.contains(" requests in ") }).flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
        return WrkRun(requestsPerSecond: rate, p50Milliseconds: percentile("50%", in: lines), p99Milliseconds: percentile("99%", in: lines),
                      requests: requests)
    }

    /// wrk's latency distribution line, `50%  1.23ms` (or `us`, `s`), in milliseconds.
    private static func percentile(_ label: String, in lines: [String]) -> Double {
        guard let line = lines.first(where: { $0.hasPrefix(label + " ") }),
              let text = line.split(separator: " ", omittingEmptySubsequences: true).last else { return .nan }
        let units: [(String, Double)] = [("us", 0.001), ("ms", 1), ("m", 60_000), ("s", 1_000)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            if let value = Double(text.dropLast(unit.count)) { return value * factor }
        }
        return .nan
    }
}
