import Foundation
import Testing
import ShegongDomain

/// Reading policy files: seeds load, bad files are refused with line, key path and a Chinese
/// message.
@Suite("Policy files")
struct PolicyFileTests {
    @Test("every seed policy loads without errors", arguments: PolicySeeds.fileNames)
    func seedLoads(fileName: String) throws {
        let policy = try PolicySeeds.policy(fileName)
        #expect(fileName.hasPrefix(policy.id))
        #expect(policy.validationErrors().isEmpty)
        #expect(!policy.versions.isEmpty)
    }

    @Test func theDocumentedExampleLoads() throws {
        let doc = try String(contentsOf: PolicySeeds.directory.deletingLastPathComponent().appendingPathComponent("docs/policies.md"), encoding: .utf8)
        let start = try #require(doc.range(of: "```yaml\n"))
        let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        let policy = try IncentivePolicy.parse(yaml: String(doc[start.upperBound..<end.lowerBound])).get()
        #expect(policy.versions.count == 2)
        #expect(policy.versions[1].amounts[.assistant] == 80_000)
        #expect(policy.versions[1].upgrade == .difference)
        #expect(policy.versions[0].budgetCap == BudgetCap(amountFen: 200_000_000, period: .year))
    }

    @Test func seedAmountsAreTheSourceDocumentsInFen() throws {
        let table: [(IncentivePolicy, String, [CertificateLevel: Int])] = [
            (try PolicySeeds.jingzhou, "421000", [.assistant: 50_000, .intermediate: 100_000, .senior: 300_000]),
            (try PolicySeeds.xianfengAward, "422826", [.assistant: 100_000, .intermediate: 200_000, .senior: 500_000]),
            (try PolicySeeds.xianfengAllowance, "422826", [.assistant: 10_000, .intermediate: 20_000, .senior: 30_000]),
        ]
        for (policy, jurisdiction, amounts) in table {
            #expect(policy.jurisdiction.value == jurisdiction, "\(policy.id)")
            #expect(policy.versions[0].amounts == amounts, "\(policy.id)")
            #expect(!policy.placeholderAmounts, "\(policy.id)")
        }
        let window = try PolicySeeds.jingzhou.versions[0].applicationWindow
        #expect(window == ApplicationWindow(length: 1, unit: .years, inclusive: true))
    }

    @Test func xuanchengAmountsAreLabelledPlaceholders() throws {
        for policy in [try PolicySeeds.xuanchengReward, try PolicySeeds.xuanchengAllowance] {
            #expect(policy.jurisdiction.value == "341800")
            #expect(policy.placeholderAmounts)
            #expect(policy.name.contains("占位"))
            #expect(policy.notes?.contains("占位") == true)
        }
    }

    @Test func everyRuleCitesADocument() throws {
        for fileName in PolicySeeds.fileNames {
            let policy = try PolicySeeds.policy(fileName)
            for version in policy.versions {
                for rule in PolicyRule.citable {
                    #expect(policy.citation(for: rule, in: version) != nil, "\(fileName) \(rule)")
                }
            }
        }
    }

    // MARK: Amounts in yuan, exactly

    @Test("yuan text to fen", arguments: [
        ("500", 50_000), ("500.00", 50_000), ("500.0", 50_000), ("0.5", 50), ("0.05", 5), ("1000.10", 100_010),
        ("500.000", 50_000), ("0", 0), ("007", 700),
    ])
    func yuanToFen(text: String, fen: Int) {
        #expect(PolicyMoney.fen(fromYuan: text) == .success(fen))
    }

    @Test("yuan text refused", arguments: [
        ("0.001", PolicyMoney.YuanTextProblem.finerThanFen), ("500.005", .finerThanFen), ("-1", .negative), ("-0.01", .negative),
        ("1e3", .notANumber), ("500元", .notANumber), ("1,000", .notANumber), ("", .notANumber), ("5.", .notANumber), (".5", .notANumber),
        ("9999999999999", .tooLarge),
    ])
    func yuanRefused(text: String, problem: PolicyMoney.YuanTextProblem) {
        #expect(PolicyMoney.fen(fromYuan: text) == .failure(problem))
    }

    @Test func fenPrintsAsYuan() {
        #expect(PolicyMoney.yuanText(fen: 50_000) == "500.00")
        #expect(PolicyMoney.yuanText(fen: 10_667) == "106.67")
        #expect(PolicyMoney.yuanText(fen: 5) == "0.05")
        #expect(PolicyMoney.text(fen: 20_000).zh == "200.00元")
    }

