import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Employers for one caller: officials see and (read-write) change the organisations registered
/// in their subtree, an organisation manager its own. The API and the pages both list, open and
/// save through here, so scope and audit are the same whichever way a user comes.
public struct OrganizationService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .organizationManager)
    /// A new organisation: read-write officials only.
    public static let creators = Permission.write(.official)
    /// An existing one: read-write officials in their subtree, a manager its own.
    public static let editors = Permission.write(.official, .organizationManager)

    var store: OrganizationStore { OrganizationStore(db: context.db) }

    /// The organisations inside the caller's scope (the store's SQL condition), optionally in a
    /// region (inside the scope too) and by part of the name.
    /// A page is the one after `after` (the previous page's `nextCursor`), else page `page`.
    public func list(regionCode: String?, name: String?, after: ListCursor? = nil, page: Int, perPage: Int) async throws -> OrganizationPage {
        try await context.require(caller, Self.readers, "organization")
        let region = try await context.regionFilter(caller, code: regionCode)
        return try await store.list(region: region, name: name, scope: caller.scope, after: after, page: page, perPage: perPage)
    }

    /// One organisation inside the caller's scope (otherwise the audited 404).
    public func organization(_ id: String) async throws -> OrganizationInfo {
        try await context.require(caller, Self.readers, "organization", id)
        try await requireVisible(id)
        guard let info = try await store.get(id: id) else { throw StoreError.notFound(.organization) }
        return info
    }

    /// An organisation's staff as the caller may see them: the person list with the caller's
    /// scope and the organisation as SQL conditions.
    public func staff(of id: String, page: Int, perPage: Int = 50) async throws -> ShegongStore.Page<PersonSummary> {
        _ = try await organization(id)
        var filter = PersonFilter()
        filter.scope = caller.scope
        filter.organizationID = id
        filter.page = page
        filter.perPage = perPage
        let list = try await context.people.list(filter)
        return ShegongStore.Page(items: list.items, total: list.total, page: list.page, perPage: list.perPage)
    }

    /// Creates an organisation inside the caller's subtree, audited in the same transaction.
    public func create(_ input: OrganizationStore.Input) async throws -> OrganizationInfo {
        try await context.require(caller, Self.creators, "organization")
        try await requireWritable(input, id: "")
        let at = context.now()
        return try await context.audited(caller, .organizationCreate, "organization", object: { $0.id }) { tx in
            try await OrganizationStore(db: tx).create(input, now: at)
        }
    }

    /// Updates an organisation in sight (otherwise the audited 404) that stays inside the
    /// caller's scope as saved, audited in the same transaction.
    public func update(_ id: String, _ input: OrganizationStore.Input) async throws -> OrganizationInfo {
        try await context.require(caller, Self.editors, "organization", id)
        try await requireVisible(id)
        try await requireWritable(input, id: id)
        let at = context.now()
        return try await context.audited(caller, .organizationUpdate, "organization", object: { _ in id }) { tx in
            try await OrganizationStore(db: tx).update(id: id, input, now: at)
        }
    }

    /// Organisation `id` exists and is inside the scope; otherwise 404 (audited when out of scope).
    public func requireVisible(_ id: String) async throws {
        switch try await store.visibility(id: id, scope: caller.scope) {
        case .visible: return
        case .missing: throw StoreError.notFound(.organization)
        case .outOfScope: throw try await context.outOfScope(caller, "organization", id, what: .organization)
        }
    }

    /// The organisation as it would be saved must stay inside the scope (a field error otherwise).
    /// `id` is the organisation being updated ("" to create). An unknown region code is left to
    /// the store's validation, which names it.
    func requireWritable(_ input: OrganizationStore.Input, id: String) async throws {
        let scope = caller.scope
        let code = input.regionCode?.trimmingCharacters(in: .whitespaces) ?? ""
        let allowed: Bool
        if case .organization(let own) = scope {
            allowed = own == id
        } else if code.isEmpty {
            // No region: visible to national officials only, so only they may leave it out.
            if case .region(let subtree, .readWrite) = scope { allowed = subtree.level == .nation } else { allowed = false }
        } else if let region = try await context.regions.region(code: code) {
            allowed = scope.mayWrite(organization: id, region: region.path)
        } else {
            allowed = true
        }
        guard allowed else {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage("organization.scope.summary"),
                             details: [.init(field: "regionCode", code: "organization.scope")])
        }
    }
}

extension OrganizationService {
    /// The organisations a person filter may offer (the first 500 by name), inside the caller's
    /// scope by the same condition as the list. A choice list, not a read of the organisations:
    /// every role that searches people gets one.
    public func choices() async throws -> OrganizationPage {
        try await store.list(region: nil, name: nil, scope: caller.scope, page: 1, perPage: 500)
    }
}
