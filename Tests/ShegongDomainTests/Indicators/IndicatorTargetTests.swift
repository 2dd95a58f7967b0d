import Foundation
import Testing
import ShegongDomain

@Suite("Targets: progress, required path, projection, status")
struct IndicatorTargetTests {
    typealias F = IndicatorFixture

    static func holdersTarget(baseline: TargetObservation? = nil) -> Target {
        Target(id: "t", indicatorID: "certificate_holders", region: F.jiuquan, comparator: .atLeast, value: 800,
               baseline: baseline, deadline: F.date("2025-12-31"))
    }

    static func ratioTarget() -> Target {
        Target(id: "r", indicatorID: "correction_subjects_per_social_worker", region: F.jiuquan, comparator: .atMost, value: 20,
               baseline: F.observation("2025-01-01", 30), deadline: F.date("2025-12-31"))
    }

    @Test("≥ target: 500 on 1 Jan and 600 on 1 Jul project to 701.1 at year end — at risk")
    func projectionAtLeast() {
        // setup: x in days from 2025-01-01: 0 and 181; the deadline is day 364.
        // Two points: the line through them, 500 + 100 × 364 ÷ 181 = 701.105.
        let target = Self.holdersTarget()
        let observations = [F.observation("2025-01-01", 500), F.observation("2025-07-01", 600)]
        // act
        let a = target.assess(observations: observations, asOf: F.date("2025-07-01"))
        // check
        #expect(a.status == .atRisk)
        #expect(abs(a.projection! - (500 + 100.0 * 364 / 181)) < 1e-9)
        #expect(a.reason.code == "target.at_risk")
        #expect(a.reason.chinese == "按当前趋势，2025-12-31 预计达到 701.1，低于目标 800")
        #expect(a.reason.english == "at the current trend, 701.1 is expected by 2025-12-31, below the target of 800")
        // progress from the first observation (no baseline given): (600 − 500) ÷ (800 − 500)
        #expect(a.baseline == F.observation("2025-01-01", 500))
        #expect(abs(a.progress! - 1.0 / 3.0) < 1e-12)
        // the straight path needs 500 + 300 × 181 ÷ 364 = 649.18 on 1 July; 600 is 49.18 behind
        #expect(abs(a.requiredAtCurrent! - (500 + 300.0 * 181 / 364)) < 1e-9)
        #expect(abs(a.aheadOfPath! - (600 - (500 + 300.0 * 181 / 364))) < 1e-9)
        #expect(a.trend?.pointCount == 2)
    }

    @Test("on-track vs at-risk boundary: a projection landing exactly on 800 is on track, 798 is at risk")
    func boundary() {
        // setup: baseline 500 on day 0, one observation on day 182 (2025-07-02); the deadline is day 364 = 2 × 182.
        let target = Self.holdersTarget(baseline: F.observation("2025-01-01", 500))
        // act: 650 → 500 + 2 × 150 = 800 exactly
        let exact = target.assess(observations: [F.observation("2025-07-02", 650)], asOf: F.date("2025-07-02"))
        // act: 649 → 500 + 2 × 149 = 798
        let short = target.assess(observations: [F.observation("2025-07-02", 649)], asOf: F.date("2025-07-02"))
        // check
        #expect(exact.status == .onTrack)
        #expect(exact.reason.chinese == "按当前趋势，2025-12-31 预计达到 800，可达到目标（≥ 800）")
        #expect(short.status == .atRisk)
        #expect(short.reason.chinese == "按当前趋势，2025-12-31 预计达到 798，低于目标 800")
    }

