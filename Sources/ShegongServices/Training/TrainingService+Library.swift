import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongStore

/// The trainer pool and the resource library (issue #13 §6), in the caller's scope: officials by
/// region, an organisation manager its own and the offices' above it, a worker those above them.
extension TrainingService {
    /// The practice bases the caller may hold a session at, by name (the session form's choice).
    public func practiceBasesForSessions() async throws -> [(id: String, name: String)] {
        try await context.require(caller, Self.organisers, "session")
        return try await store.practiceBases(where: TrainingScope.basesForSessions(caller.scope, table: "pb"))
    }

    public func trainers() async throws -> [Trainer] {
        try await context.require(caller, Self.organisers.readOnly, "trainer")
        return try await store.trainers(where: TrainingScope.libraryReadable(caller.scope, table: "t"))
    }

    /// Adds a trainer, filed under the caller's region (an official may name a region of their
    /// subtree) or, for an organisation manager, the organisation.
    public func createTrainer(_ input: TrainerInput) async throws -> Trainer {
        try await context.require(caller, Self.organisers, "trainer")
        var input = input
        let region = try await filingRegion(input.regionCode, organization: &input.organizationID)
        if let person = input.personID?.trimmingCharacters(in: .whitespaces), !person.isEmpty,
           try await context.people.visibility(id: person, scope: caller.scope) != .visible {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage("training.trainer.invalid"),
                             details: [.init(field: "personID", code: "training.trainer.person")])
        }
        let at = context.now(), checked = input
        return try await context.audited(caller, .trainingTrainerCreate, "trainer", object: { $0.id }) { tx in
            try await TrainingStore(db: tx).createTrainer(checked, region: region, now: at)
        }
    }

    /// The region a trainer or material is filed under, and the organisation for a manager.
    func filingRegion(_ code: String?, organization: inout String?) async throws -> Region {
        switch caller.scope {
        case .organization(let id):
            organization = id
            guard let info = try await OrganizationStore(db: context.db).get(id: id), let code = info.regionCode,
                  let region = try await context.regions.region(code: code) else {
                throw StoreError(.invalid, code: "validation", text: CatalogueMessage("training.organization.no_region"),
                                 details: [.init(field: "regionCode", code: "training.organization.no_region")])
            }
            return region
        case .region(let subtree, _):
            organization = nil
            let code = code?.trimmingCharacters(in: .whitespaces).isEmpty == false ? code! : subtree.code
            let region = try await context.region(caller, code: code, field: "regionCode")
            guard caller.scope.mayWrite(region: region.path) || region.level == .nation else {
                throw try await context.forbidden(caller, "region", code, AccessDenied(code: "training.not_organiser"))
            }
            return region
        default:
            throw try await context.forbidden(caller, "trainer", nil, AccessDenied(code: "training.not_organiser"))
        }
    }

    /// A participant of a completed session rates one of its trainers (1–5), once.
    public func rate(session id: String, trainer trainerID: String, rating: Int) async throws {
        try await context.require(caller, Permission.write(.socialWorker), "training_session", id)
        guard case .person(let personID) = caller.scope else { throw StoreError.notFound(.person) }
        _ = try await requireSession(id, manage: false)
        let at = context.now()
        try await context.audited(caller, .trainingRating, "trainer", details: "\(id) \(rating)", object: { (_: Void) in trainerID }) { tx in
            try await TrainingStore(db: tx).rate(session: id, trainer: trainerID, person: personID, rating: rating, now: at)
        }
    }

    public func materials(search: String? = nil, topic: TrainingTopic? = nil, audience: TrainingAudience? = nil) async throws -> [TrainingMaterial] {
        try await context.require(caller, Self.libraryReaders, "training_material")
        return try await store.materials(where: TrainingScope.libraryReadable(caller.scope, table: "m"), search: search, topic: topic, audience: audience)
    }

    public func createMaterial(_ input: MaterialInput, file: EvidenceUpload?, regionCode: String? = nil) async throws -> TrainingMaterial {
        try await context.require(caller, Self.organisers, "training_material")
        var organization: String?
        let region = try await filingRegion(regionCode, organization: &organization)
        let at = context.now(), actor = caller.username, org = organization
        return try await context.audited(caller, .trainingMaterialCreate, "training_material", object: { $0.id }) { tx in
            try await TrainingStore(db: tx).createMaterial(input, file: file, region: region, organizationID: org, actor: actor, now: at)
        }
    }

    /// A material's file for whoever may read it (audited), or the audited 404.
    public func materialFile(_ id: String) async throws -> (fileName: String, contentType: String, content: Data) {
        try await context.require(caller, Self.libraryReaders, "training_material", id)
        switch try await store.visibility(material: id, TrainingScope.libraryReadable(caller.scope, table: "m")) {
        case .missing: throw TrainingStore.notFound("material")
        case .outOfScope: throw try await hidden("training_material", id, "material")
        case .visible: break
        }
        guard let file = try await store.materialFile(id: id) else { throw TrainingStore.notFound("material") }
        try await context.record(caller, .trainingMaterialDownload, "training_material", id)
        return file
    }
}

extension Permission {
    /// The same roles, reading.
    var readOnly: Permission { Permission(roles: roles, needsWrite: false) }
}
