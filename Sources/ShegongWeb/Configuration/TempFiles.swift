import Foundation
import Vapor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's own folder for temporary files (issue #10 §8): uploads being imported, generated
/// exports and reports on their way to the browser, the spreadsheet library's scratch files. They
/// hold full ID and mobile numbers, so the folder is the process owner's alone (0700) and every
/// file in it is 0600; nothing in it outlives `maxAge`: what a request leaves behind (an abandoned
/// upload, a download cut off) is swept at each new upload and every `sweepInterval`.
///
/// `SHEGONG_TEMP_DIR` names it; the default is `shegong-<uid>` in the system's temporary folder.
/// An existing folder is used only if it is a real directory (not a symbolic link) owned by this
/// user, and is set back to 0700; anything else stops the start, naming the folder.
public struct TempFiles: Sendable {
    public static let environmentKey = "SHEGONG_TEMP_DIR"
    /// How long a temporary file may live: an upload not committed within the hour is gone.
    public static let maxAge: TimeInterval = 3600
    /// How often the server sweeps without a new upload.
    public static let sweepInterval: TimeInterval = 600

    public let directory: URL

    public static func defaultDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("shegong-\(geteuid())", isDirectory: true)
    }

    /// Creates the folder 0700, or checks and tightens an existing one.
    public init(directory: URL) throws {
        let path = directory.path
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw TempFilesError(path: path, problem: "cannot be created: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw TempFilesError(path: path, problem: "cannot be read: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw TempFilesError(path: path, problem: "is not a directory (a symbolic link is refused)") }
        guard info.st_uid == geteuid() else { throw TempFilesError(path: path, problem: "belongs to another user (uid \(info.st_uid))") }
        guard chmod(path, 0o700) == 0 else { throw TempFilesError(path: path, problem: "cannot be set to mode 0700") }
        self.directory = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// A name for a new file in the folder (for writers that create the file themselves; the
    /// folder's 0700 and the process's umask 077 keep it private).
    public func url(_ prefix: String, extension ext: String? = nil) -> URL {
        let name = "\(prefix)-\(UUID().uuidString)" + (ext.map { ".\($0)" } ?? "")
        return directory.appendingPathComponent(name)
    }

    /// A new empty file, created 0600 and exclusively (never through an existing name or link).
    public func create(_ prefix: String, extension ext: String? = nil) throws -> URL {
        let url = url(prefix, extension: ext)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw TempFilesError(path: url.path, problem: "cannot be created: \(String(cString: strerror(errno)))") }
        close(fd)
        return url
    }

    /// Deletes every file in the folder last modified more than `maxAge` before `now`, except
    /// those named in `keeping` (an import still reading its file). Returns what it deleted.
    @discardableResult
    public func sweep(now: Date, keeping: Set<String> = []) -> [URL] {
        let keys: [URLResourceKey] = [.contentModificationDateKey]
        guard let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: keys) else { return [] }
        var removed: [URL] = []
        for file in files where !keeping.contains(file.lastPathComponent) {
            guard let modified = try? file.resourceValues(forKeys: Set(keys)).contentModificationDate,
                  now.timeIntervalSince(modified) > Self.maxAge else { continue }
            if (try? FileManager.default.removeItem(at: file)) != nil { removed.append(file) }
        }
        return removed
    }
}

public struct TempFilesError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "temporary folder \(path) \(problem)" }
}

extension ShegongServices {
    struct TempFilesKey: StorageKey { typealias Value = TempFiles }

    /// The server's temporary folder (`TempFiles`).
    public var tempFiles: TempFiles {
        get { app.storage[TempFilesKey.self]! }
        nonmutating set { app.storage[TempFilesKey.self] = newValue }
    }
}

/// Sweeps the temporary folder (and the import wizard's abandoned uploads) every
/// `TempFiles.sweepInterval` while the server runs; each new upload sweeps as well.
struct TempFilesSweeper: LifecycleHandler {
    final class Running: @unchecked Sendable {  // written once at boot, read at shutdown
        var task: Task<Void, Never>?
    }
    let running = Running()

    func didBoot(_ app: Application) throws {
        let uploads = app.shegong.importUploads
        running.task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(TempFiles.sweepInterval * 1_000_000_000))
                if Task.isCancelled { break }
                await uploads.sweep()
            }
        }
    }

    func shutdown(_ app: Application) {
        running.task?.cancel()
    }
}
