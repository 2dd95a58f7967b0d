import Foundation
import ShegongDomain
import Testing

/// A base's capacity against the people placed at it at the same time (docs/bases.md "Capacity").
@Suite struct PlacementCapacityRulesTests {
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    /// Placements as `from…to` (an empty end: open).
    static func periods(_ texts: [String]) -> [(from: CivilDate, to: CivilDate?)] {
        texts.map { text in
            let parts = text.components(separatedBy: "…")
            return (date(parts[0]), parts[1].isEmpty ? nil : date(parts[1]))
        }
    }

    @Test(arguments: [
        // nobody yet
        ("2025-07-01…2025-07-31", [], 0),
        // one inside, one before, one after
        ("2025-07-01…2025-07-31", ["2025-07-10…2025-07-20", "2025-06-01…2025-06-30", "2025-08-01…2025-08-31"], 1),
        // two one after the other inside the period: never two at once
        ("2025-07-01…2025-07-31", ["2025-07-01…2025-07-10", "2025-07-11…2025-07-31"], 1),
        // the last day of one is the first of the other: two on that day
        ("2025-07-01…2025-07-31", ["2025-07-01…2025-07-10", "2025-07-10…2025-07-31"], 2),
        // an open-ended one and a later one overlapping it
        ("2025-07-01…", ["2025-01-01…", "2026-03-01…2026-03-31"], 2),
        // a placement ending the day before the period starts is not counted
        ("2025-07-01…2025-07-31", ["2025-06-01…2025-06-30", "2025-06-15…2025-06-30"], 0),
        // starting after an open-ended period begins still counts
        ("2025-07-01…", ["2030-01-01…2030-01-02"], 1),
    ] as [(String, [String], Int)])
    func thePeakIsTheMostPeopleOnAnyOneDayOfThePeriod(period: String, existing: [String], peak: Int) {
        let p = Self.periods([period])[0]
        #expect(BasesAndPostsRules.peakOccupancy(from: p.from, to: p.to, existing: Self.periods(existing)) == peak)
    }

    @Test(arguments: [
        (nil, 40, nil), (2, 1, nil), (2, 2, "bases.placement.capacity"), (0, 0, "bases.placement.capacity"), (1, 0, nil),
    ] as [(Int?, Int, String?)])
    func aPlacementBeyondTheCapacityIsRefusedNamingTheBaseAndItsCapacity(capacity: Int?, alreadyThere: Int, problem: String?) {
        let existing = Array(repeating: (from: Self.date("2025-07-01"), to: Optional(Self.date("2025-07-31"))), count: alreadyThere)
        let found = BasesAndPostsRules.placement(capacity: capacity, baseName: "金塔县实践基地", from: Self.date("2025-07-15"), to: nil, existing: existing)
        #expect(found?.code == problem)
        if problem != nil { #expect(found?.arguments == ["金塔县实践基地", String(capacity!), String(alreadyThere)]) }
    }
}