    // MARK: Bad files

    /// A minimal valid one-time award; tests replace one line.
    static let minimal = """
    id: test-award
    name: 测试奖励
    jurisdiction: "421000"
    kind: one_time_award
    review_levels: [county, city]
    sources:
      doc:
        document: 测试文件
    versions:
      - from: 2025-01-01
        amounts:
          助理社会工作师: 500
          社会工作师: 1000.00
        application_window:
          within: 12 months
          inclusive: true
        upgrade: difference
    """

    static func errors(_ yaml: String) -> [PolicyError] {
        switch IncentivePolicy.parse(yaml: yaml) {
        case .success: return []
        case .failure(let list): return list.errors
        }
    }

    @Test func minimalFileLoads() throws {
        let policy = try IncentivePolicy.parse(yaml: Self.minimal).get()
        #expect(policy.versions[0].amounts == [.assistant: 50_000, .intermediate: 100_000])
        #expect(policy.versions[0].source == "doc")
        #expect(policy.reviewLevels == [.county, .city])
    }

    @Test func unknownKeyIsNamedWithItsLine() {
        let yaml = Self.minimal.replacingOccurrences(of: "    upgrade: difference", with: "    upgrade: difference\n    maximum_age: 35")
        let errors = Self.errors(yaml)
        #expect(errors.count == 1)
        #expect(errors.first?.code == "policy.key.unknown")
        #expect(errors.first?.line == 18)
        #expect(errors.first?.path == "versions[0].maximum_age")
        #expect(errors.first?.message.contains("maximum_age") == true)
        #expect(errors.first?.description.hasPrefix("第 18 行 versions[0].maximum_age：") == true)
    }

    @Test("bad values are refused with line, path and code", arguments: [
        ("社会工作师: 1000.00", "社会工作师: 0.001", 13, "versions[0].amounts.社会工作师", "policy.amount.fraction"),
        ("社会工作师: 1000.00", "社会工作师: -1000", 13, "versions[0].amounts.社会工作师", "policy.amount.negative"),
        ("社会工作师: 1000.00", "中级社会工作师: 1000", 13, "versions[0].amounts.中级社会工作师", "policy.level.unknown"),
        ("within: 12 months", "within: 12", 15, "versions[0].application_window.within", "policy.window.unit"),
        ("within: 12 months", "within: 12 fortnights", 15, "versions[0].application_window.within", "policy.window.unit"),
        ("inclusive: true", "inclusive: yes", 16, "versions[0].application_window.inclusive", "policy.value.bool"),
        ("upgrade: difference", "upgrade: half", 17, "versions[0].upgrade", "policy.value.unknown"),
        ("kind: one_time_award", "kind: lottery", 4, "kind", "policy.value.unknown"),
        ("jurisdiction: \"421000\"", "jurisdiction: \"4210\"", 3, "jurisdiction", "policy.value.region"),
        ("from: 2025-01-01", "from: 2025-02-30", 10, "versions[0].from", "policy.value.date"),
        ("review_levels: [county, city]", "review_levels: [city, county]", 5, "review_levels[1]", "policy.review.order"),
        ("upgrade: difference", "upgrade: difference\n    pro_rata: by_days", 18, "versions[0].pro_rata", "policy.pro_rata.not_allowance"),
    ])
    func badValue(replacing: String, with: String, line: Int, path: String, code: String) {
        let errors = Self.errors(Self.minimal.replacingOccurrences(of: replacing, with: with))
        #expect(errors.map(\.code) == [code])
        #expect(errors.first?.line == line)
        #expect(errors.first?.path == path)
        #expect(errors.first.map { $0.message.contains { "\u{4E00}"..."\u{9FFF}" ~= $0 } } == true, "message in Chinese")
    }

    @Test func upgradeRuleIsRequiredForAwards() {
        let errors = Self.errors(Self.minimal.replacingOccurrences(of: "\n    upgrade: difference", with: ""))
        #expect(errors.map(\.code) == ["policy.upgrade.missing"])
        #expect(errors.first?.path == "versions[0].upgrade")
        #expect(errors.first?.line == 10, "the version's line when the key is absent")
    }

    @Test func overlappingVersionsAreRefused() {
        let yaml = Self.minimal + """

          - from: 2025-06-01
            amounts:
              社会工作师: 1500
        """
        let errors = Self.errors(yaml)
        #expect(errors.map(\.code) == ["policy.version.overlap"])
        #expect(errors.first?.path == "versions[1].from")
        #expect(errors.first?.line == 18)
        #expect(errors.first?.message.contains("重叠") == true)
    }

