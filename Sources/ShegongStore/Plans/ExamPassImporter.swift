import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// What an exam pass list import did (or, on a dry run or with problems, would do).
public struct ExamPassImportReport: Codable, Sendable, Equatable {
    public var fileName: String
    public var year: Int
    public var dryRun: Bool
    public var committed: Bool
    public var rows: Int
    /// Certificates added to people on file.
    public var certificatesCreated: Int
    /// Passes whose certificate was already on file (importing the list again changes nothing).
    public var alreadyOnFile: Int
    /// Passes per level and county, written as derived exam figures.
    public var figures: [ExamFigure]
    public var issues: [CensusIssue]
}

/// The exam authority's list of people who passed (issue #5 §3 "as people: a person's pass can
/// create the certificate"): 身份证号, 姓名, 证书等级, 证书编号, 发证日期. Each pass becomes the
/// person's certificate through the registry writer (history, highest level and statistics
/// follow), and the passes per level and county are kept as derived exam figures. All or nothing:
/// a row naming someone not on file, a certificate number held by someone else, a bad level or
/// date is reported by row and nothing is written.
public struct ExamPassImporter: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    public static let idHeader = "身份证号", nameHeader = "姓名", levelHeader = "证书等级", numberHeader = "证书编号", dateHeader = "发证日期"

    struct Pass {
        var personID: String
        /// The certificate is on file already: counted as a pass, not added again.
        var alreadyHeld: Bool
        var county: String
        var certificate: CensusCertificate
    }

    /// `mayChange` says whose certificates the importing account may add, by where they work; a
    /// person outside it is reported exactly like one not on file (scope cannot be probed).
    public func run(reader: any SpreadsheetRowReader, fileName: String, year: Int, dryRun: Bool, actor: String,
                    mayChange: @Sendable (RegionPath) -> Bool = { _ in true }, now: Date = Date()) async throws -> ExamPassImportReport {
        var report = ExamPassImportReport(fileName: fileName, year: year, dryRun: dryRun, committed: false, rows: 0,
                                          certificatesCreated: 0, alreadyOnFile: 0, figures: [], issues: [])
        var passes: [Pass] = []
        do {
            passes = try await read(reader, year: year, now: now, mayChange: mayChange, report: &report)
        } catch let error as SpreadsheetError {
            report.issues.append(CensusIssue(row: error.row ?? 1, column: nil, value: nil, code: error.code, text: error.text))
        }
        var counts: [String: Int] = [:]   // "level|county"
        for pass in passes { counts["\(pass.certificate.level.rawValue)|\(pass.county)", default: 0] += 1 }
        report.figures = counts.keys.sorted().compactMap { key in
            let parts = key.split(separator: "|").map(String.init)
            guard let level = CertificateLevel(rawValue: parts[0]), case .success(let region) = RegionCode.parse(parts[1]) else { return nil }
            return ExamFigure(year: year, level: level, region: region, registrants: nil, passes: counts[key], provenance: .derived,
                              note: "由合格人员名单 \(fileName) 导入")
        }
        guard report.issues.isEmpty, !dryRun else { return report }
        let toAdd = passes.filter { !$0.alreadyHeld }
        let figures = report.figures
        try await db.transaction { tx in
            for pass in toAdd {
                _ = try await CertificateStore(db: tx, cipher: cipher).add(personID: pass.personID, certificate: pass.certificate,
                                                                          lowScoreArea: false, actor: actor, now: now)
            }
            for figure in figures { _ = try await ExamStore(db: tx).save(figure, actor: actor, now: now) }
        }
        report.certificatesCreated = toAdd.count
        report.committed = true
        return report
    }

    /// The passes to add (already-held certificates are counted and left out).
    func read(_ reader: any SpreadsheetRowReader, year: Int, now: Date, mayChange: (RegionPath) -> Bool,
              report: inout ExamPassImportReport) async throws -> [Pass] {
        guard let header = try reader.next() else {
            report.issues.append(CensusIssue(row: 1, column: nil, value: nil, code: "exam.file.empty"))
            return []
        }
        let names = header.cells.map { $0.text.replacingOccurrences(of: "\u{FEFF}", with: "").trimmingCharacters(in: .whitespaces) }
        var columns: [String: Int] = [:]
        for (i, name) in names.enumerated() where !name.isEmpty { columns[name] = columns[name] ?? i }
        let required = [Self.idHeader, Self.levelHeader, Self.numberHeader, Self.dateHeader]
        for name in required where columns[name] == nil {
            report.issues.append(CensusIssue(row: header.number, column: name, value: nil, code: "exam.column.missing",
                                             text: .verbatim("缺少列“\(name)”；合格人员名单须有：" + required.joined(separator: "、") + "（姓名可选，有则核对）")))
        }
        guard report.issues.isEmpty else { return [] }
        let today = CivilDate.today(now: now)
        var passes: [Pass] = []
        var numbersInFile: [String: Int] = [:]
        while let row = try reader.next() {
            func cell(_ name: String) -> String {
                guard let i = columns[name], i < row.cells.count else { return "" }
                return row.cells[i].text.trimmingCharacters(in: .whitespaces)
            }
            if row.cells.allSatisfy({ $0.text.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            report.rows += 1
            var issues: [CensusIssue] = []
            // Exam-pass and statistics files are imported through the API and the CLI, which speak Chinese.
            func issue(_ column: String, _ value: String, _ code: String, _ message: String) {
                issues.append(CensusIssue(row: row.number, column: column, value: value, code: code, text: .verbatim(message)))
            }
            let idText = cell(Self.idHeader), levelText = cell(Self.levelHeader), number = cell(Self.numberHeader), dateText = cell(Self.dateHeader)
            let id: ResidentID?
            switch ResidentID.parse(idText, today: today) {
            case .success(let parsed): id = parsed
            case .failure(let error): id = nil; issue(Self.idHeader, idText, "exam.id.invalid", error.message)
            }
            let level = CertificateLevel(rawValue: levelText)
            if level == nil { issue(Self.levelHeader, levelText, "exam.level.invalid", "证书等级须为：" + CertificateLevel.allCases.map(\.rawValue).joined(separator: "、")) }
            if number.isEmpty || number.count > 50 { issue(Self.numberHeader, number, "exam.number.invalid", "证书编号须为 1–50 个字符") }
            if let first = numbersInFile[number] { issue(Self.numberHeader, number, "exam.number.duplicate", "证书编号与第 \(first) 行重复") }
            numbersInFile[number] = numbersInFile[number] ?? row.number
            let date = CivilDate(censusText: dateText)
            if date == nil { issue(Self.dateHeader, dateText, "exam.date.invalid", "发证日期须为 YYYY-MM-DD") }
            if let date, date > today { issue(Self.dateHeader, dateText, "exam.date.future", "发证日期不能晚于今天") }
            if let date, date.year < year { issue(Self.dateHeader, dateText, "exam.date.before_exam", "发证日期早于 \(year) 年考试") }
            var person: (id: String, name: String, region: String, county: String?)?
            if let id {
                if let found = try await db.sql.select().columns("id", "name", "region_code", "province_code", "city_code", "county_code", "township_code")
                    .from("people").where("id_index", .equal, cipher.index(id.value)).first(),
                   mayChange(RegionPath(province: try found.decode(column: "province_code"), city: try found.decode(column: "city_code"),
                                        county: try found.decode(column: "county_code"), township: try found.decode(column: "township_code"),
                                        community: try found.decode(column: "region_code", as: String.self).count == 12 ? try found.decode(column: "region_code") : nil)) {
                    person = (try found.decode(column: "id"), try found.decode(column: "name"), try found.decode(column: "region_code"),
                              try found.decode(column: "county_code", as: String?.self))
                } else {
                    issue(Self.idHeader, id.masked, "exam.person.missing", "此人不在人才库中：请先用人才信息采集表登记，再导入合格名单")
                }
            }
            if let person, columns[Self.nameHeader] != nil, !cell(Self.nameHeader).isEmpty, cell(Self.nameHeader) != person.name {
                issue(Self.nameHeader, cell(Self.nameHeader), "exam.name.mismatch", "姓名与人才库中该身份证号的登记（\(person.name)）不一致")
            }
            var held = false
            if !number.isEmpty, let owner = try await db.sql.select().column("person_id").from("certificates").where("number", .equal, number).first() {
                let ownerID: String = try owner.decode(column: "person_id")
                if ownerID == person?.id { held = true } else { issue(Self.numberHeader, number, "exam.number.taken", "证书编号已登记在另一人名下") }
            }
            guard issues.isEmpty, let person, let level, let date else {
                report.issues += issues
                continue
            }
            if held { report.alreadyOnFile += 1 }
            passes.append(Pass(personID: person.id, alreadyHeld: held, county: person.county ?? person.region,
                               certificate: CensusCertificate(level: level, number: number, issueDate: date)))
        }
        return passes
    }
}
