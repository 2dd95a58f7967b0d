import Foundation
import Testing
import ShegongDomain

@Suite("Plans: computed measure status and the seed plan files")
struct IndicatorPlanTests {
    typealias F = IndicatorFixture

    static func measure(deadline: String = "2025-06-30", reports: [ProgressReport] = [], lead: String = "市民政局") -> Measure {
        Measure(id: "m", text: "建立实践基地", lead: lead, deadline: F.date(deadline), reports: reports)
    }

    static func report(_ date: String, completes: Bool = false) -> ProgressReport {
        ProgressReport(date: F.date(date), text: "进展", evidence: ["照片.jpg"], completes: completes)
    }

    @Test("not started, in progress, done and overdue follow from reports and the date")
    func statuses() {
        // setup
        let idle = Self.measure()
        let started = Self.measure(reports: [Self.report("2025-03-01")])
        let finished = Self.measure(reports: [Self.report("2025-03-01"), Self.report("2025-05-20", completes: true)])
        // check: before the deadline
        #expect(idle.status(asOf: F.date("2025-06-30")) == .notStarted)
        #expect(started.status(asOf: F.date("2025-06-30")) == .inProgress)
        #expect(finished.status(asOf: F.date("2025-06-30")) == .done)
        // check: a report dated after the date is not known yet
        #expect(started.status(asOf: F.date("2025-02-28")) == .notStarted)
        #expect(finished.status(asOf: F.date("2025-05-19")) == .inProgress)
    }

    @Test("overdue from the day after the deadline, whether started or not; done late is done")
    func overdue() {
        let idle = Self.measure()
        let started = Self.measure(reports: [Self.report("2025-03-01")])
        #expect(idle.status(asOf: F.date("2025-06-30")) == .notStarted)
        #expect(idle.status(asOf: F.date("2025-07-01")) == .overdue)
        #expect(idle.daysOverdue(asOf: F.date("2025-07-11")) == 11)
        #expect(started.status(asOf: F.date("2025-07-01")) == .overdue)
        let late = Self.measure(reports: [Self.report("2025-08-15", completes: true)])
        #expect(late.status(asOf: F.date("2025-08-01")) == .overdue)
        #expect(late.status(asOf: F.date("2025-08-15")) == .done)
        #expect(late.completedLate(asOf: F.date("2025-09-01")))
        #expect(late.daysOverdue(asOf: F.date("2025-09-01")) == nil)
    }

    @Test("the plan summary counts statuses and puts the department with most overdue measures first")
    func summary() {
        // setup
        var a = Self.measure(lead: "市教育局"); a.id = "a"
        var b = Self.measure(reports: [Self.report("2025-05-01", completes: true)], lead: "市民政局"); b.id = "b"
        var c = Self.measure(lead: "市民政局"); c.id = "c"
        var d = Self.measure(deadline: "2025-12-31", reports: [Self.report("2025-07-01")], lead: "市民政局"); d.id = "d"
        var e = Self.measure(lead: "市民政局"); e.id = "e"
        let plan = Plan(id: "p", name: "测试方案", jurisdiction: F.jiuquan, jurisdictionName: "酒泉市",
                        period: PlanPeriod(to: F.date("2025-12-31")), source: "测试",
                        keyTasks: [KeyTask(id: "1", title: "任务", measures: [a, b, c, d, e])])
        // act
        let summary = PlanStatusSummary(plan: plan, asOf: F.date("2025-08-01"))
        // check
        #expect(summary.count(.overdue) == 3)
        #expect(summary.count(.done) == 1)
        #expect(summary.count(.inProgress) == 1)
        #expect(summary.count(.notStarted) == 0)
        #expect(summary.departments.map(\.department) == ["市民政局", "市教育局"])
        #expect(summary.departments[0].overdue == ["c", "e"])
        #expect(summary.departments[1].overdue == ["a"])
    }

