import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Social-work posts for one caller (issue #14 §2, docs/bases.md): an organisation manager manages
/// their own organisation's posts; officials see the posts and totals of the organisations
/// registered in their subtree and, with read-write access, manage them too. Totals are computed
/// in SQL with the caller's scope as a condition.
public struct PostService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .organizationManager)
    public static let editors = Permission.write(.official, .organizationManager)
    /// Year ends shown before today on the line over time.
    public static let trendYears = 5

    var store: PostStore { PostStore(db: context.db) }
    var organizations: OrganizationService { OrganizationService(context: context, caller: caller) }

    /// Organisation `organizationID` (in scope, else the audited 404) and its posts.
    public func posts(of organizationID: String) async throws -> (organization: OrganizationInfo, posts: [PostInfo]) {
        try await context.require(caller, Self.readers, "post", organizationID)
        let organization = try await organizations.organization(organizationID)
        return (organization, try await store.posts(of: organizationID, today: context.today))
    }

    public func create(organizationID: String, _ input: PostInput) async throws -> PostInfo {
        try await context.require(caller, Self.editors, "post", organizationID)
        try await organizations.requireVisible(organizationID)
        let at = context.now(), today = context.today
        return try await context.audited(caller, .postCreate, "post", details: organizationID, object: { $0.id }) { tx in
            try await PostStore(db: tx).create(organizationID: organizationID, input, today: today, now: at)
        }
    }

    public func update(postID: String, _ input: PostInput) async throws -> PostInfo {
        try await requireEditable(postID)
        let at = context.now(), today = context.today
        return try await context.audited(caller, .postUpdate, "post", object: { _ in postID }) { tx in
            try await PostStore(db: tx).update(id: postID, input, today: today, now: at)
        }
    }

    /// A staff member of the post's organisation takes one of its places (refused when full).
    public func fill(postID: String, _ input: PostFillInput) async throws -> PostInfo {
        try await requireEditable(postID)
        let at = context.now(), today = context.today
        return try await context.audited(caller, .postFill, "post", details: input.personID, object: { _ in postID }) { tx in
            try await PostStore(db: tx).fill(postID: postID, input, today: today, now: at)
        }
    }

    /// Holder `fillID` leaves post `postID` today.
    public func vacate(postID: String, fillID: String) async throws -> PostInfo {
        try await requireEditable(postID)
        let at = context.now(), today = context.today
        return try await context.audited(caller, .postVacate, "post", details: fillID, object: { _ in postID }) { tx in
            try await PostStore(db: tx).vacate(postID: postID, fillID: fillID, on: today, now: at)
        }
    }

    /// Totals of the posts in `regionCode`'s subtree (the caller's own region when nil) that the
    /// caller's scope reaches, by region one level down and by organisation kind, and their line
    /// at the last `trendYears` year ends and today.
    public func totals(regionCode: String?) async throws -> PostTotals {
        try await context.require(caller, Self.readers, "post")
        let region = try await context.region(caller, code: regionCode ?? caller.scope.regionSubtree?.code ?? RegionPath.nationCode, field: "region")
        let today = context.today
        var dates = ((today.year - Self.trendYears)..<today.year).compactMap { CivilDate(year: $0, month: 12, day: 31) }
        dates.append(today)
        return try await store.totals(region: region, scope: caller.scope, asOf: today, dates: dates)
    }

    /// The id of post `postID`'s organisation, when the caller's scope reaches it (else the
    /// audited 404).
    public func organization(ofPost postID: String) async throws -> String {
        try await context.require(caller, Self.readers, "post", postID)
        return try await visibleOrganization(ofPost: postID)
    }

    /// The post's organisation in scope and changeable by the caller (else the audited 404 / 403).
    func requireEditable(_ postID: String) async throws {
        try await context.require(caller, Self.editors, "post", postID)
        _ = try await visibleOrganization(ofPost: postID)
    }

    /// `organization(ofPost:)` once the caller's role has been checked.
    private func visibleOrganization(ofPost postID: String) async throws -> String {
        guard let organization = try await store.organization(ofPost: postID) else { throw StoreError.notFound(.post) }
        switch try await OrganizationStore(db: context.db).visibility(id: organization, scope: caller.scope) {
        case .visible: return organization
        case .missing: throw StoreError.notFound(.post)
        case .outOfScope: throw try await context.outOfScope(caller, "post", postID, what: .post)
        }
    }
}
