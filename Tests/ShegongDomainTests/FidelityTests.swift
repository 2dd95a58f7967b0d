import Foundation
import Testing
import ShegongDomain

/// Issue #16: the shipped plans, policies and indicators say what the newspaper page says, and
/// label what they assume. Every test here reads the shipped files (`plans/`, `policies/`) or the
/// shipped indicator catalogue, and checks them against the article's own words below.
@Suite("Fidelity to the source documents")
struct FidelityTests {
    /// The article's words (the newspaper page the seeds come from; docs/indicators.md, docs/policies.md),
    /// paragraph by paragraph with line breaks and spaces taken out. One character fixed: the scan
    /// prints “专业社工+志愿服务” in the Xuancheng article as “专业社工垣志愿服务”.
    enum Article {
    static let hubei = """
        一是突出党建引领，强化政策激励。
        指导社工机构加强党建工作，发挥党组织和党员的先锋模范作用。
        鼓励各地出台社工人才激励办法，将社工人才队伍建设纳入各地人才工作总体安排。
        省委人才办将社工人才纳入“楚天英才计划”。
        武汉市将社工人才纳入“武汉英才计划”。
        荆州市自社工证核发之日起一年内可申请助理社会工作师500元、社会工作师1000元、高级社会工作师3000元的一次性扶持资金；恩施州咸丰县对取得助理社会工作师、社会工作师、高级社会工作师职业资格证书的社会工作服务人员分别给予1000元、2000元、5000元的一次性奖励，同时对全县村、社区干部和行政企事业单位中的劳务派遣、公益性岗位人员，按照每月助理社会工作师100元、社会工作师200元、高级社会工作师300元的标准发放社工证职业津贴。
        """.replacingOccurrences(of: "\n", with: "")

    static let jiuquan = """
        健全体制机制方面，提出要坚持和加强党对社会工作人才队伍建设的领导，着力构建党委社会工作部门指导推动，机构编制、教育、财政、人社、民政、卫健、信访、乡村振兴等部门以及工青妇和残联、红十字会等组织共同推进，社会力量广泛参与的工作格局。
        建立健全以培养、评价、使用、激励为主要内容的制度措施，促进全市社会工作专业人员队伍建设高质量发展。
        实践基地建设方面，提出要积极推动市级重点人才项目申报落地，依托肃州区金泉路社区建立全市社会工作专业人员实践基地，依托酒泉职业技术学院探索设立院校社会工作专业人员培训基地。
        指导推动敦煌市依托敦煌国际会展中心，打造覆盖西四县的社会工作专业人员实践基地，带动西四县社会工作专业人员队伍壮大、专业能力提升。
        各县市区建立县级社会工作专业人员实践基地各一个。
        鼓励有条件的社区设立社会工作实习实践基地，打造一批“优秀社区党组织书记工作室”。
        加大培育力度方面，提出要建立健全市级示范培训、县级骨干培训、街道乡镇全员培训制度。
        依托市县两级实践基地和各类培训资源，定期举办实践培训活动，实现社区工作者培训全覆盖。
        推动建立市县教育培训师资库和资源库，分层次组织开展“岗位大练兵、业务大比武”活动，提升专职社区工作者能力素质。
        广泛宣传发动社会工作人员参加社会工作者职业资格考试和学历教育，力争2025年年底前社区工作者持证率达到50%以上。
        推动重点领域方面，提出要突出聚焦信访、医疗、教育、社区矫正和“一老一小一残”等重点领域，鼓励采取政府购买服务等方式，开发社会工作服务项目，设置专业社会工作岗位，引育专业人才，提升社会工作专业人员数量和服务水平。
        力争2025年年底前实现社会工作专业服务覆盖30%左右的中小学校，每千名老年人、每百张养老机构床位均拥有一名社会工作者，社区矫正领域社会工作专业人员配比率达到全国平均水平。
        抓好重点项目方面，提出要扎实开展党建引领“专业社工+志愿服务”融合试点工作，探索“专业社工带领志愿者、志愿者协助专业社工”融合发展模式，高质量推进肃州区南苑社区、敦煌市梨园社区全省融合试点项目。
        各县市区确定一个社区探索开展全市融合试点工作，形成至少一个优秀实践案例，推动社会工作和志愿服务队伍在助力基层治理中发挥更大作用。
        """.replacingOccurrences(of: "\n", with: "")

