import Foundation
import Testing
@testable import ShegongDomain

@Suite struct ChartNumberTests {
    @Test(arguments: [
        (ChartValueFormat.count, 0.0, "0"),
        (.count, 1_234_567, "1,234,567"),
        (.count, -1234.5, "-1,235"),
        (.count, 999.5, "1,000"),
        (.count, -0.2, "0"),
        (.percent, 0.4532, "45.3%"),
        (.percent, 1, "100.0%"),
        (.percent, 0.00049, "0.0%"),
        (.decimal(2), 0.125, "0.13"),
        (.decimal(2), -0.125, "-0.13"),
        (.decimal(2), 0.1 + 0.2, "0.30"),
        (ChartValueFormat(decimals: 1, suffix: " 人", grouping: false), 12345.67, "12345.7 人"),
        (.count, .nan, "—"),
        (.count, .infinity, "—"),
        (.count, 1e300, "1,000,000,000,000,000"),
        // Past what a Double carries, decimals are dropped rather than invented.
        (.decimal(2), 9e14, "900,000,000,000,000"),
    ])
    func valuesAreWrittenTheSameWayOnEveryMachine(format: ChartValueFormat, value: Double, expected: String) {
        #expect(format.text(value) == expected)
    }

    @Test(arguments: [
        (0.0, "0"), (-0.001, "0"), (12.5, "12.5"), (12.345, "12.35"), (-3.1, "-3.1"), (100, "100"),
        (Double.nan, "0"), (.infinity, "0"), (1e300, "1000000000"), (0.07, "0.07"),
    ])
    func coordinatesHaveAtMostTwoDecimalsAndAreAlwaysFinite(value: Double, expected: String) {
        #expect(ChartNumber.coordinate(value) == expected)
    }

    @Test func ticksAreNiceStepsCoveringTheRange() {
        #expect(ChartNumber.ticks(low: 0, high: 268, resolution: 1) == [0, 100, 200, 300])
        #expect(ChartNumber.ticks(low: 0, high: 78_200, resolution: 1) == [0, 20_000, 40_000, 60_000, 80_000])
        #expect(ChartNumber.ticks(low: -5, high: 12, resolution: 1) == [-5, 0, 5, 10, 15])
        // Counts never get half steps; a flat zero axis still has two ticks.
        #expect(ChartNumber.ticks(low: 0, high: 2, resolution: 1) == [0, 1, 2])
        #expect(ChartNumber.ticks(low: 0, high: 0, resolution: 1) == [0, 1])
        #expect(ChartNumber.ticks(low: 7, high: 7, resolution: 1).first == 0)
        let shares = ChartNumber.ticks(low: 0, high: 0.5, resolution: ChartValueFormat.percent.resolution)
        #expect(shares.count == 6 && shares.last == 0.5)
        #expect(ChartNumber.ticks(low: .nan, high: .infinity, resolution: 1).allSatisfy { $0.isFinite })
    }

    @Test func axisLabelsDropDecimalsTheStepDoesNotNeed() {
        #expect(ChartValueFormat.percent.forTicks([0, 0.2, 0.4]).text(0.4) == "40%")
        #expect(ChartValueFormat.percent.forTicks([0, 0.025, 0.05]).text(0.025) == "2.5%")
        #expect(ChartValueFormat.decimal(2).forTicks([0, 0.5, 1]).text(0.5) == "0.5")
    }

    @Test func textWidthsAndCuttingFollowCharacterKinds() {
        #expect(ChartText.width("肃州区", fontSize: 12) == 36)
        #expect(ChartText.width("2025", fontSize: 10) < ChartText.width("二〇二五", fontSize: 10))
        let cut = ChartText.fit("阿克塞哈萨克族自治县", maxWidth: 60, fontSize: 12)
        #expect(cut.hasSuffix("…") && ChartText.width(cut, fontSize: 12) <= 60)
        #expect(ChartText.fit("瓜州县", maxWidth: 60, fontSize: 12) == "瓜州县")
        #expect(ChartText.escape("a<b>&\"c'\u{1}\nd") == "a&lt;b&gt;&amp;&quot;c&#39; d")
    }
}
