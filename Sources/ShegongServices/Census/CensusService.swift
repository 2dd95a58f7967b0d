import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// The census template's use cases (docs/architecture.md, "How a census import flows"): import
/// and export inside the caller's scope, audited whether they come from a page, the API or an
/// operator command.
public struct CensusService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let importers = Permission.write(.official, .organizationManager)
    public static let exporters = Permission.read(.official, .organizationManager)

    /// An importer for the caller: rows outside the scope are rejected row by row, and the attempt
    /// (dry run, rejected or committed) is audited with its counts — inside the import's
    /// transaction when it commits, so there is no import without its entry. The import wizard
    /// runs it in the background after its page gate has admitted the caller; `importCensus`
    /// checks the permission itself.
    public func importer(on database: (any Database)? = nil) throws -> CensusImporter {
        guard Self.importers.admits(caller.principal) else { throw AccessDenied(code: "auth.role_forbidden", CatalogueMessage.name(caller.principal.role)) }
        var importer = CensusImporter(db: database ?? context.db, cipher: context.cipher)
        importer.scope = caller.scope
        importer.writes = context.writes
        let log = context.auditLog, caller = self.caller, at = context.now()
        importer.audit = { report, sql in
            let details = "file=\(report.fileName) dryRun=\(report.dryRun) rows=\(report.rows) created=\(report.created) updated=\(report.updated) rejected=\(report.rejectedRows)"
            try await log.append(on: sql, AuditEntry(at: at, actor: caller.username, ip: caller.address, action: .censusImport,
                                                     objectType: "census_import", objectID: report.importID,
                                                     result: report.succeeded ? .success : .failure, details: details))
        }
        return importer
    }

    /// Imports a file read by `reader` (all rows or none).
    public func importCensus(reader: any SpreadsheetRowReader, fileName: String, format: String, dryRun: Bool,
                             postsSince: CivilDate? = nil) async throws -> CensusImportReport {
        try await context.require(caller, Self.importers, "census_import")
        var importer = try importer()
        importer.postsSince = postsSince
        let report = try await importer.run(reader: reader, fileName: fileName, format: format, dryRun: dryRun,
                                            actor: caller.username, now: context.now())
        if report.committed { await context.noteWrite(by: caller) }
        return report
    }

    /// Runs an importer made by `importer(on:)` (the import wizard's background dry run or commit)
    /// and, when it committed, records the caller's write position like every other change, so
    /// their next reads do not come from a standby that has not replayed the import.
    public func run(_ importer: CensusImporter, reader: any SpreadsheetRowReader, fileName: String, format: String,
                    dryRun: Bool) async throws -> CensusImportReport {
        let report = try await importer.run(reader: reader, fileName: fileName, format: format, dryRun: dryRun,
                                            actor: caller.username)
        if report.committed { await context.noteWrite(by: caller) }
        return report
    }

    /// An earlier import's issues, for the account that ran it (others: the audited 404).
    public func importIssues(_ id: String) async throws -> [CensusIssue] {
        guard let owner = try await CensusImporter.owner(importID: id, on: context.db),
              let issues = try await CensusImporter.issues(importID: id, on: context.db) else { throw StoreError.notFound(.censusImport) }
        guard owner == caller.username else { throw try await context.outOfScope(caller, "census_import", id, what: .censusImport) }
        return issues
    }

    /// One page of an earlier dry run's list of changes (per person created or updated), for the
    /// account that ran it (others: the audited 404).
    public func importChanges(_ id: String, page: Int) async throws -> (items: [CensusImportChange], total: Int) {
        guard let owner = try await CensusImporter.owner(importID: id, on: context.db) else { throw StoreError.notFound(.censusImport) }
        guard owner == caller.username else { throw try await context.outOfScope(caller, "census_import", id, what: .censusImport) }
        return try await CensusImporter.changes(importID: id, page: page, on: context.db)
    }

    /// The blank template for the caller: as XLSX with its instructions in `language`, drop-down
    /// lists and the caller's own regions (none for a caller without a region scope); as CSV the
    /// header row only.
    public func template(to url: URL, format: SpreadsheetFormat, language: Language) async throws {
        guard format == .xlsx else { return try CensusExporter.writeTemplate(to: url, format: format) }
        let regions = caller.scope.regionSubtree == nil ? [] : try await RegionStore(context.db).current(within: caller.scope.regionSubtree)
        try CensusExporter.writeTemplate(to: url, language: language, regions: regions.map { ($0.code, $0.name) })
    }

    /// The census of `regionCode` (nil: the caller's whole scope) inside the caller's scope,
    /// written to `url`; masked unless `reveal` and the caller may export identifiers (read-write
    /// officials; otherwise an audited 403). The export is audited with its count.
    public func export(to url: URL, format: SpreadsheetFormat, regionCode: String?, reveal: Bool) async throws -> (people: Int, region: Region?) {
        try await context.require(caller, Self.exporters, "census_export")
        var region: Region?
        if let regionCode { region = try await context.region(caller, code: regionCode, field: "region") }
        if reveal, !caller.scope.mayExportIdentifiers {
            throw try await context.forbidden(caller, "census_export", region?.code, AccessDenied(code: "reveal.forbidden"))
        }
        let filter = region?.level == .nation ? nil : region
        let count = try await CensusExporter(db: await context.readDatabase(for: caller), cipher: context.cipher)
            .export(to: url, format: format, region: filter, scope: caller.scope, revealIdentifiers: reveal)
        try await context.record(caller, .censusExport, "region", region?.code, details: "format=\(format.rawValue) reveal=\(reveal) people=\(count)")
        return (count, region)
    }
}
