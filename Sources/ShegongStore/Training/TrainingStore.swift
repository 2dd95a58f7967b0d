import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A course as listed (docs/training.md "Training").
public struct TrainingCourse: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var tier: TrainingTier
    public var audiences: [TrainingAudience]
    public var topics: [TrainingTopic]
    public var creditMinutes: Int
    /// 0 for a free course (Hubei's exam preparation is free).
    public var feeFen: Int
    /// The organising office's region, or nil when an organisation organises it.
    public var organizerRegionCode: String?
    public var organizerOrganizationID: String?
    public var organizerOrganizationName: String?
    /// The region the course is filed under (the office's, or the organisation's).
    public var regionCode: String?
    public var sessions: Int
}

/// A course as entered.
public struct CourseInput: Codable, Sendable {
    public var title: String
    public var tier: String
    public var audiences: [String]
    public var topics: [String]
    public var creditHours: String
    public var feeFen: Int?
    public var organizerRegionCode: String?
    public var organizerOrganizationID: String?

    public init(title: String, tier: String, audiences: [String], topics: [String], creditHours: String, feeFen: Int? = nil,
                organizerRegionCode: String? = nil, organizerOrganizationID: String? = nil) {
        self.title = title
        self.tier = tier
        self.audiences = audiences
        self.topics = topics
        self.creditHours = creditHours
        self.feeFen = feeFen
        self.organizerRegionCode = organizerRegionCode
        self.organizerOrganizationID = organizerOrganizationID
    }
}

public enum SessionStatus: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    case open, completed
    public var catalogueKey: String { "training.session.status.\(rawValue)" }
}

public struct TrainerReference: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
}

public struct TrainingSession: Codable, Sendable, Equatable {
    public var id: String
    public var courseID: String
    public var courseTitle: String
    public var startsOn: String
    public var endsOn: String
    public var minutesPerDay: Int
    public var practiceBaseID: String?
    public var practiceBaseName: String?
    public var address: String?
    public var capacity: Int
    public var seatsTaken: Int
    public var waiting: Int
    public var status: SessionStatus
    public var trainers: [TrainerReference]

    public var schedule: SessionSchedule? {
        guard let start = CivilDate(iso: startsOn), let end = CivilDate(iso: endsOn) else { return nil }
        return SessionSchedule(startsOn: start, endsOn: end, minutesPerDay: minutesPerDay)
    }
}

public struct SessionInput: Codable, Sendable {
    public var startsOn: String
    public var endsOn: String
    public var hoursPerDay: String
    public var practiceBaseID: String?
    public var address: String?
    public var capacity: Int
    public var trainerIDs: [String]?

    public init(startsOn: String, endsOn: String, hoursPerDay: String, practiceBaseID: String? = nil, address: String? = nil,
                capacity: Int, trainerIDs: [String]? = nil) {
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.hoursPerDay = hoursPerDay
        self.practiceBaseID = practiceBaseID
        self.address = address
        self.capacity = capacity
        self.trainerIDs = trainerIDs
    }
}