    static let xuancheng = """
        摸清人才资源底数。
        建立动态摸排机制，组织全口径统计调查，切实摸清全市社会工作人才资源底数。
        在此基础上，明确到2027年年底，全市社会工作人才总量达到1万人、持有全国社会工作者职业资格证书人数突破3000人。
        加强学科专业建设。
        支持有关院校开设社会工作专业或课程，并结合实际开展社会工作专业理论研究和实践探索，推动建立校地、校企、校社深度合作机制。
        支持有关院校链接社会工作专业教师资源，开展禁毒、司法、医务、学校等领域社会工作专业技能培训。
        鼓励村“两委”成员、社区工作者和其他社会工作一线从业人员，社会组织、社会服务行业管理人员参加社会工作专业学历教育。
        广泛动员参加职业资格考试。
        认真组织社会工作者职业资格考试的资讯发布、宣传引导、考前培训和证书登记等环节，力争考试报名数、通过率逐年大幅提升。
        推动落实社会工作者职业水平考试一次性奖励制度和持证城乡社区工作者津补贴制度。
        加强岗位开发和在职培训。
        分类推进社工岗位开发与设置，引导以社会工作服务为主的事业单位、相关行政部门和群团组织，进一步加大社会工作专业岗位开发、设置及规范聘用。
        全面推进“专业社工+志愿服务”融入基层治理工作，提升基层治理能力水平。
        面向新入职、转岗人员、机关事业单位从事社会工作服务的人员，重点开展专业综合能力、法律法规、实务技能等方面培训。
        面向社会工作服务机构管理者，重点开展职业道德、领导能力、创新思维等方面培训。
        """.replacingOccurrences(of: "\n", with: "")
        /// The words of a shipped text with the line breaks and spaces YAML folding adds taken out.
        static func words(_ text: String) -> String { text.filter { !$0.isWhitespace } }

        /// A measure text is the article's own clause: it appears there as written, without a space
        /// added (the file may end a clause with 。 where the article goes on with ，).
        static func isVerbatim(_ text: String, in article: String) -> Bool {
            var clause = text
            if clause.hasSuffix("。") { clause.removeLast() }
            return !clause.isEmpty && article.contains(clause)
        }
    }

    static var library: PlanLibrary { get throws { try PlanLibrary.load(directory: IndicatorFixture.plansDirectory) } }

    // MARK: Plans (issue #16 §6)

    @Test("every Jiuquan measure is a clause of the article, word for word (4.2, 4.4 and 4.5 included)")
    func jiuquanMeasuresAreVerbatim() throws {
        let plan = try #require(try Self.library.plan(id: "jiuquan-2025"))
        #expect(plan.measures.count == 22)
        for measure in plan.measures {
            #expect(Article.isVerbatim(measure.text, in: Article.jiuquan), "measure \(measure.id): \(measure.text)")
        }
        let texts = Dictionary(uniqueKeysWithValues: plan.measures.map { ($0.id, Article.words($0.text)) })
        #expect(texts["4.2"] == "设置专业社会工作岗位，引育专业人才，提升社会工作专业人员数量和服务水平。")
        #expect(texts["4.4"] == "每千名老年人、每百张养老机构床位均拥有一名社会工作者。")
        #expect(texts["4.5"] == "社区矫正领域社会工作专业人员配比率达到全国平均水平。")
        // the file says the split is per clause, and that the split and numbering are its own
        #expect(plan.sourceNote?.contains("分句") == true)
        #expect(plan.sourceNote?.contains("逐字摘录") == true)
    }

    @Test("every Xuancheng measure is a sentence of the article, and the plan's name does not pass the split off as the ten official measures")
    func xuanchengIsNamedAsTheFilesOwnSplit() throws {
        let plan = try #require(try Self.library.plan(id: "xuancheng-2027"))
        for measure in plan.measures {
            #expect(Article.isVerbatim(measure.text, in: Article.xuancheng), "measure \(measure.id): \(measure.text)")
        }
        #expect(!plan.name.hasSuffix("十项举措"))
        #expect(plan.name.contains("非十项举措原文条目"))
        #expect(plan.sourceNote?.contains("不是《十项举措》的十项原文条目") == true)
    }

    @Test("no Jiuquan measure claims departments the article names: 1.2's expansions are marked inferred")
    func jiuquanDepartmentsAreInferred() throws {
        let plan = try #require(try Self.library.plan(id: "jiuquan-2025"))
        let measure = try #require(plan.measures.first { $0.id == "1.2" })
        #expect(measure.departmentsInferred)
        #expect(measure.cooperating.contains("市委编办"))   // "机构编制" expanded: an inference
        #expect(plan.measures.allSatisfy { $0.departmentsInferred })
    }

    // MARK: Indicators behind Jiuquan's targets (issue #16 §1, §2)

