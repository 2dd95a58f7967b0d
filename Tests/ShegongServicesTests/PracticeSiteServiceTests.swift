import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The API's short registers of bases and pilot communities through their service: who may read
/// and register them, in which regions, and the audit entry that goes with each registration and
/// each refusal — decided in the service, so the API's handlers only decode and encode.
@Suite struct PracticeSiteServiceTests {
    static let suzhou = "620902", jinta = "620921"

    static func pilot(_ code: String, _ name: String) -> PracticeSiteStore.PilotInput {
        PracticeSiteStore.PilotInput(regionCode: code, name: name, tier: "全市试点", goodPracticeCases: 2)
    }

    /// The audit log's entries after the set-up's ("actor action result").
    static func audit(_ context: ServiceContext) async throws -> [String] {
        try await context.sql.select().columns("actor", "action", "result").from("audit_log").where("actor", .notEqual, "test")
            .orderBy("id").all().map {
            "\(try $0.decode(column: "actor", as: String.self)) \(try $0.decode(column: "action", as: String.self)) \(try $0.decode(column: "result", as: String.self))"
        }
    }

    @Test func aCountyOfficialRegistersAPilotCommunityOfTheirCountyOnlyAndEachAttemptIsAudited() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: read-write and read-only officials of 肃州区
            let writer = PracticeSiteService(context: context, caller: try await context.caller(.official(Self.suzhou, .readWrite), username: "sz.rw"))
            let reader = PracticeSiteService(context: context, caller: try await context.caller(.official(Self.suzhou, .read), username: "sz.r"))
            // act
            let created = try await writer.createPilotCommunity(Self.pilot(Self.suzhou, "南苑社区"))
            let elsewhere = await #expect(throws: StoreError.self) { try await writer.createPilotCommunity(Self.pilot(Self.jinta, "金塔社区")) }
            await #expect(throws: (any Error).self) { try await reader.createPilotCommunity(Self.pilot(Self.suzhou, "梨园社区")) }
            // check: the county's own pilot is written under the official; 金塔县 answers like an
            // unknown region, the read-only official is refused; every attempt is in the audit log
            #expect(created.tierName == "全市试点")
            #expect(elsewhere?.kind == .notFound)
            #expect(try await reader.pilotCommunities(in: #require(await context.regions.region(code: Self.suzhou))).map(\.name) == ["南苑社区"])
            #expect(try await Self.audit(context) == ["sz.rw pilot_community.create success", "sz.rw access.denied denied",
                                                      "sz.r access.denied denied"])
        }
    }

    @Test func aDepartmentOperatorReadsTheRegistersOfTheirRegionButNoOtherAndRegistersNothing() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a pilot in each county; an operator of 肃州区's civil-affairs bureau
            let official = PracticeSiteService(context: context, caller: try await context.caller(.official("620900", .readWrite), username: "jq.rw"))
            _ = try await official.createPilotCommunity(Self.pilot(Self.suzhou, "南苑社区"))
            _ = try await official.createPilotCommunity(Self.pilot(Self.jinta, "金塔社区"))
            let region = try #require(try RegionCode.parse(Self.suzhou).get())
            let operatorCaller = try await context.caller(.departmentOperator(department: "肃州区民政局", region: region), username: "sz.mz")
            let sites = PracticeSiteService(context: context, caller: operatorCaller)
            // act
            let own = try await sites.pilotCommunities(in: #require(await context.regions.region(code: Self.suzhou)))
            let other = await #expect(throws: StoreError.self) {
                try await sites.pilotCommunities(in: #require(await context.regions.region(code: Self.jinta)))
            }
            await #expect(throws: (any Error).self) { try await sites.createPilotCommunity(Self.pilot(Self.suzhou, "梨园社区")) }
            // check
            #expect(own.map(\.name) == ["南苑社区"])
            #expect(other?.kind == .notFound)
            #expect(try await Self.audit(context).suffix(2) == ["sz.mz access.denied denied", "sz.mz access.denied denied"])
        }
    }
}
