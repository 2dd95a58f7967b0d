import Foundation
import SQLKit
import ShegongDomain
import ShegongStore
import Vapor

/// `shegong audit verify|search` (docs/conventions.md §7, issue #3 §3).
enum AuditCommands {
    static var group: any AsyncCommandGroup {
        var commands = AsyncCommands()
        commands.use(AuditVerifyCommand(), as: "verify")
        commands.use(AuditSearchCommand(), as: "search")
        return commands.group(help: "The tamper-evident audit log: verify the chain, search entries.")
    }

    static func beijing(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// `YYYY-MM-DD` (a civil date in Asia/Shanghai, from its midnight) or an ISO 8601 instant.
    static func instant(_ text: String, option: String) throws -> Date {
        if let date = CivilDate(censusText: text) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            if let start = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day)) { return start }
        }
        let formatter = ISO8601DateFormatter()
        if let instant = formatter.date(from: text) { return instant }
        throw CommandFailure("--\(option) 须为 YYYY-MM-DD 或 ISO 8601 时间，如 2025-03-01T08:00:00Z")
    }
}

struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Check the audit log's hash chain; exits non-zero naming the first changed, inserted or deleted entry." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = try await context.preparedDatabase()
        let log = context.application.shegong.auditLog
        let result = try await log.verify(sql: db as! any SQLDatabase)
        try await log.append(db: db, through: context.application.shegong.writeQueue, AuditEntry(at: Date(), actor: "cli", action: .auditVerify, objectType: "audit_log",
                                                result: result.isIntact ? .success : .failure, details: result.problem?.description))
        if let problem = result.problem {
            throw CommandFailure("审计日志校验失败：\(problem.description)（此前 \(result.checked) 条完好）")
        }
        context.console.print("审计日志完好：\(result.checked) 条，最新第 \(result.lastID.map(String.init) ?? "-") 条，链头哈希 \(result.lastHash ?? "-")")
        context.console.print("请将链头哈希另行记录（如纸质或另一系统），以便日后发现末尾记录被删除。")
    }
}

struct AuditSearchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "user", help: "Entries of this user (the actor).")
        var user: String?
        @Option(name: "action", help: "An action (session.login) or an area (session).")
        var action: String?
        @Option(name: "since", help: "From this date (YYYY-MM-DD, Beijing time) or instant.")
        var since: String?
        @Option(name: "until", help: "Before this date or instant.")
        var until: String?
        @Option(name: "object", help: "An object: TYPE or TYPE:ID, e.g. user:zhangsan.")
        var object: String?
        @Option(name: "limit", help: "At most this many, newest first (default 100, at most 1000).")
        var limit: Int?
    }
    var help: String { "Search the audit log, newest first. The search itself is audited." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = try await context.preparedDatabase()
        var query = AuditQuery(actor: signature.user, action: signature.action, limit: signature.limit ?? 100)
        if let since = signature.since { query.since = try AuditCommands.instant(since, option: "since") }
        if let until = signature.until { query.until = try AuditCommands.instant(until, option: "until") }
        if let object = signature.object {
            let parts = object.split(separator: ":", maxSplits: 1).map(String.init)
            query.objectType = parts.first
            query.objectID = parts.count > 1 ? parts[1] : nil
        }
        let log = context.application.shegong.auditLog
        let records = try await log.search(sql: db as! any SQLDatabase, query)
        let filters = [signature.user.map { "user=\($0)" }, signature.action.map { "action=\($0)" }, signature.since.map { "since=\($0)" },
                       signature.until.map { "until=\($0)" }, signature.object.map { "object=\($0)" }].compactMap { $0 }
        try await log.append(db: db, through: context.application.shegong.writeQueue, AuditEntry(at: Date(), actor: "cli", action: .auditSearch, objectType: "audit_log",
                                                details: filters.joined(separator: " ")))
        for r in records {
            let object = [r.entry.objectType, r.entry.objectID].compactMap { $0 }.joined(separator: ":")
            context.console.print([String(r.id), AuditCommands.beijing(r.entry.at), r.entry.actor, r.entry.ip ?? "-", r.entry.action.rawValue,
                                   object.isEmpty ? "-" : object, r.entry.result.rawValue, r.entry.details ?? ""].joined(separator: "\t"))
        }
        context.console.print("共 \(records.count) 条")
    }
}