    @Test("Jiuquan's base target counts county units with a county-level base, and its pilot targets the city's own pilots")
    func jiuquanTargetsCountTheLevelAndTierTheSourceMeans() throws {
        let plan = try #require(try Self.library.plan(id: "jiuquan-2025"))
        let indicators = Dictionary(uniqueKeysWithValues: plan.targets.map { ($0.id, IndicatorCatalogue.definition(id: $0.indicatorID)) })
        // 各县市区建立县级社会工作专业人员实践基地各一个
        let base = try #require(indicators["jq-practice-base"] ?? nil)
        guard case .count(let baseCount) = base.numerator else { Issue.record("not a count"); return }
        #expect(baseCount.subject == .countyUnits)
        #expect(baseCount.filter.withPracticeBase == true)
        #expect(baseCount.filter.baseLevels == [.county])
        #expect(baseCount.validate().isEmpty)
        // 各县市区确定一个社区探索开展全市融合试点工作，形成至少一个优秀实践案例
        for id in ["jq-pilot-per-county", "jq-pilot-case"] {
            let definition = try #require(indicators[id] ?? nil)
            guard case .count(let count) = definition.numerator else { Issue.record("\(id): not a count"); continue }
            #expect(count.filter.pilotTiers == [.city], "\(id)")
            #expect(count.validate().isEmpty, "\(id)")
        }
        #expect(base.chineseFormula == "县级单位（有县级实践基地） × 100 ÷ 县级单位")
        #expect(IndicatorCatalogue.pilotCommunitiesPerCounty.chineseFormula == "融合试点社区（全市试点） ÷ 县级单位")
    }

    @Test("a base level or a pilot tier on county units needs the matching 'with' filter, and an empty list is refused")
    func levelAndTierFiltersAreChecked() {
        let levelAlone = RegistryCount(.countyUnits, .init(baseLevels: [.county]))
        #expect(levelAlone.validate().map(\.code) == ["indicator.filter.contradiction"])
        let tierAlone = RegistryCount(.countyUnits, .init(pilotTiers: [.city]))
        #expect(tierAlone.validate().map(\.code) == ["indicator.filter.contradiction"])
        let tierOnBases = RegistryCount(.practiceBases, .init(pilotTiers: [.city]))
        #expect(tierOnBases.validate().map(\.code) == ["indicator.filter.not_applicable"])
        let noLevels = RegistryCount(.practiceBases, .init(baseLevels: []))
        #expect(noLevels.validate().map(\.code) == ["indicator.filter.empty_list"])
        #expect(RegistryCount(.pilotCommunities, .init(pilotTiers: [.province, .city])).validate().isEmpty)
    }

    @Test("levels and tiers read what officials type and refuse the rest; 'unspecified' is never accepted")
    func levelAndTierInput() {
        #expect(PracticeBaseLevel.parse("县级") == .county)
        #expect(PracticeBaseLevel.parse("市级") == .city)
        #expect(PracticeBaseLevel.parse(" college ") == .college)
        #expect(PracticeBaseLevel.parse("院校") == .college)
        #expect(PracticeBaseLevel.parse("乡镇（街道）") == nil)
        #expect(PracticeBaseLevel.parse("unspecified") == nil)
        #expect(PilotTier.parse("全省试点") == .province)
        #expect(PilotTier.parse("市级") == .city)
        #expect(PilotTier.parse("county") == .county)
        #expect(PilotTier.parse("unspecified") == nil)
        #expect(PilotTier.parse("全国") == nil)
    }

    @Test("every level and tier has its name in both languages")
    func levelAndTierNames() {
        for level in PracticeBaseLevel.allCases {
            #expect(Catalogue.standard.defines(level.catalogueKey, in: .zhHans) && Catalogue.standard.defines(level.catalogueKey, in: .en))
            #expect(level.localizedName(.zhHans) == level.chineseName)
        }
        for tier in PilotTier.allCases {
            #expect(Catalogue.standard.defines(tier.catalogueKey, in: .zhHans) && Catalogue.standard.defines(tier.catalogueKey, in: .en))
            #expect(tier.localizedName(.zhHans) == tier.chineseName)
        }
    }

    // MARK: Policies (issue #16 §3, §4, §5)

    @Test("every seed policy quotes the article word for word")
    func policyQuotesAreVerbatim() throws {
        for name in PolicySeeds.fileNames {
            let policy = try PolicySeeds.policy(name)
            let article = policy.id.hasPrefix("xuancheng") ? Article.xuancheng : Article.hubei
            for source in policy.sources {
                guard let quote = source.quote else { continue }
                #expect(article.contains(Article.words(quote)), "\(name) \(source.id)")
            }
        }
    }

