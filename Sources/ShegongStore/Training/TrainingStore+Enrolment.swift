import FluentKit
import Foundation
import SQLKit
import ShegongDomain

public enum EnrolmentStatus: String, Codable, Sendable, CaseIterable, CatalogueNamed {
    case enrolled, waiting, withdrawn
    public var catalogueKey: String { "training.enrolment.status.\(rawValue)" }
}

/// One person on a session's list, with the minutes recorded for them.
public struct TrainingEnrolment: Codable, Sendable, Equatable {
    public var id: String
    public var personID: String
    public var personName: String
    /// Masked: 620***********1234.
    public var idNumber: String
    public var status: EnrolmentStatus
    public var queuedAt: String
    public var attendedMinutes: Int
}

/// Minutes on one day of a session for one person.
public struct AttendanceEntry: Codable, Sendable, Equatable {
    public var personID: String
    public var day: String
    public var minutes: Int

    public init(personID: String, day: String, minutes: Int) {
        self.personID = personID
        self.day = day
        self.minutes = minutes
    }
}

extension TrainingStore {
    // MARK: enrolment

    /// Enrols a person into an open session in the transaction `self` runs on. A seat is taken by a
    /// conditional UPDATE of the seats-taken counter, so of two transactions racing for the last
    /// seat exactly one passes (PostgreSQL re-checks the row's condition after the other commits;
    /// SQLite has one writer). Without a seat: the waiting list when `waitingList`, otherwise the
    /// error naming the session as full.
    public func enrol(session id: String, person personID: String, waitingList: Bool, actor: String, now: Date) async throws -> EnrolmentStatus {
        guard let session = try await session(id: id) else { throw Self.notFound("session") }
        guard session.status == .open else {
            throw Self.invalid("training.session.closed", [.init(field: "session", code: "training.session.closed")])
        }
        if let row = try await sql.select().column("status").from("training_enrolments")
            .where("session_id", .equal, id).where("person_id", .equal, personID).first() {
            let status = EnrolmentStatus(rawValue: try row.decode(column: "status")) ?? .withdrawn
            if status != .withdrawn {
                throw StoreError(.conflict, code: "training.enrolment.exists", details: [.init(field: "personID", code: "training.enrolment.exists")])
            }
            try await sql.delete(from: "training_enrolments").where("session_id", .equal, id).where("person_id", .equal, personID).run()
        }
        let seat = try await sql.update("training_sessions")
            .set(SQLIdentifier("seats_taken"), to: SQLRaw("seats_taken + 1"))
            .where("id", .equal, id).where(SQLRaw("seats_taken < capacity")).where("status", .equal, SessionStatus.open.rawValue)
            .returning("seats_taken").all()
        let status: EnrolmentStatus
        if !seat.isEmpty { status = .enrolled }
        else if waitingList { status = .waiting }
        else {
            throw Self.invalid("training.enrolment.full.summary",
                               [.init(field: "waitingList", code: "training.enrolment.full", "\(session.capacity)")])
        }
        let stamp = Timestamp.string(now)
        try await sql.insert(into: "training_enrolments")
            .columns("id", "session_id", "person_id", "status", "queued_at", "enrolled_by", "created_at", "updated_at")
            .values(SQLBind(RecordID.make(now: now)), SQLBind(id), SQLBind(personID), SQLBind(status.rawValue), SQLBind(stamp),
                    SQLBind(actor), SQLBind(stamp), SQLBind(stamp)).run()
        return status
    }

