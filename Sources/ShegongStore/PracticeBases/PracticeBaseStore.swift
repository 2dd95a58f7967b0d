import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A practice base in a list: where it is, its level, host, capacity and what it serves and hosts.
public struct PracticeBaseSummary: Codable, Sendable, Equatable {
    public var id: String
    public var regionCode: String
    public var name: String
    public var level: String
    public var host: String?
    public var capacity: Int?
    public var periodFrom: String?
    public var periodTo: String?
    /// How many regions it serves, and how many people it hosts today (placements open on the day).
    public var servedRegions: Int
    public var hostedNow: Int
}

/// A person a base hosts as an intern or trainee, from a date to a date.
public struct PracticeBasePlacement: Codable, Sendable, Equatable {
    public var id: String
    public var personID: String
    public var personName: String
    public var kind: String
    public var from: String
    public var to: String?
}

/// One practice base with everything the register keeps of it (docs/bases.md).
public struct PracticeBaseDetail: Codable, Sendable, Equatable {
    public var id: String
    public var regionCode: String
    public var name: String
    /// `PracticeBaseLevel` raw value (unspecified for a base registered before levels were kept).
    public var level: String
    public var host: String?
    public var hostOrganizationID: String?
    public var hostOrganizationName: String?
    public var capacity: Int?
    public var facilities: String?
    public var contactName: String?
    /// The base's office phone (not personal data).
    public var contactPhone: String?
    /// The named contact's mobile, masked (`138****5678`).
    public var contactMobile: String?
    public var periodFrom: String?
    public var periodTo: String?
    public var established: String?
    /// The codes of the regions it serves, in code order.
    public var servedRegions: [String]
    public var placements: [PracticeBasePlacement]
    /// The training sessions held at the base, newest first (issue #14 §1: what it hosts).
    public var sessions: [HostedSession] = []
}

/// A training session held at a base, as the base's page lists it.
public struct HostedSession: Codable, Sendable, Equatable {
    public var id: String
    public var courseTitle: String
    public var startsOn: String
    public var endsOn: String
    public var seatsTaken: Int
    public var capacity: Int
    /// `open` or `completed` (training's session states).
    public var status: String
}

/// What an official enters for a base: the register's fields (docs/bases.md, "A base").
public struct PracticeBaseInput: Codable, Sendable {
    public var regionCode: String
    public var name: String
    /// 省级, 市级, 县级, 院校 or province, city, county, college (`PracticeBaseLevel.parse`).
    public var level: String
    public var host: String?
    public var hostOrganizationID: String?
    public var capacity: Int?
    public var facilities: String?
    public var contactName: String?
    public var contactPhone: String?
    /// The named contact's mobile: omitted (nil) keeps the number on record, "" removes it.
    public var contactMobile: String?
    public var periodFrom: String?
    public var periodTo: String?
    public var established: String?
    public var servedRegions: [String]?

    public init(regionCode: String, name: String, level: String, host: String? = nil, hostOrganizationID: String? = nil,
                capacity: Int? = nil, facilities: String? = nil, contactName: String? = nil, contactPhone: String? = nil,
                contactMobile: String? = nil, periodFrom: String? = nil, periodTo: String? = nil, established: String? = nil,
                servedRegions: [String]? = nil) {
        self.regionCode = regionCode
        self.name = name
        self.level = level
        self.host = host
        self.hostOrganizationID = hostOrganizationID
        self.capacity = capacity
        self.facilities = facilities
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.contactMobile = contactMobile
        self.periodFrom = periodFrom
        self.periodTo = periodTo
        self.established = established
        self.servedRegions = servedRegions
    }
}

/// A person to host: who, as what, from when to when.
public struct PlacementInput: Codable, Sendable {
    public var personID: String
    /// 实习, 培训 or internship, training (`PlacementKind.parse`).
    public var kind: String
    public var from: String
    public var to: String?

    public init(personID: String, kind: String, from: String, to: String? = nil) {
        self.personID = personID
        self.kind = kind
        self.from = from
        self.to = to
    }
}

