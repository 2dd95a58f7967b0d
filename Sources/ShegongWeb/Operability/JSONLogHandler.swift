import Foundation
import Logging

/// How the server writes its log lines (`SHEGONG_LOG_FORMAT`).
public enum LogFormat: String, Sendable {
    /// swift-log's text lines (`time level label : metadata message`), the default.
    case plain
    /// One JSON object a line, for a log collector (`JSONLogHandler`).
    case json
}

/// One JSON object a line (docs/operations.md, "Logs"): `time` (UTC, ISO 8601 with
/// milliseconds), `level`, `message`, `logger` (the label), and the metadata, the request's
/// own as `request_id`, `method`, `route`, `status` and `duration_ms` (the last two numbers).
///
/// It sits behind `RedactingLogHandler` like the plain handler (`LogRedaction.bootstrap`), so
/// every message and value it sees has had ID and mobile numbers, tokens, cookies, queries and
/// bodies removed; the request lines themselves carry only the route template, never the path.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void

    /// `write` receives each line without its newline.
    public init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    /// Lines to standard error, as the plain handler writes them.
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Metadata keys written under another name (`request-id` is Vapor's key).
    static let renamed = ["request-id": "request_id"]
    /// Keys whose values are written as JSON numbers when they read as one.
    static let numeric: Set<String> = ["status", "duration_ms"]
    /// Keys the handler writes itself; metadata of the same name is not allowed to replace them.
    static let reserved: Set<String> = ["time", "level", "message", "logger"]

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let given = event.metadata { all.merge(given) { _, new in new } }
        write(Self.line(time: Date(), level: event.level, message: event.message.description, label: label, metadata: all,
                        error: event.error.map { String(describing: $0) }))
    }

    /// The JSON text of one line (keys sorted, so lines compare and diff well).
    static func line(time: Date, level: Logger.Level, message: String, label: String, metadata: Logger.Metadata, error: String?) -> String {
        var object: [String: Any] = ["time": timestamp(time), "level": level.rawValue, "message": message, "logger": label]
        for (key, value) in metadata {
            let name = renamed[key] ?? key
            guard !reserved.contains(name) else { continue }
            object[name] = json(value, numeric: numeric.contains(name))
        }
        if let error { object["error"] = error }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else {
            return #"{"level":"error","message":"log line could not be encoded"}"#
        }
        return text
    }

    static func json(_ value: Logger.MetadataValue, numeric: Bool) -> Any {
        switch value {
        case .string(let text):
            if numeric, let int = Int(text) { return int }
            if numeric, let double = Double(text) { return double }
            return text
        case .stringConvertible(let value):
            return json(.string(value.description), numeric: numeric)
        case .array(let values):
            return values.map { json($0, numeric: false) }
        case .dictionary(let values):
            return values.mapValues { json($0, numeric: false) }
        }
    }

    static func timestamp(_ date: Date) -> String {
        // ISO 8601 in UTC with milliseconds; a formatter per call is too slow for every line.
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&whole, &parts)
        let millis = min(999, Int((seconds - seconds.rounded(.down)) * 1000))
        func pad(_ n: Int32, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}
