import Foundation
import Testing
import ShegongDomain

/// Progress as the dashboard's bar shows it (issue #17 §4, docs/indicators.md "Progress"), against
/// figures computed by hand: a met target is a full bar (100%, not 646%); an unmet one is the share
/// of the way from baseline to target; a baseline already at or beyond the target has no way to
/// cover, so it is 100% while met and 0% once the value falls short, and is flagged for the note.
@Suite("Target progress: met, unmet, baseline at or beyond the target")
struct TargetProgressTests {
    typealias F = IndicatorFixture

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var comparator: TargetComparator
        var target: Double
        var baseline: Double
        var current: Double
        var progress: Double
        var status: TargetAssessment.Status
        var baselineMeets: Bool
        var description: String { name }
    }

    static let cases: [Case] = [
        // ≥ 800 from 500: 650 is (650 − 500) ÷ (800 − 500) = 0.5; unmet before the deadline
        Case(name: "unmet, half way", comparator: .atLeast, target: 800, baseline: 500, current: 650, progress: 0.5, status: .atRisk, baselineMeets: false),
        // 740 is 240 ÷ 300 = 0.8
        Case(name: "unmet, four fifths", comparator: .atLeast, target: 800, baseline: 500, current: 740, progress: 0.8, status: .atRisk, baselineMeets: false),
        // met exactly, and met far beyond (the old 646%: (2438 − 500) ÷ 300 = 6.46): both a full bar
        Case(name: "met exactly", comparator: .atLeast, target: 800, baseline: 500, current: 800, progress: 1, status: .met, baselineMeets: false),
        Case(name: "met far beyond", comparator: .atLeast, target: 800, baseline: 500, current: 2438, progress: 1, status: .met, baselineMeets: false),
        // the community-worker certification rate: 50% asked, 62% at the baseline, 64% now: met, 100%
        Case(name: "baseline above target, still met", comparator: .atLeast, target: 50, baseline: 62, current: 64, progress: 1, status: .met, baselineMeets: true),
        // baseline exactly at the target: no distance; met
        Case(name: "baseline at target", comparator: .atLeast, target: 50, baseline: 50, current: 50, progress: 1, status: .met, baselineMeets: true),
        // from a baseline that met it, the value fell below: 0%, not −20%
        Case(name: "baseline above target, fallen below", comparator: .atLeast, target: 50, baseline: 62, current: 48, progress: 0, status: .atRisk, baselineMeets: true),
        // ≤ 20 from 30: 25 is (25 − 30) ÷ (20 − 30) = 0.5
        Case(name: "at most, half way", comparator: .atMost, target: 20, baseline: 30, current: 25, progress: 0.5, status: .atRisk, baselineMeets: false),
        // ≤ 20 with a baseline of 15 (already met) and 18 now: met, 100%
        Case(name: "at most, baseline below the ceiling", comparator: .atMost, target: 20, baseline: 15, current: 18, progress: 1, status: .met, baselineMeets: true),
    ]

    @Test(arguments: cases)
    func progress(_ c: Case) {
        // setup: the baseline at the start of the year, two observations for a trend, as of 1 July
        let target = Target(id: "t", indicatorID: "certificate_holders", region: F.jiuquan, comparator: c.comparator, value: c.target,
                            baseline: F.observation("2025-01-01", c.baseline), deadline: F.date("2025-12-31"))
        // act
        let a = target.assess(observations: [F.observation("2025-01-01", c.baseline), F.observation("2025-07-01", c.current)],
                              asOf: F.date("2025-07-01"))
        // check
        #expect(abs(a.progress! - c.progress) < 1e-12, "\(c.name): \(a.progress!)")
        #expect(a.progressBar == min(1, max(0, c.progress)))
        #expect(a.baselineMeetsTarget == c.baselineMeets)
        if c.status == .met { #expect(a.status == .met) } else { #expect(a.status != .met) }
    }
}
