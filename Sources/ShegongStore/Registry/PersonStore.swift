import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A person as lists and API answers show them: identifiers masked.
public struct PersonSummary: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var idNumber: String          // masked: 420***********1234
    public var sex: String
    public var birthDate: String
    public var mobile: String?           // masked: 138****5678
    public var regionCode: String
    public var organizationID: String?
    public var organizationName: String?
    public var postCategory: String?
    public var serviceFields: [String]
    public var education: String?
    public var socialWorkDegree: Bool?
    public var certificateLevel: String?
    public var updatedAt: String
    public var version: Int
}

public struct CertificateInfo: Codable, Sendable, Equatable {
    public var id: String
    public var personID: String
    public var level: String
    public var number: String
    public var issueDate: String
    public var lowScoreArea: Bool
    public var registrations: [RegistrationInfo]
}

public struct RegistrationInfo: Codable, Sendable, Equatable {
    public var id: String
    public var periodStart: String
    public var periodEnd: String
}

public struct EmploymentInfo: Codable, Sendable, Equatable {
    public var organizationID: String?
    public var organizationName: String?
    public var postCategory: String?
    public var startDate: String
    public var endDate: String?
}

public struct PersonChange: Codable, Sendable, Equatable {
    public var changedAt: String
    public var actor: String
    public var source: String
    public var field: String
    public var before: String?
    public var after: String?
}

public struct PersonDetail: Codable, Sendable {
    public var person: PersonSummary
    public var certificates: [CertificateInfo]
    public var employments: [EmploymentInfo]
    public var history: [PersonChange]
}

public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public init(items: [Item], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }
}

