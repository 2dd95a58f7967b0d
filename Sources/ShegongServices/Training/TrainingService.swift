import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore

public extension AuditAction {
    static let trainingCourseCreate: AuditAction = "training.course_create"
    static let trainingSessionCreate: AuditAction = "training.session_create"
    static let trainingEnrol: AuditAction = "training.enrol"
    static let trainingWithdraw: AuditAction = "training.withdraw"
    static let trainingAttendance: AuditAction = "training.attendance"
    static let trainingComplete: AuditAction = "training.complete"
    static let trainingImport: AuditAction = "training.import"
    static let trainingTrainerCreate: AuditAction = "training.trainer_create"
    static let trainingRating: AuditAction = "training.rating"
    static let trainingMaterialCreate: AuditAction = "training.material_create"
    static let trainingMaterialDownload: AuditAction = "training.material_download"
}

/// A session with what its page shows: the course, the list (all of it for the organiser, the
/// caller's own people for others), the attendance grid, and whether the caller organises it.
public struct SessionDetail: Codable, Sendable {
    public var session: TrainingSession
    public var course: TrainingCourse
    public var enrolments: [TrainingEnrolment]
    public var attendance: [AttendanceEntry]
    public var managed: Bool
}

/// What an import did: the rows taken.
public struct TrainingImportResult: Codable, Sendable, Equatable {
    public var rows: Int
    public var enrolled: Int
    public var waiting: Int
}