    /// Withdraws a person. A seat they leave goes to the first on the waiting list (first come),
    /// or back to the session. Someone with attendance recorded cannot withdraw (their hours
    /// would be lost). Returns the person moved up, if any.
    public func withdraw(session id: String, person personID: String, now: Date) async throws -> String? {
        // Lock the session's row first, so two withdrawals do not both hand out the same seat.
        let locked = try await sql.update("training_sessions").set(SQLIdentifier("seats_taken"), to: SQLRaw("seats_taken"))
            .where("id", .equal, id).returning("status").all()
        guard let sessionRow = locked.first else { throw Self.notFound("session") }
        guard try sessionRow.decode(column: "status", as: String.self) == SessionStatus.open.rawValue else {
            throw Self.invalid("training.session.closed", [.init(field: "session", code: "training.session.closed")])
        }
        guard let row = try await sql.select().column("status").from("training_enrolments")
            .where("session_id", .equal, id).where("person_id", .equal, personID).first(),
              let status = EnrolmentStatus(rawValue: try row.decode(column: "status")), status != .withdrawn
        else { throw Self.notFound("enrolment") }
        if try await sql.select().column("day").from("training_attendance").where("session_id", .equal, id)
            .where("person_id", .equal, personID).limit(1).first() != nil {
            throw Self.invalid("training.enrolment.attended", [.init(field: "personID", code: "training.enrolment.attended")])
        }
        let stamp = Timestamp.string(now)
        try await sql.update("training_enrolments").set("status", to: EnrolmentStatus.withdrawn.rawValue).set("updated_at", to: stamp)
            .where("session_id", .equal, id).where("person_id", .equal, personID).run()
        guard status == .enrolled else { return nil }
        if let next = try await sql.select().columns("id", "person_id").from("training_enrolments")
            .where("session_id", .equal, id).where("status", .equal, EnrolmentStatus.waiting.rawValue)
            .orderBy("queued_at").orderBy("id").limit(1).first() {
            try await sql.update("training_enrolments").set("status", to: EnrolmentStatus.enrolled.rawValue).set("updated_at", to: stamp)
                .where("id", .equal, try next.decode(column: "id", as: String.self)).run()
            return try next.decode(column: "person_id", as: String.self)
        }
        try await sql.update("training_sessions").set(SQLIdentifier("seats_taken"), to: SQLRaw("seats_taken - 1")).where("id", .equal, id).run()
        return nil
    }

