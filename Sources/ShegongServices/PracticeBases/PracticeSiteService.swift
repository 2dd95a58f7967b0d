import Foundation
import ShegongDomain
import ShegongStore

/// The API's short registers of practice bases and fusion pilot communities (`GET
/// /practice-bases`, `GET` and `POST /pilot-communities`): what the indicators count, readable by
/// officials and department operators over a region's subtree in their scope, and a pilot
/// community registered by a read-write official of its region. The full registers with their
/// detail are `PracticeBaseService` and `PilotService`.
public struct PracticeSiteService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .departmentOperator)
    public static let writers = Permission.write(.official)

    /// The practice bases standing in `region`'s subtree (the region in the caller's scope,
    /// otherwise the audited 404).
    public func bases(in region: Region) async throws -> [PracticeBaseInfo] {
        try await context.require(caller, Self.readers, "practice_base", region.code)
        try await context.requireReadable(caller, region)
        return try await PracticeSiteStore(db: context.db).bases(in: region)
    }

    /// The fusion pilot communities in `region`'s subtree (the region in the caller's scope,
    /// otherwise the audited 404).
    public func pilotCommunities(in region: Region) async throws -> [PilotCommunityInfo] {
        try await context.require(caller, Self.readers, "pilot_community", region.code)
        try await context.requireReadable(caller, region)
        return try await PracticeSiteStore(db: context.db).pilots(in: region)
    }

    /// A new pilot community in a region the caller may change (a code that names no region is
    /// the store's field error), written with its audit entry in one transaction.
    public func createPilotCommunity(_ input: PracticeSiteStore.PilotInput) async throws -> PilotCommunityInfo {
        try await context.require(caller, Self.writers, "pilot_community")
        _ = try await context.regionForChange(caller, code: input.regionCode, field: "regionCode")
        let now = context.now()
        return try await context.audited(caller, .pilotCommunityCreate, "pilot_community", object: { $0.id }) { tx in
            try await PracticeSiteStore(db: tx).createPilot(input, now: now)
        }
    }
}