/// The practice-base register (tables `practice_bases`, `practice_base_regions`,
/// `practice_base_placements`): lists and totals with the caller's scope as SQL conditions,
/// writes validated in full before anything is written (the caller's transaction).
public struct PracticeBaseStore: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    var sql: any SQLDatabase { db.sql }

    /// The bases standing in `region`'s subtree (by the base's own region) that `scope` reaches.
    public func list(region: Region, scope: Scope, today: CivilDate) async throws -> [PracticeBaseSummary] {
        let day = today.description
        var query = sql.select()
            .column(SQLColumn("id", table: "b")).column(SQLColumn("region_code", table: "b")).column(SQLColumn("name", table: "b"))
            .column(SQLColumn("base_level", table: "b")).column(SQLColumn("host", table: "b")).column(SQLColumn("capacity", table: "b"))
            .column(SQLColumn("period_from", table: "b")).column(SQLColumn("period_to", table: "b"))
            .column(SQLAlias(SQLQueryString("(SELECT COUNT(*) FROM practice_base_regions s WHERE s.base_id = b.id)"), as: SQLIdentifier("served")))
            .column(SQLAlias(SQLQueryString("""
                (SELECT COUNT(*) FROM practice_base_placements h WHERE h.base_id = b.id AND h.from_date <= \(bind: day) \
                AND (h.to_date IS NULL OR h.to_date >= \(bind: day)))
                """), as: SQLIdentifier("hosted")))
            .from(SQLAlias(SQLIdentifier("practice_bases"), as: SQLIdentifier("b")))
            .where(Self.scopeCondition(scope))
        if let column = RegionPath.column(for: region.level) {
            query = query.where(SQLColumn(region.level == .community ? "region_code" : column, table: "b"), .equal, SQLBind(region.code))
        }
        return try await query.orderBy(SQLColumn("region_code", table: "b")).orderBy(SQLColumn("name", table: "b")).all().map { row in
            PracticeBaseSummary(id: try row.decode(column: "id"), regionCode: try row.decode(column: "region_code"), name: try row.decode(column: "name"),
                                level: try row.decode(column: "base_level"), host: try row.decode(column: "host"),
                                capacity: try row.decode(column: "capacity", as: Int?.self), periodFrom: try row.decode(column: "period_from"),
                                periodTo: try row.decode(column: "period_to"), servedRegions: try row.decode(column: "served", as: Int.self),
                                hostedNow: try row.decode(column: "hosted", as: Int.self))
        }
    }

    /// Bases are a region's: officials see those in their subtree; no other scope sees any here.
    static func scopeCondition(_ scope: Scope) -> any SQLExpression {
        switch scope {
        case .region(let subtree, _): return subtree.condition(table: "b")
        default: return SQLRaw("1 = 0")
        }
    }

    /// Whether base `id` exists and `scope` reaches it (the list's condition).
    public func visibility(id: String, scope: Scope) async throws -> RecordVisibility {
        guard let row = try await sql.select()
            .column(SQLAlias(SQLQueryString("CASE WHEN \(Self.scopeCondition(scope)) THEN 1 ELSE 0 END"), as: SQLIdentifier("visible")))
            .from(SQLAlias(SQLIdentifier("practice_bases"), as: SQLIdentifier("b"))).where(SQLColumn("id", table: "b"), .equal, SQLBind(id)).first()
        else { return .missing }
        return try row.decode(column: "visible", as: Int.self) == 1 ? .visible : .outOfScope
    }

    public func detail(id: String) async throws -> PracticeBaseDetail? {
        guard let row = try await sql.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("b")))
            .column(SQLAlias(SQLColumn("name", table: "o"), as: SQLIdentifier("host_organization_name")))
            .from(SQLAlias(SQLIdentifier("practice_bases"), as: SQLIdentifier("b")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "o"), .equal, SQLColumn("host_organization_id", table: "b"))
            .where(SQLColumn("id", table: "b"), .equal, SQLBind(id)).first() else { return nil }
        let served = try await sql.select().column("region_code").from("practice_base_regions").where("base_id", .equal, id)
            .orderBy("region_code").all().map { try $0.decode(column: "region_code", as: String.self) }
        let placements = try await sql.select()
            .columns([SQLColumn("id", table: "h"), SQLColumn("person_id", table: "h"), SQLColumn("kind", table: "h"),
                     SQLColumn("from_date", table: "h"), SQLColumn("to_date", table: "h")])
            .column(SQLAlias(SQLColumn("name", table: "p"), as: SQLIdentifier("person_name")))
            .from(SQLAlias(SQLIdentifier("practice_base_placements"), as: SQLIdentifier("h")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal, SQLColumn("person_id", table: "h"))
            .where(SQLColumn("base_id", table: "h"), .equal, SQLBind(id))
            .orderBy(SQLOrderBy(expression: SQLColumn("from_date", table: "h"), direction: SQLDirection.descending)).orderBy(SQLColumn("name", table: "p")).all().map { row in
                PracticeBasePlacement(id: try row.decode(column: "id"), personID: try row.decode(column: "person_id"),
                                      personName: try row.decode(column: "person_name"), kind: try row.decode(column: "kind"),
                                      from: try row.decode(column: "from_date"), to: try row.decode(column: "to_date"))
            }
        var detail = PracticeBaseDetail(
            id: try row.decode(column: "id"), regionCode: try row.decode(column: "region_code"), name: try row.decode(column: "name"),
            level: try row.decode(column: "base_level"), host: try row.decode(column: "host"),
            hostOrganizationID: try row.decode(column: "host_organization_id"), hostOrganizationName: try row.decode(column: "host_organization_name"),
            capacity: try row.decode(column: "capacity", as: Int?.self), facilities: try row.decode(column: "facilities"),
            contactName: try row.decode(column: "contact_name"), contactPhone: try row.decode(column: "contact_phone"),
            contactMobile: try row.decode(column: "contact_mobile_masked"), periodFrom: try row.decode(column: "period_from"),
            periodTo: try row.decode(column: "period_to"), established: try row.decode(column: "established"),
            servedRegions: served, placements: placements)
        detail.sessions = try await hostedSessions(baseID: id)
        return detail
    }

    /// The training sessions held at the base, newest first; the 200 latest are enough for a page.
    func hostedSessions(baseID: String) async throws -> [HostedSession] {
        try await sql.select()
            .columns([SQLColumn("id", table: "s"), SQLColumn("starts_on", table: "s"), SQLColumn("ends_on", table: "s"),
                      SQLColumn("seats_taken", table: "s"), SQLColumn("capacity", table: "s"), SQLColumn("status", table: "s")])
            .column(SQLAlias(SQLColumn("title", table: "c"), as: SQLIdentifier("course_title")))
            .from(SQLAlias(SQLIdentifier("training_sessions"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("training_courses"), as: SQLIdentifier("c")), on: SQLColumn("id", table: "c"), .equal, SQLColumn("course_id", table: "s"))
            .where(SQLColumn("practice_base_id", table: "s"), .equal, SQLBind(baseID))
            .orderBy(SQLOrderBy(expression: SQLColumn("starts_on", table: "s"), direction: SQLDirection.descending))
            .orderBy(SQLColumn("id", table: "s"))
            .limit(200).all().map { row in
                HostedSession(id: try row.decode(column: "id"), courseTitle: try row.decode(column: "course_title"),
                              startsOn: try row.decode(column: "starts_on"), endsOn: try row.decode(column: "ends_on"),
                              seatsTaken: try row.decode(column: "seats_taken"), capacity: try row.decode(column: "capacity"),
                              status: try row.decode(column: "status"))
            }
    }

    /// The input checked in full: every problem named by its field, nothing written.
    struct Checked {
        var region: Region
        var name: String
        var level: PracticeBaseLevel
        var host: String?
        var hostOrganizationID: String?
        var capacity: Int?
        var facilities: String?
        var contactName: String?
        var contactPhone: String?
        var mobile: MobileNumber?
        /// Whether the input said anything of the mobile: omitted keeps the number on record.
        var mobileGiven: Bool
        var periodFrom: String?
        var periodTo: String?
        var established: String?
        var served: [String]
    }

    static func text(_ value: String?) -> String? {
        guard let t = value?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    func check(_ input: PracticeBaseInput) async throws -> Checked {
        var details: [StoreError.Detail] = []
        func add(_ problem: BasesAndPostsProblem?) {
            if let problem { details.append(.init(field: problem.field, code: problem.code, text: CatalogueMessage(problem.code, arguments: problem.arguments))) }
        }
        let (region, established) = try await PracticeSiteStore(db: db).common(regionCode: input.regionCode, name: input.name,
                                                                              established: input.established, details: &details)
        let level = PracticeBaseLevel.parse(input.level)
        if level == nil { details.append(.init(field: "level", code: "practice_base.level.invalid")) }
        let host = Self.text(input.host)
        if let host, host.count > 100 { details.append(.init(field: "host", code: "practice_base.host.invalid")) }
        let hostOrganization = Self.text(input.hostOrganizationID)
        if let hostOrganization, try await sql.select().column("id").from("organizations").where("id", .equal, hostOrganization).first() == nil {
            details.append(.init(field: "hostOrganizationID", code: "bases.host_organization.unknown"))
        }
        add(BasesAndPostsRules.number(input.capacity, field: "capacity"))
        let facilities = Self.text(input.facilities)
        if let facilities, facilities.count > 500 { details.append(.init(field: "facilities", code: "bases.text.too_long", "500")) }
        let contactName = Self.text(input.contactName)
        if let contactName, contactName.count > 50 { details.append(.init(field: "contactName", code: "bases.text.too_long", "50")) }
        let phone = Self.text(input.contactPhone)
        if let phone, phone.count > 30 || phone.contains(where: { !($0.isASCII && ($0.isNumber || "-+() ".contains($0))) }) {
            details.append(.init(field: "contactPhone", code: "bases.contact.phone.invalid"))
        }
        var mobile: MobileNumber?
        if let raw = Self.text(input.contactMobile) {
            switch MobileNumber.parse(raw) {
            case .success(let parsed): mobile = parsed
            case .failure: details.append(.init(field: "contactMobile", code: "bases.contact.mobile.invalid"))
            }
        }
        func date(_ raw: String?, field: String) -> CivilDate? {
            guard let raw = Self.text(raw) else { return nil }
            guard let parsed = CivilDate(censusText: raw) else {
                details.append(.init(field: field, code: "bases.date.invalid", raw))
                return nil
            }
            return parsed
        }
        let from = date(input.periodFrom, field: "periodFrom"), to = date(input.periodTo, field: "periodTo")
        add(BasesAndPostsRules.period(from: from, to: to))
        var served: [String] = []
        let codes = Array(Set((input.servedRegions ?? []).compactMap { Self.text($0) })).sorted()
        if !codes.isEmpty {
            let found = try await RegionStore(db).regions(codes: codes)
            for code in codes where found[code] == nil { details.append(.init(field: "servedRegions", code: "region.unknown", code)) }
            let known = codes.compactMap { found[$0] }
            for problem in BasesAndPostsRules.servedRegions(baseProvince: region?.path.province,
                                                            served: known.map { ($0.code, $0.name, $0.path.province) }) { add(problem) }
            served = known.map(\.code)
        }
        guard details.isEmpty, let region, let level else {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.practice_base"), details: details)
        }
        return Checked(region: region, name: input.name.trimmingCharacters(in: .whitespaces), level: level, host: host,
                       hostOrganizationID: hostOrganization, capacity: input.capacity, facilities: facilities, contactName: contactName,
                       contactPhone: phone, mobile: mobile, mobileGiven: input.contactMobile != nil, periodFrom: from?.description, periodTo: to?.description,
                       established: established, served: served)
    }

    /// A new base with its served regions, all or nothing (the caller's transaction).
    public func create(_ input: PracticeBaseInput, now: Date) async throws -> PracticeBaseDetail {
        let c = try await check(input)
        let id = RecordID.make()
        // `level` (migration 0010) is read by nothing since 0045; it keeps the nearest region level.
        let legacyLevel: RegionLevel = switch c.level {
        case .province: .province
        case .city: .city
        case .county: .county
        case .college, .unspecified: c.region.level
        }
        let stamp = Timestamp.string(now)
        try await sql.insert(into: "practice_bases")
            .columns("id", "region_code", "province_code", "city_code", "county_code", "township_code", "name", "level", "base_level",
                     "host", "established", "created_at")
            .values(id, c.region.code, c.region.path.province, c.region.path.city, c.region.path.county, c.region.path.township, c.name,
                    legacyLevel.rawValue, c.level.rawValue, c.host, c.established, stamp).run()
        try await write(id: id, c, now: now)
        return try await detail(id: id)!
    }

    /// Every field of base `id` replaced by `input` (its served regions too), all or nothing.
    public func update(id: String, _ input: PracticeBaseInput, now: Date) async throws -> PracticeBaseDetail {
        let c = try await check(input)
        try await sql.update("practice_bases")
            .set("region_code", to: c.region.code).set("province_code", to: c.region.path.province).set("city_code", to: c.region.path.city)
            .set("county_code", to: c.region.path.county).set("township_code", to: c.region.path.township)
            .set("name", to: c.name).set("base_level", to: c.level.rawValue).set("host", to: c.host).set("established", to: c.established)
            .where("id", .equal, id).run()
        try await sql.delete(from: "practice_base_regions").where("base_id", .equal, id).run()
        try await write(id: id, c, now: now)
        guard let saved = try await detail(id: id) else { throw StoreError.notFound(.practiceBase) }
        return saved
    }

    func write(id: String, _ c: Checked, now: Date) async throws {
        var update = sql.update("practice_bases")
            .set("host_organization_id", to: c.hostOrganizationID).set("capacity", to: c.capacity).set("facilities", to: c.facilities)
            .set("contact_name", to: c.contactName).set("contact_phone", to: c.contactPhone)
            .set("period_from", to: c.periodFrom).set("period_to", to: c.periodTo).set("updated_at", to: Timestamp.string(now))
        if c.mobileGiven {
            update = update.set("contact_mobile_cipher", to: try c.mobile.map { try cipher.seal($0.value) }).set("contact_mobile_masked", to: c.mobile?.masked)
        }
        try await update.where("id", .equal, id).run()
        for code in c.served {
            try await sql.insert(into: "practice_base_regions").columns("base_id", "region_code").values(id, code).run()
        }
    }

    /// The contact's full mobile number (callers check the viewer may see it and audit it).
    public func revealContactMobile(id: String) async throws -> String? {
        guard let sealed = try await sql.select().column("contact_mobile_cipher").from("practice_bases").where("id", .equal, id).first()?
            .decode(column: "contact_mobile_cipher", as: String?.self) else { return nil }
        return try cipher.open(sealed)
    }

    /// Hosts a person at base `id`. The person must be one `scope` reaches (else the field error
    /// naming them); the period must not end before it starts.
    public func addPlacement(baseID: String, _ input: PlacementInput, scope: Scope, actor: String, now: Date) async throws -> PracticeBasePlacement {
        var details: [StoreError.Detail] = []
        let kind = PlacementKind.parse(input.kind)
        if kind == nil { details.append(.init(field: "kind", code: "bases.placement.kind.invalid")) }
        let person = try await sql.select().columns("id", "name").from("people").where("id", .equal, input.personID)
            .where(scope.peopleCondition(table: "people")).first()
        if person == nil { details.append(.init(field: "personID", code: "bases.placement.person.unknown")) }
        let from = CivilDate(censusText: input.from.trimmingCharacters(in: .whitespaces))
        if from == nil { details.append(.init(field: "from", code: "bases.date.invalid", input.from)) }
        var to: CivilDate?
        if let raw = Self.text(input.to) {
            to = CivilDate(censusText: raw)
            if to == nil { details.append(.init(field: "to", code: "bases.date.invalid", raw)) }
        }
        if let problem = BasesAndPostsRules.period(from: from, to: to, field: "to") {
            details.append(.init(field: problem.field, code: problem.code, text: CatalogueMessage(problem.code, arguments: problem.arguments)))
        }
        guard details.isEmpty, let kind, let from, let person else {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.placement"), details: details)
        }
        try await checkCapacity(baseID: baseID, from: from, to: to)
        let placement = PracticeBasePlacement(id: RecordID.make(), personID: input.personID, personName: try person.decode(column: "name"),
                                              kind: kind.rawValue, from: from.description, to: to?.description)
        try await sql.insert(into: "practice_base_placements")
            .columns("id", "base_id", "person_id", "kind", "from_date", "to_date", "created_by", "created_at")
            .values(placement.id, baseID, placement.personID, placement.kind, placement.from, placement.to, actor, Timestamp.string(now)).run()
        return placement
    }

    /// Refuses a placement that would put more people at the base at the same time than its
    /// capacity (`BasesAndPostsRules.placement`). The base's row is written first, so that two
    /// placements at once queue on it (PostgreSQL's row lock; SQLite has one writer) and the
    /// second counts the first.
    func checkCapacity(baseID: String, from: CivilDate, to: CivilDate?) async throws {
        try await sql.update("practice_bases").set(SQLIdentifier("capacity"), to: SQLIdentifier("capacity")).where("id", .equal, baseID).run()
        guard let base = try await sql.select().columns("name", "capacity").from("practice_bases").where("id", .equal, baseID).first() else {
            throw StoreError.notFound(.practiceBase)
        }
        guard let capacity = try base.decode(column: "capacity", as: Int?.self) else { return }
        // The placements overlapping the period: open-ended ones and those ending on or after its
        // start, starting on or before its end.
        var overlapping = sql.select().columns("from_date", "to_date").from("practice_base_placements")
            .where("base_id", .equal, baseID)
            .where(SQLQueryString("(to_date IS NULL OR to_date >= \(bind: from.description))"))
        if let to { overlapping = overlapping.where("from_date", .lessThanOrEqual, to.description) }
        let existing = try await overlapping.all().compactMap { row -> (from: CivilDate, to: CivilDate?)? in
            guard let start = CivilDate(iso: try row.decode(column: "from_date", as: String.self)) else { return nil }
            return (start, try row.decode(column: "to_date", as: String?.self).flatMap { CivilDate(iso: $0) })
        }
        if let problem = BasesAndPostsRules.placement(capacity: capacity, baseName: try base.decode(column: "name", as: String.self),
                                                      from: from, to: to, existing: existing) {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage(problem.code, arguments: problem.arguments),
                             details: [.init(field: problem.field, code: problem.code, text: CatalogueMessage(problem.code, arguments: problem.arguments))])
        }
    }
}
