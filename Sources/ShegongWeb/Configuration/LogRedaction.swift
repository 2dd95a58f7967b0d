import Foundation
import Logging

/// What the log must never hold (issue #10 §8): resident ID and mobile numbers, API tokens,
/// bearer credentials, cookies (the session cookie above all), passwords and codes sent in forms,
/// query strings and request bodies. At `SHEGONG_LOG_LEVEL=trace` Vapor logs every decoded HTTP
/// part — the request head with its URI and headers, and the first bytes of the body in hex — and
/// SQLKit logs statements with their binds (dropped whole: a bind can be a name); a handler cannot know which of these a line holds, so
/// every line and every metadata value is rewritten by the rules below, at every level.
///
/// The rules err on the side of removing too much: a 17–18 digit run inside a hash is removed
/// too, and a path keeps its query's shape only as `?[redacted]`.
public enum LogRedaction {
    static let redacted = "[redacted]"

    /// Pattern → template, applied in order.
    static let rules: [(NSRegularExpression, String)] = [
        // Hex dumps of request and response bodies (`ByteBuffer`'s description): the bytes may be
        // a form with a password or a census file; the length stays.
        (#"\[[0-9a-f .]+\]\((\d+) bytes\)"#, "[body redacted]($1 bytes)"),
        // Header values, in HTTPHeaders' `("Name", "value")` form and in `Name: value` lines.
        (#"(?i)(\("(?:cookie|set-cookie|authorization|proxy-authorization|x-csrf-token)",\s*")[^"]*(")"#, "$1[redacted]$2"),
        (#"(?im)^(\s*(?:cookie|set-cookie|authorization|proxy-authorization|x-csrf-token)\s*:\s*).*$"#, "$1[redacted]"),
        (#"(?i)\bBearer\s+[^\s",;)\]]+"#, "Bearer [redacted]"),
        (#"\bsgt_[A-Za-z0-9_\-]+"#, "sgt_[redacted]"),
        (#"(?i)\b(shegong_session|__Host-shegong_session|session|csrf)=[^;\s",&)\]]+"#, "$1=[redacted]"),
        // Secrets in form bodies or queries written out as text.
        (#"(?i)\b([A-Za-z_]*password|passwd|totp|otp|token|secret)=[^&\s",)\]]+"#, "$1=[redacted]"),
        // The query of a site path (`/people?name=…&id=…`): Shegong's own paths start with `/`.
        (#"(/[A-Za-z0-9_\-./%]*)\?[^\s",)\]]+"#, "$1?[redacted]"),
        // GB 11643 resident IDs (18 characters, the last a digit or X) and 15-digit first-generation
        // IDs; then mainland mobile numbers (11 digits starting 13–19).
        (#"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])"#, "[id redacted]"),
        (#"(?<![0-9])[0-9]{15}(?![0-9])"#, "[id redacted]"),
        (#"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"#, "[mobile redacted]"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// `text` with every rule applied.
    public static func redact(_ text: String) -> String {
        mayMatchARule(text) ? applyingRules(text) : text
    }

    /// Every rule, without the quick look first (what `redact` must equal, `SecurityFilesLogTests`).
    static func applyingRules(_ text: String) -> String {
        var out = text
        for (pattern, template) in rules {
            let range = NSRange(out.startIndex..., in: out)
            guard pattern.firstMatch(in: out, range: range) != nil else { continue }
            out = pattern.stringByReplacingMatches(in: out, range: range, withTemplate: template)
        }
        return out
    }

    /// Whether some rule may match: each needs one of `( : = ?`, the word "bearer" or "sgt_" (either
    /// case), or a run of 11 ASCII digits. Most of what a request logs or sets as metadata (its id,
    /// its route, its status) has none and is passed on without ten regular expressions: those
    /// were a twelfth of the people list's CPU (docs/benchmarks.md, "What an authenticated request
    /// costs").
    static func mayMatchARule(_ text: String) -> Bool {
        var digits = 0
        var lastSix: UInt64 = 0   // the last six bytes, ASCII letters in lower case
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "?"): return true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if digits >= 11 { return true }
            default: digits = 0
            }
            let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            lastSix = (lastSix << 8 | UInt64(lower)) & 0xFFFF_FFFF_FFFF
            if lastSix == bearer || lastSix & 0xFFFF_FFFF == sgt { return true }
        }
        return false
    }

    /// "bearer" and "sgt_" as the bytes of `lastSix`.
    private static let bearer: UInt64 = 0x62_65_61_72_65_72
    private static let sgt: UInt64 = 0x73_67_74_5F

    public static func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): return .string(redact(text))
        case .stringConvertible(let value): return .string(redact(value.description))
        case .array(let values): return .array(values.map(redact))
        case .dictionary(let values): return .dictionary(redact(values))
        }
    }

    /// Metadata keys whose values are dropped whole: SQLKit's statement binds (at trace) hold
    /// names, addresses and other personal data no pattern recognises.
    static let droppedKeys: Set<String> = ["binds"]

    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var out = metadata.mapValues(redact)
        for key in droppedKeys where out[key] != nil { out[key] = .string(redacted) }
        return out
    }
}

/// Wraps the real log handler (installed by `main.swift`'s `LoggingSystem.bootstrap`, and by the
/// tests): every message, every metadata value — given with the line, set on the logger, or from a
/// metadata provider — and an attached error's description pass `LogRedaction` before the wrapped
/// handler sees them.
public struct RedactingLogHandler: LogHandler {
    public var wrapped: any LogHandler

    public init(_ wrapped: any LogHandler) {
        self.wrapped = wrapped
        self.wrapped.metadata = LogRedaction.redact(wrapped.metadata)
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = LogRedaction.redact(newValue) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue.map(LogRedaction.redact) }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue.map { provider in Logger.MetadataProvider { LogRedaction.redact(provider.get()) } } }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(LogRedaction.redact(event.message.description))"
        var metadata = event.metadata.map(LogRedaction.redact) ?? [:]
        if let error = event.error {
            metadata["error"] = .string(LogRedaction.redact(String(describing: error)))
            event.error = nil
        }
        event.metadata = metadata.isEmpty ? nil : metadata
        wrapped.log(event: event)
    }
}

extension LogRedaction {
    /// Installs `make`'s handlers behind `RedactingLogHandler` as the process's logging system, at
    /// `level` (once per process; `main.swift`, and the log tests with a capturing handler).
    public static func bootstrap(level: Logger.Level, _ make: @escaping @Sendable (String) -> any LogHandler) {
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(make(label))
            handler.logLevel = level
            return handler
        }
    }
}