/// Training for one caller (issue #13 §1, §2, §6; docs/training.md "Training"). Officials see and
/// organise the courses of their region subtree, an organisation manager its organisation's;
/// enrolment is open to the worker for themselves, the employer for its staff and the organiser;
/// attendance and completion are the organiser's. Every change is audited in its transaction.
public struct TrainingService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .organizationManager, .socialWorker)
    public static let organisers = Permission.write(.official, .organizationManager)
    public static let enrollers = Permission.write(.official, .organizationManager, .socialWorker)
    public static let libraryReaders = Permission.read(.official, .organizationManager, .socialWorker)

    var store: TrainingStore { TrainingStore(db: context.db) }
    var readable: any SQLExpression { TrainingScope.courseReadable(caller.scope) }
    var managed: any SQLExpression { TrainingScope.courseManaged(caller.scope) }

    // MARK: courses

    public func courses(tier: TrainingTier? = nil) async throws -> [TrainingCourse] {
        try await context.require(caller, Self.readers, "training_course")
        return try await store.courses(where: readable, tier: tier)
    }

    /// Whether the caller may add courses at all (the pages show the form only then).
    public var mayOrganise: Bool { Self.organisers.admits(caller.principal) }

    public func course(_ id: String) async throws -> (course: TrainingCourse, sessions: [TrainingSession], managed: Bool) {
        try await context.require(caller, Self.readers, "training_course", id)
        try await requireCourse(id, manage: false)
        guard let course = try await store.course(id: id) else { throw TrainingStore.notFound("course") }
        let managed = try await store.visibility(course: id, self.managed) == .visible
        return (course, try await store.sessions(course: id), managed)
    }

    /// Course `id` in sight (else the audited 404) and, for `manage`, organised by the caller (else the audited 403).
    func requireCourse(_ id: String, manage: Bool) async throws {
        switch try await store.visibility(course: id, readable) {
        case .missing: throw TrainingStore.notFound("course")
        case .outOfScope: throw try await hidden("training_course", id, "course")
        case .visible: break
        }
        if manage, try await store.visibility(course: id, managed) != .visible {
            throw try await context.forbidden(caller, "training_course", id, AccessDenied(code: "training.not_organiser"))
        }
    }

    public func createCourse(_ input: CourseInput) async throws -> TrainingCourse {
        try await context.require(caller, Self.organisers, "training_course")
        let organizer = try await organizer(input)
        let at = context.now(), actor = caller.username
        return try await context.audited(caller, .trainingCourseCreate, "training_course", object: { $0.id }) { tx in
            try await TrainingStore(db: tx).createCourse(input, organizer: organizer, actor: actor, now: at)
        }
    }

    /// The organiser a course may have: an organisation manager's own organisation; for an
    /// official, a region of their subtree (their own by default) or an organisation in it.
    func organizer(_ input: CourseInput) async throws -> TrainingStore.Organizer {
        switch caller.scope {
        case .organization(let id):
            let info = try await OrganizationStore(db: context.db).get(id: id)
            let region = try await info?.regionCode.asyncMap { try await context.regions.region(code: $0) } ?? nil
            return .init(region: region, organizationID: id)
        case .region(let subtree, _):
            if let org = input.organizerOrganizationID?.trimmingCharacters(in: .whitespaces), !org.isEmpty {
                let organizations = OrganizationService(context: context, caller: caller)
                let info = try await organizations.organization(org)
                let region = try await info.regionCode.asyncMap { try await context.regions.region(code: $0) } ?? nil
                return .init(region: region, organizationID: org)
            }
            let code = input.organizerRegionCode?.trimmingCharacters(in: .whitespaces).isEmpty == false ? input.organizerRegionCode! : subtree.code
            let region = try await context.region(caller, code: code, field: "organizerRegionCode")
            return .init(region: region, organizationID: nil)
        default:
            throw try await context.forbidden(caller, "training_course", nil, AccessDenied(code: "training.not_organiser"))
        }
    }

    // MARK: sessions

    public func createSession(course id: String, _ input: SessionInput) async throws -> TrainingSession {
        try await context.require(caller, Self.organisers, "training_session")
        try await requireCourse(id, manage: true)
        let at = context.now(), trainers = TrainingScope.libraryReadable(caller.scope, table: "t")
        let bases = TrainingScope.basesForSessions(caller.scope, table: "pb")
        return try await context.audited(caller, .trainingSessionCreate, "training_session", details: id, object: { $0.id }) { tx in
            try await TrainingStore(db: tx).createSession(course: id, input, trainerCondition: trainers, baseCondition: bases, now: at)
        }
    }

    /// A session's page: the course's readers see it; the list shows the organiser everyone and
    /// others only the people in their own scope.
    public func session(_ id: String) async throws -> SessionDetail {
        try await context.require(caller, Self.readers, "training_session", id)
        let session = try await requireSession(id, manage: false)
        guard let course = try await store.course(id: session.courseID) else { throw TrainingStore.notFound("course") }
        let managed = try await store.visibility(course: session.courseID, self.managed) == .visible
        let people: any SQLExpression = managed ? SQLRaw("1 = 1") : caller.scope.peopleCondition(table: "p")
        let enrolments = try await store.enrolments(session: id, people: people)
        let shown = Set(enrolments.map(\.personID))
        return SessionDetail(session: session, course: course, enrolments: enrolments,
                             attendance: try await store.attendance(session: id).filter { shown.contains($0.personID) }, managed: managed)
    }

    func requireSession(_ id: String, manage: Bool) async throws -> TrainingSession {
        guard let session = try await store.session(id: id) else { throw TrainingStore.notFound("session") }
        switch try await store.visibility(course: session.courseID, readable) {
        case .missing: throw TrainingStore.notFound("session")
        case .outOfScope: throw try await hidden("training_session", id, "session")
        case .visible: break
        }
        if manage, try await store.visibility(course: session.courseID, managed) != .visible {
            throw try await context.forbidden(caller, "training_session", id, AccessDenied(code: "training.not_organiser"))
        }
        return session
    }

    /// A training record outside the scope: audited, answered like a missing one.
    func hidden(_ objectType: String, _ id: String, _ what: String) async throws -> any Error {
        try await context.record(caller, .accessDenied, objectType, id, details: caller.origin, result: .denied)
        return TrainingStore.notFound(what)
    }

    // MARK: enrolment

    /// Enrols a person: a worker themselves, an employer its staff, the organiser anyone in its
    /// scope. Without a free seat the person goes on the waiting list only when `waitingList`.
    public func enrol(session id: String, person personID: String, waitingList: Bool) async throws -> EnrolmentStatus {
        try await context.require(caller, Self.enrollers, "training_session", id)
        try await requireEnroller(session: id, person: personID)
        let at = context.now(), actor = caller.username
        return try await context.audited(caller, .trainingEnrol, "training_session", details: personID, object: { _ in id }) { tx in
            try await TrainingStore(db: tx).enrol(session: id, person: personID, waitingList: waitingList, actor: actor, now: at)
        }
    }

    /// The same, naming the person by ID number (the page's form); an unknown number or one
    /// outside the caller's scope is a field error on `idNumber`.
    public func enrol(session id: String, idNumber: String, waitingList: Bool) async throws -> EnrolmentStatus {
        try await context.require(caller, Self.enrollers, "training_session", id)
        let person = try await person(idNumber: idNumber, field: "idNumber")
        return try await enrol(session: id, person: person, waitingList: waitingList)
    }

    func person(idNumber: String, field: String) async throws -> String {
        guard case .success(let parsed) = ResidentID.parse(idNumber, today: context.today),
              let found = try await store.person(idIndex: context.cipher.index(parsed.value), where: caller.scope.peopleCondition(table: "p"))
        else {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage("training.person.unknown.summary"),
                             details: [.init(field: field, code: "training.person.unknown")])
        }
        return found.id
    }

    /// Who may put `person` on (or take them off) session `id`'s list.
    func requireEnroller(session id: String, person personID: String) async throws {
        let session = try await requireSession(id, manage: false)
        if case .region = caller.scope, try await store.visibility(course: session.courseID, managed) != .visible {
            throw try await context.forbidden(caller, "training_session", id, AccessDenied(code: "training.not_organiser"))
        }
        switch try await context.people.visibility(id: personID, scope: caller.scope) {
        case .visible: return
        case .missing: throw StoreError.notFound(.person)
        case .outOfScope: throw try await context.outOfScope(caller, "person", personID, what: .person)
        }
    }

    public func withdraw(session id: String, person personID: String) async throws -> String? {
        try await context.require(caller, Self.enrollers, "training_session", id)
        try await requireEnroller(session: id, person: personID)
        let at = context.now()
        return try await context.audited(caller, .trainingWithdraw, "training_session", details: personID, object: { _ in id }) { tx in
            try await TrainingStore(db: tx).withdraw(session: id, person: personID, now: at)
        }
    }

    // MARK: attendance and completion

    public func recordAttendance(session id: String, _ entries: [AttendanceEntry]) async throws -> Int {
        try await context.require(caller, Self.organisers, "training_session", id)
        _ = try await requireSession(id, manage: true)
        let at = context.now(), actor = caller.username
        let fields = entries.indices.map { "entries[\($0)]" }
        return try await context.audited(caller, .trainingAttendance, "training_session", details: "\(entries.count)", object: { _ in id }) { tx in
            try await TrainingStore(db: tx).recordAttendance(session: id, entries, fields: fields, actor: actor, now: at)
        }
    }

    /// Completes the session: attendees' hours go to the ledger in the same transaction; returns
    /// how many people were credited.
    public func complete(session id: String) async throws -> Int {
        try await context.require(caller, Self.organisers, "training_session", id)
        _ = try await requireSession(id, manage: true)
        let at = context.now(), actor = caller.username
        return try await context.audited(caller, .trainingComplete, "training_session", object: { _ in id }) { tx in
            try await TrainingStore(db: tx).complete(session: id, actor: actor, now: at)
        }
    }

    // MARK: bulk import

    /// Enrols or records attendance from a spreadsheet, all or nothing: a row naming an unknown
    /// person, a bad cell, or a row the session refuses (full, not enrolled, a day outside the
    /// session) fails the whole file with every problem named by row and column.
    public func importSheet(session id: String, kind: TrainingSheet.Kind, reader: any SpreadsheetRowReader) async throws -> TrainingImportResult {
        try await context.require(caller, kind == .enrolment ? Self.enrollers : Self.organisers, "training_session", id)
        _ = try await requireSession(id, manage: true)
        var rows: [SpreadsheetRow] = []
        do {
            while let row = try reader.next() {
                rows.append(row)
                if rows.count > TrainingSheet.maxRows + 1 { break }
            }
        } catch let error as SpreadsheetError {
            throw StoreError(.invalid, code: error.code, text: error.text,
                             details: [.init(field: error.row.map { "row[\($0)]" }, code: error.code, text: error.text)])
        }
        let parsed = TrainingSheet.parse(rows, kind: kind, today: context.today)
        var details = parsed.issues.map(Self.detail)
        var people: [String] = []
        for row in parsed.rows {
            let found = try await store.person(idIndex: context.cipher.index(row.residentID.value), where: caller.scope.peopleCondition(table: "p"))
            if let found {
                if let name = row.name, name != found.name {
                    details.append(Self.detail(.init(row: row.number, column: TrainingSheet.name, code: "training.import.name_mismatch", value: name)))
                }
                people.append(found.id)
            } else {
                details.append(Self.detail(.init(row: row.number, column: TrainingSheet.idNumber, code: "training.import.unknown_person")))
                people.append("")
            }
        }
        guard details.isEmpty else { throw Self.importError(details) }
        let at = context.now(), actor = caller.username, sheet = parsed.rows, resolved = people
        return try await context.audited(caller, .trainingImport, "training_session", details: "\(kind == .enrolment ? "enrolment" : "attendance") \(sheet.count)",
                                         object: { _ in id }) { tx in
            let store = TrainingStore(db: tx)
            switch kind {
            case .enrolment:
                var result = TrainingImportResult(rows: sheet.count, enrolled: 0, waiting: 0)
                for (row, person) in zip(sheet, resolved) {
                    do {
                        let status = try await store.enrol(session: id, person: person, waitingList: false, actor: actor, now: at)
                        if status == .enrolled { result.enrolled += 1 } else { result.waiting += 1 }
                    } catch let error as StoreError {
                        let inner = error.details.first?.text ?? error.text
                        throw Self.importError([.init(field: "row[\(row.number)].\(TrainingSheet.idNumber)", code: error.details.first?.code ?? error.code,
                                                      text: CatalogueMessage("training.import.row", String(row.number), CatalogueMessage.message(inner)))])
                    }
                }
                return result
            case .attendance:
                let entries = zip(sheet, resolved).map { AttendanceEntry(personID: $1, day: $0.day!.description, minutes: $0.minutes!) }
                do {
                    _ = try await store.recordAttendance(session: id, entries, fields: sheet.map { "row[\($0.number)]" }, actor: actor, now: at)
                } catch let error as StoreError {
                    throw Self.importError(error.details.map { detail in
                        let row = detail.field.flatMap { $0.split(separator: "]").first?.split(separator: "[").last }.map(String.init) ?? "?"
                        return .init(field: detail.field, code: detail.code,
                                     text: CatalogueMessage("training.import.row", row, CatalogueMessage.message(detail.text)))
                    })
                }
                return TrainingImportResult(rows: sheet.count, enrolled: 0, waiting: 0)
            }
        }
    }

    static func detail(_ issue: TrainingSheet.Issue) -> StoreError.Detail {
        let inner = CatalogueMessage(issue.code, issue.column, issue.value)
        guard let row = issue.row else { return .init(field: issue.column, code: issue.code, text: inner) }
        return .init(field: "row[\(row)].\(issue.column)", code: issue.code,
                     text: CatalogueMessage("training.import.row", String(row), CatalogueMessage.message(inner)))
    }

    static func importError(_ details: [StoreError.Detail]) -> StoreError {
        StoreError(.invalid, code: "validation", text: CatalogueMessage("training.import.invalid", String(details.count)), details: details)
    }

    // MARK: the person's hours

    /// The continuing-education hours on a person's ledger, for whoever may read the person.
    public func creditedMinutes(person id: String) async throws -> Int {
        switch try await context.people.visibility(id: id, scope: caller.scope) {
        case .visible: return try await store.creditedMinutes(person: id)
        case .missing: throw StoreError.notFound(.person)
        case .outOfScope: throw try await context.outOfScope(caller, "person", id, what: .person)
        }
    }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
