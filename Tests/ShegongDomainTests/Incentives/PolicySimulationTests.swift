import Testing
import ShegongDomain

/// Cost of a draft policy against the registry, by region.
@Suite("Policy simulation")
struct PolicySimulationTests {
    /// Three 咸丰县 people in two townships and one 荆州市 person.
    static let people: [PersonSnapshot] = [
        PolicyPeople.person(region: "422826100001", category: .communityWorker, certificates: [PolicyPeople.certificate(.intermediate, "2024-06-15")], id: "a"),
        PolicyPeople.person(region: "422826100002", category: .villageCadre, certificates: [PolicyPeople.certificate(.assistant, "2025-06-15")], id: "b"),
        PolicyPeople.person(region: "422826200001", category: .socialWorkOrganization, employer: .socialOrganization,
                            certificates: [PolicyPeople.certificate(.senior, "2024-01-01")], id: "c"),
        PolicyPeople.person(region: "421002001001", category: .communityWorker, certificates: [PolicyPeople.certificate(.senior, "2025-03-01")], id: "d"),
    ]

    @Test func liveAllowanceCostByTownship() throws {
        let policy = try PolicySeeds.xianfengAllowance
        let result = PolicySimulation.run(policies: [policy], people: Self.people, month: policyMonth("2025-07"), groupLevel: .township)
        #expect(result.lines.map { $0.region?.value } == ["422826100"])
        let figures = result.total(policyIndex: 0)
        #expect(figures.peopleInMonth == 2)
        #expect(figures.monthFen == 30_000)           // 200 + 100
        #expect(figures.peopleInYear == 2)
        #expect(figures.yearFen == 12 * 20_000 + 6 * 10_000)  // a: all 2025; b: July–December
    }

    @Test func draftBesideLive() throws {
        let live = try PolicySeeds.xianfengAllowance
        // Draft: double the rates and include social-work organisation staff.
        let draft = live.policyWithVersions {
            $0.amounts = $0.amounts.mapValues { $0 * 2 }
            $0.qualifyingPosts?.append(PostQualification(postCategories: [.socialWorkOrganization]))
        }
        let rows = PolicySimulation.compare(draft: draft, live: live, people: Self.people, month: policyMonth("2025-07"), groupLevel: .township)
        #expect(rows.map { $0.region?.value } == ["422826100", "422826200"])
        #expect(rows[0].live.monthFen == 30_000)
        #expect(rows[0].draft.monthFen == 60_000)
        #expect(rows[1].live == PolicySimulationFigures())
        #expect(rows[1].draft.monthFen == 60_000)
        #expect(rows[1].yearDifferenceFen == 12 * 60_000)
    }

    @Test func oneTimeAwardsCountCertificatesOfTheYear() throws {
        let result = PolicySimulation.run(policies: [try PolicySeeds.xianfengAward, try PolicySeeds.jingzhou], people: Self.people,
                                          month: policyMonth("2025-06"), groupLevel: .county)
        #expect(result.total(policyIndex: 0).yearFen == 100_000)   // b's assistant certificate of 2025
        #expect(result.total(policyIndex: 0).monthFen == 100_000)  // issued in June
        #expect(result.total(policyIndex: 1).yearFen == 300_000)   // d's senior certificate, March
        #expect(result.total(policyIndex: 1).monthFen == 0)
        #expect(result.lines.map { $0.region?.value } == ["422826", "421002"])
    }

    @Test func streamingGivesTheSameAnswer() throws {
        let policy = try PolicySeeds.xianfengAllowance
        var simulation = PolicySimulation(policies: [policy], month: policyMonth("2025-07"), groupLevel: .county)
        for person in Self.people { simulation.add(person) }
        #expect(simulation.result == PolicySimulation.run(policies: [policy], people: Self.people, month: policyMonth("2025-07"), groupLevel: .county))
    }
}
