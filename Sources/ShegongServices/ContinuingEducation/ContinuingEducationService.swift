import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    static let educationRecognise: AuditAction = "education.recognise"
    static let educationEvidenceDownload: AuditAction = "education.evidence_download"
    static let degreeStudyCreate: AuditAction = "degree_study.create"
    static let degreeStudyComplete: AuditAction = "degree_study.complete"
    static let registrationFirst: AuditAction = "registration.first"
    static let registrationRenew: AuditAction = "registration.renew"
    static let registrationExport: AuditAction = "registration.export"
}

/// The kinds of record this area names in its errors (`record.<raw value>` keys of its catalogue).
public enum ContinuingEducationRecord: String, Sendable, CaseIterable, CatalogueNamed {
    case degreeStudy = "degree_study"
    case educationEvidence = "education_evidence"
    public var catalogueKey: String { "record.\(rawValue)" }

    public var notFound: StoreError {
        StoreError(.notFound, code: "not_found", text: CatalogueMessage("not_found.record", CatalogueMessage.name(self)))
    }
}

/// A worker's continuing-education ledger, degree study, recognised learning and registrations
/// (issue #13 §3–§5, docs/training.md "Registration and renewal") for one caller. A person's
/// ledger is in sight when the person is (the registry's scope); the lists carry the caller's scope
/// as SQL conditions; every change is audited in its own transaction.
public struct ContinuingEducationService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    /// Officials (read-write) record recognised learning and registrations.
    public static let office = Permission.write(.official)
    /// Officials and employers enrol and complete degree study, inside their scope.
    public static let degreeWriters = PersonService.writers
    /// The registration lists: officials of a region, employers of their staff.
    public static let listReaders = Permission.read(.official, .organizationManager)

    var people: PersonService { PersonService(context: context, caller: caller) }
    var store: ContinuingEducationStore { ContinuingEducationStore(db: context.db, cipher: context.cipher) }

    // MARK: Ledger

    /// A person's ledger: every credit, and each registration period decided on today.
    public struct Ledger: Codable, Sendable {
        public var person: PersonSummary
        public var decision: RegistrationDecision
        public var certificates: [CertificateInfo]
        public var registrations: [RegistrationRecord]
        public var credits: [EducationCredit]
        public var degrees: [DegreeStudy]
        public var recognitions: [Recognition]
    }

    public func ledger(personID: String) async throws -> Ledger {
        try await context.require(caller, PersonService.readers, "person", personID)
        let person = try await people.person(personID).person
        let facts = try await store.facts(personID: personID)
        let decision = RegistrationRules.decide(levels: facts.levels, periods: facts.periods, credits: facts.credits, today: context.today)
        return Ledger(person: person, decision: decision, certificates: facts.certificates, registrations: facts.registrations,
                      credits: facts.credits, degrees: facts.degrees, recognitions: facts.recognitions)
    }

    /// The caller's own ledger, for a worker's reminder: nil for anyone who is not a worker with a record.
    public func ownLedger() async throws -> Ledger? {
        guard case .person(let id) = caller.scope else { return nil }
        return try await ledger(personID: id)
    }

    // MARK: Recognised learning

    public struct RecognitionInput: Codable, Sendable {
        public var title: String
        public var hours: String
        public var learnedOn: String
        public init(title: String, hours: String, learnedOn: String) {
            self.title = title
            self.hours = hours
            self.learnedOn = learnedOn
        }
    }

    /// Records learning an office recognised, with its evidence files (type and size checked by
    /// content, `EvidenceRules`), and its credit: all or nothing, audited.
    public func recognise(personID: String, _ input: RecognitionInput, files: [EvidenceUpload]) async throws -> Recognition {
        try await context.require(caller, Self.office, "person", personID)
        var details: [StoreError.Detail] = []
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...200).contains(title.count) { details.append(.init(field: "title", code: "ledger.title.invalid")) }
        let minutes = Self.minutes(input.hours)
        if minutes == nil { details.append(.init(field: "hours", code: "ledger.hours.invalid", input.hours)) }
        let date = CivilDate(censusText: input.learnedOn.trimmingCharacters(in: .whitespaces))
        if date == nil { details.append(.init(field: "learnedOn", code: "ledger.date.invalid")) }
        if let date, date > context.today { details.append(.init(field: "learnedOn", code: "ledger.date.future")) }
        if files.isEmpty { details.append(.init(field: "evidence", code: "ledger.evidence.required")) }
        if files.count > EvidenceRules.maxFiles {
            details.append(.init(field: "evidence", code: "report.evidence.count", "\(EvidenceRules.maxFiles)", "\(files.count)"))
        }
        var checked: [(upload: EvidenceUpload, kind: EvidenceRules.Kind)] = []
        for (i, file) in files.enumerated() {
            switch EvidenceRules.check(fileName: file.fileName, content: file.content) {
            case .accepted(let kind): checked.append((file, kind))
            case .refused(let problem): details.append(.init(field: "evidence[\(i)]", code: problem.code, text: .bilingual(problem)))
            }
        }
        guard details.isEmpty, let minutes, let date else { throw Self.invalid(details) }
        try await people.requireVisible(personID)
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        let stored = checked
        return try await context.audited(caller, .educationRecognise, "person", object: { $0.personID }) { tx in
            try await ContinuingEducationStore(db: tx, cipher: cipher).addRecognition(
                personID: personID, title: title, minutes: minutes, learnedOn: date, files: stored, actor: actor, now: at)
        }
    }

    /// Hours as typed (`12`, `1.5`) in whole minutes; nil unless 0 < hours ≤ 200.
    static func minutes(_ text: String) -> Int? {
        guard let hours = Double(text.trimmingCharacters(in: .whitespaces)), hours.isFinite, hours > 0, hours <= 200 else { return nil }
        return Int((hours * 60).rounded())
    }

    /// An evidence file of recognised learning, for whoever may see the person; the download is audited.
    public func evidence(id: String) async throws -> (file: EvidenceFile, content: Data) {
        try await context.require(caller, PersonService.readers, "education_evidence", id)
        guard let found = try await store.evidence(id: id) else { throw ContinuingEducationRecord.educationEvidence.notFound }
        switch try await context.people.visibility(id: found.personID, scope: caller.scope) {
        case .visible: break
        case .missing: throw ContinuingEducationRecord.educationEvidence.notFound
        case .outOfScope:
            try await context.record(caller, .accessDenied, "education_evidence", id, details: caller.origin, result: .denied)
            throw ContinuingEducationRecord.educationEvidence.notFound
        }
        try await context.record(caller, .educationEvidenceDownload, "education_evidence", id)
        return (found.file, found.content)
    }

    // MARK: Degree study

    public struct NewDegreeStudy: Codable, Sendable {
        public var personID: String
        public var institution: String
        public var level: String
        public var mode: String
        public var startDate: String
        public var expectedCompletion: String
        public init(personID: String, institution: String, level: String, mode: String, startDate: String, expectedCompletion: String) {
            self.personID = personID
            self.institution = institution
            self.level = level
            self.mode = mode
            self.startDate = startDate
            self.expectedCompletion = expectedCompletion
        }
    }

    public func degrees(regionCode: String?, completed: Bool?, page: Int, perPage: Int) async throws -> ShegongStore.Page<DegreeStudy> {
        try await context.require(caller, PersonService.readers, "degree_study")
        let region = try await context.regionFilter(caller, code: regionCode)
        return try await store.degrees(scope: caller.scope, region: region, completed: completed, page: page, perPage: perPage)
    }

    public func degree(id: String) async throws -> DegreeStudy {
        try await context.require(caller, PersonService.readers, "degree_study", id)
        guard let study = try await store.degree(id: id) else { throw ContinuingEducationRecord.degreeStudy.notFound }
        switch try await context.people.visibility(id: study.personID, scope: caller.scope) {
        case .visible: return study
        case .missing: throw ContinuingEducationRecord.degreeStudy.notFound
        case .outOfScope:
            try await context.record(caller, .accessDenied, "degree_study", id, details: caller.origin, result: .denied)
            throw ContinuingEducationRecord.degreeStudy.notFound
        }
    }

    public func enrol(_ input: NewDegreeStudy) async throws -> DegreeStudy {
        try await context.require(caller, Self.degreeWriters, "degree_study")
        var details: [StoreError.Detail] = []
        let institution = input.institution.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(institution.count) { details.append(.init(field: "institution", code: "degree.institution.invalid")) }
        let level = DegreeLevel(rawValue: input.level)
        if level == nil { details.append(.init(field: "level", code: "degree.level.invalid")) }
        let mode = StudyMode(rawValue: input.mode)
        if mode == nil { details.append(.init(field: "mode", code: "degree.mode.invalid")) }
        let start = CivilDate(censusText: input.startDate.trimmingCharacters(in: .whitespaces))
        if start == nil { details.append(.init(field: "startDate", code: "degree.date.invalid")) }
        let expected = CivilDate(censusText: input.expectedCompletion.trimmingCharacters(in: .whitespaces))
        if expected == nil { details.append(.init(field: "expectedCompletion", code: "degree.date.invalid")) }
        if let start, let expected, expected <= start {
            details.append(.init(field: "expectedCompletion", code: "degree.expected.before_start", start.description))
        }
        guard details.isEmpty, let level, let mode, let start, let expected else { throw Self.invalid(details) }
        try await people.requireVisible(input.personID)
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        let id = try await context.audited(caller, .degreeStudyCreate, "degree_study", object: { $0 }) { tx in
            try await ContinuingEducationStore(db: tx, cipher: cipher).addDegree(
                personID: input.personID, institution: institution, level: level, mode: mode, start: start, expected: expected, actor: actor, now: at)
        }
        return try await degree(id: id)
    }

    /// Completes a degree study: never before it started (the field named); the person's education
    /// and social-work degree are updated with history and the one 90-hour credit is written, all
    /// in one transaction. Completing again on the same date changes nothing and writes no audit entry.
    public func complete(id: String, on text: String, source: String) async throws -> DegreeStudy {
        try await context.require(caller, Self.degreeWriters, "degree_study", id)
        let study = try await degree(id: id)
        guard let date = CivilDate(censusText: text.trimmingCharacters(in: .whitespaces)) else {
            throw Self.invalid([.init(field: "completedOn", code: "degree.date.invalid")])
        }
        if let start = CivilDate(iso: study.startDate), date < start {
            throw Self.invalid([.init(field: "completedOn", code: "degree.completed.before_start", start.description)])
        }
        if date > context.today { throw Self.invalid([.init(field: "completedOn", code: "degree.completed.future")]) }
        if study.completedOn == date.description { return study }
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        _ = try await context.audited(caller, .degreeStudyComplete, "degree_study", details: "completed_on=\(date)", object: { _ in id }) { tx in
            try await ContinuingEducationStore(db: tx, cipher: cipher).completeDegree(study, on: date, actor: actor, source: source, now: at)
        }
        return try await degree(id: id)
    }

    // MARK: Registrations

    /// Records a person's first registration on `on` (default today): the period starts that day,
    /// on the person's highest certificate. Refused when the person already has one.
    public func registerFirst(personID: String, on text: String?) async throws -> RegistrationInfo {
        try await context.require(caller, Self.office, "person", personID)
        try await people.requireVisible(personID)
        let facts = try await store.facts(personID: personID)
        let date: CivilDate
        if let text, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let parsed = CivilDate(censusText: text.trimmingCharacters(in: .whitespaces)) else {
                throw Self.registrationInvalid([.init(field: "registeredOn", code: "registration.date.invalid")])
            }
            date = parsed
        } else {
            date = context.today
        }
        if date > context.today { throw Self.registrationInvalid([.init(field: "registeredOn", code: "registration.date.future")]) }
        guard let certificate = Self.highest(facts.certificates, on: date) else {
            throw Self.registrationInvalid([.init(field: "certificate", code: "registration.no_certificate")])
        }
        if !facts.registrations.isEmpty {
            throw Self.registrationInvalid([.init(field: "registeredOn", code: "registration.first.exists")])
        }
        let (cipher, actor, at) = (context.cipher, caller.username, context.now())
        return try await context.audited(caller, .registrationFirst, "certificate", details: "person=\(personID)", object: { _ in certificate.id }) { tx in
            try await ContinuingEducationStore(db: tx, cipher: cipher).addRegistration(
                certificateID: certificate.id, period: RegistrationPeriod(start: date), kind: "first", registeredOn: date, actor: actor, now: at)
        }
    }

    /// Renews a person's registration: the latest period must be in its window (or have ended)
    /// and its hours met, otherwise refused with every failed rule; the new period follows the
    /// latest one without a gap, on the highest certificate held.
    public func renew(personID: String) async throws -> RegistrationInfo {
        try await context.require(caller, Self.office, "person", personID)
        try await people.requireVisible(personID)
        let facts = try await store.facts(personID: personID)
        let decision = RegistrationRules.decide(levels: facts.levels, periods: facts.periods, credits: facts.credits, today: context.today)
        guard let latest = decision.latest else {
            throw Self.registrationInvalid([.init(field: "registration", code: "registration.renewal.no_period")])
        }
        guard latest.renewable else {
            throw StoreError(.invalid, code: "registration.renewal.refused", text: CatalogueMessage("registration.renewal.refused"),
                             details: latest.failedChecks.map { .init(field: $0.rule.rawValue, code: $0.key, text: $0.message) })
        }
        guard let certificate = Self.highest(facts.certificates, on: context.today) else {
            throw Self.registrationInvalid([.init(field: "certificate", code: "registration.no_certificate")])
        }
        let (cipher, actor, at, today) = (context.cipher, caller.username, context.now(), context.today)
        let period = RegistrationPeriod(start: latest.period.nextStart)
        return try await context.audited(caller, .registrationRenew, "certificate", details: "person=\(personID)", object: { _ in certificate.id }) { tx in
            try await ContinuingEducationStore(db: tx, cipher: cipher).addRegistration(
                certificateID: certificate.id, period: period, kind: "renewal", registeredOn: today, actor: actor, now: at)
        }
    }

    static func highest(_ certificates: [CertificateInfo], on date: CivilDate) -> CertificateInfo? {
        certificates.filter { c in CivilDate(iso: c.issueDate).map { $0 <= date } ?? false }
            .max { (CertificateLevel(rawValue: $0.level)?.rank ?? 0, $0.issueDate) < (CertificateLevel(rawValue: $1.level)?.rank ?? 0, $1.issueDate) }
    }

    /// A registration list (due, window, overdue, short) inside the caller's scope, optionally one
    /// region (inside the scope) and one employer, paged in SQL.
    public func list(_ kind: RegistrationListKind, regionCode: String?, organizationID: String?, page: Int, perPage: Int) async throws
        -> ShegongStore.Page<RegistrationListItem> {
        try await context.require(caller, Self.listReaders, "registration")
        let filter = try await listFilter(kind, regionCode: regionCode, organizationID: organizationID, page: page, perPage: perPage)
        return try await store.list(filter)
    }

    func listFilter(_ kind: RegistrationListKind, regionCode: String?, organizationID: String?, page: Int, perPage: Int) async throws -> RegistrationListFilter {
        let region = try await context.regionFilter(caller, code: regionCode)
        let org = organizationID?.trimmingCharacters(in: .whitespaces)
        return RegistrationListFilter(kind: kind, scope: caller.scope, region: region, organizationID: org?.isEmpty == false ? org : nil,
                                      today: context.today, page: page, perPage: perPage)
    }

    /// The whole list as a table in `language` (names, not codes), recorded as an export.
    public func export(_ kind: RegistrationListKind, regionCode: String?, organizationID: String?, language: Language,
                       format: SpreadsheetFormat) async throws -> ReportTable {
        try await context.require(caller, Self.listReaders, "registration")
        let filter = try await listFilter(kind, regionCode: regionCode, organizationID: organizationID, page: 1, perPage: 1)
        let items = try await store.all(filter)
        let names = try await context.regions.regions(codes: Array(Set(items.map(\.regionCode)))).mapValues(\.name)
        let table = Self.table(kind, items, regionNames: names, language: language)
        try await context.record(caller, .registrationExport, "registration", regionCode,
                                 details: "list=\(kind.rawValue) format=\(format.rawValue) people=\(items.count)")
        return table
    }

    public static func table(_ kind: RegistrationListKind, _ items: [RegistrationListItem], regionNames: [String: String], language: Language) -> ReportTable {
        func t(_ key: String, _ args: String...) -> String { Catalogue.text(key, language, arguments: args) }
        let columns = ["field.name", "registration.column.region", "field.employerName", "field.certificateLevel", "registration.column.status",
                       "registration.column.period", "registration.column.deadline", "registration.column.done", "registration.column.required"].map { t($0) }
        let rows: [[SpreadsheetCell]] = items.map { item in
            let status = RegistrationDecision.Status(rawValue: item.status).map { t($0.catalogueKey) } ?? item.status
            let level = item.certificateLevel.flatMap(CertificateLevel.init(rawValue:)).map { t($0.catalogueKey) } ?? ""
            let period = item.periodStart.map { "\($0) – \(item.periodEnd ?? "")" } ?? ""
            return [.text(item.name), .text(regionNames[item.regionCode] ?? item.regionCode), .text(item.organizationName ?? ""), .text(level),
                    .text(status), .text(period), .text(item.deadline), .text(RegistrationRules.hoursText(item.doneMinutes)),
                    .text(RegistrationRules.hoursText(item.requiredMinutes))]
        }
        return ReportTable(title: t("registration.list.\(kind.rawValue)"), columns: columns, rows: rows)
    }

    static func invalid(_ details: [StoreError.Detail]) -> StoreError {
        StoreError(.invalid, code: "validation", text: CatalogueMessage("ledger.invalid"), details: details)
    }

    static func registrationInvalid(_ details: [StoreError.Detail]) -> StoreError {
        StoreError(.invalid, code: "validation", text: CatalogueMessage("registration.invalid"), details: details)
    }
}

extension RegistrationListItem {
    /// The day that matters for the list: the latest period's end, or the first registration's deadline.
    public var deadline: String {
        if let periodEnd { return periodEnd }
        return CivilDate(iso: firstIssue).map { RegistrationRules.firstRegistrationDeadline(issue: $0).description } ?? firstIssue
    }
}
