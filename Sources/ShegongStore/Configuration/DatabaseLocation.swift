import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the data lives, read from `SHEGONG_DATABASE` (docs/conventions.md §7): a SQLite file path
/// (default `./shegong.sqlite`) or a `postgres://` URL.
public enum DatabaseLocation: Equatable, Sendable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)

    public static let environmentKey = "SHEGONG_DATABASE"

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(setting: environment[DatabaseLocation.environmentKey])
    }

    public init(setting: String?) {
        let value = (setting ?? "").trimmingCharacters(in: .whitespaces)
        if value.isEmpty {
            self = .sqliteFile(path: "./shegong.sqlite")
        } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else if value == ":memory:" {
            self = .sqliteMemory
        } else {
            self = .sqliteFile(path: value)
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// Printable without the password.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "SQLite \(path)"
        case .sqliteMemory: return "SQLite (in memory)"
        case .postgres(let url):
            guard var parts = URLComponents(string: url) else { return "PostgreSQL" }
            if parts.password != nil { parts.password = "***" }
            return "PostgreSQL \(parts.string ?? "")"
        }
    }
}

/// The modes of the SQLite files (issue #10 §8). The database, its write-ahead log and shared
/// memory hold every record, so only the server's own user may read or write them: the executable
/// sets umask 077 at start (new files 0600), a new database file is created 0600 before SQLite
/// opens it, and an existing one is set to 0600 at each start. SQLite gives the `-wal` and `-shm`
/// files it creates the database file's mode, so they follow.
public enum DatabaseFileModes {
    /// The files of a SQLite database at `path`: the database, its WAL, shared memory and rollback journal.
    public static func files(_ path: String) -> [String] {
        [path, path + "-wal", path + "-shm", path + "-journal"]
    }

    /// Creates an empty database file 0600 when none exists (SQLite accepts an empty file as a new database).
    public static func createOwnerOnly(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd >= 0 { close(fd); return }
        if errno == EEXIST { return }
        throw FileError(description: "cannot create database file \(path): \(String(cString: strerror(errno)))")
    }

    public struct FileError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sets every existing file of the database to 0600.
    public static func restrict(_ path: String) {
        for file in files(path) where FileManager.default.fileExists(atPath: file) {
            _ = chmod(file, 0o600)
        }
    }
}
