import Foundation
import ShegongDomain
import Testing

/// The rules of practice bases and posts that need no database (docs/bases.md), table by table.
@Suite struct BasesAndPostsRulesTests {
    static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }

    @Test(arguments: [
        ("2025-06-01", "2025-05-31", "bases.period.order"),
        ("2025-06-01", "2025-06-01", nil),
        ("2025-06-01", "2027-05-31", nil),
        ("2025-06-01", "", nil),
        ("", "2025-05-31", nil),
    ] as [(String, String, String?)])
    func aPeriodMayNotEndBeforeItStarts(from: String, to: String, problem: String?) {
        let found = BasesAndPostsRules.period(from: from.isEmpty ? nil : Self.date(from), to: to.isEmpty ? nil : Self.date(to))
        #expect(found?.code == problem)
        if problem != nil { #expect(found?.arguments == [from, to]) }
    }

    @Test(arguments: [
        (-1, 0, "bases.number.negative"), (0, 0, nil), (0, 1, "bases.number.range"), (1, 1, nil),
        (100_000, 1, nil), (100_001, 1, "bases.number.range"), (-3, 1, "bases.number.negative"),
    ] as [(Int, Int, String?)])
    func numbersAreWholeAndNotNegative(value: Int, minimum: Int, problem: String?) {
        #expect(BasesAndPostsRules.number(value, field: "numberSet", minimum: minimum)?.code == problem)
    }

    @Test(arguments: [(1, 0, true), (1, 1, false), (3, 2, true), (3, 3, false), (3, 4, false), (0, 0, false)] as [(Int, Int, Bool)])
    func aPostHasRoomOnlyBelowItsNumberSet(numberSet: Int, filled: Int, room: Bool) {
        let problem = BasesAndPostsRules.fill(numberSet: numberSet, filled: filled, postName: "社工岗")
        #expect((problem == nil) == room)
        if let problem { #expect(problem.arguments == ["社工岗", String(numberSet), String(filled)]) }
        #expect(BasesAndPostsRules.vacancies(numberSet: numberSet, filled: filled) == max(0, numberSet - filled))
    }

    @Test func aBaseServesOnlyRegionsOfItsOwnProvinceAndEachOtherIsNamed() {
        let served: [(code: String, name: String, province: String?)] = [
            ("620922", "瓜州县", "620000"), ("341802", "宣州区", "340000"), ("620924", "阿克塞哈萨克族自治县", "620000"), ("000000", "全国", nil),
        ]
        let problems = BasesAndPostsRules.servedRegions(baseProvince: "620000", served: served)
        #expect(problems.map(\.arguments) == [["宣州区", "341802"], ["全国", "000000"]])
        #expect(Set(problems.map(\.code)) == ["bases.served.outside_province"])
        #expect(BasesAndPostsRules.servedRegions(baseProvince: nil, served: [("620922", "瓜州县", "620000")]).count == 1)
    }

    @Test func fundingAndPlacementKindsReadWhatOfficialsType() {
        #expect(PostFunding.parse("财政") == .fiscal)
        #expect(PostFunding.parse("购买服务") == .purchasedService)
        #expect(PostFunding.parse("self_funded") == .selfFunded)
        #expect(PostFunding.parse("包干") == nil)
        #expect(PlacementKind.parse("实习") == .internship)
        #expect(PlacementKind.parse("Training") == .training)
        #expect(PlacementKind.parse("见习") == nil)
    }
}
