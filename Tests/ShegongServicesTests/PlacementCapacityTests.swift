import FluentKit
import Foundation
import SQLKit
import ShegongDomain
import ShegongServices
import ShegongStore
import Testing

/// A base takes no more people at the same time than its capacity (docs/bases.md "Capacity").
@Suite struct PlacementCapacityTests {
    @Test func aPlacementBeyondTheCapacityAtTheSameTimeIsRefusedNamingTheBaseAndNothingIsWritten() async throws {
        try await ServiceTestDatabase.with { context in
            // setup: 金塔县's base for two people at a time, three people of 金塔县
            let official = try await context.caller(.official("620900", .readWrite), username: "jiuquan")
            let bases = PracticeBaseService(context: context, caller: official)
            let base = try await bases.create(PracticeBaseInput(regionCode: PracticeBaseServiceTests.jinta, name: "金塔县社会工作专业人员实践基地",
                                                                level: "county", capacity: 2))
            let people = [try await PracticeBaseServiceTests.person(context, 11, name: "甲", county: PracticeBaseServiceTests.jinta),
                          try await PracticeBaseServiceTests.person(context, 12, name: "乙", county: PracticeBaseServiceTests.jinta),
                          try await PracticeBaseServiceTests.person(context, 13, name: "丙", county: PracticeBaseServiceTests.jinta)]
            _ = try await bases.addPlacement(base.id, PlacementInput(personID: people[0], kind: "internship", from: "2025-07-01", to: "2025-07-31"))
            _ = try await bases.addPlacement(base.id, PlacementInput(personID: people[1], kind: "training", from: "2025-07-20"))
            // act: a third overlapping both
            let refused = await #expect(throws: StoreError.self) {
                try await bases.addPlacement(base.id, PlacementInput(personID: people[2], kind: "internship", from: "2025-07-25", to: "2025-08-05"))
            }
            // check: the base and its capacity named; only the first two stored
            #expect(refused?.details.map(\.field) == ["from"])
            #expect(refused?.details.first?.message == "“金塔县社会工作专业人员实践基地”可容纳 2 人，这段时间内已有 2 人同时在基地，不能再安排")
            #expect(refused?.message(.en) == "“金塔县社会工作专业人员实践基地” holds 2 people and already has 2 there at the same time in this period; nobody more can be placed")
            #expect(try await PracticeBaseServiceTests.count(context, "practice_base_placements") == 2)
            // before the open-ended one begins there is room again
            let fits = try await bases.addPlacement(base.id, PlacementInput(personID: people[2], kind: "internship", from: "2025-06-01", to: "2025-07-19"))
            #expect(fits.from == "2025-06-01")
        }
    }
}
