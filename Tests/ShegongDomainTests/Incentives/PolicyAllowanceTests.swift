import Testing
import ShegongDomain

/// Monthly allowances: 咸丰县's seed policy at its boundaries, pro-rata rules, departure, arrears.
@Suite("Monthly allowances")
struct PolicyAllowanceTests {
    static let intermediate = PolicyPeople.certificate(.intermediate, "2025-06-15")

    /// 社区干部 holding 社会工作师 from 2025-06-15. 咸丰县's file says `eligible_on_first_day`:
    /// June is not paid (not certified on 1 June), July onwards is 200 yuan.
    @Test("咸丰县 社区干部 with 社会工作师 from 2025-06-15", arguments: [
        ("2025-05", false, 0),
        ("2025-06", false, 0),
        ("2025-07", true, 20_000),
        ("2025-12", true, 20_000),
    ])
    func xianfengCommunityCadre(month: String, eligible: Bool, fen: Int) throws {
        let policy = try PolicySeeds.xianfengAllowance
        #expect(policy.versions[0].proRata == .eligibleOnFirstDay)
        let decision = IncentiveEngine.monthlyAllowance(policy: policy, person: PolicyPeople.xianfengCommunityCadre([Self.intermediate]),
                                                        month: policyMonth(month))
        #expect(decision.eligible == eligible)
        #expect(decision.amountFen == fen)
    }

    @Test func juneIsExplainedByTheFirstDayRule() throws {
        let decision = IncentiveEngine.monthlyAllowance(policy: try PolicySeeds.xianfengAllowance,
                                                        person: PolicyPeople.xianfengCommunityCadre([Self.intermediate]),
                                                        month: policyMonth("2025-06"))
        #expect(decision.failedRules == [.certificate, .proRata])
        let proRata = try #require(decision.checks.first { $0.rule == .proRata })
        #expect(proRata.message.zh.contains("2025-06-15 起符合条件"))
        #expect(proRata.message.zh.contains("自2025年7月起发放"))
        #expect(proRata.source?.id == "assumption")
    }

    /// The same person under `by_days`: June pays 16 of 30 days, 200 × 16 ÷ 30 = 106.666… → 106.67.
    @Test("by days", arguments: [
        ("2025-06", 10_667),
        ("2025-07", 20_000),
    ])
    func byDays(month: String, fen: Int) throws {
        let policy = try PolicySeeds.xianfengAllowance.policyWithVersions { $0.proRata = .byDays }
        let decision = IncentiveEngine.monthlyAllowance(policy: policy, person: PolicyPeople.xianfengCommunityCadre([Self.intermediate]),
                                                        month: policyMonth(month))
        #expect(decision.eligible)
        #expect(decision.amountFen == fen)
        if month == "2025-06" {
            let check = try #require(decision.checks.first { $0.rule == .proRata })
            #expect(check.observed.zh == "当月 30 天中符合条件 16 天（2025-06-15–2025-06-30）")
            #expect(check.message.zh == "按天折算：200.00元 × 16 ÷ 30 = 106.67元（四舍五入到分）")
        }
    }

    @Test("rounding half up to the fen", arguments: [
        (10_000, 1, 3, 3_333),   // 33.333…
        (20_000, 1, 3, 6_667),   // 66.666…
        (1, 1, 2, 1),            // 0.5 fen rounds up
        (3, 1, 2, 2),            // 1.5 fen rounds up
        (20_000, 16, 30, 10_667),
        (30_000, 29, 29, 30_000),
    ])
    func rounding(amount: Int, days: Int, daysInMonth: Int, fen: Int) {
        #expect(PolicyMoney.roundedHalfUp(amount, times: days, dividedBy: daysInMonth) == fen)
    }