    @Test("≤ target: 30 → 28 → 25 fits a line reaching 15 by the deadline — on track, half way")
    func projectionAtMost() {
        // setup: points (day 0, 30) baseline, (60, 28), (120, 25). Least squares: mean x 60, mean y 83/3,
        // Sxx = 7200, Sxy = −300, slope −1/24 per day; at day 364: 83/3 − 304/24 = 15.
        let target = Self.ratioTarget()
        let observations = [F.observation("2025-03-02", 28), F.observation("2025-05-01", 25)]
        // act
        let a = target.assess(observations: observations, asOf: F.date("2025-05-01"))
        // check
        #expect(a.status == .onTrack)
        #expect(abs(a.projection! - 15) < 1e-9)
        #expect(abs(a.trend!.slopePerDay - (-1.0 / 24)) < 1e-12)
        #expect(a.trend?.pointCount == 3)
        #expect(a.reason.chinese == "按当前趋势，2025-12-31 预计达到 15，可达到目标（≤ 20）")
        // (25 − 30) ÷ (20 − 30) = 0.5
        #expect(abs(a.progress! - 0.5) < 1e-12)
        // required on day 120: 30 − 10 × 120 ÷ 364 = 26.70; 25 is below it, which for ≤ is ahead
        #expect(abs(a.requiredAtCurrent! - (30 - 10.0 * 120 / 364)) < 1e-9)
        #expect(a.aheadOfPath! > 0)
        #expect(abs(a.aheadOfPath! - ((30 - 10.0 * 120 / 364) - 25)) < 1e-9)
    }

    @Test("≤ target falling too slowly is at risk, and the reason says above the target")
    func atMostAtRisk() {
        // setup: (0, 30), (60, 29.5), (120, 29) — slope −1/120; at day 364: 30 − 364/120 = 26.967
        let target = Self.ratioTarget()
        // act
        let a = target.assess(observations: [F.observation("2025-03-02", 29.5), F.observation("2025-05-01", 29)],
                              asOf: F.date("2025-05-01"))
        // check
        #expect(a.status == .atRisk)
        #expect(abs(a.projection! - (30 - 364.0 / 120)) < 1e-9)
        #expect(a.reason.chinese == "按当前趋势，2025-12-31 预计达到 26.97，高于目标 20")
        #expect(a.aheadOfPath! < 0)
    }

    @Test("met as soon as the latest value satisfies the target")
    func met() {
        let a = Self.holdersTarget(baseline: F.observation("2024-12-31", 500))
            .assess(observations: [F.observation("2025-06-01", 640), F.observation("2025-10-01", 812)], asOf: F.date("2025-11-01"))
        #expect(a.status == .met)
        #expect(a.reason.chinese == "2025-10-01 实际值 812，已达到目标（≥ 800）")
        #expect(a.progressBar == 1)
        #expect(a.progress == 1, "a met target is 100%, not 104%")
    }

    @Test("after the deadline only values up to the deadline decide: missed")
    func missed() {
        // setup: a late surge after the deadline must not turn a miss into a success
        let observations = [F.observation("2025-06-30", 650), F.observation("2025-12-31", 712), F.observation("2026-01-10", 900)]
        // act
        let a = Self.holdersTarget().assess(observations: observations, asOf: F.date("2026-01-15"))
        // check
        #expect(a.status == .missed)
        #expect(a.current == F.observation("2025-12-31", 712))
        #expect(a.reason.chinese == "期限 2025-12-31 前最近一次实际值 712（2025-12-31），低于目标（≥ 800），未达成")
    }

    @Test("observations dated after the assessment date are not yet known")
    func futureObservationsIgnored() {
        let a = Self.holdersTarget().assess(observations: [F.observation("2025-01-01", 500), F.observation("2025-12-01", 900)],
                                            asOf: F.date("2025-06-01"))
        #expect(a.current == F.observation("2025-01-01", 500))
        #expect(a.status == .noData)
        #expect(a.reason.code == "target.no_trend")
    }

    @Test("no observations, or one without a baseline, is no data with a reason")
    func noData() {
        let none = Self.holdersTarget().assess(observations: [], asOf: F.date("2025-06-01"))
        #expect(none.status == .noData)
        #expect(none.reason.chinese == "截至 2025-06-01 尚无观测值（目标 ≥ 800）")
        let pastNone = Self.holdersTarget().assess(observations: [F.observation("2026-02-01", 900)], asOf: F.date("2026-03-01"))
        #expect(pastNone.status == .noData)
        #expect(pastNone.reason.code == "target.no_observation_before_deadline")
    }

    @Test("a baseline plus one observation is enough for a trend")
    func baselineMakesTrend() {
        // (0, 500) and (181, 600): same line as the two-observation case
        let a = Self.holdersTarget(baseline: F.observation("2025-01-01", 500))
            .assess(observations: [F.observation("2025-07-01", 600)], asOf: F.date("2025-07-01"))
        #expect(a.status == .atRisk)
        #expect(abs(a.projection! - (500 + 100.0 * 364 / 181)) < 1e-9)
    }