    @Test func laterVersionInheritsAndKeepsEarlierPeriodsRight() throws {
        let yaml = Self.minimal.replacingOccurrences(of: "  - from: 2025-01-01", with: "  - from: 2025-01-01\n    to: 2025-12-31") + """

          - from: 2026-01-01
            amounts:
              社会工作师: 1500
        """
        let policy = try IncentivePolicy.parse(yaml: yaml).get()
        #expect(policy.version(on: policyDate("2025-12-31"))?.amounts == [.assistant: 50_000, .intermediate: 100_000])
        let later = try #require(policy.version(on: policyDate("2026-01-01")))
        #expect(later.amounts == [.intermediate: 150_000])
        #expect(later.applicationWindow == ApplicationWindow(length: 12, unit: .months, inclusive: true), "inherited")
        #expect(later.upgrade == .difference, "inherited")
        #expect(policy.version(on: policyDate("2024-12-31")) == nil)
    }

    @Test func allProblemsAreReportedAtOnce() {
        let yaml = Self.minimal
            .replacingOccurrences(of: "社会工作师: 1000.00", with: "社会工作师: 0.001")
            .replacingOccurrences(of: "within: 12 months", with: "within: 12")
            .replacingOccurrences(of: "name: 测试奖励", with: "name: 测试奖励\ncolour: red")
        #expect(Set(Self.errors(yaml).map(\.code)) == ["policy.amount.fraction", "policy.window.unit", "policy.key.unknown"])
    }

    @Test func duplicateKeyAndBrokenYAMLHaveLines() {
        let duplicate = Self.errors(Self.minimal.replacingOccurrences(of: "name: 测试奖励", with: "name: 测试奖励\nname: 另一个"))
        #expect(duplicate.map(\.code) == ["policy.key.duplicate"])
        #expect(duplicate.first?.line != nil)
        let broken = Self.errors("id: [unclosed\nname: x")
        #expect(broken.map(\.code) == ["policy.yaml.syntax"])
        #expect(broken.first?.line != nil)
        #expect(Self.errors("").map(\.code) == ["policy.yaml.empty"])
    }

    @Test func missingKeysAreNamed() {
        let errors = Self.errors("id: x\nname: y\n")
        #expect(Set(errors.map(\.path)) == ["jurisdiction", "kind", "review_levels", "sources", "versions"])
        #expect(errors.allSatisfy { $0.code == "policy.key.missing" && $0.line == 1 })
    }

    @Test func workRegionOutsideTheJurisdictionAndUnknownSource() {
        let yaml = Self.minimal.replacingOccurrences(of: "    upgrade: difference",
                                                     with: "    upgrade: difference\n    work_regions: [\"422826\"]\n    source: nowhere")
        let errors = Self.errors(yaml)
        #expect(Set(errors.map(\.code)) == ["policy.work_regions.outside", "policy.source.unknown"])
        #expect(errors.first { $0.code == "policy.work_regions.outside" }?.line == 18)
    }

