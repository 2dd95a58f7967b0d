import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    /// A people list exported as a file, with its filter and row count (issue #18 §1).
    static let personExport: AuditAction = "person.export"
}

extension PersonService {
    /// Exactly the people the list shows for `filter` — the caller's scope and the filter as SQL
    /// conditions, every page of them in list order — as a table in `language` with ID and mobile
    /// numbers masked; recorded as `person.export` with the filter and the number of rows.
    public func export(_ filter: PersonFilter, regionCode: String?, format: SpreadsheetFormat, language: Language) async throws -> ReportTable {
        try await context.require(caller, Self.readers, "person")
        var filter = filter
        filter.scope = caller.scope
        filter.region = try await context.regionFilter(caller, code: regionCode)
        let reads = await context.readDatabase(for: caller)
        let people = try await PersonStore(db: reads, cipher: context.cipher).all(filter)
        let names = try await RegionStore(reads).regions(codes: Array(Set(people.map(\.regionCode)))).mapValues(\.name)
        let table = Self.table(people, regionNames: names, language: language)
        try await context.record(caller, .personExport, "person", filter.region?.code,
                                 details: "\(filter.auditDescription) format=\(format.rawValue) people=\(people.count)")
        return table
    }

    /// The export's table: names and values in `language`, regions by name, identifiers masked.
    public static func table(_ people: [PersonSummary], regionNames: [String: String], language: Language) -> ReportTable {
        func t(_ key: String, _ args: String...) -> String { Catalogue.text(key, language, arguments: args) }
        func named<T: CatalogueNamed & RawRepresentable>(_ raw: String?, _ type: T.Type) -> String where T.RawValue == String {
            raw.map { T(rawValue: $0)?.localizedName(language) ?? $0 } ?? ""
        }
        let columns = ["field.name", "field.residentID", "field.sex", "field.mobile", "field.region", "field.employerName",
                       "field.postCategory", "field.serviceFields", "field.certificateLevel", "lists.updated"].map { t($0) }
        let beijingMinute = Self.beijingMinute()
        let rows: [[SpreadsheetCell]] = people.map { p in
            let level = p.certificateLevel.map { named($0, CertificateLevel.self) } ?? t("certificateLevel.none")
            let fields = p.serviceFields.map { named($0, ServiceField.self) }.joined(separator: t("message.list_separator"))
            return [.text(p.name), .text(p.idNumber), .text(named(p.sex, Sex.self)), .text(p.mobile ?? ""),
                    .text(regionNames[p.regionCode] ?? p.regionCode), .text(p.organizationName ?? ""), .text(named(p.postCategory, PostCategory.self)),
                    .text(fields), .text(level), .text(beijingMinute(p.updatedAt))]
        }
        return ReportTable(title: t("lists.export.title"), columns: columns, rows: rows, notes: [t("lists.export.note", String(people.count))])
    }

    /// A stored UTC instant in Beijing time to the minute (`2026-12-05 07:31`), or as `pattern`
    /// says; other text as it is. (The formatters are made once per export, not per row.)
    static func beijingMinute(_ pattern: String = "yyyy-MM-dd HH:mm") -> (String) -> String {
        let parser = ISO8601DateFormatter()
        let format = beijingTime(pattern)
        return { iso in parser.date(from: iso).map(format) ?? iso }
    }

    /// An instant in Beijing time as `pattern` says (`yyyy-MM-dd HH:mm`).
    static func beijingTime(_ pattern: String = "yyyy-MM-dd HH:mm") -> (Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = pattern
        return { formatter.string(from: $0) }
    }
}
