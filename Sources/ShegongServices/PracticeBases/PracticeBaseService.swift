import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    static let practiceBaseUpdate: AuditAction = "practice_base.update"
    static let practiceBasePlacement: AuditAction = "practice_base.placement"
    static let postCreate: AuditAction = "post.create"
    static let postUpdate: AuditAction = "post.update"
    static let postFill: AuditAction = "post.fill"
    static let postVacate: AuditAction = "post.vacate"
}

/// Practice bases for one caller (issue #14 §1, docs/bases.md): an official sees the bases
/// standing in their subtree (by the base's own region) and, with read-write access, registers
/// and changes them and records the interns and trainees they host.
public struct PracticeBaseService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official)
    public static let writers = Permission.write(.official)

    var store: PracticeBaseStore { PracticeBaseStore(db: context.db, cipher: context.cipher) }

    /// The bases of `regionCode`'s subtree (the caller's own region when nil), inside the scope.
    public func list(regionCode: String?) async throws -> (region: Region, bases: [PracticeBaseSummary]) {
        try await context.require(caller, Self.readers, "practice_base")
        let region = try await context.region(caller, code: regionCode ?? caller.scope.regionSubtree?.code ?? RegionPath.nationCode, field: "region")
        return (region, try await store.list(region: region, scope: caller.scope, today: context.today))
    }

    /// One base inside the scope (otherwise the audited 404).
    public func base(_ id: String) async throws -> PracticeBaseDetail {
        try await context.require(caller, Self.readers, "practice_base", id)
        try await requireVisible(id)
        guard let detail = try await store.detail(id: id) else { throw StoreError.notFound(.practiceBase) }
        return detail
    }

    /// A new base standing in a region the caller may change; its fields checked in full and
    /// written with its served regions and audit entry in one transaction.
    public func create(_ input: PracticeBaseInput) async throws -> PracticeBaseDetail {
        try await context.require(caller, Self.writers, "practice_base")
        _ = try await context.regionForChange(caller, code: input.regionCode, field: "regionCode")
        let at = context.now(), cipher = context.cipher
        return try await context.audited(caller, .practiceBaseCreate, "practice_base", object: { $0.id }) { tx in
            try await PracticeBaseStore(db: tx, cipher: cipher).create(input, now: at)
        }
    }

    /// Base `id`'s fields replaced, when the caller may change the region it stands in and the
    /// one it moves to.
    public func update(_ id: String, _ input: PracticeBaseInput) async throws -> PracticeBaseDetail {
        try await context.require(caller, Self.writers, "practice_base", id)
        let current = try await base(id)
        try await requireChangeable(current)
        _ = try await context.regionForChange(caller, code: input.regionCode, field: "regionCode")
        let at = context.now(), cipher = context.cipher
        return try await context.audited(caller, .practiceBaseUpdate, "practice_base", object: { _ in id }) { tx in
            try await PracticeBaseStore(db: tx, cipher: cipher).update(id: id, input, now: at)
        }
    }

    /// Base `id` hosts a person of the caller's scope as an intern or trainee.
    public func addPlacement(_ id: String, _ input: PlacementInput) async throws -> PracticeBasePlacement {
        try await context.require(caller, Self.writers, "practice_base", id)
        let current = try await base(id)
        try await requireChangeable(current)
        let at = context.now(), cipher = context.cipher, scope = caller.scope, actor = caller.username
        return try await context.audited(caller, .practiceBasePlacement, "practice_base", details: input.personID, object: { _ in id }) { tx in
            try await PracticeBaseStore(db: tx, cipher: cipher).addPlacement(baseID: id, input, scope: scope, actor: actor, now: at)
        }
    }

    func requireChangeable(_ base: PracticeBaseDetail) async throws {
        let region = try await context.regions.region(code: base.regionCode)
        try await context.requireChange(caller, region.map { caller.scope.mayWrite(region: $0.path) } ?? false, "practice_base", base.id)
    }

    public func requireVisible(_ id: String) async throws {
        switch try await store.visibility(id: id, scope: caller.scope) {
        case .visible: return
        case .missing: throw StoreError.notFound(.practiceBase)
        case .outOfScope: throw try await context.outOfScope(caller, "practice_base", id, what: .practiceBase)
        }
    }
}

extension PracticeBaseService {
    /// The names of regions a base stands in or serves, by code. Region names are not personal
    /// data: a base of 敦煌市 serving 瓜州县 names it to an official of 敦煌市 too.
    public func regionNames(of codes: [String]) async throws -> [String: String] {
        try await context.regions.regions(codes: codes).mapValues(\.name)
    }
}
