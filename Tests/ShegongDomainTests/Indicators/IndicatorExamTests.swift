import Foundation
import Testing
import ShegongDomain

@Suite("Exam mobilisation: pass rate and growth")
struct IndicatorExamTests {
    typealias F = IndicatorFixture
    static let hubei = F.region("420000")
    static let wuhan = F.region("420100")

    static let figures = ExamMobilisation(figures: [
        ExamFigure(year: 2024, region: hubei, registrants: 60_000, provenance: .derived),
        ExamFigure(year: 2025, region: hubei, registrants: 78_000, registrantsAtLeast: true),
        ExamFigure(year: 2024, level: .assistant, region: wuhan, registrants: 1_000, passes: 250),
        ExamFigure(year: 2025, level: .assistant, region: wuhan, registrants: 1_200, passes: 330),
        ExamFigure(year: 2025, level: .intermediate, region: wuhan, registrants: 0, passes: 0),
    ])

    @Test("Hubei: 78,000 registrants against 60,000 is 30% growth")
    func hubeiGrowth() {
        // act
        let growth = Self.figures.growth(year: 2025, level: nil, region: Self.hubei)
        // check: (78000 − 60000) × 100 ÷ 60000 = 30
        #expect(growth.value == .value(30, numerator: 18_000, denominator: 60_000))
        #expect(growth.restsOnDerivedFigure)
    }

    @Test("pass rate is passes × 100 ÷ registrants; growth works per level and for passes")
    func passRate() {
        #expect(Self.figures.passRate(year: 2024, level: .assistant, region: Self.wuhan).value.number == 25)
        #expect(Self.figures.passRate(year: 2025, level: .assistant, region: Self.wuhan).value.number == 27.5)
        // (1200 − 1000) ÷ 1000 = 20%; passes (330 − 250) ÷ 250 = 32%
        #expect(Self.figures.growth(year: 2025, level: .assistant, region: Self.wuhan).value.number == 20)
        #expect(Self.figures.growth(of: .passes, year: 2025, level: .assistant, region: Self.wuhan).value.number == 32)
        #expect(!Self.figures.growth(year: 2025, level: .assistant, region: Self.wuhan).restsOnDerivedFigure)
    }

    @Test("a missing figure is no data with the reason")
    func missing() {
        // Hubei has no pass figures
        let rate = Self.figures.passRate(year: 2025, level: nil, region: Self.hubei)
        #expect(rate.value.noDataReason?.code == "exam.passes.missing")
        #expect(rate.value.noDataReason?.chinese == "420000 2025年全部等级 的通过人数尚未公布或填报")
        // no 2023 figures to grow from
        #expect(Self.figures.growth(year: 2024, level: nil, region: Self.hubei).value.noDataReason?.code == "exam.previous.missing")
        // no figures at all
        #expect(Self.figures.passRate(year: 2025, level: .senior, region: Self.wuhan).value.noDataReason?.code == "exam.figure.missing")
        // zero registrants: no rate, not a division
        #expect(Self.figures.passRate(year: 2025, level: .intermediate, region: Self.wuhan).value.noDataReason?.code == "exam.registrants.zero")
    }

    @Test("validation catches passes above registrants, negatives, early years and duplicates")
    func validation() {
        let bad = ExamMobilisation(figures: [
            ExamFigure(year: 2007, region: Self.hubei, registrants: 10, passes: 11),
            ExamFigure(year: 2025, region: Self.hubei, registrants: -1),
            ExamFigure(year: 2025, region: Self.hubei, registrants: 5),
        ])
        #expect(bad.validate().map(\.code) == ["exam.year.range", "exam.passes.exceed", "exam.registrants.negative", "exam.duplicate"])
        #expect(Self.figures.validate().isEmpty)
    }
}
