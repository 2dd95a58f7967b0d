import Testing
import ShegongDomain

/// One-time awards at the boundaries of the seed policies.
@Suite("One-time awards")
struct PolicyOneTimeAwardTests {
    static let issued = "2025-03-01"

    /// 荆州市: 一年内 from 2025-03-01, inclusive: the last day is 2026-03-01.
    @Test("荆州市 application window", arguments: [
        ("2025-03-01", true, 50_000),
        ("2026-02-28", true, 50_000),
        ("2026-03-01", true, 50_000),  // the boundary day is included (民法典 第二百零一条)
        ("2026-03-02", false, 0),
        ("2027-01-10", false, 0),
    ])
    func jingzhouWindow(applied: String, eligible: Bool, fen: Int) throws {
        let policy = try PolicySeeds.jingzhou
        let certificate = PolicyPeople.certificate(.assistant, Self.issued)
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: PolicyPeople.jingzhou([certificate]),
                                                    certificate: certificate, applicationDate: policyDate(applied))
        #expect(decision.eligible == eligible)
        #expect(decision.amountFen == fen)
        #expect(decision.failedRules == (eligible ? [] : [.applicationWindow]))
    }

    @Test func closedWindowIsExplained() throws {
        let policy = try PolicySeeds.jingzhou
        let certificate = PolicyPeople.certificate(.assistant, Self.issued)
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: PolicyPeople.jingzhou([certificate]),
                                                    certificate: certificate, applicationDate: policyDate("2026-03-02"))
        let window = try #require(decision.failedChecks.first)
        #expect(window.rule == .applicationWindow)
        #expect(window.message.zh.contains("申请期限已过"))
        #expect(window.message.zh.contains("2026-03-01"))
        #expect(window.message.en.contains("application window closed"))
        #expect(window.source?.id == "hubei-article")
        #expect(decision.summary.zh.hasPrefix("不符合条件：申请期限已过"))
        #expect(decision.explanation(.zh).contains("✗ 申请期限："))
        #expect(decision.explanation(.en).contains("✗ Application window: application window closed"))
    }

    @Test func eligibleDecisionExplainsEveryRule() throws {
        let policy = try PolicySeeds.jingzhou
        let certificate = PolicyPeople.certificate(.assistant, Self.issued)
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: PolicyPeople.jingzhou([certificate]),
                                                    certificate: certificate, applicationDate: policyDate("2026-02-28"))
        #expect(decision.checks.map(\.rule) == [.workRegions, .effectivePeriod, .certificate, .amounts, .lowScoreAreaCertificates,
                                                 .applicationWindow, .upgrade])
        #expect(decision.checks.allSatisfy { $0.outcome == .passed })
        #expect(decision.summary.zh == "符合条件：500.00元")
        #expect(decision.summary.en == "Eligible: CNY 500.00")
        #expect(decision.versionFrom == policyDate("2025-01-01"))
    }

    /// An exclusive window refuses the boundary day itself.
    @Test("exclusive window", arguments: [("2026-02-28", true), ("2026-03-01", false)])
    func exclusiveBoundary(applied: String, eligible: Bool) throws {
        let policy = try PolicySeeds.jingzhou.policyWithVersions { $0.applicationWindow?.inclusive = false }
        let certificate = PolicyPeople.certificate(.assistant, Self.issued)
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: PolicyPeople.jingzhou([certificate]),
                                                    certificate: certificate, applicationDate: policyDate(applied))
        #expect(decision.eligible == eligible)
    }

    @Test func windowsInDaysAndMonthEnds() {
        let days = ApplicationWindow(length: 30, unit: .days, inclusive: true)
        #expect(days.lastDay(issuedOn: policyDate("2025-03-01")) == policyDate("2025-03-31"))
        let year = ApplicationWindow(length: 1, unit: .years, inclusive: true)
        #expect(year.lastDay(issuedOn: policyDate("2024-02-29")) == policyDate("2025-02-28"))
        #expect(!year.accepts(applicationDate: policyDate("2024-02-28"), issuedOn: policyDate("2024-02-29")), "before the issue date")
    }

    /// Assistant awarded 500 yuan, then intermediate (1000 yuan) under each upgrade rule.
    @Test("upgrade assistant → intermediate", arguments: [
        (UpgradeRule.full, true, 100_000),
        (.difference, true, 50_000),
        (.none, false, 0),
    ])
    func upgrade(rule: UpgradeRule, eligible: Bool, fen: Int) throws {
        let policy = try PolicySeeds.jingzhou.policyWithVersions { $0.upgrade = rule }
        let assistant = PolicyPeople.certificate(.assistant, "2025-03-01", number: "A1")
        let intermediate = PolicyPeople.certificate(.intermediate, "2025-11-20", number: "I1")
        let person = PolicyPeople.jingzhou([assistant, intermediate], awards: [
            GrantedAward(policyID: policy.id, level: .assistant, amountFen: 50_000, certificateNumber: "A1", grantedOn: policyDate("2025-04-10")),
        ])
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: person, certificate: intermediate,
                                                    applicationDate: policyDate("2025-12-01"))
        #expect(decision.eligible == eligible)
        #expect(decision.amountFen == fen)
        #expect(decision.failedRules == (eligible ? [] : [.upgrade]))
        #expect(decision.checks.first { $0.rule == .upgrade }?.observed.zh.contains("助理社会工作师 500.00元") == true)
    }

    @Test("never the same level twice, whatever the upgrade rule", arguments: UpgradeRule.allCases)
    func sameLevelTwice(rule: UpgradeRule) throws {
        let policy = try PolicySeeds.jingzhou.policyWithVersions { $0.upgrade = rule }
        let certificate = PolicyPeople.certificate(.intermediate, "2025-03-01", number: "I1")
        let person = PolicyPeople.jingzhou([certificate], awards: [
            GrantedAward(policyID: policy.id, level: .intermediate, amountFen: 100_000, certificateNumber: "I1"),
        ])
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: person, certificate: certificate,
                                                    applicationDate: policyDate("2025-04-01"))
        #expect(!decision.eligible)
        #expect(decision.failedRules == [.upgrade])
        #expect(decision.failedChecks.first?.message.zh.contains("不重复发放") == true)
    }

    @Test func awardsUnderOtherPoliciesDoNotCount() throws {
        let policy = try PolicySeeds.jingzhou
        let certificate = PolicyPeople.certificate(.intermediate, "2025-03-01")
        let person = PolicyPeople.jingzhou([certificate], awards: [GrantedAward(policyID: "somewhere-else", level: .senior, amountFen: 1)])
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: person, certificate: certificate, applicationDate: policyDate("2025-04-01"))
        #expect(decision.amountFen == 100_000)
    }

    @Test func lowScoreAreaCertificateFollowsThePolicy() throws {
        let certificate = PolicyPeople.certificate(.assistant, "2025-03-01", lowScoreArea: true)
        let jingzhou = IncentiveEngine.oneTimeAward(policy: try PolicySeeds.jingzhou, person: PolicyPeople.jingzhou([certificate]),
                                                    certificate: certificate, applicationDate: policyDate("2025-04-01"))
        #expect(jingzhou.failedRules == [.lowScoreAreaCertificates])
        let xianfengPerson = PolicyPeople.xianfengCommunityCadre([certificate])
        let xianfeng = IncentiveEngine.oneTimeAward(policy: try PolicySeeds.xianfengAward, person: xianfengPerson,
                                                    certificate: certificate, applicationDate: policyDate("2025-04-01"))
        // 咸丰县 too, until an office confirms that 恩施州 is a 单独划线 area (issue #16)
        #expect(xianfeng.failedRules == [.lowScoreAreaCertificates])
        #expect(xianfeng.amountFen == 0)
    }

    @Test func certificateBeforeThePolicyTookEffect() throws {
        let certificate = PolicyPeople.certificate(.assistant, "2024-12-31")
        let decision = IncentiveEngine.oneTimeAward(policy: try PolicySeeds.jingzhou, person: PolicyPeople.jingzhou([certificate]),
                                                    certificate: certificate, applicationDate: policyDate("2025-01-05"))
        #expect(!decision.eligible)
        #expect(decision.failedRules == [.effectivePeriod])
    }

    @Test func decisionsListOnlyPoliciesOfThePersonsRegion() throws {
        let policies = try PolicySeeds.fileNames.map { try PolicySeeds.policy($0) }
        let certificate = PolicyPeople.certificate(.intermediate, "2025-06-15")
        let jingzhouPerson = PolicyPeople.jingzhou([certificate])
        let decisions = IncentiveEngine.decisions(policies: policies, person: jingzhouPerson, on: policyDate("2025-07-01"))
        #expect(decisions.map(\.policyID) == ["jingzhou-one-time-support"])
        #expect(decisions.first?.amountFen == 100_000)

        let cadre = PolicyPeople.xianfengCommunityCadre([certificate])
        let xianfeng = IncentiveEngine.decisions(policies: policies, person: cadre, on: policyDate("2025-07-10"))
        #expect(xianfeng.map(\.policyID) == ["xianfeng-one-time-award", "xianfeng-monthly-allowance"])
        #expect(xianfeng.map(\.amountFen) == [200_000, 20_000])
        #expect(xianfeng.last?.month == policyMonth("2025-07"))

        let noCertificate = IncentiveEngine.decisions(policies: policies, person: PolicyPeople.jingzhou([]), on: policyDate("2025-07-01"))
        #expect(noCertificate.map(\.failedRules) == [[.certificate]])
    }

    @Test func placeholderAmountsSaySo() throws {
        let certificate = PolicyPeople.certificate(.assistant, "2025-06-01")
        let person = PolicyPeople.person(region: "341802001", certificates: [certificate])
        let decision = IncentiveEngine.oneTimeAward(policy: try PolicySeeds.xuanchengReward, person: person, certificate: certificate,
                                                    applicationDate: policyDate("2025-07-01"))
        #expect(decision.eligible)
        #expect(decision.placeholderAmounts)
        #expect(decision.summary.zh.contains("占位金额"))
        #expect(decision.checks.first { $0.rule == .amounts }?.source?.id == "placeholder")
    }

    @Test func outsideTheWorkRegions() throws {
        let policy = try PolicySeeds.jingzhou.policyWithVersions { $0.workRegions = [try! RegionCode.parse("421003").get()] }
        let certificate = PolicyPeople.certificate(.assistant, "2025-03-01")
        let decision = IncentiveEngine.oneTimeAward(policy: policy, person: PolicyPeople.jingzhou([certificate]), certificate: certificate,
                                                    applicationDate: policyDate("2025-04-01"))
        #expect(decision.failedRules == [.workRegions])
        #expect(decision.failedChecks.first?.message.zh == "工作地区 421002001 不属于 421003")
    }
}
