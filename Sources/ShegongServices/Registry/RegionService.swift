import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// The region list for one caller: every region a caller names is checked against their scope
/// (outside it: the audited 404 of an unknown code, so scope cannot be probed); read-write
/// officials add townships and communities and rename regions in their own subtree, each change
/// audited in its transaction — from the API or from `shegong import regions --as`.
public struct RegionService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    /// Who adds and renames regions: read-write officials (in their subtree).
    public static let editors = Permission.write(.official)

    /// A region with its names over time and its children.
    public struct Detail: Sendable {
        public var region: Region
        public var names: [RegionName]
        public var children: [Region]
    }

    /// Where the caller starts when no region is named: their own region (the nation for callers
    /// whose scope is not drawn over regions).
    public var homeRegionCode: String { caller.scope.regionSubtree?.code ?? RegionPath.nationCode }

    /// The children of `parentCode` (nil: the caller's own region), which must be in scope.
    public func children(of parentCode: String?, field: String = "parent") async throws -> [Region] {
        let parent = try await context.region(caller, code: parentCode ?? homeRegionCode, field: field)
        return try await context.regions.children(of: parent.code)
    }

    /// One region in scope (otherwise the audited 404 of an unknown code).
    public func inScope(_ code: String, field: String = "code") async throws -> Region {
        try await context.region(caller, code: code, field: field)
    }

    /// One region in scope, with its names and children.
    public func region(_ code: String) async throws -> Detail {
        let region = try await context.region(caller, code: code, field: "code")
        return Detail(region: region, names: try await context.regions.names(of: region.code),
                      children: try await context.regions.children(of: region.code))
    }

    /// Renames a region the caller may change (not in sight: the audited 404; in sight but not
    /// theirs to change: the audited 403). The old name stays valid up to this year.
    public func rename(_ code: String, to name: String) async throws -> Region {
        try await context.require(caller, Self.editors, "region", code)
        guard try await context.regionForChange(caller, code: code, field: "code") != nil else { throw StoreError.notFound(.region, code) }
        let at = context.now()
        return try await context.audited(caller, .regionUpdate, "region", details: name, object: { $0.code }) { tx in
            try await RegionStore(tx).rename(code: code, to: name, now: at)
        }
    }

    /// Adds a township (9 digits) or community (12 digits) under a parent the caller may change.
    /// A code that names no parent is left to the store, which reports the field.
    public func create(code: String, name: String) async throws -> Region {
        try await context.require(caller, Self.editors, "region", code)
        // The parent by the code's structure: a township under its county, a community under its township.
        if let parent = try? RegionCode.parse(code.trimmingCharacters(in: .whitespaces)).get().parent {
            _ = try await context.regionForChange(caller, code: parent.value, field: "code")
        }
        let at = context.now()
        return try await context.audited(caller, .regionCreate, "region", object: { $0.code }) { tx in
            try await RegionStore(tx).addLocal(code: code, name: name, now: at)
        }
    }

    /// Imports townships and communities (columns 地区代码, 地区名称), all rows or none, each
    /// under a parent inside the caller's read-write region. A committed import and its audit
    /// entry share the transaction; a refused one is audited as a failure with its issue count.
    public func importRegions(reader: any SpreadsheetRowReader, fileName: String) async throws -> RegionImporter.Report {
        try await context.require(caller, Self.editors, "region_import", fileName)
        var importer = RegionImporter(db: context.db)
        importer.scope = caller.scope
        let (db, writes, log, caller, at) = (context.db, context.writes, context.auditLog, self.caller, context.now())
        importer.transaction = { body in try await writes.transaction(on: db, body) }
        importer.audit = { report, tx in
            try await log.append(on: tx.sql, AuditEntry(at: at, actor: caller.username, ip: caller.address, action: .regionImport,
                                                        objectType: "region_import", objectID: fileName,
                                                        details: "added=\(report.added) unchanged=\(report.unchanged)"))
        }
        let report = try await importer.run(reader: reader, now: at)
        if !report.issues.isEmpty {
            try await context.record(caller, .regionImport, "region_import", fileName, details: "rejected=\(report.issues.count)", result: .failure)
        }
        return report
    }
}

public extension AuditAction {
    /// `shegong import regions`: townships and communities from a file.
    static let regionImport: AuditAction = "region.import"
}

extension ServiceContext {
    /// The region a change names, when `may` allows the caller to change it. Nil when the code
    /// names no region (the store then reports the field as invalid); outside the read scope it
    /// is the audited 404 of `region(_:code:field:)`; readable but not changeable an audited 403.
    public func regionForChange(_ caller: Caller, code rawCode: String, field: String,
                                may: (Scope, RegionPath) -> Bool = { $0.mayWrite(region: $1) }) async throws -> Region? {
        let code = rawCode.trimmingCharacters(in: .whitespaces)   // as the stores read it
        guard try await regions.region(code: code) != nil else { return nil }
        let region = try await region(caller, code: code, field: field)
        try await requireChange(caller, may(caller.scope, region.path), "region", code)
        return region
    }

    /// An audited 403 unless `allowed`: the record is in sight but this caller may not change it.
    public func requireChange(_ caller: Caller, _ allowed: Bool, _ objectType: String, _ objectID: String) async throws {
        guard !allowed else { return }
        throw try await forbidden(caller, objectType, objectID, AccessDenied(code: "auth.forbidden", objectID))
    }
}
