import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    /// An audit search exported as a file, with its filters and row count (issue #18 §1).
    static let auditExport: AuditAction = "audit.export"
}

/// The audit log for the audit administrator (三员分立: nobody else reads it): a page of a search,
/// the check of the hash chain and the export of a search, each itself recorded in the log.
public struct AuditService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.auditAdministrator)
    /// The most entries one export holds (newest first); the file says so when the search found
    /// more. Read and written 1,000 at a time, so memory stays flat however many are exported.
    public static let maxRows = 1_000_000
    static let batch = 1_000

    /// What an export wrote: its title (for the file's name), the entries and whether it stopped
    /// at `maxRows`.
    public struct Written: Sendable {
        public var title: String
        public var rows: Int
        public var capped: Bool
    }

    /// One page of entries `query` finds, newest first, with the names of the regions,
    /// organisations and people their details refer to. `query` nil (a filter the page could not
    /// read) finds nothing; either way the search is recorded (`audit.search`, `filters` as typed, if any).
    public func search(_ query: AuditQuery?, filters: String?) async throws -> (records: [AuditRecord], names: GrantNames) {
        try await context.require(caller, Self.readers, "audit_log")
        var records: [AuditRecord] = []
        if let query { records = try await context.auditLog.search(sql: context.sql, query) }
        try await context.record(caller, .auditSearch, "audit_log", nil, details: filters)
        let named = AuditDetails.referenced(records.compactMap(\.entry.details))
        return (records, try await GrantNames.load(regions: named.regions, organizations: named.organizations, people: named.people, db: context.db))
    }

    /// The hash chain checked from the first entry to the last; the check is recorded with its
    /// outcome (`audit.verify`: the first problem, or how many entries were found intact).
    public func verify() async throws -> AuditVerification {
        try await context.require(caller, Self.readers, "audit_log")
        let result = try await context.auditLog.verify(sql: context.sql)
        try await context.record(caller, .auditVerify, "audit_log", nil, details: result.problem.map { "\($0)" } ?? "intact checked=\(result.checked)",
                                 result: result.isIntact ? .success : .failure)
        return result
    }

    /// Every entry `query` finds, newest first (its `beforeID` and `limit`, the page's paging, are
    /// ignored), streamed to `url` as the audit page shows them: Beijing time, the actor, the action
    /// and the result by name, the object, the details in words, and each entry's chain hash.
    /// `filters` is the search as typed, for the log. Recorded as `audit.export` with the rows.
    public func export(_ query: AuditQuery, filters: String, to url: URL, format: SpreadsheetFormat, language: Language,
                       maxRows: Int = AuditService.maxRows) async throws -> Written {
        try await context.require(caller, Self.readers, "audit_log")
        func t(_ key: String, _ args: String...) -> String { Catalogue.text(key, language, arguments: args) }
        let columns = ["#", t("exports.audit.time"), t("audit.user"), t("audit.ip"), t("audit.action"), t("exports.audit.action_code"),
                       t("audit.object"), t("audit.result"), t("audit.details"), t("exports.audit.hash")]
        // The title as a sheet name and a file name, by the same rules as every other table.
        let frame = ReportTable(title: t("exports.audit.title"), columns: columns, rows: [])
        let sink = try CensusSink(url: url, format: format, sheetName: frame.sheetName)
        try sink.write(columns.map { .text($0) })
        let beijing = PersonService.beijingMinute("yyyy-MM-dd HH:mm:ss")
        var search = query
        search.beforeID = nil
        var rows = 0, capped = false
        while true {
            search.limit = min(Self.batch, maxRows - rows)
            guard search.limit > 0 else {
                // Full: is there one more entry than the file holds?
                var probe = search
                probe.limit = 1
                capped = !(try await context.auditLog.search(sql: context.sql, probe).isEmpty)
                break
            }
            let records = try await context.auditLog.search(sql: context.sql, search)
            let named = AuditDetails.referenced(records.compactMap(\.entry.details))
            let names = try await GrantNames.load(regions: named.regions, organizations: named.organizations, people: named.people, db: context.db)
            for record in records {
                let entry = record.entry
                try sink.write([.value(Int(record.id)), .text(beijing(record.at)), .text(entry.actor), .text(entry.ip ?? ""),
                                .text(AuditActionNames.name(entry.action.rawValue, language)), .text(entry.action.rawValue),
                                .text([entry.objectType, entry.objectID].compactMap { $0 }.joined(separator: " ")),
                                .text(t("audit.result.\(entry.result.rawValue)")),
                                .text(entry.details.map { AuditDetails.text($0, names: names, language) } ?? ""), .text(record.hash)])
            }
            rows += records.count
            guard records.count == search.limit, let last = records.last else { break }
            search.beforeID = last.id
        }
        try sink.write([])
        try sink.write([.text(t("exports.audit.note", String(rows)))])
        if capped { try sink.write([.text(t("exports.audit.capped", String(maxRows)))]) }
        try sink.close()
        try await context.record(caller, .auditExport, "audit_log", nil,
                                 details: [filters, "format=\(format.rawValue)", "rows=\(rows)"].filter { !$0.isEmpty }.joined(separator: " "))
        return Written(title: frame.title, rows: rows, capped: capped)
    }
}
