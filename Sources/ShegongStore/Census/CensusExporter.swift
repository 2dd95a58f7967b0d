import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Writes the registry as the census template (docs/conventions.md §5), streaming page by page so memory stays
/// flat for any size. Identifiers are masked unless the caller asks for and may see them.
public struct CensusExporter: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    public static var headers: [String] { CensusColumn.allCases.map(\.rawValue) }

    /// An export's header row: the template's columns with 地区名称 after 地区代码, so a reader sees
    /// the region's name; an import reads past it (`CensusHeader.informationalHeaders`).
    public static var exportHeaders: [String] {
        CensusColumn.allCases.flatMap { $0 == .regionCode ? [$0.rawValue, CensusHeader.regionNameHeader] : [$0.rawValue] }
    }

    /// Writes every person of `region`'s subtree (nil = everyone) inside `scope` (nil = no limit:
    /// the CLI) to `url`; returns the number of people.
    @discardableResult
    public func export(to url: URL, format: SpreadsheetFormat, region: Region?, scope: Scope? = nil, revealIdentifiers: Bool) async throws -> Int {
        let sink = try CensusSink(url: url, format: format)
        try sink.write(Self.exportHeaders.map { .text($0) })
        var after = ""
        var count = 0
        while true {
            var query = db.sql.select()
                .column(SQLRaw("p.id, p.name, p.id_masked, p.id_cipher, p.sex, p.mobile_masked, p.mobile_cipher, p.region_code, r.name AS region_name, o.name AS organization_name, o.credit_code, p.post_category, p.service_fields, p.education, p.social_work_degree"))
                .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")))
                .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                      on: SQLColumn("organization_id", table: "p"), .equal, SQLColumn("id", table: "o"))
                .join(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                      on: SQLColumn("region_code", table: "p"), .equal, SQLColumn("code", table: "r"))
                .where(SQLColumn("id", table: "p"), .greaterThan, SQLBind(after))
            if let scope { query = query.where(scope.peopleCondition(table: "p")) }
            if let region, let column = RegionPath.column(for: region.level) {
                query = query.where(SQLColumn(column, table: "p"), .equal, SQLBind(region.code))
            }
            let rows = try await query.orderBy(SQLColumn("id", table: "p")).limit(2_000).all()
            guard !rows.isEmpty else { break }
            let ids: [String] = try rows.map { try $0.decode(column: "id") }
            // The highest (then latest) certificate of each person on this page.
            var best: [String: (level: CertificateLevel, number: String, date: String)] = [:]
            for row in try await db.sql.select().columns("person_id", "level", "number", "issue_date").from("certificates")
                .where("person_id", .in, ids).all() {
                guard let level = CertificateLevel(rawValue: try row.decode(column: "level")) else { continue }
                let pid: String = try row.decode(column: "person_id")
                let candidate = (level, try row.decode(column: "number", as: String.self), try row.decode(column: "issue_date", as: String.self))
                if let current = best[pid], (current.level.rank, current.date) >= (candidate.0.rank, candidate.2) { continue }
                best[pid] = candidate
            }
            for row in rows {
                let id: String = try row.decode(column: "id")
                let certificate = best[id]
                let idNumber: String = revealIdentifiers ? try cipher.open(try row.decode(column: "id_cipher")) : try row.decode(column: "id_masked")
                let mobile: String? = revealIdentifiers
                    ? try (row.decode(column: "mobile_cipher", as: String?.self)).map { try cipher.open($0) }
                    : try row.decode(column: "mobile_masked")
                let degree: Bool? = try row.decode(column: "social_work_degree")
                func text(_ value: String?) -> SpreadsheetCell { value.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
                func cell(_ column: CensusColumn) -> SpreadsheetCell {
                    switch column {
                    case .name: return text(try? row.decode(column: "name", as: String.self))
                    case .residentID: return .text(idNumber)
                    case .sex: return text(try? row.decode(column: "sex", as: String.self))
                    case .mobile: return text(mobile)
                    case .regionCode: return text(try? row.decode(column: "region_code", as: String.self))
                    case .employerName: return text(try? row.decode(column: "organization_name", as: String?.self))
                    case .employerCode: return text(try? row.decode(column: "credit_code", as: String?.self))
                    case .postCategory: return text(try? row.decode(column: "post_category", as: String?.self))
                    case .serviceFields: return text(try? row.decode(column: "service_fields", as: String.self))
                    case .education: return text(try? row.decode(column: "education", as: String?.self))
                    case .socialWorkDegree: return degree.map { .text($0 ? "是" : "否") } ?? .empty
                    case .certificateLevel: return .text(certificate?.level.rawValue ?? CensusFacts.none)
                    case .certificateNumber: return text(certificate?.number)
                    case .issueDate: return certificate.flatMap { CivilDate(iso: $0.date) }.map { .date($0) } ?? .empty
                    }
                }
                // 地区名称 after 地区代码 (`exportHeaders`).
                let regionName = text(try? row.decode(column: "region_name", as: String?.self))
                let cells: [SpreadsheetCell] = CensusColumn.allCases.flatMap { $0 == .regionCode ? [cell($0), regionName] : [cell($0)] }
                try sink.write(cells)
                count += 1
            }
            after = ids.last!
        }
        try sink.close()
        return count
    }

    /// The empty template: the header row only, for offices to fill in.
    public static func writeTemplate(to url: URL, format: SpreadsheetFormat) throws {
        let sink = try CensusSink(url: url, format: format)
        try sink.write(headers.map { .text($0) })
        try sink.close()
    }

    /// The blank XLSX template for offices (issue #18): the header row with drop-down lists on every
    /// coded column, a 填表说明 sheet saying how to fill each column (in `language`), the lists on a
    /// hidden sheet of their own, and `regions` (the user's, with names) on a sheet of their own.
    /// It imports unchanged: the reader takes the 人才信息采集表 sheet and skips blank rows.
    public static func writeTemplate(to url: URL, language: Language, regions: [(code: String, name: String)]) throws {
        let t = Catalogue.standard.texts(language)
        let writer = try XLSXWriter(url: url, sheetName: "人才信息采集表")
        try writer.write(headers.map { .text($0) })
        let listsName = t("imports.template.sheet.lists"), regionsName = t("imports.template.sheet.regions")
        let lists: [(CensusColumn, [String], Bool)] = [
            (.sex, Sex.allCases.map(\.rawValue), true),
            (.postCategory, PostCategory.allCases.map(\.rawValue), true),
            (.serviceFields, ServiceField.allCases.map(\.rawValue), false),
            (.education, EducationLevel.allCases.map(\.rawValue), true),
            (.socialWorkDegree, ["是", "否"], true),
            (.certificateLevel, [CensusHeader.noCertificate] + CertificateLevel.allCases.map(\.rawValue), true),
        ]
        let height = lists.map(\.1.count).max() ?? 0
        var listRows = [lists.map(\.0.rawValue)]
        for i in 0..<height { listRows.append(lists.map { i < $0.1.count ? $0.1[i] : "" }) }
        let column = { (c: CensusColumn) in CensusColumn.allCases.firstIndex(of: c)! + 1 }
        let lastRow = templateRows + 1
        writer.listValidations = lists.enumerated().map { i, list in
            XLSXListValidation(column: column(list.0), lastRow: lastRow,
                               source: XLSXListValidation.range(sheet: listsName, column: i + 1, firstRow: 2, lastRow: list.1.count + 1),
                               strict: list.2, prompt: list.2 ? nil : t("imports.template.prompt.several"))
        }
        if !regions.isEmpty {
            writer.listValidations.append(XLSXListValidation(
                column: column(.regionCode), lastRow: lastRow,
                source: XLSXListValidation.range(sheet: regionsName, column: 1, firstRow: 2, lastRow: regions.count + 1),
                strict: false, prompt: t("imports.template.prompt.region")))
        }
        let instructions = [[t("imports.template.column"), t("imports.template.required"), t("imports.template.how")]]
            + CensusColumn.allCases.map { c in
                [c.rawValue, t(c.isRequired ? "common.yes" : "common.no"), t("imports.template.how.\(c)")]
            }
            + [[], [t("imports.template.general")]]
        writer.extraSheets = [
            XLSXSheet(name: t("imports.template.sheet.instructions"), rows: instructions, widths: [18, 10, 90]),
            XLSXSheet(name: regionsName, rows: [[t("imports.template.region.code"), t("imports.template.region.name")]]
                      + regions.map { [$0.code, $0.name] }, widths: [16, 30]),
            XLSXSheet(name: listsName, rows: listRows, hidden: true, widths: Array(repeating: 18, count: lists.count)),
        ]
        try writer.close()
    }

    /// Rows of the blank template that carry the drop-down lists.
    public static let templateRows = 5_000

    /// A row-level report as a spreadsheet: 行号, 列, 值, 错误代码, 说明 — headers and messages in
    /// `language` (the page's; the CLI's Chinese). Column names stay the file's own headers.
    public static func writeReport(_ issues: [CensusIssue], to url: URL, format: SpreadsheetFormat, language: Language = .zhHans) throws {
        let t = Catalogue.standard.texts(language)
        let sink = try CensusSink(url: url, format: format, sheetName: t("registry.issue.sheet"))
        try sink.write(["registry.issue.row", "registry.issue.column", "registry.issue.value", "registry.issue.code", "registry.issue.message"]
            .map { .text(t($0)) })
        for issue in issues {
            try sink.write([.number(Double(issue.row), raw: String(issue.row)), .text(issue.column ?? ""), .text(issue.value ?? ""),
                            .text(issue.code), .text(issue.message(language))])
        }
        try sink.close()
    }
}

/// CSV or XLSX behind one `write` / `close`; rows stream to the file (the audit log's export writes
/// through it too).
public final class CensusSink {
    private let csv: CSVWriter?
    private let xlsx: XLSXWriter?

    public init(url: URL, format: SpreadsheetFormat, sheetName: String = "人才信息采集表") throws {
        switch format {
        case .csv: csv = try CSVWriter(url: url); xlsx = nil
        case .xlsx: xlsx = try XLSXWriter(url: url, sheetName: sheetName); csv = nil
        }
    }

    public func write(_ cells: [SpreadsheetCell]) throws {
        if let csv { try csv.write(cells) } else { try xlsx?.write(cells) }
    }

    public func close() throws {
        if let csv { try csv.close() } else { try xlsx?.close() }
    }
}
