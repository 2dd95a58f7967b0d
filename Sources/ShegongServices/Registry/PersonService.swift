import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// The people of the registry for one caller (docs/security.md, "Roles and scopes"): lists are
/// cut by the store with the caller's scope in the query; one person outside it is the audited
/// 404 of a missing one; a create or update is refused by the store when the record would leave
/// or enter the scope, and is audited in its own transaction; full identifiers are shown only to
/// a scope that may see personal data, and each reveal is audited.
public struct PersonService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    /// Who reads the registry (the store narrows each to their scope).
    public static let readers = Permission.read(.official, .organizationManager, .socialWorker)
    /// Who changes people: read-write officials and organisation managers, inside their scope.
    public static let writers = Permission.write(.official, .organizationManager)

    /// A person saved: whether it was new, and the record as it now reads (masked).
    public struct Saved: Codable, Sendable {
        public var created: Bool
        public var person: PersonDetail
    }

    /// The people matching `filter` inside the caller's scope; `regionCode` (when given) must lie
    /// inside it (otherwise the audited 404 of an unknown region). The scope is the store's SQL
    /// condition, applied before the page is cut; the page is read by keyset (docs/lists.md).
    public func list(_ filter: PersonFilter, regionCode: String? = nil) async throws -> PersonPage {
        try await context.require(caller, Self.readers, "person")
        var filter = filter
        filter.scope = caller.scope
        filter.region = try await context.regionFilter(caller, code: regionCode)
        return try await context.people.list(filter)
    }

    /// One person, masked, when inside the caller's scope.
    public func person(_ id: String) async throws -> PersonDetail {
        try await requireVisible(id)
        guard let detail = try await context.people.detail(id: id) else { throw StoreError.notFound(.person) }
        return detail
    }

    /// One person with full ID and mobile numbers, for a scope that may see personal data
    /// (otherwise an audited 403); the reveal is audited as `person.reveal`.
    public func reveal(_ id: String) async throws -> PersonDetail {
        try await requireReveal(id)
        var detail = try await person(id)
        guard let identifiers = try await context.people.revealIdentifiers(id: id) else { throw StoreError.notFound(.person) }
        try await context.record(caller, .personReveal, "person", id)
        detail.person.idNumber = identifiers.idNumber
        detail.person.mobile = identifiers.mobile
        return detail
    }

    /// A person's change history (who changed which field, when, from where), inside the scope.
    public func history(_ id: String) async throws -> [PersonChange] {
        try await person(id).history
    }

    /// The person as a census record, unmasked, for the edit form: only for a caller who may
    /// change people, and audited as a reveal because the form holds the full identifiers.
    public func editableRecord(_ id: String) async throws -> CensusRecord {
        try await context.require(caller, Self.writers, "person", id)
        try await requireVisible(id)
        guard let record = try await context.people.censusRecord(id: id) else { throw StoreError.notFound(.person) }
        try await context.record(caller, .personReveal, "person", id, details: "edit form")
        return record
    }

    /// Creates (`target` nil) or updates a person inside the scope, audited in the same
    /// transaction. An update of a person outside the scope is the audited 404; a record that would
    /// leave or enter the scope is the store's field error. `source` is the history's channel
    /// ("api", "web", …).
    public func save(_ record: CensusRecord, target: String?, source: String) async throws -> Saved {
        try await context.require(caller, Self.writers, "person", target)
        if let target { try await requireVisible(target) }
        let (scope, cipher, actor, at) = (caller.scope, context.cipher, caller.username, context.now())
        let saved = try await context.audited(caller, target == nil ? .personCreate : .personUpdate, "person", object: { $0.personID }) { tx in
            try await PersonStore(db: tx, cipher: cipher).save(record, target: target, actor: actor, source: source, scope: scope, now: at)
        }
        guard let detail = try await context.people.detail(id: saved.personID) else { throw StoreError.notFound(.person) }
        return Saved(created: saved.created, person: detail)
    }

    /// Person `id` exists and is inside the caller's scope; otherwise the 404 of a missing person
    /// (audited when out of scope).
    public func requireVisible(_ id: String) async throws {
        switch try await context.people.visibility(id: id, scope: caller.scope) {
        case .visible: return
        case .missing: throw StoreError.notFound(.person)
        case .outOfScope: throw try await context.outOfScope(caller, "person", id, what: .person)
        }
    }

    /// Only a scope that may see personal data sees full identifiers (a department operator,
    /// for one, sees aggregates only): otherwise an audited 403.
    func requireReveal(_ id: String) async throws {
        guard caller.scope.allowsPersonalData else {
            var denial = AccessDenied(code: "reveal.forbidden")
            denial.text = CatalogueMessage("person.reveal_forbidden")
            throw try await context.forbidden(caller, "person", id, denial)
        }
    }
}

extension ServiceContext {
    /// A list's region filter: nil when `code` is blank, otherwise the region, which must lie
    /// inside the caller's scope (`region(_:code:field:)`).
    public func regionFilter(_ caller: Caller, code: String?, field: String = "region") async throws -> Region? {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        return try await region(caller, code: code, field: field)
    }
}
