import Crypto
import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A social-work degree programme a person studies (学历教育).
public struct DegreeStudy: Codable, Sendable, Equatable {
    public var id: String
    public var personID: String
    public var personName: String
    public var regionCode: String
    public var institution: String
    public var level: String
    public var mode: String
    public var startDate: String
    public var expectedCompletion: String
    public var completedOn: String?
    public var createdAt: String
}

/// Learning an office recognised, with the evidence files it saw.
public struct Recognition: Codable, Sendable, Equatable {
    public var id: String
    public var personID: String
    public var title: String
    public var minutes: Int
    public var learnedOn: String
    public var recordedBy: String
    public var createdAt: String
    public var files: [EvidenceFile]
}

/// A registration period as recorded: the certificate it belongs to, how it came and who recorded it.
public struct RegistrationRecord: Codable, Sendable, Equatable {
    public var id: String
    public var certificateID: String
    public var certificateNumber: String
    public var level: String
    public var periodStart: String
    public var periodEnd: String
    /// `first`, `renewal`, or nil for a period recorded before registrations said so.
    public var kind: String?
    public var registeredOn: String?
    public var registeredBy: String?
}

/// What a person's ledger is decided from: certificates, registrations, credits, and the degree
/// studies and recognitions behind them.
public struct LedgerFacts: Sendable {
    public var certificates: [CertificateInfo]
    public var registrations: [RegistrationRecord]
    public var credits: [EducationCredit]
    public var degrees: [DegreeStudy]
    public var recognitions: [Recognition]

    public var levels: [HeldLevel] {
        certificates.compactMap { c in
            CertificateLevel(rawValue: c.level).flatMap { level in CivilDate(iso: c.issueDate).map { HeldLevel(level: level, issueDate: $0) } }
        }
    }

    public var periods: [RegistrationPeriod] {
        registrations.compactMap { r in
            CivilDate(iso: r.periodStart).flatMap { start in CivilDate(iso: r.periodEnd).map { RegistrationPeriod(start: start, end: $0) } }
        }
    }
}

/// Which registration list: due (first registration pending or renewal window open), in the
/// window, overdue (first registration or renewal late), or short of hours (window or overdue and
/// the latest period's hours below those required).
public enum RegistrationListKind: String, Codable, Sendable, CaseIterable {
    case due, window, overdue, short
}

public struct RegistrationListFilter: Sendable {
    public var kind: RegistrationListKind
    public var scope: Scope?
    public var region: Region?
    public var organizationID: String?
    public var today: CivilDate
    public var page: Int
    public var perPage: Int

    public init(kind: RegistrationListKind, scope: Scope? = nil, region: Region? = nil, organizationID: String? = nil, today: CivilDate,
                page: Int = 1, perPage: Int = 50) {
        self.kind = kind
        self.scope = scope
        self.region = region
        self.organizationID = organizationID
        self.today = today
        self.page = page
        self.perPage = perPage
    }
}

/// One worker on a registration list, with what the list's SQL computed.
public struct RegistrationListItem: Codable, Sendable, Equatable {
    public var personID: String
    public var name: String
    public var regionCode: String
    public var organizationID: String?
    public var organizationName: String?
    public var certificateLevel: String?
    public var firstIssue: String
    public var periodStart: String?
    public var periodEnd: String?
    public var doneMinutes: Int
    public var requiredMinutes: Int
    /// `first_due`, `first_overdue`, `window`, `overdue` or `current` (RegistrationDecision.Status).
    public var status: String
}

