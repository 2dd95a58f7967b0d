import FluentKit
import Foundation
import SQLKit
import ShegongDomain

public struct CertificateFilter: Sendable {
    public var region: Region?
    public var number: String?
    public var level: CertificateLevel?
    public var issuedFrom: CivilDate?
    public var issuedTo: CivilDate?
    /// The principal's scope over the holders, AND-ed into the query (nil: everyone).
    public var scope: Scope?
    public var page = 1
    public var perPage = 50
    public init() {}
}

/// Certificates with their holder's name (masked identifiers only).
public struct CertificateListItem: Codable, Sendable, Equatable {
    public var id: String
    public var personID: String
    public var personName: String
    public var regionCode: String
    public var level: String
    public var number: String
    public var issueDate: String
    public var lowScoreArea: Bool
}

public struct CertificateStore: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    public func list(_ filter: CertificateFilter) async throws -> Page<CertificateListItem> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.from(SQLAlias(SQLIdentifier("certificates"), as: SQLIdentifier("c")))
                .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "c"), .equal, SQLColumn("id", table: "p"))
            if let scope = filter.scope { q = q.where(scope.peopleCondition(table: "p")) }
            if let region = filter.region, let column = RegionPath.column(for: region.level) {
                q = q.where(SQLColumn(column, table: "p"), .equal, SQLBind(region.code))
            }
            if let number = filter.number { q = q.where(SQLColumn("number", table: "c"), .equal, SQLBind(number)) }
            if let level = filter.level { q = q.where(SQLColumn("level", table: "c"), .equal, SQLBind(level.rawValue)) }
            if let from = filter.issuedFrom { q = q.where(SQLColumn("issue_date", table: "c"), .greaterThanOrEqual, SQLBind(from.description)) }
            if let to = filter.issuedTo { q = q.where(SQLColumn("issue_date", table: "c"), .lessThanOrEqual, SQLBind(to.description)) }
            return q
        }
        let total = try await filtered(db.sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let perPage = min(max(filter.perPage, 1), 500), page = max(filter.page, 1)
        let items = try await filtered(db.sql.select().column(SQLRaw(
            "c.id, c.person_id, p.name AS person_name, p.region_code, c.level, c.number, c.issue_date, c.low_score_area")))
            .orderBy(SQLColumn("issue_date", table: "c"), SQLDirection.descending).orderBy(SQLColumn("id", table: "c"))
            .limit(perPage).offset((page - 1) * perPage).all().map(Self.item(from:))
        return Page(items: items, total: total, page: page, perPage: perPage)
    }

    public func get(id: String) async throws -> CertificateListItem? {
        try await db.sql.select().column(SQLRaw(
            "c.id, c.person_id, p.name AS person_name, p.region_code, c.level, c.number, c.issue_date, c.low_score_area"))
            .from(SQLAlias(SQLIdentifier("certificates"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "c"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first().map(Self.item(from:))
    }

    /// Adds a certificate to a person through the registry writer (history, highest level and
    /// statistics follow), then records the 单独划线 flag.
    public func add(personID: String, certificate: CensusCertificate, lowScoreArea: Bool, actor: String, now: Date = Date()) async throws -> CertificateListItem {
        let people = PersonStore(db: db, cipher: cipher)
        guard var record = try await people.censusRecord(id: personID) else { throw StoreError.notFound(.person) }
        if let existing = try await db.sql.select().column("person_id").from("certificates").where("number", .equal, certificate.number).first() {
            let owner: String = try existing.decode(column: "person_id")
            throw StoreError(.conflict, code: "certificate.exists",
                             text: .init(owner == personID ? "certificate.exists.own" : "certificate.exists.other", certificate.number),
                             details: [.init(field: "number", code: "certificate.exists")])
        }
        record.certificate = certificate
        _ = try await people.save(record, target: personID, actor: actor, source: "api:certificates", now: now)
        if lowScoreArea {
            try await db.sql.update("certificates").set("low_score_area", to: true).where("number", .equal, certificate.number).run()
        }
        let row = try await db.sql.select().column("id").from("certificates").where("number", .equal, certificate.number).first()
        return try await get(id: try row!.decode(column: "id"))!
    }

    /// Corrects a certificate's level, issue date or 单独划线 flag. Level and date go through the
    /// registry writer like an import's correction (history, highest level, statistics follow).
    public func update(id: String, level: CertificateLevel?, issueDate: CivilDate?, lowScoreArea: Bool?, actor: String,
                       now: Date = Date()) async throws -> CertificateListItem {
        guard let current = try await get(id: id) else { throw StoreError.notFound(.certificate) }
        if level != nil || issueDate != nil {
            let people = PersonStore(db: db, cipher: cipher)
            guard var record = try await people.censusRecord(id: current.personID),
                  let currentLevel = CertificateLevel(rawValue: current.level), let currentDate = CivilDate(iso: current.issueDate) else {
                throw StoreError.notFound(.person)
            }
            record.certificate = CensusCertificate(level: level ?? currentLevel, number: current.number, issueDate: issueDate ?? currentDate)
            _ = try await people.save(record, target: current.personID, actor: actor, source: "api:certificates", now: now)
        }
        if let lowScoreArea, lowScoreArea != current.lowScoreArea {
            try await db.transaction { tx in
                try await tx.sql.update("certificates").set("low_score_area", to: lowScoreArea).where("id", .equal, id).run()
                try await tx.sql.insert(into: "person_changes").columns("person_id", "changed_at", "actor", "source", "field", "before", "after")
                    .values(current.personID, Timestamp.string(now), actor, "api:certificates", "certificate_low_score_area",
                            "\(current.number) \(current.lowScoreArea ? "是" : "否")", "\(current.number) \(lowScoreArea ? "是" : "否")").run()
            }
        }
        return try await get(id: id)!
    }

    static func item(from row: any SQLRow) throws -> CertificateListItem {
        CertificateListItem(id: try row.decode(column: "id"), personID: try row.decode(column: "person_id"),
                            personName: try row.decode(column: "person_name"), regionCode: try row.decode(column: "region_code"),
                            level: try row.decode(column: "level"), number: try row.decode(column: "number"),
                            issueDate: try row.decode(column: "issue_date"), lowScoreArea: try row.decode(column: "low_score_area"))
    }
}
