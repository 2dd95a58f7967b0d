import Crypto
import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Every SQL statement of the fusion pilots (docs/pilots.md): the pilots a scope sees, their
/// social workers, volunteers, teams, activities with hours, and practice cases with their steps
/// and evidence. Writes run on the transaction they are given and check everything before the
/// first insert, so a refused write leaves nothing behind.
public struct PilotStore: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher

    public init(db: any Database, cipher: PersonalDataCipher) {
        self.db = db
        self.cipher = cipher
    }

    var sql: any SQLDatabase { db.sql }

    /// The pilots a scope sees, as a condition on `pilot_communities`: an official's subtree, an
    /// organisation manager's pilots led by the organisation; nobody else's.
    public static func condition(_ scope: Scope) -> any SQLExpression {
        switch scope {
        case .region(let subtree, _): return subtree.condition(table: "pilot_communities")
        case .organization(let id): return SQLBinaryExpression(SQLColumn("lead_organization_id", table: "pilot_communities"), .equal, SQLBind(id))
        case .noBusinessData, .department, .person: return SQLRaw("1 = 0")
        }
    }

    static func invalid(_ summary: String, _ details: [StoreError.Detail]) -> StoreError {
        StoreError(.invalid, code: "validation", text: CatalogueMessage(summary), details: details)
    }

    static func detail(_ error: PilotRuleError) -> StoreError.Detail { .init(field: error.field, code: error.code) }

    // MARK: Reads

    public func pilots(where condition: any SQLExpression) async throws -> [PilotSummary] {
        try await sql.raw("""
            SELECT pilot_communities.id, pilot_communities.name, pilot_communities.region_code, pilot_communities.tier,
                   pilot_communities.period_start, pilot_communities.period_end, pilot_communities.lead_organization_id,
                   o.name AS lead_name, pilot_communities.good_practice_cases, pilot_communities.legacy_good_practice_cases,
                   (SELECT COUNT(*) FROM pilot_volunteers v WHERE v.pilot_id = pilot_communities.id) AS volunteers,
                   (SELECT COUNT(*) FROM pilot_cases c WHERE c.pilot_id = pilot_communities.id) AS cases
            FROM pilot_communities LEFT JOIN organizations o ON o.id = pilot_communities.lead_organization_id
            WHERE \(condition) ORDER BY pilot_communities.region_code, pilot_communities.name
            """).all().map(Self.summary)
    }

    static func summary(_ row: any SQLRow) throws -> PilotSummary {
        PilotSummary(id: try row.decode(column: "id"), name: try row.decode(column: "name"), regionCode: try row.decode(column: "region_code"),
                     tier: try row.decode(column: "tier"), periodStart: try row.decode(column: "period_start"),
                     periodEnd: try row.decode(column: "period_end"), leadOrganizationID: try row.decode(column: "lead_organization_id"),
                     leadOrganizationName: try row.decode(column: "lead_name"),
                     goodPracticeCases: try row.decode(column: "good_practice_cases", as: Int.self),
                     legacyGoodPracticeCases: try row.decode(column: "legacy_good_practice_cases", as: Int?.self),
                     volunteers: try row.decode(column: "volunteers", as: Int.self), cases: try row.decode(column: "cases", as: Int.self))
    }

    /// Where a pilot is and who leads it, or nil when there is no such pilot.
    public func place(id: String) async throws -> PilotPlace? {
        guard let row = try await sql.select().columns("id", "name", "region_code", "lead_organization_id").from("pilot_communities")
            .where("id", .equal, id).first() else { return nil }
        guard let region = try await RegionStore(db).region(code: try row.decode(column: "region_code")) else { return nil }
        return PilotPlace(id: id, name: try row.decode(column: "name"), region: region,
                          leadOrganizationID: try row.decode(column: "lead_organization_id"))
    }

    /// The pilot a case belongs to, or nil.
    public func pilotID(ofCase id: String) async throws -> String? {
        try await sql.select().column("pilot_id").from("pilot_cases").where("id", .equal, id).first()?.decode(column: "pilot_id")
    }

    public func detail(id: String) async throws -> PilotDetail? {
        guard let pilot = try await pilots(where: SQLBinaryExpression(SQLColumn("id", table: "pilot_communities"), .equal, SQLBind(id))).first else { return nil }
        let members = try await sql.raw("""
            SELECT m.person_id, p.name FROM pilot_members m JOIN people p ON p.id = m.person_id
            WHERE m.pilot_id = \(bind: id) ORDER BY p.name, m.person_id
            """).all().map { PilotMember(personID: try $0.decode(column: "person_id"), name: try $0.decode(column: "name")) }
        let volunteers = try await volunteerHours(pilotID: id)
        var teamVolunteers: [String: [String]] = [:]
        for row in try await sql.raw("""
            SELECT tv.team_id, tv.volunteer_id FROM pilot_team_volunteers tv JOIN pilot_teams t ON t.id = tv.team_id
            WHERE t.pilot_id = \(bind: id) ORDER BY tv.volunteer_id
            """).all() {
            teamVolunteers[try row.decode(column: "team_id"), default: []].append(try row.decode(column: "volunteer_id"))
        }
        let teams = try await sql.raw("""
            SELECT t.id, t.name, t.leader_person_id, p.name AS leader_name FROM pilot_teams t JOIN people p ON p.id = t.leader_person_id
            WHERE t.pilot_id = \(bind: id) ORDER BY t.name, t.id
            """).all().map { row in
                let teamID: String = try row.decode(column: "id")
                return PilotTeam(id: teamID, name: try row.decode(column: "name"), leaderPersonID: try row.decode(column: "leader_person_id"),
                                 leaderName: try row.decode(column: "leader_name"), volunteerIDs: teamVolunteers[teamID] ?? [])
            }
        var participants: [String: [PilotActivity.Participant]] = [:]
        for row in try await sql.raw("""
            SELECT h.activity_id, h.volunteer_id, v.name, h.minutes FROM pilot_activity_hours h
            JOIN pilot_activities a ON a.id = h.activity_id JOIN pilot_volunteers v ON v.id = h.volunteer_id
            WHERE a.pilot_id = \(bind: id) ORDER BY v.name, h.volunteer_id
            """).all() {
            participants[try row.decode(column: "activity_id"), default: []].append(
                .init(volunteerID: try row.decode(column: "volunteer_id"), name: try row.decode(column: "name"),
                      minutes: try row.decode(column: "minutes", as: Int.self)))
        }
        let activities = try await sql.raw("""
            SELECT id, title, kind, activity_date, start_minute, end_minute, team_id, beneficiaries FROM pilot_activities
            WHERE pilot_id = \(bind: id) ORDER BY activity_date DESC, start_minute DESC, id
            """).all().map { row in
                let activityID: String = try row.decode(column: "id")
                return PilotActivity(id: activityID, title: try row.decode(column: "title"), kind: try row.decode(column: "kind"),
                                     date: try row.decode(column: "activity_date"),
                                     startTime: ActivitySpan.text(try row.decode(column: "start_minute", as: Int.self)),
                                     endTime: ActivitySpan.text(try row.decode(column: "end_minute", as: Int.self)),
                                     teamID: try row.decode(column: "team_id"), beneficiaries: try row.decode(column: "beneficiaries", as: Int.self),
                                     participants: participants[activityID] ?? [])
            }
        let cases = try await self.cases(where: SQLQueryString("pilot_id = \(bind: id)"))
        return PilotDetail(pilot: pilot, members: members, volunteers: volunteers, teams: teams, activities: activities, cases: cases)
    }

    /// Each volunteer of the pilot with the activities and minutes served, summed in SQL.
    public func volunteerHours(pilotID: String) async throws -> [PilotVolunteer] {
        try await sql.raw("""
            SELECT v.id, v.name, v.mobile_masked, v.id_masked, v.skills, COUNT(h.activity_id) AS activities,
                   CAST(COALESCE(SUM(h.minutes), 0) AS BIGINT) AS minutes
            FROM pilot_volunteers v LEFT JOIN pilot_activity_hours h ON h.volunteer_id = v.id
            WHERE v.pilot_id = \(bind: pilotID)
            GROUP BY v.id, v.name, v.mobile_masked, v.id_masked, v.skills ORDER BY v.name, v.id
            """).all().map { row in
                PilotVolunteer(id: try row.decode(column: "id"), name: try row.decode(column: "name"),
                               mobile: try row.decode(column: "mobile_masked"), idNumber: try row.decode(column: "id_masked"),
                               skills: try row.decode(column: "skills"), activities: try row.decode(column: "activities", as: Int.self),
                               minutes: try row.decode(column: "minutes", as: Int.self))
            }
    }

    func cases(where condition: SQLQueryString) async throws -> [PilotCase] {
        let rows = try await sql.raw("""
            SELECT id, pilot_id, title, narrative, state, created_by, updated_at FROM pilot_cases WHERE \(condition)
            ORDER BY created_at, id
            """).all()
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        guard !ids.isEmpty else { return [] }
        var steps: [String: [PilotCaseStep]] = [:]
        for row in try await sql.raw("""
            SELECT case_id, action, from_state, to_state, reviewer, reason, at FROM pilot_case_steps
            WHERE case_id IN (\(binds: ids)) ORDER BY case_id, position
            """).all() {
            steps[try row.decode(column: "case_id"), default: []].append(
                PilotCaseStep(action: try row.decode(column: "action"), from: try row.decode(column: "from_state"),
                              to: try row.decode(column: "to_state"), reviewer: try row.decode(column: "reviewer"),
                              reason: try row.decode(column: "reason"), at: try row.decode(column: "at")))
        }
        var files: [String: [EvidenceFile]] = [:]
        for row in try await sql.raw("""
            SELECT id, case_id, file_name, content_type, byte_size, sha256 FROM pilot_case_evidence
            WHERE case_id IN (\(binds: ids)) ORDER BY case_id, position
            """).all() {
            files[try row.decode(column: "case_id"), default: []].append(
                EvidenceFile(id: try row.decode(column: "id"), fileName: try row.decode(column: "file_name"),
                             contentType: try row.decode(column: "content_type"), size: try row.decode(column: "byte_size", as: Int.self),
                             sha256: try row.decode(column: "sha256")))
        }
        return try rows.map { row in
            let id: String = try row.decode(column: "id")
            return PilotCase(id: id, pilotID: try row.decode(column: "pilot_id"), title: try row.decode(column: "title"),
                             narrative: try row.decode(column: "narrative"), state: try row.decode(column: "state"),
                             createdBy: try row.decode(column: "created_by"), updatedAt: try row.decode(column: "updated_at"),
                             steps: steps[id] ?? [], files: files[id] ?? [])
        }
    }

    public func practiceCase(id: String) async throws -> PilotCase? {
        try await cases(where: SQLQueryString("id = \(bind: id)")).first
    }

    /// One case evidence file with its bytes, or nil.
    public func evidence(id: String) async throws -> StoredCaseEvidence? {
        guard let row = try await sql.raw("""
            SELECT e.id, e.case_id, e.file_name, e.content_type, e.byte_size, e.sha256, e.content, c.pilot_id
            FROM pilot_case_evidence e JOIN pilot_cases c ON c.id = e.case_id WHERE e.id = \(bind: id)
            """).first() else { return nil }
        return StoredCaseEvidence(file: EvidenceFile(id: try row.decode(column: "id"), fileName: try row.decode(column: "file_name"),
                                                     contentType: try row.decode(column: "content_type"),
                                                     size: try row.decode(column: "byte_size", as: Int.self), sha256: try row.decode(column: "sha256")),
                                  caseID: try row.decode(column: "case_id"), pilotID: try row.decode(column: "pilot_id"),
                                  content: try row.decode(column: "content", as: Data.self))
    }

    /// People who may join the pilot: those on file in the pilot's county (or its own region above
    /// a county) inside the caller's scope, by name, the first 300.
    public func candidates(for place: PilotPlace, people: any SQLExpression) async throws -> [(id: String, label: String)] {
        let column = place.region.path.county != nil ? "county_code" : "region_code"
        let code = place.region.path.county ?? place.region.code
        return try await sql.raw("""
            SELECT id, name, id_masked FROM people WHERE \(ident: column) = \(bind: code) AND \(people)
            ORDER BY name, id LIMIT 300
            """).all().map { row in
                (try row.decode(column: "id"), "\(try row.decode(column: "name", as: String.self))（\(try row.decode(column: "id_masked", as: String.self))）")
            }
    }

    // MARK: Writes

    /// The pilot's period and lead organisation.
    public func updateDetails(pilotID: String, _ input: PilotInput.Details) async throws {
        var details: [StoreError.Detail] = []
        func date(_ raw: String?, _ field: String) -> CivilDate? {
            guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            guard let parsed = CivilDate(censusText: raw) else {
                details.append(.init(field: field, code: "pilot.date.invalid"))
                return nil
            }
            return parsed
        }
        let start = date(input.periodStart, "periodStart"), end = date(input.periodEnd, "periodEnd")
        if let start, let end, end < start { details.append(.init(field: "periodEnd", code: "pilot.period.order")) }
        let lead = input.leadOrganizationID?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let lead, try await sql.select().column("id").from("organizations").where("id", .equal, lead).first() == nil {
            details.append(.init(field: "leadOrganizationID", code: "pilot.lead.unknown"))
        }
        guard details.isEmpty else { throw Self.invalid("validation.pilot_details", details) }
        try await sql.update("pilot_communities").set("period_start", to: start?.description).set("period_end", to: end?.description)
            .set("lead_organization_id", to: lead).where("id", .equal, pilotID).run()
    }

    /// A social worker on file joins the pilot; `people` keeps the choice inside the caller's scope.
    public func addMember(pilotID: String, personID: String, people: any SQLExpression, now: Date) async throws {
        let id = personID.trimmingCharacters(in: .whitespaces)
        guard try await sql.raw("SELECT id FROM people WHERE id = \(bind: id) AND \(people)").first() != nil else {
            throw Self.invalid("validation.pilot_member", [.init(field: "personID", code: "pilot.member.unknown")])
        }
        if try await sql.select().column("person_id").from("pilot_members").where("pilot_id", .equal, pilotID)
            .where("person_id", .equal, id).first() != nil {
            throw StoreError(.conflict, code: "pilot.member.exists", details: [.init(field: "personID", code: "pilot.member.exists")])
        }
        try await sql.insert(into: "pilot_members").columns("pilot_id", "person_id", "created_at")
            .values(pilotID, id, Timestamp.string(now)).run()
    }

    public func addVolunteer(pilotID: String, _ input: PilotInput.Volunteer, today: CivilDate, now: Date) async throws -> PilotVolunteer {
        var details: [StoreError.Detail] = []
        let name = input.name.trimmingCharacters(in: .whitespaces)
        if !(1...50).contains(name.count) { details.append(.init(field: "name", code: "pilot.volunteer.name")) }
        var mobile: MobileNumber?
        switch MobileNumber.parse(input.mobile) {
        case .success(let parsed): mobile = parsed
        case .failure(let error): details.append(.init(field: "mobile", code: error.code, text: error.text))
        }
        let skills = input.skills?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let skills, skills.count > 200 { details.append(.init(field: "skills", code: "pilot.volunteer.skills")) }
        var resident: ResidentID?
        if let raw = input.idNumber?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            switch ResidentID.parse(raw, today: today) {
            case .success(let parsed): resident = parsed
            case .failure(let error): details.append(.init(field: "idNumber", code: error.code, text: error.text))
            }
        }
        guard details.isEmpty, let mobile else { throw Self.invalid("validation.pilot_volunteer", details) }
        let index = resident.map { cipher.index($0.value) }
        if let index, try await sql.select().column("id").from("pilot_volunteers").where("pilot_id", .equal, pilotID)
            .where("id_index", .equal, index).first() != nil {
            throw StoreError(.conflict, code: "pilot.volunteer.exists", details: [.init(field: "idNumber", code: "pilot.volunteer.exists")])
        }
        let id = RecordID.make()
        try await sql.insert(into: "pilot_volunteers")
            .columns("id", "pilot_id", "name", "mobile_cipher", "mobile_masked", "id_index", "id_cipher", "id_masked", "skills", "created_at")
            .values(id, pilotID, name, try cipher.seal(mobile.value), mobile.masked, index, try resident.map { try cipher.seal($0.value) },
                    resident?.masked, skills, Timestamp.string(now)).run()
        return PilotVolunteer(id: id, name: name, mobile: mobile.masked, idNumber: resident?.masked, skills: skills, activities: 0, minutes: 0)
    }

    /// A team: a social worker of the pilot leads volunteers of the pilot.
    public func addTeam(pilotID: String, _ input: PilotInput.Team, now: Date) async throws -> String {
        var details: [StoreError.Detail] = []
        let name = input.name.trimmingCharacters(in: .whitespaces)
        if !(1...100).contains(name.count) { details.append(.init(field: "name", code: "pilot.team.name")) }
        if try await sql.select().column("person_id").from("pilot_members").where("pilot_id", .equal, pilotID)
            .where("person_id", .equal, input.leaderPersonID).first() == nil {
            details.append(.init(field: "leaderPersonID", code: "pilot.team.leader"))
        }
        let volunteers = Array(Set(input.volunteerIDs))
        if try await countVolunteers(volunteers, pilotID: pilotID) != volunteers.count {
            details.append(.init(field: "volunteerIDs", code: "pilot.volunteer.unknown"))
        }
        guard details.isEmpty else { throw Self.invalid("validation.pilot_team", details) }
        let id = RecordID.make()
        try await sql.insert(into: "pilot_teams").columns("id", "pilot_id", "name", "leader_person_id", "created_at")
            .values(id, pilotID, name, input.leaderPersonID, Timestamp.string(now)).run()
        for volunteer in volunteers.sorted() {
            try await sql.insert(into: "pilot_team_volunteers").columns("team_id", "volunteer_id").values(id, volunteer).run()
        }
        return id
    }

    func countVolunteers(_ ids: [String], pilotID: String) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await sql.raw("SELECT COUNT(*) AS n FROM pilot_volunteers WHERE pilot_id = \(bind: pilotID) AND id IN (\(binds: ids))")
            .first()!.decode(column: "n", as: Int.self)
    }

    /// An activity with each volunteer's hours. Refused whole, naming every problem: hours below 0
    /// or longer than the activity, a volunteer of another pilot or listed twice, and a volunteer
    /// already in an activity of the same day whose time overlaps.
    public func recordActivity(pilotID: String, _ input: PilotInput.Activity, actor: String, today: CivilDate, now: Date) async throws -> String {
        var details: [StoreError.Detail] = []
        let title = input.title.trimmingCharacters(in: .whitespaces)
        if !(1...100).contains(title.count) { details.append(.init(field: "title", code: "pilot.activity.title")) }
        if PilotActivityKind(rawValue: input.kind) == nil { details.append(.init(field: "kind", code: "pilot.activity.kind")) }
        let date = CivilDate(censusText: input.date.trimmingCharacters(in: .whitespaces))
        if date == nil { details.append(.init(field: "date", code: "pilot.date.invalid")) }
        if let date, date > today { details.append(.init(field: "date", code: "pilot.activity.future")) }
        if !(0...1_000_000).contains(input.beneficiaries) { details.append(.init(field: "beneficiaries", code: "pilot.activity.beneficiaries")) }
        var span: ActivitySpan?
        switch ActivitySpan.make(start: input.startTime, end: input.endTime, durationMinutes: input.durationMinutes) {
        case .success(let made): span = made
        case .failure(let error): details.append(Self.detail(error))
        }
        let teamID = input.teamID?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let teamID, try await sql.select().column("id").from("pilot_teams").where("id", .equal, teamID)
            .where("pilot_id", .equal, pilotID).first() == nil {
            details.append(.init(field: "teamID", code: "pilot.team.unknown"))
        }
        if input.participants.isEmpty { details.append(.init(field: "participants", code: "pilot.activity.participants")) }
        var minutes: [(volunteer: String, minutes: Int)] = []
        var seen: Set<String> = []
        for (i, participant) in input.participants.enumerated() {
            if !seen.insert(participant.volunteerID).inserted {
                details.append(.init(field: "participants[\(i)].volunteerID", code: "pilot.activity.duplicate"))
                continue
            }
            guard let span else { continue }
            switch ActivityHours.minutes(participant.hours, activity: span) {
            case .success(let m): minutes.append((participant.volunteerID, m))
            case .failure(let error): details.append(.init(field: "participants[\(i)].hours", code: error.code))
            }
        }
        let ids = Array(seen)
        if try await countVolunteers(ids, pilotID: pilotID) != ids.count {
            details.append(.init(field: "participants", code: "pilot.volunteer.unknown"))
        }
        if let span, let date, !ids.isEmpty {
            for row in try await sql.raw("""
                SELECT v.name, a.title, a.start_minute, a.end_minute FROM pilot_activity_hours h
                JOIN pilot_activities a ON a.id = h.activity_id JOIN pilot_volunteers v ON v.id = h.volunteer_id
                WHERE h.volunteer_id IN (\(binds: ids)) AND a.activity_date = \(bind: date.description)
                  AND a.start_minute < \(bind: span.end) AND a.end_minute > \(bind: span.start)
                ORDER BY v.name
                """).all() {
                details.append(.init(field: "participants", code: "pilot.activity.overlap", try row.decode(column: "name"),
                                     try row.decode(column: "title"), ActivitySpan.text(try row.decode(column: "start_minute", as: Int.self)),
                                     ActivitySpan.text(try row.decode(column: "end_minute", as: Int.self))))
            }
        }
        guard details.isEmpty, let span, let date else { throw Self.invalid("validation.pilot_activity", details) }
        let id = RecordID.make()
        try await sql.insert(into: "pilot_activities")
            .columns("id", "pilot_id", "team_id", "title", "kind", "activity_date", "start_minute", "end_minute", "beneficiaries",
                     "recorded_by", "created_at")
            .values(id, pilotID, teamID, title, input.kind, date.description, span.start, span.end, input.beneficiaries, actor,
                    Timestamp.string(now)).run()
        for participant in minutes {
            try await sql.insert(into: "pilot_activity_hours").columns("activity_id", "volunteer_id", "minutes")
                .values(id, participant.volunteer, participant.minutes).run()
        }
        return id
    }

    /// Checks a case's texts and files; the files as they will be stored.
    func checkCase(_ input: PilotInput.Case, files: [EvidenceUpload], existingFiles: Int) throws -> (String, String, [(EvidenceFile, Data)]) {
        var details: [StoreError.Detail] = []
        let title = input.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let narrative = input.narrative.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(title.count) { details.append(.init(field: "title", code: "pilot.case.title")) }
        if !(1...10_000).contains(narrative.count) { details.append(.init(field: "narrative", code: "pilot.case.narrative")) }
        let stored = checkFiles(files, existingFiles: existingFiles, details: &details)
        guard details.isEmpty else { throw Self.invalid("validation.pilot_case", details) }
        return (title, narrative, stored)
    }

    /// Checks evidence files by name and content (`EvidenceRules`, as the plans' reports): each
    /// refused one named in `details`; the accepted ones as they will be stored, with their SHA-256.
    func checkFiles(_ files: [EvidenceUpload], existingFiles: Int, details: inout [StoreError.Detail]) -> [(EvidenceFile, Data)] {
        if existingFiles + files.count > EvidenceRules.maxFiles {
            details.append(.init(field: "evidence", code: "report.evidence.count", "\(EvidenceRules.maxFiles)", "\(existingFiles + files.count)"))
        }
        var stored: [(EvidenceFile, Data)] = []
        for (i, file) in files.enumerated() {
            switch EvidenceRules.check(fileName: file.fileName, content: file.content) {
            case .accepted(let kind):
                stored.append((EvidenceFile(id: RecordID.make(), fileName: file.fileName, contentType: EvidenceRules.contentType(kind, file.content),
                                            size: file.content.count, sha256: PersonalDataCipher.hex(SHA256.hash(data: file.content))), file.content))
            case .refused(let problem): details.append(.init(field: "evidence[\(i)]", code: problem.code, text: .bilingual(problem)))
            }
        }
        return stored
    }

    /// Further evidence files for a case the pilot holds (draft, returned): at least one, each
    /// checked by content, all stored or none.
    public func addEvidence(caseID: String, files: [EvidenceUpload], actor: String, now: Date) async throws -> PilotCase {
        guard let current = try await practiceCase(id: caseID) else { throw StoreError(.notFound, code: "pilot.case.not_found") }
        guard PracticeCaseState(rawValue: current.state)?.isEditable == true else {
            throw StoreError(.conflict, code: "pilot.case.locked", details: [.init(field: "state", code: "pilot.case.locked")])
        }
        var details: [StoreError.Detail] = []
        if files.isEmpty { details.append(.init(field: "evidence", code: "pilot.case.evidence.required")) }
        let stored = checkFiles(files, existingFiles: current.files.count, details: &details)
        guard details.isEmpty else { throw Self.invalid("validation.pilot_case", details) }
        let stamp = Timestamp.string(now)
        try await storeFiles(stored, caseID: caseID, from: current.files.count, actor: actor, stamp: stamp)
        try await sql.update("pilot_cases").set("updated_at", to: stamp).where("id", .equal, caseID).run()
        guard let saved = try await practiceCase(id: caseID) else { throw StoreError(.notFound, code: "pilot.case.not_found") }
        return saved
    }

    func storeFiles(_ files: [(EvidenceFile, Data)], caseID: String, from position: Int, actor: String, stamp: String) async throws {
        for (offset, (file, content)) in files.enumerated() {
            try await sql.insert(into: "pilot_case_evidence")
                .columns("id", "case_id", "position", "file_name", "content_type", "byte_size", "sha256", "content", "uploaded_by", "created_at")
                .values(file.id, caseID, position + offset, file.fileName, file.contentType, file.size, file.sha256, content, actor, stamp).run()
        }
    }

    /// A new case, a draft, with its first timeline step; the pilot's good-case figure now comes
    /// from the workflow.
    public func createCase(pilotID: String, _ input: PilotInput.Case, files: [EvidenceUpload], actor: String, now: Date) async throws -> String {
        let (title, narrative, stored) = try checkCase(input, files: files, existingFiles: 0)
        let id = RecordID.make(), stamp = Timestamp.string(now)
        try await sql.insert(into: "pilot_cases")
            .columns("id", "pilot_id", "title", "narrative", "state", "created_by", "created_at", "updated_at")
            .values(id, pilotID, title, narrative, PracticeCaseState.draft.rawValue, actor, stamp, stamp).run()
        try await sql.insert(into: "pilot_case_steps")
            .columns("id", "case_id", "position", "action", "from_state", "to_state", "reviewer", "reason", "at")
            .values(RecordID.make(), id, 0, "create", PracticeCaseState.draft.rawValue, PracticeCaseState.draft.rawValue, actor,
                    String?.none, stamp).run()
        try await storeFiles(stored, caseID: id, from: 0, actor: actor, stamp: stamp)
        try await recount(pilotID: pilotID)
        return id
    }

    /// New title and narrative, and further files, while the pilot holds the case (draft, returned).
    public func updateCase(id: String, _ input: PilotInput.Case, files: [EvidenceUpload], actor: String, now: Date) async throws {
        guard let current = try await practiceCase(id: id) else { throw StoreError(.notFound, code: "pilot.case.not_found") }
        guard PracticeCaseState(rawValue: current.state)?.isEditable == true else {
            throw StoreError(.conflict, code: "pilot.case.locked", details: [.init(field: "state", code: "pilot.case.locked")])
        }
        let (title, narrative, stored) = try checkCase(input, files: files, existingFiles: current.files.count)
        let stamp = Timestamp.string(now)
        try await sql.update("pilot_cases").set("title", to: title).set("narrative", to: narrative).set("updated_at", to: stamp)
            .where("id", .equal, id).run()
        try await storeFiles(stored, caseID: id, from: current.files.count, actor: actor, stamp: stamp)
    }

    /// One workflow step: refused unless the case is in a state the step starts from, and a step
    /// backwards without a reason; recorded on the timeline with the reviewer and the time.
    public func move(caseID: String, action: PracticeCaseAction, reason: String?, reviewer: String, now: Date) async throws -> PilotCase {
        guard let current = try await practiceCase(id: caseID), let state = PracticeCaseState(rawValue: current.state) else {
            throw StoreError(.notFound, code: "pilot.case.not_found")
        }
        let target: PracticeCaseState
        switch action.apply(to: state, reason: reason) {
        case .success(let next): target = next
        case .failure(let error) where error.code == "pilot.case.transition":
            throw StoreError(.conflict, code: error.code, CatalogueMessage.name(state), CatalogueMessage.name(action),
                             details: [.init(field: error.field, code: error.code, text: CatalogueMessage(error.code, CatalogueMessage.name(state), CatalogueMessage.name(action)))])
        case .failure(let error): throw Self.invalid("validation.pilot_step", [Self.detail(error)])
        }
        let stamp = Timestamp.string(now)
        let reasonText = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        try await sql.insert(into: "pilot_case_steps")
            .columns("id", "case_id", "position", "action", "from_state", "to_state", "reviewer", "reason", "at")
            .values(RecordID.make(), caseID, current.steps.count, action.rawValue, state.rawValue, target.rawValue, reviewer, reasonText, stamp).run()
        try await sql.update("pilot_cases").set("state", to: target.rawValue).set("updated_at", to: stamp).where("id", .equal, caseID).run()
        try await recount(pilotID: current.pilotID)
        return try await practiceCase(id: caseID)!
    }

    /// The pilot's good-case figure from its workflow: the typed number kept aside once (legacy),
    /// then the count of selected cases (docs/pilots.md "The indicator").
    func recount(pilotID: String) async throws {
        try await sql.raw("""
            UPDATE pilot_communities SET legacy_good_practice_cases = COALESCE(legacy_good_practice_cases, good_practice_cases),
                good_practice_cases = (SELECT COUNT(*) FROM pilot_cases WHERE pilot_cases.pilot_id = \(bind: pilotID)
                                       AND pilot_cases.state = \(bind: PracticeCaseState.selected.rawValue))
            WHERE id = \(bind: pilotID)
            """).run()
    }
}

fileprivate extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