    /// A session's list (enrolled, then the waiting list in its order, then withdrawn), inside
    /// `people` (a condition on `people p`: the whole list for the organiser, their own for others).
    public func enrolments(session id: String, people condition: any SQLExpression) async throws -> [TrainingEnrolment] {
        try await sql.select()
            .column(SQLRaw("""
                e.id, e.person_id, p.name, p.id_masked, e.status, e.queued_at, \
                (SELECT CAST(COALESCE(SUM(a.minutes), 0) AS BIGINT) FROM training_attendance a WHERE a.session_id = e.session_id AND a.person_id = e.person_id) AS minutes
                """))
            .from(SQLAlias(SQLIdentifier("training_enrolments"), as: SQLIdentifier("e")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("person_id", table: "e"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("session_id", table: "e"), .equal, SQLBind(id)).where(condition)
            .orderBy(SQLRaw("CASE e.status WHEN 'enrolled' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END"))
            .orderBy(SQLColumn("queued_at", table: "e")).orderBy(SQLColumn("id", table: "e")).limit(5000).all()
            .map { row in
                TrainingEnrolment(id: try row.decode(column: "id"), personID: try row.decode(column: "person_id"), personName: try row.decode(column: "name"),
                                  idNumber: try row.decode(column: "id_masked"),
                                  status: EnrolmentStatus(rawValue: try row.decode(column: "status")) ?? .withdrawn,
                                  queuedAt: try row.decode(column: "queued_at"), attendedMinutes: try row.decode(column: "minutes", as: Int.self))
            }
    }

    // MARK: attendance

    /// Records attendance (replacing what a day held for a person), all or nothing: every entry
    /// on a day of the session, within the day's hours, for someone enrolled; `fields` names each
    /// entry in errors (`entries[0]`, or a spreadsheet's `第 3 行`).
    public func recordAttendance(session id: String, _ entries: [AttendanceEntry], fields: [String], actor: String, now: Date) async throws -> Int {
        guard let session = try await session(id: id), let schedule = session.schedule else { throw Self.notFound("session") }
        guard session.status == .open else {
            throw Self.invalid("training.session.closed", [.init(field: "session", code: "training.session.closed")])
        }
        let enrolled = Set(try await sql.select().column("person_id").from("training_enrolments").where("session_id", .equal, id)
            .where("status", .equal, EnrolmentStatus.enrolled.rawValue).all().map { try $0.decode(column: "person_id", as: String.self) })
        var details: [StoreError.Detail] = []
        var seen: Set<String> = []
        for (entry, field) in zip(entries, fields) {
            guard let day = CivilDate(censusText: entry.day) else {
                details.append(.init(field: "\(field).day", code: "training.attendance.day", entry.day))
                continue
            }
            if !enrolled.contains(entry.personID) {
                details.append(.init(field: "\(field).personID", code: "training.attendance.not_enrolled"))
            } else if let problem = schedule.attendanceProblem(day: day, minutes: entry.minutes) {
                details.append(.init(field: problem == "training.attendance.day_outside" ? "\(field).day" : "\(field).hours", code: problem,
                                     day.description, session.startsOn, session.endsOn, TrainingHours.text(schedule.minutesPerDay)))
            } else if !seen.insert("\(entry.personID) \(day)").inserted {
                details.append(.init(field: "\(field).day", code: "training.attendance.duplicate", day.description))
            }
        }
        if entries.isEmpty { details.append(.init(field: "entries", code: "training.attendance.empty")) }
        guard details.isEmpty else { throw Self.invalid("training.attendance.invalid", details) }
        let stamp = Timestamp.string(now)
        for entry in entries {
            let day = CivilDate(censusText: entry.day)!.description
            try await sql.delete(from: "training_attendance").where("session_id", .equal, id).where("person_id", .equal, entry.personID)
                .where("day", .equal, day).run()
            try await sql.insert(into: "training_attendance").columns("session_id", "person_id", "day", "minutes", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(entry.personID), SQLBind(day), SQLBind(entry.minutes), SQLBind(actor), SQLBind(stamp)).run()
        }
        return entries.count
    }

    /// The attendance grid of a session: minutes by person and day.
    public func attendance(session id: String) async throws -> [AttendanceEntry] {
        try await sql.select().columns("person_id", "day", "minutes").from("training_attendance").where("session_id", .equal, id)
            .orderBy("person_id").orderBy("day").all()
            .map { AttendanceEntry(personID: try $0.decode(column: "person_id"), day: try $0.decode(column: "day"), minutes: try $0.decode(column: "minutes", as: Int.self)) }
    }

    // MARK: completion

    /// Completes an open session: each enrolled attendee's minutes become one `education_credits`
    /// row (source `session`, the session's id, credited on its last day), in the transaction
    /// `self` runs on. A session completes once: the status changes only from open, and the
    /// ledger's unique key refuses a second credit for the same session and person.
    public func complete(session id: String, actor: String, now: Date) async throws -> Int {
        guard let session = try await session(id: id) else { throw Self.notFound("session") }
        let stamp = Timestamp.string(now)
        let changed = try await sql.update("training_sessions").set("status", to: SessionStatus.completed.rawValue).set("completed_at", to: stamp)
            .where("id", .equal, id).where("status", .equal, SessionStatus.open.rawValue).returning("id").all()
        guard !changed.isEmpty else {
            throw StoreError(.conflict, code: "training.session.completed_already", details: [.init(field: "session", code: "training.session.completed_already")])
        }
        let rows = try await sql.select().column(SQLColumn("person_id", table: "a")).column(SQLAlias(SQLRaw("CAST(SUM(a.minutes) AS BIGINT)"), as: SQLIdentifier("minutes")))
            .from(SQLAlias(SQLIdentifier("training_attendance"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("training_enrolments"), as: SQLIdentifier("e")), method: SQLJoinMethod.inner,
                  on: SQLQueryString("e.session_id = a.session_id AND e.person_id = a.person_id AND e.status = 'enrolled'"))
            .where(SQLColumn("session_id", table: "a"), .equal, SQLBind(id)).groupBy(SQLColumn("person_id", table: "a"))
            .orderBy(SQLColumn("person_id", table: "a")).all()
        for row in rows {
            let minutes = try row.decode(column: "minutes", as: Int.self)
            guard minutes > 0 else { continue }
            try await sql.insert(into: "education_credits")
                .columns("id", "person_id", "source", "reference_id", "minutes", "credited_on", "description", "created_by", "created_at")
                .values(SQLBind(RecordID.make(now: now)), SQLBind(try row.decode(column: "person_id", as: String.self)), SQLBind("session"),
                        SQLBind(id), SQLBind(minutes), SQLBind(session.endsOn), SQLBind(session.courseTitle), SQLBind(actor), SQLBind(stamp)).run()
        }
        return rows.count
    }

    /// The continuing-education minutes on a person's ledger, from every source.
    public func creditedMinutes(person id: String) async throws -> Int {
        try await sql.select().column(SQLAlias(SQLRaw("CAST(COALESCE(SUM(minutes), 0) AS BIGINT)"), as: SQLIdentifier("n"))).from("education_credits")
            .where("person_id", .equal, id).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The person whose ID number's index is `index`, inside `condition` on `people p`.
    public func person(idIndex index: String, where condition: any SQLExpression) async throws -> (id: String, name: String)? {
        try await sql.select().columns(SQLColumn("id", table: "p"), SQLColumn("name", table: "p"))
            .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")))
            .where(SQLColumn("id_index", table: "p"), .equal, SQLBind(index)).where(condition).first()
            .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) }
    }
}
