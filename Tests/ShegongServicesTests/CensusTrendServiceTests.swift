import Foundation
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// The statistics page's holders line as a use case: certificate holders at each year end, only
/// for a region the caller may read.
@Suite struct CensusTrendServiceTests {
    static let suzhou = "620902", jinta = "620921"

    /// A Suzhou worker whose certificate was issued on 2024-06-15.
    static func holder(_ context: ServiceContext) async throws {
        let id = try #require(ResidentID.make(addressCode: suzhou, birthDate: CivilDate(year: 1988, month: 5, day: 20)!, sequence: 1))
        let record = CensusRecord(row: 2, name: "Li Ming", residentID: id, regionCode: suzhou, postCategory: .communityWorker,
                                  certificate: CensusCertificate(level: .assistant, number: "2024620001",
                                                                 issueDate: CivilDate(year: 2024, month: 6, day: 15)!))
        _ = try await PersonStore(db: context.db, cipher: context.cipher).save(record, target: nil, actor: "setup", source: "test")
    }

    static func region(_ context: ServiceContext, _ code: String) async throws -> Region {
        try #require(try await context.regions.region(code: code))
    }

    @Test func holdersAreCountedAtEachYearEndAndOnTheDay() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            try await Self.holder(context)
            let official = try await context.caller(.official(Self.suzhou, .read), username: "suzhou")
            let asOf = CivilDate(year: 2025, month: 11, day: 24)!
            // act
            let points = try await CensusService(context: context, caller: official)
                .holdersByYear(in: try await Self.region(context, Self.suzhou), asOf: asOf, years: 2)
            // check: none at the end of 2023, one since
            #expect(points.map(\.date) == [CivilDate(year: 2023, month: 12, day: 31)!, CivilDate(year: 2024, month: 12, day: 31)!, asOf])
            #expect(points.map(\.value) == [0, 1, 1])
        }
    }

    @Test func aRegionOutsideTheCallersScopeIsTheAuditedNotFound() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let official = try await context.caller(.official(Self.suzhou, .readWrite), username: "suzhou")
            let jinta = try await Self.region(context, Self.jinta)
            // act
            let error = await #expect(throws: StoreError.self) {
                try await CensusService(context: context, caller: official).holdersByYear(in: jinta, asOf: CivilDate(year: 2025, month: 1, day: 1)!, years: 1)
            }
            // check
            #expect(error?.kind == .notFound)
            let denied = try await context.auditLog.search(sql: context.sql, AuditQuery(action: "access.denied")).map(\.entry)
            #expect(denied.map(\.objectID) == [Self.jinta])
        }
    }
}