/// The continuing-education ledger, degree study, recognitions and registrations: every SQL of
/// docs/training.md's "Registration and renewal".
public struct ContinuingEducationStore: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    // MARK: Ledger

    public func facts(personID: String) async throws -> LedgerFacts {
        let sql = db.sql
        let certificates = try await sql.select().columns("id", "person_id", "level", "number", "issue_date", "low_score_area")
            .from("certificates").where("person_id", .equal, personID).orderBy("issue_date").all().map { row in
                CertificateInfo(id: try row.decode(column: "id"), personID: try row.decode(column: "person_id"), level: try row.decode(column: "level"),
                                number: try row.decode(column: "number"), issueDate: try row.decode(column: "issue_date"),
                                lowScoreArea: try row.decode(column: "low_score_area"), registrations: [])
            }
        let registrations = try await registrations(personID: personID)
        let credits = try await sql.select().columns("id", "source", "reference_id", "minutes", "credited_on", "description")
            .from("education_credits").where("person_id", .equal, personID).orderBy("credited_on").orderBy("id").all().compactMap { row -> EducationCredit? in
                guard let source = EducationCredit.Source(rawValue: try row.decode(column: "source")),
                      let on = CivilDate(iso: try row.decode(column: "credited_on")) else { return nil }
                return EducationCredit(id: try row.decode(column: "id"), source: source, referenceID: try row.decode(column: "reference_id"),
                                       minutes: try row.decode(column: "minutes"), creditedOn: on, description: try row.decode(column: "description"))
            }
        let degrees = try await degreeRows(sql.select().where(SQLColumn("person_id", table: "d"), .equal, SQLBind(personID)))
        let recognitions = try await recognitions(personID: personID)
        return LedgerFacts(certificates: certificates, registrations: registrations, credits: credits, degrees: degrees, recognitions: recognitions)
    }

    public func registrations(personID: String) async throws -> [RegistrationRecord] {
        try await db.sql.select()
            .column(SQLRaw("r.id, r.certificate_id, c.number, c.level, r.period_start, r.period_end, r.kind, r.registered_on, r.registered_by"))
            .from(SQLAlias(SQLIdentifier("registrations"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("certificates"), as: SQLIdentifier("c")), on: SQLColumn("certificate_id", table: "r"), .equal, SQLColumn("id", table: "c"))
            .where(SQLColumn("person_id", table: "c"), .equal, SQLBind(personID))
            .orderBy(SQLColumn("period_start", table: "r")).all().map { row in
                RegistrationRecord(id: try row.decode(column: "id"), certificateID: try row.decode(column: "certificate_id"),
                                   certificateNumber: try row.decode(column: "number"), level: try row.decode(column: "level"),
                                   periodStart: try row.decode(column: "period_start"), periodEnd: try row.decode(column: "period_end"),
                                   kind: try row.decode(column: "kind"), registeredOn: try row.decode(column: "registered_on"),
                                   registeredBy: try row.decode(column: "registered_by"))
            }
    }

    func recognitions(personID: String) async throws -> [Recognition] {
        var files: [String: [EvidenceFile]] = [:]
        for row in try await db.sql.select().columns("id", "recognition_id", "file_name", "content_type", "byte_size", "sha256")
            .from("education_evidence").where("person_id", .equal, personID).orderBy("recognition_id").orderBy("position").all() {
            files[try row.decode(column: "recognition_id"), default: []].append(
                EvidenceFile(id: try row.decode(column: "id"), fileName: try row.decode(column: "file_name"),
                             contentType: try row.decode(column: "content_type"), size: try row.decode(column: "byte_size", as: Int.self),
                             sha256: try row.decode(column: "sha256")))
        }
        return try await db.sql.select().columns("id", "person_id", "title", "minutes", "learned_on", "recorded_by", "created_at")
            .from("education_recognitions").where("person_id", .equal, personID).orderBy("learned_on").orderBy("id").all().map { row in
                let id: String = try row.decode(column: "id")
                return Recognition(id: id, personID: try row.decode(column: "person_id"), title: try row.decode(column: "title"),
                                   minutes: try row.decode(column: "minutes"), learnedOn: try row.decode(column: "learned_on"),
                                   recordedBy: try row.decode(column: "recorded_by"), createdAt: try row.decode(column: "created_at"),
                                   files: files[id] ?? [])
            }
    }

    /// One evidence file with its bytes and the person it belongs to.
    public func evidence(id: String) async throws -> (file: EvidenceFile, personID: String, content: Data)? {
        guard let row = try await db.sql.select()
            .columns("id", "person_id", "file_name", "content_type", "byte_size", "sha256", "content")
            .from("education_evidence").where("id", .equal, id).first() else { return nil }
        return (EvidenceFile(id: try row.decode(column: "id"), fileName: try row.decode(column: "file_name"),
                             contentType: try row.decode(column: "content_type"), size: try row.decode(column: "byte_size", as: Int.self),
                             sha256: try row.decode(column: "sha256")),
                try row.decode(column: "person_id"), try row.decode(column: "content", as: Data.self))
    }

    /// Records recognised learning and its credit, with files already checked by `EvidenceRules`,
    /// in one transaction.
    public func addRecognition(personID: String, title: String, minutes: Int, learnedOn: CivilDate,
                               files: [(upload: EvidenceUpload, kind: EvidenceRules.Kind)], actor: String, now: Date) async throws -> Recognition {
        let id = RecordID.make(), stamp = Timestamp.string(now)
        let stored = files.map { file, kind in
            EvidenceFile(id: RecordID.make(), fileName: file.fileName, contentType: EvidenceRules.contentType(kind, file.content),
                         size: file.content.count, sha256: PersonalDataCipher.hex(SHA256.hash(data: file.content)))
        }
        try await db.transaction { tx in
            try await tx.sql.insert(into: "education_recognitions")
                .columns("id", "person_id", "title", "minutes", "learned_on", "recorded_by", "created_at")
                .values(id, personID, title, minutes, learnedOn.description, actor, stamp).run()
            for (position, (file, content)) in zip(stored, files.map(\.upload.content)).enumerated() {
                try await tx.sql.insert(into: "education_evidence")
                    .columns("id", "recognition_id", "person_id", "position", "file_name", "content_type", "byte_size", "sha256", "content",
                             "uploaded_by", "created_at")
                    .values(file.id, id, personID, position, file.fileName, file.contentType, file.size, file.sha256, content, actor, stamp).run()
            }
            try await Self.insertCredit(tx.sql, personID: personID, source: .recognised, referenceID: id, minutes: minutes,
                                        on: learnedOn, description: title, actor: actor, stamp: stamp)
        }
        return Recognition(id: id, personID: personID, title: title, minutes: minutes, learnedOn: learnedOn.description,
                           recordedBy: actor, createdAt: stamp, files: stored)
    }

    static func insertCredit(_ sql: any SQLDatabase, personID: String, source: EducationCredit.Source, referenceID: String, minutes: Int,
                             on date: CivilDate, description: String, actor: String, stamp: String) async throws {
        try await sql.insert(into: "education_credits")
            .columns("id", "person_id", "source", "reference_id", "minutes", "credited_on", "description", "created_by", "created_at")
            .values(RecordID.make(), personID, source.rawValue, referenceID, minutes, date.description, description, actor, stamp).run()
    }

    // MARK: Degree study

    static let degreeColumns = "d.id, d.person_id, p.name, p.region_code, d.institution, d.level, d.mode, d.start_date, d.expected_completion, d.completed_on, d.created_at"

    func degreeRows(_ query: SQLSelectBuilder) async throws -> [DegreeStudy] {
        try await query.column(SQLRaw(Self.degreeColumns))
            .from(SQLAlias(SQLIdentifier("degree_studies"), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "d"), .equal, SQLColumn("id", table: "p"))
            .orderBy(SQLOrderBy(expression: SQLColumn("start_date", table: "d"), direction: SQLDirection.descending)).orderBy(SQLColumn("id", table: "d")).all().map(Self.degree(from:))
    }

    static func degree(from row: any SQLRow) throws -> DegreeStudy {
        DegreeStudy(id: try row.decode(column: "id"), personID: try row.decode(column: "person_id"), personName: try row.decode(column: "name"),
                    regionCode: try row.decode(column: "region_code"), institution: try row.decode(column: "institution"),
                    level: try row.decode(column: "level"), mode: try row.decode(column: "mode"), startDate: try row.decode(column: "start_date"),
                    expectedCompletion: try row.decode(column: "expected_completion"), completedOn: try row.decode(column: "completed_on"),
                    createdAt: try row.decode(column: "created_at"))
    }

    public func degree(id: String) async throws -> DegreeStudy? {
        try await degreeRows(db.sql.select().where(SQLColumn("id", table: "d"), .equal, SQLBind(id))).first
    }

    /// Degree studies of people inside `scope` (SQL condition), optionally only open or completed ones, paged.
    public func degrees(scope: Scope?, region: Region?, completed: Bool?, page: Int, perPage: Int) async throws -> Page<DegreeStudy> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q
            if let scope { q = q.where(scope.peopleCondition(table: "p")) }
            if let region, let column = RegionPath.column(for: region.level) { q = q.where(SQLColumn(column, table: "p"), .equal, SQLBind(region.code)) }
            if let completed { q = q.where(SQLColumn("completed_on", table: "d"), completed ? .isNot : .is, SQLLiteral.null) }
            return q
        }
        let total = try await filtered(db.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLIdentifier("degree_studies"), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "d"), .equal, SQLColumn("id", table: "p")))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let perPage = min(max(perPage, 1), 500), page = max(page, 1)
        let items = try await degreeRows(filtered(db.sql.select()).limit(perPage).offset((page - 1) * perPage))
        return Page(items: items, total: total, page: page, perPage: perPage)
    }

    public func addDegree(personID: String, institution: String, level: DegreeLevel, mode: StudyMode, start: CivilDate,
                          expected: CivilDate, actor: String, now: Date) async throws -> String {
        let id = RecordID.make(), stamp = Timestamp.string(now)
        try await db.sql.insert(into: "degree_studies")
            .columns("id", "person_id", "institution", "level", "mode", "start_date", "expected_completion", "completed_on",
                     "created_by", "created_at", "updated_at")
            .values(id, personID, institution, level.rawValue, mode.rawValue, start.description, expected.description,
                    String?.none, actor, stamp, stamp).run()
        return id
    }

    /// Completes a degree study in the caller's transaction: the study's completion date, the
    /// person's education and social-work degree through the registry writer (so the person's
    /// history shows both), and the one `degree` credit of 90 hours on the completion date.
    /// Completing it again on the same date changes nothing (false).
    public func completeDegree(_ study: DegreeStudy, on date: CivilDate, actor: String, source: String, now: Date) async throws -> Bool {
        let sql = db.sql, stamp = Timestamp.string(now)
        let already = try await sql.select().column("id").from("education_credits")
            .where("source", .equal, EducationCredit.Source.degree.rawValue).where("reference_id", .equal, study.id).first() != nil
        if already, study.completedOn == date.description { return false }
        try await sql.update("degree_studies").set("completed_on", to: date.description).set("updated_at", to: stamp)
            .where("id", .equal, study.id).run()
        let people = PersonStore(db: db, cipher: cipher)
        guard var record = try await people.censusRecord(id: study.personID) else { throw StoreError.notFound(.person) }
        let level = DegreeLevel(rawValue: study.level) ?? .juniorCollege
        if record.education.map({ $0 < level.education }) ?? true { record.education = level.education }
        record.socialWorkDegree = true
        _ = try await people.save(record, target: study.personID, actor: actor, source: source, now: now)
        if already {
            try await sql.update("education_credits").set("credited_on", to: date.description)
                .where("source", .equal, EducationCredit.Source.degree.rawValue).where("reference_id", .equal, study.id).run()
        } else {
            let description = "\(study.institution) \(study.level)"
            try await Self.insertCredit(sql, personID: study.personID, source: .degree, referenceID: study.id,
                                        minutes: RegistrationRules.degreeMinutes, on: date, description: description, actor: actor, stamp: stamp)
        }
        return true
    }

    // MARK: Registrations

    /// Adds a registration period to a certificate, in the caller's transaction.
    public func addRegistration(certificateID: String, period: RegistrationPeriod, kind: String, registeredOn: CivilDate,
                                actor: String, now: Date) async throws -> RegistrationInfo {
        let info = RegistrationInfo(id: RecordID.make(), periodStart: period.start.description, periodEnd: period.end.description)
        try await db.sql.insert(into: "registrations")
            .columns("id", "certificate_id", "period_start", "period_end", "created_at", "kind", "registered_on", "registered_by")
            .values(info.id, certificateID, info.periodStart, info.periodEnd, Timestamp.string(now), kind, registeredOn.description, actor).run()
        return info
    }

    /// The workers of a registration list, in the filter's scope, region and employer (all SQL
    /// conditions, before the page is cut), soonest deadline first.
    public func list(_ filter: RegistrationListFilter) async throws -> Page<RegistrationListItem> {
        let perPage = min(max(filter.perPage, 1), 500), page = max(filter.page, 1)
        let base = listQuery(filter)
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM (\(base)) x WHERE \(statusCondition(filter))").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await db.sql.raw("""
            SELECT x.* FROM (\(base)) x WHERE \(statusCondition(filter))
            ORDER BY x.due_on, x.name, x.id LIMIT \(literal: perPage) OFFSET \(literal: (page - 1) * perPage)
            """).all()
        return Page(items: try rows.map { try Self.listItem($0, filter.today) }, total: total, page: page, perPage: perPage)
    }

    /// Every worker of a list (for an export), in the same order, at most `limit`.
    public func all(_ filter: RegistrationListFilter, limit: Int = 100_000) async throws -> [RegistrationListItem] {
        let base = listQuery(filter)
        return try await db.sql.raw("""
            SELECT x.* FROM (\(base)) x WHERE \(statusCondition(filter)) ORDER BY x.due_on, x.name, x.id LIMIT \(literal: limit)
            """).all().map { try Self.listItem($0, filter.today) }
    }

    /// The list's rows before the status condition. `done_minutes` is cast to INTEGER: PostgreSQL's
    /// SUM over a BIGINT column is NUMERIC.
    func listQuery(_ filter: RegistrationListFilter) -> SQLQueryString {
        var conditions: [any SQLExpression] = []
        if let scope = filter.scope { conditions.append(scope.peopleCondition(table: "p")) }
        if let region = filter.region, let column = RegionPath.column(for: region.level) {
            conditions.append(SQLBinaryExpression(SQLColumn(column, table: "p"), .equal, SQLBind(region.code)))
        }
        if let org = filter.organizationID { conditions.append(SQLBinaryExpression(SQLColumn("organization_id", table: "p"), .equal, SQLBind(org))) }
        let assistant = CertificateLevel.assistant.rawValue
        let degreeMinutes = RegistrationRules.degreeMinutes
        let intermediate = CertificateLevel.intermediate.continuingEducationHoursPerPeriod * 60
        let assistantMinutes = CertificateLevel.assistant.continuingEducationHoursPerPeriod * 60
        var query: SQLQueryString = """
            SELECT p.id, p.name, p.region_code, p.organization_id, o.name AS organization_name, p.certificate_level,
                   ci.first_issue, lr.period_start, lr.period_end, COALESCE(lr.period_end, ci.first_issue) AS due_on,
                   CAST(COALESCE((SELECT SUM(CASE WHEN ec.source = 'degree' THEN 0 ELSE ec.minutes END) + CASE WHEN SUM(CASE WHEN ec.source = 'degree' THEN 1 ELSE 0 END) > 0 THEN \(literal: degreeMinutes) ELSE 0 END
                      FROM education_credits ec WHERE ec.person_id = p.id AND ec.credited_on >= lr.period_start AND ec.credited_on <= lr.period_end), 0) AS INTEGER) AS done_minutes,
                   CASE WHEN EXISTS (SELECT 1 FROM certificates c3 WHERE c3.person_id = p.id AND c3.level <> \(bind: assistant)
                                     AND c3.issue_date <= COALESCE(lr.period_end, ci.first_issue))
                        THEN \(literal: intermediate) ELSE \(literal: assistantMinutes) END AS required_minutes
            FROM people p
            JOIN (SELECT c.person_id AS person_id, MIN(c.issue_date) AS first_issue FROM certificates c GROUP BY c.person_id) ci ON ci.person_id = p.id
            LEFT JOIN (SELECT c2.person_id AS person_id, MAX(r.period_start) AS period_start, MAX(r.period_end) AS period_end
                       FROM registrations r JOIN certificates c2 ON c2.id = r.certificate_id GROUP BY c2.person_id) lr ON lr.person_id = p.id
            LEFT JOIN organizations o ON o.id = p.organization_id
            WHERE 1 = 1
            """
        for condition in conditions { query.appendInterpolation(" AND \(condition)" as SQLQueryString) }
        return query
    }

    func statusCondition(_ filter: RegistrationListFilter) -> SQLQueryString {
        let today = filter.today.description
        let windowEnd = RegistrationRules.latestEndInWindow(today: filter.today).description
        let firstCutoff = RegistrationRules.firstRegistrationIssueCutoff(today: filter.today).description
        let firstDue: SQLQueryString = "(x.period_end IS NULL AND x.first_issue >= \(bind: firstCutoff))"
        let firstOverdue: SQLQueryString = "(x.period_end IS NULL AND x.first_issue < \(bind: firstCutoff))"
        let window: SQLQueryString = "(x.period_end >= \(bind: today) AND x.period_end <= \(bind: windowEnd))"
        let overdue: SQLQueryString = "(x.period_end < \(bind: today))"
        switch filter.kind {
        case .due: return "(\(firstDue) OR \(window))"
        case .window: return window
        case .overdue: return "(\(firstOverdue) OR \(overdue))"
        case .short: return "((\(window) OR \(overdue)) AND x.done_minutes < x.required_minutes)"
        }
    }

    static func listItem(_ row: any SQLRow, _ today: CivilDate) throws -> RegistrationListItem {
        let end: String? = try row.decode(column: "period_end")
        let first: String = try row.decode(column: "first_issue")
        let status: RegistrationDecision.Status
        if let end, let endDate = CivilDate(iso: end) {
            if endDate < today { status = .overdue }
            else if RegistrationRules.windowOpens(end: endDate) <= today { status = .window }
            else { status = .current }
        } else if let issue = CivilDate(iso: first) {
            status = RegistrationRules.firstRegistrationDeadline(issue: issue) >= today ? .firstDue : .firstOverdue
        } else {
            status = .firstDue
        }
        return RegistrationListItem(personID: try row.decode(column: "id"), name: try row.decode(column: "name"),
                                    regionCode: try row.decode(column: "region_code"), organizationID: try row.decode(column: "organization_id"),
                                    organizationName: try row.decode(column: "organization_name"),
                                    certificateLevel: try row.decode(column: "certificate_level"), firstIssue: first,
                                    periodStart: try row.decode(column: "period_start"), periodEnd: end,
                                    doneMinutes: try row.decode(column: "done_minutes", as: Int.self),
                                    requiredMinutes: try row.decode(column: "required_minutes", as: Int.self), status: status.rawValue)
    }
}
