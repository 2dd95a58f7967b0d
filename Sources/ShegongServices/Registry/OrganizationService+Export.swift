import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    /// An organisation list exported as a file, with its filter and row count (issue #18 §1).
    static let organizationExport: AuditAction = "organization.export"
}

extension OrganizationService {
    /// Exactly the organisations the list shows for this region and name — the caller's scope and
    /// the filter as SQL conditions, every page of them in list order — as a table in `language`;
    /// recorded as `organization.export` with the filter and the number of rows.
    public func export(regionCode: String?, name: String?, format: SpreadsheetFormat, language: Language) async throws -> ReportTable {
        try await context.require(caller, Self.readers, "organization")
        let region = try await context.regionFilter(caller, code: regionCode)
        let organizations = try await store.all(region: region, name: name, scope: caller.scope)
        let names = try await context.regions.regions(codes: Array(Set(organizations.compactMap(\.regionCode)))).mapValues(\.name)
        let table = Self.table(organizations, regionNames: names, language: language)
        let filter = [region.map { "region=\($0.code)" }, name.map { "name=\($0)" }].compactMap { $0 }
        try await context.record(caller, .organizationExport, "organization", region?.code,
                                 details: (filter + ["format=\(format.rawValue)", "rows=\(organizations.count)"]).joined(separator: " "))
        return table
    }

    /// The export's table: the list's columns, kinds in `language`, the region by name and by code.
    public static func table(_ organizations: [OrganizationInfo], regionNames: [String: String], language: Language) -> ReportTable {
        func t(_ key: String, _ args: String...) -> String { Catalogue.text(key, language, arguments: args) }
        let columns = ["common.name", "field.employerCode", "registry.org.kind", "field.region", "exports.region_code", "organizations.staff"].map { t($0) }
        let rows: [[SpreadsheetCell]] = organizations.map { o in
            let kind = o.kind.map { OrganizationKind(rawValue: $0)?.localizedName(language) ?? $0 } ?? ""
            let code = o.regionCode ?? ""
            return [.text(o.name), .text(o.creditCode ?? ""), .text(kind), .text(regionNames[code] ?? code), .text(code), .value(o.staff)]
        }
        return ReportTable(title: t("exports.organizations.title"), columns: columns, rows: rows,
                           notes: [t("exports.organizations.note", String(organizations.count))])
    }
}