    @Test("the path lists baseline, observations and deadline with required and actual values")
    func path() {
        let a = Self.holdersTarget(baseline: F.observation("2025-01-01", 500))
            .assess(observations: [F.observation("2025-07-02", 650)], asOf: F.date("2025-08-01"))
        #expect(a.path.map(\.date) == [F.date("2025-01-01"), F.date("2025-07-02"), F.date("2025-12-31")])
        #expect(a.path.map(\.required) == [500, 650, 800])
        #expect(a.path.map(\.actual) == [500, 650, nil])
    }

    @Test("“more than 3000” is not met by exactly 3000; “= 30 ± 2” accepts 28 and 32")
    func strictAndEqual() {
        let more = Target(id: "x", indicatorID: "certificate_holders", region: F.region("341800"), comparator: .greater,
                          value: 3000, deadline: F.date("2027-12-31"))
        #expect(!more.isSatisfied(by: 3000))
        #expect(more.isSatisfied(by: 3001))
        let about = Target(id: "y", indicatorID: "school_coverage", region: F.jiuquan, comparator: .equal, value: 30,
                           tolerance: 2, deadline: F.date("2025-12-31"))
        #expect(about.isSatisfied(by: 28) && about.isSatisfied(by: 32))
        #expect(!about.isSatisfied(by: 32.5))
        #expect(about.statement == "= 30（±2）")
    }

    @Test("comparators decode from ≥ ≤ = > < and from >= <=")
    func comparatorDecoding() throws {
        for (text, expected) in [("≥", TargetComparator.atLeast), (">=", .atLeast), ("≤", .atMost), ("<=", .atMost),
                                 ("=", .equal), (">", .greater), ("<", .less)] {
            let decoded = try JSONDecoder().decode([TargetComparator].self, from: Data("[\"\(text)\"]".utf8))
            #expect(decoded == [expected])
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TargetComparator].self, from: Data(#"["about"]"#.utf8)) }
    }

    @Test("target validation: unknown indicator, baseline after deadline, period needed")
    func validation() {
        let bad = Target(id: "b", indicatorID: "no_such", region: F.jiuquan, comparator: .atLeast, value: -1,
                         baseline: F.observation("2026-01-01", 1), deadline: F.date("2025-12-31"))
        #expect(Set(bad.validate().map(\.code)) == ["target.indicator.unknown", "target.value.invalid", "target.baseline.after_deadline"])
        let noPeriod = Target(id: "n", indicatorID: "new_certificate_holders", region: F.jiuquan, comparator: .atLeast,
                              value: 300, deadline: F.date("2025-12-31"))
        #expect(noPeriod.validate().map(\.code) == ["target.period.missing"])
    }

    @Test("a city's target beside the sum of its counties' targets")
    func countySum() {
        // setup: 酒泉 800; 肃州区 100, 金塔县 150, 敦煌市 200; a 宣城 county and another indicator are left out
        func t(_ id: String, _ region: String, _ value: Double, indicator: String = "certificate_holders") -> Target {
            Target(id: id, indicatorID: indicator, region: F.region(region), comparator: .atLeast, value: value, deadline: F.date("2025-12-31"))
        }
        let city = t("city", "620900", 800)
        let counties = [t("a", "620902", 100), t("b", "620921", 150), t("c", "620982", 200), t("d", "341802", 999),
                        t("e", "620923", 50, indicator: "social_work_talent_total")]
        // act
        let sum = CountyTargetSum(city: city, counties: counties, definition: IndicatorCatalogue.certificateHolders)
        // check
        #expect(sum.sum == 450)
        #expect(sum.gap == 350)
        #expect(sum.counties.map(\.id) == ["a", "b", "c"])
        #expect(sum.ignored.map(\.reason.code) == ["target.rollup.outside", "target.rollup.other_indicator"])
        // ratios do not add up
        let rate = CountyTargetSum(city: t("r", "620900", 50, indicator: "school_coverage"),
                                   counties: [t("r1", "620902", 50, indicator: "school_coverage")],
                                   definition: IndicatorCatalogue.schoolCoverage)
        #expect(rate.sum == nil)
        #expect(rate.note?.code == "target.rollup.not_additive")
    }
}
