import Foundation

/// The command line of `shegong-bench census`, parsed by hand (no argument-parser dependency).
struct CensusBenchOptions {
    var people = 1_000_000
    var workdir: URL
    /// nil: a fresh SQLite file in the work directory.
    var database: String?
    var repetitions = 5
    var seed: UInt64 = 2025
    var shegongBinary: URL

    init(arguments: [String], currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws {
        workdir = currentDirectory.appendingPathComponent(".build/shegong-bench")
        shegongBinary = currentDirectory.appendingPathComponent(".build/release/shegong")
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            switch flag {
            case "--people", "-n":
                guard let n = Int(value.replacingOccurrences(of: "_", with: "")), n > 0 else { throw UsageError("--people must be a positive number; got \(value)") }
                people = n
            case "--workdir":
                workdir = URL(fileURLWithPath: value, relativeTo: currentDirectory).standardizedFileURL
            case "--database":
                database = value
            case "--repeat":
                guard let k = Int(value), k > 0 else { throw UsageError("--repeat must be a positive number; got \(value)") }
                repetitions = k
            case "--seed":
                guard let s = UInt64(value) else { throw UsageError("--seed must be a non-negative number; got \(value)") }
                seed = s
            case "--shegong":
                shegongBinary = URL(fileURLWithPath: value, relativeTo: currentDirectory).standardizedFileURL
            default:
                throw UsageError("unknown option \(flag)")
            }
        }
    }

    var isPostgres: Bool { database.map { $0.hasPrefix("postgres://") || $0.hasPrefix("postgresql://") } ?? false }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