    @Test("the seed files load: Jiuquan has exactly 5 key tasks and 22 measures, Xuancheng ten measures")
    func seedFiles() throws {
        // act
        let library = try PlanLibrary.load(directory: F.plansDirectory)
        // check: Jiuquan
        let jiuquan = try #require(library.plan(id: "jiuquan-2025"))
        #expect(jiuquan.jurisdiction == F.region("620900"))
        #expect(jiuquan.keyTasks.count == 5)
        #expect(jiuquan.measures.count == 22)
        #expect(jiuquan.keyTasks.map(\.title) == ["健全体制机制", "实践基地建设", "加大培育力度", "推动重点领域", "抓好重点项目"])
        #expect(jiuquan.keyTasks.map(\.measures.count) == [3, 7, 5, 5, 2])
        #expect(jiuquan.measures.allSatisfy { $0.deadline == F.date("2025-12-31") })
        // the departments the source names all appear
        let departments = Set(jiuquan.measures.flatMap { [$0.lead] + $0.cooperating })
        for named in ["市委社会工作部", "市委编办", "市教育局", "市财政局", "市人社局", "市民政局", "市卫生健康委", "市信访局",
                      "市乡村振兴局", "市总工会", "团市委", "市妇联", "市残联", "市红十字会"] {
            #expect(departments.contains(named), "\(named)")
        }
        // its targets
        let targets = Dictionary(uniqueKeysWithValues: jiuquan.targets.map { ($0.indicatorID, $0) })
        #expect(targets["new_certificate_holders"]?.value == 300)
        #expect(targets["new_certificate_holders"]?.period == .year(2025))
        #expect(targets["certificate_holders"]?.value == 800)
        #expect(targets["certificate_holders"]?.baseline == F.observation("2024-12-31", 500))
        #expect(targets["community_worker_certification_rate"]?.value == 50)
        #expect(targets["school_coverage"]?.value == 30)
        #expect(targets["social_workers_per_1000_older_people"]?.value == 1)
        #expect(targets["social_workers_per_100_care_beds"]?.value == 1)
        #expect(targets["county_units_with_practice_base"]?.value == 100)
        #expect(targets["pilot_communities_per_county"]?.value == 1)
        #expect(targets["county_units_with_pilot_case"]?.value == 100)
        #expect(jiuquan.targets.allSatisfy { $0.deadline == F.date("2025-12-31") && $0.comparator == .atLeast })
        // Xuancheng
        let xuancheng = try #require(library.plan(id: "xuancheng-2027"))
        #expect(xuancheng.jurisdiction == F.region("341800"))
        #expect(xuancheng.measures.count == 10)
        #expect(xuancheng.targets.map(\.indicatorID) == ["social_work_talent_total", "certificate_holders"])
        #expect(xuancheng.targets.map(\.value) == [10_000, 3_000])
        #expect(xuancheng.targets.map(\.comparator) == [.atLeast, .greater])
        #expect(xuancheng.targets.allSatisfy { $0.deadline == F.date("2027-12-31") })
        // Hubei
        let hubei = try #require(library.examFigureSets.first { $0.id == "hubei-exams" })
        #expect(hubei.jurisdiction == F.region("420000"))
        let growth = hubei.mobilisation.growth(year: 2025, level: nil, region: F.region("420000"))
        #expect(growth.value.number == 30)
        #expect(growth.restsOnDerivedFigure)
        #expect(growth.restsOnLowerBound)
    }

    @Test("every seed measure is still open on the first day and overdue on 2026-01-01")
    func seedStatusesByDate() throws {
        let jiuquan = try #require(try PlanLibrary.load(directory: F.plansDirectory).plan(id: "jiuquan-2025"))
        #expect(PlanStatusSummary(plan: jiuquan, asOf: F.date("2025-12-31")).count(.notStarted) == 22)
        #expect(PlanStatusSummary(plan: jiuquan, asOf: F.date("2026-01-01")).count(.overdue) == 22)
    }

    @Test("a plan file with mistakes reports each of them with its place")
    func invalidFile() {
        // setup: duplicate measure id, empty lead, a deadline outside the period, an unknown indicator,
        // a region outside the jurisdiction, an evidence name with a path
        let yaml = """
        kind: plan
        id: bad
        name: 有错的方案
        jurisdiction: "620900"
        jurisdiction_name: 酒泉市
        period: {from: 2025-01-01, to: 2025-12-31}
        source: 测试
        key_tasks:
          - id: "1"
            title: 任务
            measures:
              - {id: "1.1", text: 甲, lead: 市民政局, deadline: 2025-06-30,
                 reports: [{date: 2025-03-01, text: 进展, evidence: [../secret.txt]}]}
              - {id: "1.1", text: 乙, lead: "", deadline: 2026-03-01}
        targets:
          - {id: t1, indicator: no_such_indicator, region: "620900", comparator: "≥", value: 1, deadline: 2025-12-31}
          - {id: t2, indicator: certificate_holders, region: "341800", comparator: ">=", value: 1, deadline: 2025-12-31}
        """
        // act
        let result = PlanLibrary.decode(yaml: yaml, file: "bad.yaml")
        // check
        guard case .failure(let error) = result else { Issue.record("accepted a bad plan"); return }
        let codes = Set(error.issues.map(\.message.code))
        #expect(codes == ["plan.measure.duplicate", "plan.measure.lead.empty", "plan.measure.deadline.outside",
                          "target.indicator.unknown", "plan.target.region.outside", "plan.report.evidence.name"])
        #expect(error.issues.contains { $0.location == "key_tasks[0].measures[1]" && $0.message.code == "plan.measure.lead.empty" })
        #expect(error.issues.allSatisfy { $0.file == "bad.yaml" })
    }

    @Test("structural mistakes name the missing field; an unknown kind is refused")
    func structuralErrors() {
        let missing = PlanLibrary.decode(yaml: "kind: plan\nid: x\nname: y\n", file: "x.yaml")
        guard case .failure(let error) = missing else { Issue.record("accepted"); return }
        #expect(error.issues.first?.message.code == "plan_file.structure")
        #expect(error.issues.first?.message.chinese.contains("缺少字段") == true)
        let badDate = PlanLibrary.decode(yaml: """
            kind: exam_figures
            id: e
            jurisdiction: "420000"
            jurisdiction_name: 湖北省
            source: s
            figures: [{year: 2025, region: "420100", registrants: 5, passes: 9, provenance: reported}]
            """, file: "e.yaml")
        guard case .failure(let examError) = badDate else { Issue.record("accepted"); return }
        #expect(examError.issues.map(\.message.code) == ["exam.passes.exceed"])
        guard case .failure(let kindError) = PlanLibrary.decode(yaml: "kind: policy\n", file: "k.yaml") else { Issue.record("accepted"); return }
        #expect(kindError.issues.first?.message.code == "plan_file.kind")
    }
}