/// Every SQL statement of training (issue #13 §1, §2, §6). Scope conditions are the callers'
/// (`TrainingScope`), joined into the queries.
public struct TrainingStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    var sql: any SQLDatabase { db.sql }

    static func invalid(_ summary: String, _ details: [StoreError.Detail]) -> StoreError {
        StoreError(.invalid, code: "validation", text: CatalogueMessage(summary), details: details)
    }

    public static func notFound(_ what: String) -> StoreError {
        StoreError(.notFound, code: "not_found", text: CatalogueMessage("training.\(what).not_found"))
    }

    // MARK: courses

    static let courseColumns = """
        c.id, c.title, c.tier, c.audiences, c.topics, c.credit_minutes, c.fee_fen, c.organizer_region_code, c.organizer_organization_id, \
        c.region_code, o.name AS organizer_name, (SELECT COUNT(*) FROM training_sessions s WHERE s.course_id = c.id) AS sessions
        """

    func courseQuery() -> SQLSelectBuilder {
        sql.select().column(SQLRaw(Self.courseColumns)).from(SQLAlias(SQLIdentifier("training_courses"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("organizer_organization_id", table: "c"), .equal, SQLColumn("id", table: "o"))
    }

    /// Courses inside `condition` (the caller's scope), newest first, optionally of one tier.
    public func courses(where condition: any SQLExpression, tier: TrainingTier? = nil, limit: Int = 200) async throws -> [TrainingCourse] {
        var query = courseQuery().where(condition)
        if let tier { query = query.where(SQLColumn("tier", table: "c"), .equal, SQLBind(tier.rawValue)) }
        return try await query.orderBy(SQLColumn("created_at", table: "c"), SQLDirection.descending).orderBy(SQLColumn("id", table: "c"))
            .limit(limit).all().map(Self.course)
    }

    public func course(id: String) async throws -> TrainingCourse? {
        try await courseQuery().where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first().map(Self.course)
    }

    /// Whether course `id` exists and satisfies `condition`.
    public func visibility(course id: String, _ condition: any SQLExpression) async throws -> RecordVisibility {
        guard let row = try await sql.select()
            .column(SQLAlias(SQLQueryString("CASE WHEN \(condition) THEN 1 ELSE 0 END"), as: SQLIdentifier("visible")))
            .from(SQLAlias(SQLIdentifier("training_courses"), as: SQLIdentifier("c")))
            .where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first()
        else { return .missing }
        return try row.decode(column: "visible", as: Int.self) == 1 ? .visible : .outOfScope
    }

    static func course(_ row: any SQLRow) throws -> TrainingCourse {
        TrainingCourse(
            id: try row.decode(column: "id"), title: try row.decode(column: "title"),
            tier: TrainingTier(rawValue: try row.decode(column: "tier")) ?? .other,
            audiences: (JSONList.strings(try row.decode(column: "audiences")) ?? []).compactMap(TrainingAudience.init(rawValue:)),
            topics: (JSONList.strings(try row.decode(column: "topics")) ?? []).compactMap(TrainingTopic.init(code:)),
            creditMinutes: try row.decode(column: "credit_minutes", as: Int.self), feeFen: try row.decode(column: "fee_fen", as: Int.self),
            organizerRegionCode: try row.decode(column: "organizer_region_code", as: String?.self),
            organizerOrganizationID: try row.decode(column: "organizer_organization_id", as: String?.self),
            organizerOrganizationName: try row.decode(column: "organizer_name", as: String?.self),
            regionCode: try row.decode(column: "region_code", as: String?.self),
            sessions: try row.decode(column: "sessions", as: Int.self))
    }

    /// The organiser as validated: its region (the office's, or the organisation's) and organisation.
    public struct Organizer: Sendable {
        public var region: Region?
        public var organizationID: String?
        public init(region: Region?, organizationID: String?) {
            self.region = region
            self.organizationID = organizationID
        }
    }

    /// Checks a course as entered; the organiser must already be resolved by the caller's rules.
    public func createCourse(_ input: CourseInput, organizer: Organizer, actor: String, now: Date) async throws -> TrainingCourse {
        var details: [StoreError.Detail] = []
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(title.count) { details.append(.init(field: "title", code: "training.course.title")) }
        let tier = TrainingTier(rawValue: input.tier)
        if tier == nil { details.append(.init(field: "tier", code: "training.course.tier")) }
        let audiences = input.audiences.compactMap(TrainingAudience.init(rawValue:))
        if audiences.isEmpty || audiences.count != input.audiences.count { details.append(.init(field: "audiences", code: "training.course.audiences")) }
        let topics = input.topics.compactMap(TrainingTopic.init(code:))
        if topics.isEmpty || topics.count != input.topics.count { details.append(.init(field: "topics", code: "training.course.topics")) }
        let minutes = TrainingHours.minutes(input.creditHours)
        if minutes == nil || (minutes ?? 0) > 200 * 60 { details.append(.init(field: "creditHours", code: "training.course.hours")) }
        let fee = input.feeFen ?? 0
        if fee < 0 || fee > 100_000_000 { details.append(.init(field: "feeFen", code: "training.course.fee")) }
        if organizer.region == nil && organizer.organizationID == nil { details.append(.init(field: "organizerRegionCode", code: "training.course.organizer")) }
        guard details.isEmpty, let tier, let minutes else { throw Self.invalid("training.course.invalid", details) }
        let id = RecordID.make(now: now), path = organizer.region?.path
        try await sql.insert(into: "training_courses")
            .columns("id", "title", "tier", "audiences", "topics", "credit_minutes", "fee_fen", "organizer_region_code", "organizer_organization_id",
                     "province_code", "city_code", "county_code", "township_code", "region_code", "created_by", "created_at")
            .values(SQLBind(id), SQLBind(title), SQLBind(tier.rawValue), SQLBind(JSONList.text(audiences.map(\.rawValue))),
                    SQLBind(JSONList.text(topics.map(\.code))), SQLBind(minutes), SQLBind(fee),
                    SQLBind(organizer.organizationID == nil ? organizer.region?.code : nil), SQLBind(organizer.organizationID),
                    SQLBind(path?.province), SQLBind(path?.city), SQLBind(path?.county), SQLBind(path?.township), SQLBind(organizer.region?.code),
                    SQLBind(actor), SQLBind(Timestamp.string(now))).run()
        guard let course = try await course(id: id) else { throw Self.notFound("course") }
        return course
    }

    // MARK: sessions

    static let sessionColumns = """
        s.id, s.course_id, c.title AS course_title, s.starts_on, s.ends_on, s.minutes_per_day, s.practice_base_id, b.name AS base_name, \
        s.address, s.capacity, s.seats_taken, s.status, \
        (SELECT COUNT(*) FROM training_enrolments w WHERE w.session_id = s.id AND w.status = 'waiting') AS waiting
        """

    func sessionQuery() -> SQLSelectBuilder {
        sql.select().column(SQLRaw(Self.sessionColumns)).from(SQLAlias(SQLIdentifier("training_sessions"), as: SQLIdentifier("s")))
            .join(SQLAlias(SQLIdentifier("training_courses"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                  on: SQLColumn("course_id", table: "s"), .equal, SQLColumn("id", table: "c"))
            .join(SQLAlias(SQLIdentifier("practice_bases"), as: SQLIdentifier("b")), method: SQLJoinMethod.left,
                  on: SQLColumn("practice_base_id", table: "s"), .equal, SQLColumn("id", table: "b"))
    }

    public func sessions(course id: String) async throws -> [TrainingSession] {
        try await withTrainers(try await sessionQuery().where(SQLColumn("course_id", table: "s"), .equal, SQLBind(id))
            .orderBy(SQLColumn("starts_on", table: "s")).orderBy(SQLColumn("id", table: "s")).all().map(Self.session))
    }

    /// Sessions whose course satisfies `condition`, soonest first.
    public func sessions(where condition: any SQLExpression, limit: Int = 200) async throws -> [TrainingSession] {
        try await withTrainers(try await sessionQuery().where(condition)
            .orderBy(SQLColumn("starts_on", table: "s"), SQLDirection.descending).orderBy(SQLColumn("id", table: "s")).limit(limit).all().map(Self.session))
    }

    public func session(id: String) async throws -> TrainingSession? {
        guard let row = try await sessionQuery().where(SQLColumn("id", table: "s"), .equal, SQLBind(id)).first() else { return nil }
        return try await withTrainers([try Self.session(row)]).first
    }

    func withTrainers(_ sessions: [TrainingSession]) async throws -> [TrainingSession] {
        guard !sessions.isEmpty else { return [] }
        var byID: [String: [TrainerReference]] = [:]
        for row in try await sql.select().columns(SQLColumn("session_id", table: "st"), SQLColumn("id", table: "t"), SQLColumn("name", table: "t"))
            .from(SQLAlias(SQLIdentifier("training_session_trainers"), as: SQLIdentifier("st")))
            .join(SQLAlias(SQLIdentifier("trainers"), as: SQLIdentifier("t")), method: SQLJoinMethod.inner,
                  on: SQLColumn("trainer_id", table: "st"), .equal, SQLColumn("id", table: "t"))
            .where(SQLQueryString("st.session_id IN (\(binds: sessions.map(\.id)))")).orderBy(SQLColumn("name", table: "t")).all() {
            byID[try row.decode(column: "session_id"), default: []].append(TrainerReference(id: try row.decode(column: "id"), name: try row.decode(column: "name")))
        }
        return sessions.map { var s = $0; s.trainers = byID[s.id] ?? []; return s }
    }

    static func session(_ row: any SQLRow) throws -> TrainingSession {
        TrainingSession(
            id: try row.decode(column: "id"), courseID: try row.decode(column: "course_id"), courseTitle: try row.decode(column: "course_title"),
            startsOn: try row.decode(column: "starts_on"), endsOn: try row.decode(column: "ends_on"),
            minutesPerDay: try row.decode(column: "minutes_per_day", as: Int.self),
            practiceBaseID: try row.decode(column: "practice_base_id", as: String?.self), practiceBaseName: try row.decode(column: "base_name", as: String?.self),
            address: try row.decode(column: "address", as: String?.self), capacity: try row.decode(column: "capacity", as: Int.self),
            seatsTaken: try row.decode(column: "seats_taken", as: Int.self), waiting: try row.decode(column: "waiting", as: Int.self),
            status: SessionStatus(rawValue: try row.decode(column: "status")) ?? .open, trainers: [])
    }

    /// Adds a session to a course: dates and daily hours by the domain's rules, a place (a known
    /// practice base or an address), a capacity, and trainers none of whom teaches another session
    /// on one of its days. `trainerCondition` keeps the trainers to those the caller may assign,
    /// `baseCondition` (on `pb`) the practice bases to those the caller may hold a session at: a
    /// base outside it is answered like an unknown one.
    public func createSession(course courseID: String, _ input: SessionInput, trainerCondition: any SQLExpression,
                              baseCondition: any SQLExpression = SQLRaw("1 = 1"), now: Date) async throws -> TrainingSession {
        var details: [StoreError.Detail] = []
        let start = CivilDate(censusText: input.startsOn), end = CivilDate(censusText: input.endsOn)
        let minutesPerDay = TrainingHours.minutes(input.hoursPerDay) ?? 0
        for problem in SessionSchedule.problems(startsOn: start, endsOn: end, minutesPerDay: minutesPerDay) {
            details.append(.init(field: problem.field, code: problem.code))
        }
        if !(1...10_000).contains(input.capacity) { details.append(.init(field: "capacity", code: "training.session.capacity")) }
        let baseID = input.practiceBaseID?.trimmingCharacters(in: .whitespaces).trainingBlankAsNil
        let address = input.address?.trimmingCharacters(in: .whitespacesAndNewlines).trainingBlankAsNil
        if let baseID {
            if try await sql.select().column(SQLColumn("id", table: "pb")).from(SQLAlias(SQLIdentifier("practice_bases"), as: SQLIdentifier("pb")))
                .where(SQLColumn("id", table: "pb"), .equal, SQLBind(baseID)).where(baseCondition).first() == nil {
                details.append(.init(field: "practiceBaseID", code: "training.session.base"))
            }
        } else if address == nil || address!.count > 200 {
            details.append(.init(field: "address", code: "training.session.place"))
        }
        let trainerIDs = Array(Set(input.trainerIDs ?? [])).sorted()
        if !trainerIDs.isEmpty {
            let found = try await sql.select().column(SQLColumn("id", table: "t")).from(SQLAlias(SQLIdentifier("trainers"), as: SQLIdentifier("t")))
                .where(SQLQueryString("t.id IN (\(binds: trainerIDs))")).where(trainerCondition).all().map { try $0.decode(column: "id", as: String.self) }
            if Set(found) != Set(trainerIDs) { details.append(.init(field: "trainerIDs", code: "training.session.trainer_unknown")) }
            else if let start, let end, end >= start {
                // One trainer cannot teach two sessions that share a day.
                for row in try await sql.select().columns(SQLColumn("name", table: "t"), SQLColumn("starts_on", table: "s"), SQLColumn("ends_on", table: "s"))
                    .from(SQLAlias(SQLIdentifier("training_session_trainers"), as: SQLIdentifier("st")))
                    .join(SQLAlias(SQLIdentifier("training_sessions"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                          on: SQLColumn("session_id", table: "st"), .equal, SQLColumn("id", table: "s"))
                    .join(SQLAlias(SQLIdentifier("trainers"), as: SQLIdentifier("t")), method: SQLJoinMethod.inner,
                          on: SQLColumn("trainer_id", table: "st"), .equal, SQLColumn("id", table: "t"))
                    .where(SQLQueryString("st.trainer_id IN (\(binds: trainerIDs))"))
                    .where(SQLColumn("starts_on", table: "s"), .lessThanOrEqual, SQLBind(end.description))
                    .where(SQLColumn("ends_on", table: "s"), .greaterThanOrEqual, SQLBind(start.description)).limit(1).all() {
                    details.append(.init(field: "trainerIDs", code: "training.session.trainer_busy", try row.decode(column: "name"),
                                         try row.decode(column: "starts_on"), try row.decode(column: "ends_on")))
                }
            }
        }
        guard details.isEmpty, let start, let end else { throw Self.invalid("training.session.invalid", details) }
        let id = RecordID.make(now: now), stamp = Timestamp.string(now)
        try await sql.insert(into: "training_sessions")
            .columns("id", "course_id", "starts_on", "ends_on", "minutes_per_day", "practice_base_id", "address", "capacity", "seats_taken", "status", "created_at")
            .values(SQLBind(id), SQLBind(courseID), SQLBind(start.description), SQLBind(end.description), SQLBind(minutesPerDay), SQLBind(baseID),
                    SQLBind(baseID == nil ? address : nil), SQLBind(input.capacity), SQLBind(0), SQLBind(SessionStatus.open.rawValue), SQLBind(stamp)).run()
        for trainer in trainerIDs {
            try await sql.insert(into: "training_session_trainers").columns("session_id", "trainer_id").values(SQLBind(id), SQLBind(trainer)).run()
        }
        guard let session = try await session(id: id) else { throw Self.notFound("session") }
        return session
    }

    /// The practice bases a session can be held at, inside a region condition on `practice_bases`.
    public func practiceBases(where condition: any SQLExpression) async throws -> [(id: String, name: String)] {
        try await sql.select().columns("id", "name").from(SQLAlias(SQLIdentifier("practice_bases"), as: SQLIdentifier("pb")))
            .where(condition).orderBy("name").limit(500).all()
            .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }
}

extension String {
    /// nil for an empty text (an optional form field left blank).
    var trainingBlankAsNil: String? { isEmpty ? nil : self }
}