    @Test("who qualifies for 咸丰县's allowance", arguments: [
        (PostCategory.communityWorker, EmployerKind?.some(.villageOrResidentCommittee), true),
        (.villageCadre, .villageOrResidentCommittee, true),
        (.villageCadre, nil, true),
        (.laborDispatch, .publicInstitution, true),
        (.laborDispatch, .governmentOrgan, true),
        (.publicWelfarePost, .enterprise, true),
        (.publicWelfarePost, .socialOrganization, false),
        (.laborDispatch, nil, false),
        (.socialWorkOrganization, .socialOrganization, false),
        (.publicInstitution, .publicInstitution, false),
        (.other, .other, false),
    ])
    func categories(category: PostCategory, employer: EmployerKind?, eligible: Bool) throws {
        let person = PolicyPeople.person(region: "422826100", category: category, employer: employer, certificates: [Self.intermediate])
        let decision = IncentiveEngine.monthlyAllowance(policy: try PolicySeeds.xianfengAllowance, person: person, month: policyMonth("2025-08"))
        #expect(decision.eligible == eligible)
        #expect(decision.failedRules == (eligible ? [] : [.qualifyingPosts]))
    }

    @Test func socialWorkOrganisationStaffAreRefusedByCategory() throws {
        let person = PolicyPeople.person(region: "422826100", category: .socialWorkOrganization, employer: .socialOrganization,
                                         certificates: [Self.intermediate])
        let decision = IncentiveEngine.monthlyAllowance(policy: try PolicySeeds.xianfengAllowance, person: person, month: policyMonth("2025-08"))
        #expect(!decision.eligible)
        #expect(decision.amountFen == 0)
        let reason = try #require(decision.failedChecks.first)
        #expect(reason.rule == .qualifyingPosts)
        #expect(reason.message.zh.hasPrefix("人员类别“社工机构从业人员”不在本政策范围"))
        #expect(reason.message.en.contains("Social work organisation staff"))
        #expect(decision.summary.zh.contains("社工机构从业人员"))
    }

    @Test func employerKindIsNamedWhenTheCategoryFits() throws {
        let person = PolicyPeople.person(region: "422826100", category: .laborDispatch, employer: .socialOrganization,
                                         certificates: [Self.intermediate])
        let decision = IncentiveEngine.monthlyAllowance(policy: try PolicySeeds.xianfengAllowance, person: person, month: policyMonth("2025-08"))
        #expect(decision.failedChecks.first?.message.zh.contains("用人单位类型（社会组织）") == true)
    }