    @Test("咸丰县's award goes to 社会工作服务人员 only: a holder outside them gets nothing, and the refusal cites the sentence")
    func xianfengAwardIsLimitedToSocialWorkServiceStaff() throws {
        // setup
        let policy = try PolicySeeds.xianfengAward
        let certificate = PolicyPeople.certificate(.intermediate, "2025-03-01")
        let official = PolicyPeople.person(region: "422826100", category: .publicInstitution, employer: .governmentOrgan, certificates: [certificate])
        let organisation = PolicyPeople.person(region: "422826100", category: .socialWorkOrganization, employer: .socialOrganization,
                                               certificates: [certificate])
        // act
        let refused = IncentiveEngine.oneTimeAward(policy: policy, person: official, certificate: certificate, applicationDate: policyDate("2025-04-01"))
        let granted = IncentiveEngine.oneTimeAward(policy: policy, person: organisation, certificate: certificate, applicationDate: policyDate("2025-04-01"))
        // check: refused on the post alone, citing the article's sentence, with the reading labelled an assumption
        #expect(!refused.eligible)
        #expect(refused.amountFen == 0)
        #expect(refused.failedRules == [.qualifyingPosts])
        let check = try #require(refused.failedChecks.first)
        let sentence = "恩施州咸丰县对取得助理社会工作师、社会工作师、高级社会工作师职业资格证书的社会工作服务人员分别给予1000元、2000元、5000元的一次性奖励"
        #expect(check.source?.quote == sentence)
        #expect(Article.hubei.contains(sentence))
        let explanation = refused.explanation(.zh)
        #expect(explanation.contains("✗ 人员类别与用人单位：人员类别“机关事业单位人员”不在本政策范围"))
        #expect(explanation.contains("“社会工作服务人员”"))
        #expect(explanation.contains("系本系统的假设"))
        #expect(refused.explanation(.en).contains("✗ Post category and employer: post category"))
        #expect(granted.eligible)
        #expect(granted.amountFen == 200_000)
    }

    @Test("咸丰县's files label their assumptions: the reading of the recipients, the review levels, and 单独划线 as an open question")
    func xianfengAssumptionsAreLabelled() throws {
        let award = try PolicySeeds.xianfengAward
        let allowance = try PolicySeeds.xianfengAllowance
        for policy in [award, allowance] {
            let version = try #require(policy.versions.first)
            let notes = policy.notes ?? ""
            // recipients: the limit cites the article; how it maps to post categories is labelled
            let posts = try #require(policy.citation(for: .qualifyingPosts, in: version))
            #expect(posts.quote.map { Article.hubei.contains($0) } == true, "\(policy.id)")
            #expect(posts.citationText.contains("假设"), "\(policy.id)")
            // review levels: assumed, and said so
            #expect(notes.contains("审核层级为乡镇初审、县级审定"), "\(policy.id)")
            #expect(notes.contains("以下均为待咸丰县委社会工作部确认的假设"), "\(policy.id)")
            // 单独划线: not stated as a fact, an open assumption, and the rule does not rest on it
            #expect(!notes.contains("恩施州属单独划线地区，"), "\(policy.id)")   // as the old files stated it
            #expect(!notes.contains("单独划线证书予以"), "\(policy.id)")
            #expect(notes.contains("未决假设"), "\(policy.id)")
            #expect(!version.lowScoreAreaCertificatesCount, "\(policy.id)")
            #expect(version.ruleSources[.lowScoreAreaCertificates] == "assumption", "\(policy.id)")
        }
        // 村、社区干部 read as 村干部 and 社区工作者: labelled, with why it is wider
        let reading = try #require(allowance.citation(for: .qualifyingPosts, in: allowance.versions[0]))
        #expect(reading.citationText.contains("“村、社区干部”按人员类别“村干部”“社区工作者”理解"))
        #expect(reading.citationText.contains("社区工作者范围大于社区干部"))
        #expect(award.citation(for: .qualifyingPosts, in: award.versions[0])?.citationText.contains("“社会工作服务人员”") == true)
    }

    @Test("a 单独划线 certificate in 咸丰县 waits for the office's confirmation, in the award and the allowance")
    func xianfengLowScoreAreaCertificatesWait() throws {
        let certificate = PolicyPeople.certificate(.intermediate, "2025-03-01", lowScoreArea: true)
        let cadre = PolicyPeople.xianfengCommunityCadre([certificate])
        let award = IncentiveEngine.oneTimeAward(policy: try PolicySeeds.xianfengAward, person: cadre, certificate: certificate,
                                                 applicationDate: policyDate("2025-04-01"))
        let allowance = IncentiveEngine.monthlyAllowance(policy: try PolicySeeds.xianfengAllowance, person: cadre, month: policyMonth("2025-08"))
        #expect(award.failedRules == [.lowScoreAreaCertificates])
        #expect(allowance.failedRules == [.lowScoreAreaCertificates])
        #expect(allowance.explanation(.zh).contains("待咸丰县委社会工作部确认"))
    }
}
