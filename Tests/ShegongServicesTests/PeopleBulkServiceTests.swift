import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// Bulk actions on people ticked in the list (issue #18 §1): a preview of each person's change,
/// then all of them in one transaction or none, one audit entry per person.
@Suite struct PeopleBulkServiceTests {
    typealias R = RegistryServiceTests

    /// Two Suzhou workers at the 阳光 centre, one in Suzhou without employer, one in Jinta; a
    /// second employer in Suzhou; a read-write official of 酒泉市.
    static func setUp(_ context: ServiceContext) async throws -> (people: [String], other: OrganizationInfo, official: Caller) {
        _ = try await OrganizationStore(db: context.db)
            .create(.init(name: "肃州区阳光社工服务中心", creditCode: R.creditCode, kind: nil, regionCode: R.suzhou))
        let other = try await OrganizationStore(db: context.db).create(.init(name: "肃州区启明社工服务中心", creditCode: nil, kind: nil, regionCode: R.suzhou))
        let people = [try await R.person(context, try R.record(11, name: "甲一", county: R.suzhou, creditCode: R.creditCode)),
                      try await R.person(context, try R.record(12, name: "乙二", county: R.suzhou, creditCode: R.creditCode)),
                      try await R.person(context, try R.record(13, name: "丙三", county: R.suzhou)),
                      try await R.person(context, try R.record(14, name: "丁四", county: R.jinta))]
        let official = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
        return (people, other, official)
    }

    static func count(_ context: ServiceContext, region: String) async throws -> Int {
        try await context.sql.select().column("count").from("census_stats").where("region_code", .equal, region)
            .where("dimension", .equal, "total").where("value", .equal, "").first()?.decode(column: "count", as: Int.self) ?? 0
    }

    @Test func aTransferIsPreviewedThenAppliedToEveryoneWithAnAuditEntryEach() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let (people, other, official) = try await Self.setUp(context)
            let service = PersonService(context: context, caller: official)
            let change = BulkChange.transfer(organizationID: other.id, regionCode: R.jinta)
            // act: the preview, then the change
            let preview = try await service.bulkPreview([people[0], people[1]], change)
            let stillThere = try await service.person(people[0]).person
            let changed = try await service.bulkApply([people[0], people[1]], change)
            // check: each person's employer and region, before → after, by name
            #expect(preview.count == 4)
            #expect(preview.contains(BulkChangeLine(personID: people[0], name: "甲一", field: "organization",
                                                    before: "肃州区阳光社工服务中心", after: "肃州区启明社工服务中心")))
            #expect(preview.contains(BulkChangeLine(personID: people[1], name: "乙二", field: "region", before: "肃州区", after: "金塔县")))
            #expect(stillThere.regionCode == R.suzhou, "a preview writes nothing")
            #expect(changed == 2)
            for id in people.prefix(2) {
                let person = try await service.person(id).person
                #expect(person.organizationID == other.id)
                #expect(person.regionCode == R.jinta)
            }
            #expect(try await Self.count(context, region: R.jinta) == 3, "census counts moved with them")
            #expect(try await Self.count(context, region: R.suzhou) == 1)
            let entries = try await R.entries(context, "person.bulk_transfer")
            #expect(Set(entries.compactMap(\.objectID)) == Set(people.prefix(2)))
            #expect(entries.allSatisfy { $0.actor == "jiuquan" && ($0.details ?? "").contains("→") })
        }
    }

    @Test func oneFailureLeavesEveryoneAsTheyWere() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: 丙三 has no employer to leave
            let (people, _, official) = try await Self.setUp(context)
            let service = PersonService(context: context, caller: official)
            // act
            let error = await #expect(throws: StoreError.self) {
                try await service.bulkApply([people[0], people[2]], .leftPost(on: CivilDate(year: 2025, month: 3, day: 31)!))
            }
            // check: named person, nothing written, nothing audited
            #expect(error?.details.first?.field == "person")
            #expect(try await service.person(people[0]).person.organizationID != nil)
            #expect(try await R.entries(context, "person.bulk_left_post").isEmpty)
        }
    }

    @Test func leavingAPostEndsTheEmploymentOnTheDateGiven() async throws {
        try await ServiceTestDatabase.with { context in
            // setup
            let (people, _, official) = try await Self.setUp(context)
            let service = PersonService(context: context, caller: official)
            let date = CivilDate(year: 2025, month: 3, day: 31)!
            // act
            let preview = try await service.bulkPreview([people[0]], .leftPost(on: date))
            try await service.bulkApply([people[0]], .leftPost(on: date))
            // check
            #expect(preview == [BulkChangeLine(personID: people[0], name: "甲一", field: "employment", before: "肃州区阳光社工服务中心", after: "2025-03-31")])
            let detail = try await service.person(people[0])
            #expect(detail.person.organizationID == nil)
            #expect(detail.employments.map(\.endDate) == ["2025-03-31"])
            let future = await #expect(throws: StoreError.self) {
                try await service.bulkPreview([people[1]], .leftPost(on: CivilDate(year: 2099, month: 1, day: 1)!))
            }
            #expect(future?.code == "lists.bulk.date_future")
        }
    }

    @Test func aPersonOutsideTheScopeStopsTheWholeAction() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: a Suzhou official ticks a Jinta worker among Suzhou ones
            let (people, other, _) = try await Self.setUp(context)
            let suzhou = try await context.caller(.official(R.suzhou, .readWrite), username: "suzhou")
            // act
            let error = await #expect(throws: StoreError.self) {
                try await PersonService(context: context, caller: suzhou).bulkApply([people[0], people[3]], .transfer(organizationID: other.id, regionCode: nil))
            }
            // check: the 404 of a missing person, nobody moved
            #expect(error?.kind == .notFound)
            let first = try await PersonService(context: context, caller: suzhou).person(people[0]).person
            #expect(first.organizationID != other.id)
        }
    }
}