    @Test func messagesReadInEnglishAndTheChineseStaysAsItWas() {
        // setup
        let yaml = Self.minimal
            .replacingOccurrences(of: "社会工作师: 1000.00", with: "社会工作师: 0.001")
            .replacingOccurrences(of: "    upgrade: difference", with: "    upgrade: difference\n    maximum_age: 35")
        // act
        let errors = Self.errors(yaml)
        // check
        let unknown = errors.first { $0.code == "policy.key.unknown" }
        #expect(unknown?.message == "未知的键“maximum_age”（此处允许：from、to、source、rule_sources、notes、amounts、work_regions、"
                + "low_score_area_certificates、qualifying_posts、minimum_months_in_post、application_window、upgrade、pro_rata、budget_cap）")
        #expect(unknown?.message(.en) == "Unknown key “maximum_age” (allowed here: from, to, source, rule_sources, notes, amounts, work_regions, "
                + "low_score_area_certificates, qualifying_posts, minimum_months_in_post, application_window, upgrade, pro_rata, budget_cap)")
        let fraction = errors.first { $0.code == "policy.amount.fraction" }
        #expect(fraction?.message == "金额以元为单位、最多精确到分（两位小数），“0.001”元不是整分")
        #expect(fraction?.message(.en) == "Amounts are in yuan, to the fen at most (two decimal places); “0.001” yuan is not a whole number of fen")
    }

    @Test("vocabularies, shapes, domain names and nested messages read in both languages", arguments: [
        ("kind: one_time_award", "kind: lottery", "未知的政策类型“lottery”（应为：one_time_award、monthly_allowance）",
         "Unknown policy kind “lottery” (use one of: one_time_award, monthly_allowance)"),
        ("review_levels: [county, city]", "review_levels: county", "这里应为列表，实际为值“county”", "A list is expected here; found the value “county”"),
        ("review_levels: [county, city]", "review_levels: [province]", "审核层级“province”（省级）高于政策所属地区（市级）",
         "The review level “province” (Province) is above the policy's own region (City)"),
        ("jurisdiction: \"421000\"", "jurisdiction: \"4210\"",
         "地区代码应为 6 位（县级）、9 位（乡镇街道）或 12 位（村社区）数字，实际为 4 位（实际为“4210”）",
         "A region code has 6 digits (county), 9 (township or street) or 12 (village or community); this one has 4 (found “4210”)"),
        ("within: 12 months", "within: 12 fortnights", "未知的期限单位“fortnights”（应为 days、months 或 years）",
         "Unknown unit “fortnights” (use days, months or years)"),
    ])
    func messageInBothLanguages(replacing: String, with: String, chinese: String, english: String) {
        let errors = Self.errors(Self.minimal.replacingOccurrences(of: replacing, with: with))
        #expect(errors.map(\.message) == [chinese])
        #expect(errors.map { $0.message(.en) } == [english])
    }

    @Test func anOpenEndedEarlierVersionIsNamedInEitherLanguage() {
        let yaml = Self.minimal + """

          - from: 2025-06-01
            amounts:
              社会工作师: 1500
        """
        let overlap = Self.errors(yaml).first
        #expect(overlap?.message == "版本期间重叠：本版本 2025-06-01 起，而上一版本（2025-01-01 起）在该日仍有效；请为上一版本设置早于 2025-06-01 的 to")
        #expect(overlap?.message(.en) == "Versions overlap: this version starts on 2025-06-01, but the previous one (from 2025-01-01) is still in force that day; "
                + "give the previous version a to before 2025-06-01")
    }

    @Test func allowanceNeedsAProRataRuleAndNoWindow() {
        let yaml = Self.minimal.replacingOccurrences(of: "kind: one_time_award", with: "kind: monthly_allowance")
        #expect(Set(Self.errors(yaml).map(\.code)) == ["policy.pro_rata.missing", "policy.window.not_award", "policy.upgrade.not_award"])
    }
}

@Suite("Policy files written back")
struct PolicyYAMLTextTests {
    @Test("a seed written as YAML reads back equal", arguments: PolicySeeds.fileNames)
    func roundTrip(fileName: String) throws {
        let policy = try PolicySeeds.policy(fileName)
        let text = policy.yamlText
        let again = try IncentivePolicy.parse(yaml: text).get()
        #expect(again == policy)
        #expect(again.yamlText == text)
    }

    @Test func awkwardTextSurvives() throws {
        var policy = try PolicySeeds.jingzhou
        policy.notes = "含 \"引号\"、反斜杠 \\ 与\n换行：以及 # 井号 和 key: value"
        policy.versions[0].workRegions = [try RegionCode.parse("421002").get()]
        policy.versions[0].qualifyingPosts = [PostQualification(employerKinds: [.publicInstitution])]
        policy.versions[0].minimumMonthsInPost = 3
        policy.versions[0].budgetCap = BudgetCap(amountFen: 123_456, period: .version)
        #expect(try IncentivePolicy.parse(yaml: policy.yamlText).get() == policy)
    }

    @Test func policiesAndDecisionsRoundTripThroughJSON() throws {
        let policy = try PolicySeeds.xianfengAllowance
        let data = try JSONEncoder().encode(policy)
        #expect(try JSONDecoder().decode(IncentivePolicy.self, from: data) == policy)
        #expect(String(decoding: data, as: UTF8.self).contains("\"社会工作师\":20000"), "amounts keyed by level")
        let person = PolicyPeople.xianfengCommunityCadre([PolicyPeople.certificate(.intermediate, "2025-06-15")])
        let decision = IncentiveEngine.monthlyAllowance(policy: policy, person: person, month: policyMonth("2025-06"))
        #expect(try JSONDecoder().decode(EligibilityDecision.self, from: JSONEncoder().encode(decision)) == decision)
        #expect(try JSONDecoder().decode(PersonSnapshot.self, from: JSONEncoder().encode(person)) == person)
    }
}
