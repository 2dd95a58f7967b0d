import Foundation
import Testing
import ShegongDomain

/// The policy form (issue #18 §2): boxes filled in Chinese become the same policy file the YAML
/// path reads, and a value the form cannot read is named on the file's path.
@Suite struct PolicyFormTests {
    /// 咸丰县's monthly allowance typed into the form as an official would: two post groups, the
    /// amounts per level, the rule `eligible_on_first_day`.
    static let xianfengAllowance: [String: String] = [
        "id": "xianfeng-allowance-form", "name": "咸丰县社会工作者职业津贴", "jurisdiction": "422826",
        "kind": "monthly_allowance", "review_township": "on", "review_county": "on",
        "s0_id": "hubei-article", "s0_document": "《湖北多措并举提升社会工作人才队伍建设水平》", "s0_quote": "按月发放职业津贴",
        "v0_from": "2025-01-01", "v0_amount_0": "100", "v0_amount_1": "200", "v0_amount_2": "300.00",
        // 第 1 组: 社区工作者 (0), 村干部 (1) at any employer; 第 2 组: 劳务派遣 (5), 公益性岗位 (6) at 机关 (0), 事业单位 (1), 企业 (2)
        "v0_g0_c0": "on", "v0_g0_c1": "on",
        "v0_g1_c5": "on", "v0_g1_c6": "on", "v0_g1_e0": "on", "v0_g1_e1": "on", "v0_g1_e2": "on",
        "v0_pro_rata": "eligible_on_first_day", "v0_upgrade": "", "v0_window_unit": "years",
        // The page's empty "new version" block comes back too and is left out.
        "v1_from": "", "v1_amount_0": "100", "v1_low_score": "on",
    ]

    @Test func aFilledFormWritesAFileThePolicyCheckAccepts() throws {
        // act
        let policy = try PolicyForm(fields: Self.xianfengAllowance).policy().get()
        let reread = try IncentivePolicy.parse(yaml: policy.yamlText).get()
        // check: the file reads back to the same policy, with what was typed
        #expect(reread == policy)
        #expect(reread.kind == .monthlyAllowance)
        #expect(reread.reviewLevels == [.township, .county], "lowest level first, as the file lists them")
        #expect(reread.versions.count == 1)
        let version = reread.versions[0]
        #expect(version.amounts == [.assistant: 10000, .intermediate: 20000, .senior: 30000])
        #expect(version.proRata == .eligibleOnFirstDay)
        #expect(version.source == "hubei-article", "the only source is the version's, as in a file")
        #expect(version.lowScoreAreaCertificatesCount == false, "an unticked box")
        #expect(version.qualifyingPosts == [
            PostQualification(postCategories: [.communityWorker, .villageCadre]),
            PostQualification(postCategories: [.laborDispatch, .publicWelfarePost], employerKinds: [.governmentOrgan, .publicInstitution, .enterprise]),
        ])
    }

    @Test(arguments: PolicySeeds.fileNames)
    func everySeedPolicyGoesThroughTheFormUnchanged(_ fileName: String) throws {
        // setup: the seed with its post lists in the template's order, as ticked boxes give them
        // (the order within a list decides nothing)
        var seed = try PolicySeeds.policy(fileName)
        for v in seed.versions.indices {
            seed.versions[v].qualifyingPosts = seed.versions[v].qualifyingPosts?.map { group in
                PostQualification(postCategories: group.postCategories.map { list in PostCategory.allCases.filter(list.contains) },
                                  employerKinds: group.employerKinds.map { list in EmployerKind.allCases.filter(list.contains) })
            }
        }
        // act: the form filled from the policy, read back
        let fromForm = try PolicyForm(policy: seed).policy().get()
        // check: nothing lost on the way, and the written file still checks
        #expect(fromForm.yamlText == seed.yamlText)
        #expect(try IncentivePolicy.parse(yaml: fromForm.yamlText).get() == seed)
    }

    @Test func valuesTheFormCannotReadAreNamedOnTheFilesPaths() throws {
        // setup
        var fields = Self.xianfengAllowance
        fields["v0_amount_1"] = "200元"
        fields["v0_from"] = "2025/13/01"
        fields["v0_months"] = "三"
        fields["jurisdiction"] = "42282"
        // act
        let result = PolicyForm(fields: fields).policy()
        // check
        guard case .failure(let list) = result else { Issue.record("the form was accepted"); return }
        #expect(Set(list.errors.map(\.path)) == ["versions[0].amounts.社会工作师", "versions[0].from", "versions[0].minimum_months_in_post", "jurisdiction"])
        #expect(list.errors.contains { $0.code == "policy.amount.format" })
    }

    @Test func theRulesOfAFileHoldForTheForm() throws {
        // setup: an allowance with an award's rule and no pro-rata rule
        var fields = Self.xianfengAllowance
        fields["v0_pro_rata"] = ""
        fields["v0_upgrade"] = "difference"
        // act
        let result = PolicyForm(fields: fields).policy()
        // check
        guard case .failure(let list) = result else { Issue.record("the form was accepted"); return }
        #expect(Set(list.errors.map(\.code)) == ["policy.pro_rata.missing", "policy.upgrade.not_award"])
    }

    @Test func aNewVersionBlockStartsFromTheLastVersionsRules() throws {
        // setup
        let seed = try PolicySeeds.policy("jingzhou-one-time-support.yaml")
        let form = PolicyForm(policy: seed)
        // act
        let (blank, versions, sources) = form.withBlankBlocks(lastVersion: seed.versions.last)
        // check: one block more of each, the new version without dates, so it is not yet a version
        #expect(versions.count == seed.versions.count + 1)
        #expect(sources.count == seed.sources.count + 1)
        let next = versions.last!
        #expect(blank.value("v\(next)_from").isEmpty)
        #expect(blank.value("v\(next)_amount_1") == form.value("v\(next - 1)_amount_1"))
        #expect(try blank.policy().get() == seed)
    }
}
