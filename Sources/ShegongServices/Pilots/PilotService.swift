import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore

public extension AuditAction {
    static let pilotUpdate: AuditAction = "pilot.update"
    static let pilotMemberAdd: AuditAction = "pilot.member_add"
    static let pilotVolunteerAdd: AuditAction = "pilot.volunteer_add"
    static let pilotTeamCreate: AuditAction = "pilot.team_create"
    static let pilotActivityRecord: AuditAction = "pilot.activity_record"
    static let pilotCaseCreate: AuditAction = "pilot.case_create"
    static let pilotCaseUpdate: AuditAction = "pilot.case_update"
    static let pilotCaseStep: AuditAction = "pilot.case_step"
    static let pilotHoursExport: AuditAction = "pilot.hours_export"
    static let pilotEvidenceDownload: AuditAction = "pilot.evidence_download"
    static let pilotCaseEvidenceAdd: AuditAction = "pilot.case_evidence_add"
}

/// The fusion pilots' use cases (docs/pilots.md "Who may"):
///
/// - **read**: officials whose region holds the pilot, and the manager of its lead organisation;
/// - **edit and submit** (details, social workers, volunteers, teams, activities, cases): the
///   read-write officials whose region holds the pilot, and the lead organisation's manager;
/// - **review** (recommend, select, return, reject): read-write officials of a region *above the
///   pilot's county* (a city, a province, the nation) whose region holds the pilot — never the
///   county's own officials nor the lead organisation.
public struct PilotService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .organizationManager)
    public static let editors = Permission.write(.official, .organizationManager)

    var store: PilotStore { PilotStore(db: context.db, cipher: context.cipher) }

    /// What the caller may do with a pilot.
    public struct Rights: Sendable, Equatable {
        public var read: Bool
        public var edit: Bool
        public var review: Bool
    }

    public static func rights(_ scope: Scope, _ place: PilotPlace) -> Rights {
        switch scope {
        case .region(let subtree, let access):
            guard subtree.contains(place.region.path) else { return Rights(read: false, edit: false, review: false) }
            let write = access == .readWrite
            return Rights(read: true, edit: write, review: write && subtree.level < .county)
        case .organization(let id):
            let leads = place.leadOrganizationID == id
            return Rights(read: leads, edit: leads, review: false)
        case .noBusinessData, .department, .person:
            return Rights(read: false, edit: false, review: false)
        }
    }

    // MARK: Reads

    public func list() async throws -> [PilotSummary] {
        try await context.require(caller, Self.readers, "pilot")
        return try await store.pilots(where: PilotStore.condition(caller.scope))
    }

    /// A pilot in sight with everything recorded for it, and what the caller may do.
    public func detail(_ id: String) async throws -> (detail: PilotDetail, rights: Rights) {
        let place = try await visible(id)
        guard let detail = try await store.detail(id: id) else { throw Self.notFound }
        return (detail, Self.rights(caller.scope, place))
    }

    public func practiceCase(_ id: String) async throws -> (practiceCase: PilotCase, rights: Rights) {
        try await context.require(caller, Self.readers, "pilot_case", id)
        guard let pilotID = try await store.pilotID(ofCase: id) else { throw Self.caseNotFound }
        let place = try await visible(pilotID, objectType: "pilot_case", objectID: id, missing: Self.caseNotFound)
        guard let found = try await store.practiceCase(id: id) else { throw Self.caseNotFound }
        return (found, Self.rights(caller.scope, place))
    }

    /// Volunteer hours of a pilot, recorded as an export (the file leaves the system).
    public func exportHours(_ id: String, format: String) async throws -> (pilot: PilotSummary, volunteers: [PilotVolunteer]) {
        _ = try await visible(id)
        guard let pilot = try await store.pilots(where: SQLBinaryExpression(SQLColumn("id", table: "pilot_communities"), .equal, SQLBind(id))).first
        else { throw Self.notFound }
        let volunteers = try await store.volunteerHours(pilotID: id)
        try await context.record(caller, .pilotHoursExport, "pilot", id, details: "\(format) \(volunteers.count)")
        return (pilot, volunteers)
    }

    public func evidence(_ fileID: String) async throws -> StoredCaseEvidence {
        try await context.require(caller, Self.readers, "pilot_evidence", fileID)
        guard let file = try await store.evidence(id: fileID) else { throw Self.evidenceNotFound }
        _ = try await visible(file.pilotID, objectType: "pilot_evidence", objectID: fileID, missing: Self.evidenceNotFound)
        try await context.record(caller, .pilotEvidenceDownload, "pilot_evidence", fileID, details: "\(file.caseID) \(file.file.fileName)")
        return file
    }

    /// The people the caller may add to a pilot they edit (the member form's choices).
    public func candidates(_ id: String) async throws -> [(id: String, label: String)] {
        let place = try await visible(id)
        guard Self.rights(caller.scope, place).edit else { return [] }
        return try await store.candidates(for: place, people: caller.scope.peopleCondition(table: "people"))
    }

    // MARK: Edits (the pilot's own)

    public func updateDetails(_ id: String, _ input: PilotInput.Details) async throws {
        try await editable(id)
        let cipher = context.cipher
        _ = try await context.audited(caller, .pilotUpdate, "pilot", object: { (_: Bool) in id }) { tx in
            try await PilotStore(db: tx, cipher: cipher).updateDetails(pilotID: id, input)
            return true
        }
    }

    public func addMember(_ id: String, _ input: PilotInput.Member) async throws {
        try await editable(id)
        let cipher = context.cipher, at = context.now(), people = caller.scope.peopleCondition(table: "people")
        _ = try await context.audited(caller, .pilotMemberAdd, "pilot", details: input.personID, object: { (_: Bool) in id }) { tx in
            try await PilotStore(db: tx, cipher: cipher).addMember(pilotID: id, personID: input.personID, people: people, now: at)
            return true
        }
    }

    public func addVolunteer(_ id: String, _ input: PilotInput.Volunteer) async throws -> PilotVolunteer {
        try await editable(id)
        let cipher = context.cipher, at = context.now(), today = context.today
        // The audit entry names the new record, never the mobile or ID number.
        return try await context.audited(caller, .pilotVolunteerAdd, "pilot_volunteer", details: "pilot \(id)", object: { $0.id }) { tx in
            try await PilotStore(db: tx, cipher: cipher).addVolunteer(pilotID: id, input, today: today, now: at)
        }
    }

    public func addTeam(_ id: String, _ input: PilotInput.Team) async throws -> String {
        try await editable(id)
        let cipher = context.cipher, at = context.now()
        return try await context.audited(caller, .pilotTeamCreate, "pilot_team", details: "pilot \(id)", object: { $0 }) { tx in
            try await PilotStore(db: tx, cipher: cipher).addTeam(pilotID: id, input, now: at)
        }
    }

    public func recordActivity(_ id: String, _ input: PilotInput.Activity) async throws -> String {
        try await editable(id)
        let cipher = context.cipher, at = context.now(), today = context.today, actor = caller.username
        return try await context.audited(caller, .pilotActivityRecord, "pilot_activity",
                                         details: "pilot \(id) \(input.participants.count)", object: { $0 }) { tx in
            try await PilotStore(db: tx, cipher: cipher).recordActivity(pilotID: id, input, actor: actor, today: today, now: at)
        }
    }

    public func createCase(_ id: String, _ input: PilotInput.Case, files: [EvidenceUpload] = []) async throws -> String {
        try await editable(id)
        let cipher = context.cipher, at = context.now(), actor = caller.username
        return try await context.audited(caller, .pilotCaseCreate, "pilot_case", details: "pilot \(id) files \(files.count)", object: { $0 }) { tx in
            try await PilotStore(db: tx, cipher: cipher).createCase(pilotID: id, input, files: files, actor: actor, now: at)
        }
    }

    public func updateCase(_ caseID: String, _ input: PilotInput.Case, files: [EvidenceUpload] = []) async throws {
        let (_, rights) = try await practiceCase(caseID)
        guard rights.edit else { throw try await context.forbidden(caller, "pilot_case", caseID, AccessDenied(code: "pilot.edit_forbidden")) }
        let cipher = context.cipher, at = context.now(), actor = caller.username
        _ = try await context.audited(caller, .pilotCaseUpdate, "pilot_case", details: "files \(files.count)", object: { (_: Bool) in caseID }) { tx in
            try await PilotStore(db: tx, cipher: cipher).updateCase(id: caseID, input, files: files, actor: actor, now: at)
            return true
        }
    }

    /// Further evidence files for a case the caller may edit, while the pilot holds it (draft,
    /// returned); the files and the audit entry in one transaction.
    public func addEvidence(_ caseID: String, files: [EvidenceUpload]) async throws -> PilotCase {
        try await context.require(caller, Self.editors, "pilot_case", caseID)
        let (_, rights) = try await practiceCase(caseID)
        guard rights.edit else { throw try await context.forbidden(caller, "pilot_case", caseID, AccessDenied(code: "pilot.edit_forbidden")) }
        let cipher = context.cipher, at = context.now(), actor = caller.username
        return try await context.audited(caller, .pilotCaseEvidenceAdd, "pilot_case", details: "files \(files.count)", object: { $0.id }) { tx in
            try await PilotStore(db: tx, cipher: cipher).addEvidence(caseID: caseID, files: files, actor: actor, now: at)
        }
    }

    /// A workflow step: submitting is the pilot's editors'; every other step a reviewer's.
    public func move(_ caseID: String, _ input: PilotInput.Step) async throws -> PilotCase {
        guard let action = PracticeCaseAction(rawValue: input.action) else {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.pilot_step"),
                             details: [.init(field: "action", code: "pilot.case.action_unknown")])
        }
        let (_, rights) = try await practiceCase(caseID)
        if action.byReviewer ? !rights.review : !rights.edit {
            throw try await context.forbidden(caller, "pilot_case", caseID,
                                              AccessDenied(code: action.byReviewer ? "pilot.review_forbidden" : "pilot.edit_forbidden"))
        }
        let cipher = context.cipher, at = context.now(), reviewer = caller.username
        return try await context.audited(caller, .pilotCaseStep, "pilot_case", details: action.rawValue, object: { $0.id }) { tx in
            try await PilotStore(db: tx, cipher: cipher).move(caseID: caseID, action: action, reason: input.reason, reviewer: reviewer, now: at)
        }
    }

    // MARK: Who may

    static let notFound = StoreError(.notFound, code: "pilot.not_found")
    static let caseNotFound = StoreError(.notFound, code: "pilot.case.not_found")
    static let evidenceNotFound = StoreError(.notFound, code: "pilot.evidence.not_found")

    /// The pilot, when the caller may read it; otherwise the answer of a pilot that does not
    /// exist, the attempt audited.
    @discardableResult
    func visible(_ id: String, objectType: String = "pilot", objectID: String? = nil, missing: StoreError = PilotService.notFound) async throws -> PilotPlace {
        try await context.require(caller, Self.readers, objectType, objectID ?? id)
        guard let place = try await store.place(id: id) else { throw missing }
        guard Self.rights(caller.scope, place).read else {
            try await context.record(caller, .accessDenied, objectType, objectID ?? id, details: caller.origin, result: .denied)
            throw missing
        }
        return place
    }

    /// The pilot, when the caller may edit it (403, audited, when they may only read it).
    func editable(_ id: String) async throws {
        try await context.require(caller, Self.editors, "pilot", id)
        let place = try await visible(id)
        guard Self.rights(caller.scope, place).edit else {
            throw try await context.forbidden(caller, "pilot", id, AccessDenied(code: "pilot.edit_forbidden"))
        }
    }
}