    /// Leaves the post on 2025-09-10: September is paid (in post on the 1st), October is not.
    @Test("departure stops the allowance from the next month", arguments: [
        ("2025-09", ProRataRule.eligibleOnFirstDay, 20_000),
        ("2025-10", .eligibleOnFirstDay, 0),
        ("2025-09", .byDays, 6_667),    // 200 × 10 ÷ 30
        ("2025-10", .byDays, 0),
    ])
    func departure(month: String, rule: ProRataRule, fen: Int) throws {
        let policy = try PolicySeeds.xianfengAllowance.policyWithVersions { $0.proRata = rule }
        let person = PolicyPeople.xianfengCommunityCadre([PolicyPeople.certificate(.intermediate, "2024-06-15")], postEnd: "2025-09-10")
        let decision = IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth(month))
        #expect(decision.amountFen == fen)
        #expect(decision.eligible == (fen > 0))
        if fen == 0 {
            #expect(decision.failedRules == [.qualifyingPosts])
            #expect(decision.failedChecks.first?.message.zh == "2025-10-01 不在符合条件的岗位：社区工作者岗位已于 2025-09-10 结束")
        }
    }

    @Test func seniorCertificateLaterPaysTheHigherRate() throws {
        let person = PolicyPeople.xianfengCommunityCadre([PolicyPeople.certificate(.assistant, "2024-01-10", number: "A"),
                                                          PolicyPeople.certificate(.senior, "2025-08-20", number: "S")])
        let policy = try PolicySeeds.xianfengAllowance
        #expect(IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2025-08")).amountFen == 10_000)
        let september = IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2025-09"))
        #expect(september.amountFen == 30_000)
        #expect(september.certificate?.number == "S")
    }

    /// A rate change from 2026-01-01 leaves 2025 as it was (date-versioned amounts), and a
    /// `by_days` month that straddles the change pays each part at its own rate.
    @Test func versionsKeepEarlierMonthsRight() throws {
        var policy = try PolicySeeds.xianfengAllowance
        policy.versions[0].to = policyDate("2025-12-15")
        var raised = policy.versions[0]
        raised.from = policyDate("2025-12-16")
        raised.to = nil
        raised.amounts = [.assistant: 15_000, .intermediate: 30_000, .senior: 45_000]
        policy.versions.append(raised)
        #expect(policy.validationErrors().isEmpty)
        let person = PolicyPeople.xianfengCommunityCadre([PolicyPeople.certificate(.intermediate, "2024-06-15")])
        #expect(IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2025-11")).amountFen == 20_000)
        #expect(IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2025-12")).amountFen == 20_000,
                "first-day rule: the version of 1 December")
        #expect(IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2026-01")).amountFen == 30_000)
        let byDays = policy.policyWithVersions { $0.proRata = .byDays }
        // 15 days at 200 + 16 days at 300, ÷ 31 = (3000 + 4800) ÷ 31 = 251.6129… → 251.61
        #expect(IncentiveEngine.monthlyAllowance(policy: byDays, person: person, month: policyMonth("2025-12")).amountFen == 25_161)
    }

    @Test func minimumTimeInPost() throws {
        let policy = try PolicySeeds.xianfengAllowance.policyWithVersions { $0.minimumMonthsInPost = 6 }
        let person = PolicyPeople.xianfengCommunityCadre([PolicyPeople.certificate(.intermediate, "2024-06-15")], postStart: "2025-03-01")
        let august = IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2025-08"))
        #expect(august.failedRules.first == .minimumMonthsInPost)
        #expect(IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2025-09")).amountFen == 20_000)
    }

    // MARK: Arrears

    @Test func monthsBetweenTwoMonths() {
        #expect(CivilMonth.months(from: policyMonth("2025-11"), through: policyMonth("2026-02")).map(\.description)
                == ["2025-11", "2025-12", "2026-01", "2026-02"])
        #expect(CivilMonth.months(from: policyMonth("2025-07"), through: policyMonth("2025-07")).count == 1)
        #expect(CivilMonth.months(from: policyMonth("2025-08"), through: policyMonth("2025-07")).isEmpty)
        #expect(policyMonth("2024-02").numberOfDays == 29)
        #expect(CivilMonth(iso: "2025-13") == nil)
        #expect(CivilMonth(iso: "2025-7") == nil)
    }

    /// The certificate (issued 2025-06-15) was entered in October, after the July–September
    /// runs paid nothing: October's run owes July, August and September, once.
    @Test func lateEntryArrearsArePaidOnce() throws {
        let policy = try PolicySeeds.xianfengAllowance
        let person = PolicyPeople.xianfengCommunityCadre([Self.intermediate])
        let owed = IncentiveEngine.monthsOwed(policy: policy, person: person, from: policyMonth("2025-01"), through: policyMonth("2025-09"),
                                              paidMonths: [])
        #expect(owed.compactMap(\.month).map(\.description) == ["2025-07", "2025-08", "2025-09"])
        #expect(owed.reduce(0) { $0 + $1.amountFen } == 60_000)
        let afterPaying = IncentiveEngine.monthsOwed(policy: policy, person: person, from: policyMonth("2025-01"), through: policyMonth("2025-09"),
                                                     paidMonths: Set(owed.compactMap(\.month)))
        #expect(afterPaying.isEmpty)
        let partlyPaid = IncentiveEngine.monthsOwed(policy: policy, person: person, from: policyMonth("2025-07"), through: policyMonth("2025-09"),
                                                    paidMonths: [policyMonth("2025-08")])
        #expect(partlyPaid.compactMap(\.month).map(\.description) == ["2025-07", "2025-09"])
    }

    @Test func beforeThePolicyNothingIsOwed() throws {
        let person = PolicyPeople.xianfengCommunityCadre([PolicyPeople.certificate(.assistant, "2023-01-01")])
        let owed = IncentiveEngine.monthsOwed(policy: try PolicySeeds.xianfengAllowance, person: person,
                                              from: policyMonth("2024-11"), through: policyMonth("2025-02"), paidMonths: [])
        #expect(owed.compactMap(\.month).map(\.description) == ["2025-01", "2025-02"])
    }
}