/// Reads of the registry's people, and the writes that go through `CensusWriter`.
public struct PersonStore: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    static let summaryColumns = "p.id, p.name, p.id_masked, p.sex, p.birth_date, p.mobile_masked, p.region_code, p.organization_id, o.name AS organization_name, p.post_category, p.service_fields, p.education, p.social_work_degree, p.certificate_level, p.updated_at, p.version"

    public func summary(id: String) async throws -> PersonSummary? {
        try await db.sql.select().column(SQLRaw(Self.summaryColumns))
            .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("organization_id", table: "p"), .equal, SQLColumn("id", table: "o"))
            .where(SQLColumn("id", table: "p"), .equal, SQLBind(id)).first().map(Self.summary(from:))
    }

    /// Whether person `id` exists and lies inside `scope` — the same condition the lists use.
    public func visibility(id: String, scope: Scope) async throws -> RecordVisibility {
        guard let row = try await db.sql.select()
            .column(SQLAlias(SQLQueryString("CASE WHEN \(scope.peopleCondition(table: "p")) THEN 1 ELSE 0 END"), as: SQLIdentifier("visible")))
            .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p"))).where(SQLColumn("id", table: "p"), .equal, SQLBind(id)).first()
        else { return .missing }
        return try row.decode(column: "visible", as: Int.self) == 1 ? .visible : .outOfScope
    }

    public func detail(id: String) async throws -> PersonDetail? {
        guard let person = try await summary(id: id) else { return nil }
        let sql = db.sql
        var registrations: [String: [RegistrationInfo]] = [:]
        for row in try await sql.select().column(SQLRaw("r.id, r.certificate_id, r.period_start, r.period_end"))
            .from(SQLAlias(SQLIdentifier("registrations"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("certificates"), as: SQLIdentifier("c")), on: SQLColumn("certificate_id", table: "r"), .equal, SQLColumn("id", table: "c"))
            .where(SQLColumn("person_id", table: "c"), .equal, SQLBind(id)).orderBy(SQLColumn("period_start", table: "r")).all() {
            registrations[try row.decode(column: "certificate_id"), default: []].append(
                RegistrationInfo(id: try row.decode(column: "id"), periodStart: try row.decode(column: "period_start"),
                                 periodEnd: try row.decode(column: "period_end")))
        }
        let certificates = try await sql.select().columns("id", "person_id", "level", "number", "issue_date", "low_score_area")
            .from("certificates").where("person_id", .equal, id).orderBy("issue_date").all().map { row in
                let certID: String = try row.decode(column: "id")
                return CertificateInfo(id: certID, personID: try row.decode(column: "person_id"), level: try row.decode(column: "level"),
                                       number: try row.decode(column: "number"), issueDate: try row.decode(column: "issue_date"),
                                       lowScoreArea: try row.decode(column: "low_score_area"), registrations: registrations[certID] ?? [])
            }
        let employments = try await sql.select().column(SQLRaw("e.organization_id, o.name, e.post_category, e.start_date, e.end_date"))
            .from(SQLAlias(SQLIdentifier("employments"), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("organization_id", table: "e"), .equal, SQLColumn("id", table: "o"))
            .where(SQLColumn("person_id", table: "e"), .equal, SQLBind(id)).orderBy(SQLColumn("start_date", table: "e")).all().map { row in
                EmploymentInfo(organizationID: try row.decode(column: "organization_id"), organizationName: try row.decode(column: "name"),
                               postCategory: try row.decode(column: "post_category"), startDate: try row.decode(column: "start_date"),
                               endDate: try row.decode(column: "end_date"))
            }
        let history = try await sql.select().columns("changed_at", "actor", "source", "field", "before", "after")
            .from("person_changes").where("person_id", .equal, id).orderBy("id", .descending).all().map { row in
                PersonChange(changedAt: try row.decode(column: "changed_at"), actor: try row.decode(column: "actor"),
                             source: try row.decode(column: "source"), field: try row.decode(column: "field"),
                             before: try row.decode(column: "before"), after: try row.decode(column: "after"))
            }
        return PersonDetail(person: person, certificates: certificates, employments: employments, history: history)
    }

    /// The full ID and mobile numbers. Callers check that the viewer may see them and audit it.
    public func revealIdentifiers(id: String) async throws -> (idNumber: String, mobile: String?)? {
        guard let row = try await db.sql.select().columns("id_cipher", "mobile_cipher").from("people").where("id", .equal, id).first() else {
            return nil
        }
        let mobile: String? = try row.decode(column: "mobile_cipher")
        return (try cipher.open(try row.decode(column: "id_cipher")), try mobile.map { try cipher.open($0) })
    }

    /// The record as the census template shows it (for edit forms and exports): full identifiers.
    public func censusRecord(id: String) async throws -> CensusRecord? {
        guard let detail = try await detail(id: id), let identifiers = try await revealIdentifiers(id: id),
              case .success(let residentID) = ResidentID.parse(identifiers.idNumber) else { return nil }
        let p = detail.person
        let row = try await db.sql.select().column(SQLRaw("o.name, o.credit_code")).from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))
            .where(SQLColumn("id", table: "o"), .equal, SQLBind(p.organizationID ?? "")).first()
        let latest = detail.certificates.max { (CertificateLevel(rawValue: $0.level)?.rank ?? 0, $0.issueDate) < (CertificateLevel(rawValue: $1.level)?.rank ?? 0, $1.issueDate) }
        return CensusRecord(
            row: 0, name: p.name, residentID: residentID,
            mobile: identifiers.mobile.flatMap { try? MobileNumber.parse($0).get() },
            regionCode: p.regionCode, employerName: try row?.decode(column: "name", as: String.self),
            employerCode: try row?.decode(column: "credit_code", as: String?.self).flatMap { try? SocialCreditCode.parse($0).get() },
            postCategory: p.postCategory.flatMap(PostCategory.init(rawValue:)),
            serviceFields: p.serviceFields.compactMap(ServiceField.init(rawValue:)),
            education: p.education.flatMap(EducationLevel.init(rawValue:)), socialWorkDegree: p.socialWorkDegree,
            certificate: latest.flatMap { c in
                CertificateLevel(rawValue: c.level).flatMap { level in
                    CivilDate(iso: c.issueDate).map { CensusCertificate(level: level, number: c.number, issueDate: $0) }
                }
            })
    }

    /// Creates or updates one person through the same validation and writer as the census import.
    /// `target` is the person being edited (nil to create). With a `scope`, both the person as
    /// stored and as saved must lie in it (`CensusWriter.scope`). Throws `StoreError` with field details.
    public func save(_ record: CensusRecord, target: String?, actor: String, source: String, scope: Scope? = nil,
                     now: Date = Date()) async throws -> (personID: String, created: Bool) {
        // Only the regions the save touches (the record's, and the edited person's current one, whose
        // counts it lowers), each row with its whole path, not the region table.
        let own = RegionDirectory(regions: Array(try await RegionStore(db).regions(codes: [record.regionCode]).values))
        if let problem = own.problemForPersonRegion(record.regionCode, year: CivilDate.today(now: now).year) {
            throw StoreError(.invalid, code: "census.region.unknown", text: problem,
                             details: [.init(field: CensusColumn.regionCode.rawValue, code: "census.region.unknown", text: problem)])
        }
        let cipher = self.cipher
        return try await db.transaction { tx in
            var regions = own
            if let target, let row = try await tx.sql.select().column("region_code").from("people").where("id", .equal, target).first() {
                let stored = try row.decode(column: "region_code", as: String.self)
                if regions[stored] == nil {
                    regions = RegionDirectory(regions: Array(try await RegionStore(tx).regions(codes: [record.regionCode, stored]).values))
                }
            }
            if target == nil {
                let index = cipher.index(record.residentID.value)
                if try await tx.sql.select().column("id").from("people").where("id_index", .equal, index).first() != nil {
                    throw StoreError(.conflict, code: "person.exists",
                                     details: [.init(field: CensusColumn.residentID.rawValue, code: "person.exists", text: .init("person.exists.field"))])
                }
            }
            let writer = CensusWriter(sql: tx.sql, cipher: cipher, regions: regions, now: now, actor: actor, source: source)
            writer.scope = scope
            let outcome = try await writer.apply([record], target: target)[0]
            try await writer.flushStats()
            switch outcome {
            case .created(let id): return (id, true)
            case .updated(let id), .unchanged(let id): return (id, false)
            case .rejected(let issues):
                throw StoreError(.conflict, code: issues.first?.code ?? "person.rejected", text: issues.first?.text ?? CatalogueMessage("person.rejected"),
                                 details: issues.map { .init(field: $0.column, code: $0.code, text: $0.text) })
            }
        }
    }

    public func addRegistration(certificateID: String, start: CivilDate, now: Date = Date()) async throws -> RegistrationInfo {
        guard try await db.sql.select().column("id").from("certificates").where("id", .equal, certificateID).first() != nil else {
            throw StoreError.notFound(.certificate)
        }
        // 社会工作者职业水平证书登记办法: each registration is valid for 3 years (docs/training.md: a
        // period begun on 29 February ends on 28 February).
        let end = RegistrationRules.periodEnd(start: start)
        let info = RegistrationInfo(id: RecordID.make(), periodStart: start.description, periodEnd: end.description)
        try await db.sql.insert(into: "registrations").columns("id", "certificate_id", "period_start", "period_end", "created_at")
            .values(info.id, certificateID, info.periodStart, info.periodEnd, Timestamp.string(now)).run()
        return info
    }

    static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
    }

    static func summary(from row: any SQLRow) throws -> PersonSummary {
        let fields: String = try row.decode(column: "service_fields")
        return PersonSummary(
            id: try row.decode(column: "id"), name: try row.decode(column: "name"), idNumber: try row.decode(column: "id_masked"),
            sex: try row.decode(column: "sex"), birthDate: try row.decode(column: "birth_date"),
            mobile: try row.decode(column: "mobile_masked"), regionCode: try row.decode(column: "region_code"),
            organizationID: try row.decode(column: "organization_id"), organizationName: try row.decode(column: "organization_name"),
            postCategory: try row.decode(column: "post_category"),
            serviceFields: fields.split(separator: "、").map(String.init), education: try row.decode(column: "education"),
            socialWorkDegree: try row.decode(column: "social_work_degree"), certificateLevel: try row.decode(column: "certificate_level"),
            updatedAt: try row.decode(column: "updated_at"), version: try row.decode(column: "version"))
    }
}
