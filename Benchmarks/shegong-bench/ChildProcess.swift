import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What one measured child process cost.
struct ChildMeasurement {
    var exitStatus: Int32
    var seconds: Double
    /// The child's high-water mark of resident memory, KiB.
    var peakRSSKiB: Int
    /// True when measured without GNU time: then it may be this process's own peak (see `measure`).
    var peakIsUpperBound: Bool
    var userSeconds: Double
    var systemSeconds: Double

    var peakRSSMiB: Double { Double(peakRSSKiB) / 1024 }
}

struct ChildProcessError: Error, CustomStringConvertible {
    let description: String
}

enum ChildProcess {
    static let gnuTime = URL(fileURLWithPath: "/usr/bin/time")

    /// Runs `executable` to completion and measures its wall time, CPU time and peak RSS.
    /// Standard output and error go to `log`; `input` becomes standard input.
    ///
    /// The peak comes from GNU time when /usr/bin/time exists, else from the child's own rusage
    /// (wait4), marked as an upper bound. GNU time comes first because the kernel carries the
    /// parent's high-water mark into a child started with posix_spawn (vfork): that child's
    /// `ru_maxrss` is never below this process's own peak, tens of MB after the CSV generation and
    /// the in-process application. GNU time is a small process whose fork starts the child with a
    /// near-clean count. (Foundation's `Process` reaps its children itself, so it cannot hand back
    /// one child's rusage at all.)
    static func measure(_ executable: URL, _ arguments: [String], environment: [String: String],
                        input: URL? = nil, log: URL) throws -> ChildMeasurement {
        guard FileManager.default.isExecutableFile(atPath: gnuTime.path) else {
            var measurement = try spawnAndWait(executable, arguments, environment: environment, input: input, log: log)
            measurement.peakIsUpperBound = true
            return measurement
        }
        let report = log.appendingPathExtension("time")
        var measurement = try spawnAndWait(gnuTime, ["--format=%M %U %S", "--output=\(report.path)", executable.path] + arguments,
                                           environment: environment, input: input, log: log)
        // GNU time writes "Command exited with non-zero status N" first when it does; the figures are the last line.
        let figures = (try? String(contentsOf: report, encoding: .utf8))?
            .split(whereSeparator: \.isNewline).last?.split(separator: " ").compactMap { Double($0) } ?? []
        guard figures.count == 3 else { throw ChildProcessError(description: "cannot read GNU time's report \(report.path)") }
        measurement.peakRSSKiB = Int(figures[0])
        measurement.userSeconds = figures[1]
        measurement.systemSeconds = figures[2]
        return measurement
    }

    /// posix_spawn, then wait4 for the child's exit status and rusage.
    private static func spawnAndWait(_ executable: URL, _ arguments: [String], environment: [String: String],
                                     input: URL?, log: URL) throws -> ChildMeasurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input { posix_spawn_file_actions_addopen(&actions, 0, input.path, O_RDONLY, 0) }
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        let started = monotonicSeconds()
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw ChildProcessError(description: "cannot start \(executable.path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw ChildProcessError(description: "wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = monotonicSeconds() - started
        // WIFEXITED / WEXITSTATUS are macros Swift cannot see: the low 7 bits hold the signal, if any.
        let signal = status & 0x7f
        return ChildMeasurement(
            exitStatus: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
            seconds: seconds,
            peakRSSKiB: usage.ru_maxrss,
            peakIsUpperBound: false,
            userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }

    /// Runs a helper whose cost is not measured (loading the demo regions); its output goes to `log`.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String], log: URL) throws {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw ChildProcessError(description: "cannot create \(log.path)")
        }
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ChildProcessError(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) "
                + "failed with exit status \(process.terminationStatus); see \(log.path)")
        }
    }

    /// The first `name` on PATH, or nil.
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
