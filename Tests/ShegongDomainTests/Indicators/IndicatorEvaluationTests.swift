import Foundation
import Testing
import ShegongDomain

@Suite("Indicators: shipped definitions and evaluation")
struct IndicatorEvaluationTests {
    typealias C = IndicatorCatalogue

    /// Each shipped indicator against a hand-computed fixture: (definition, numerator, denominator, expected, shown).
    static let fixtures: [(IndicatorDefinition, Int, Int?, Double, String)] = [
        (C.certificateHolders, 812, nil, 812, "812人"),
        (C.newCertificateHolders, 300, nil, 300, "300人"),
        (C.socialWorkTalentTotal, 10_000, nil, 10_000, "10000人"),
        // 130 certified community workers of 260 → 130 × 100 ÷ 260 = 50
        (C.communityWorkerCertificationRate, 130, 260, 50, "50%"),
        // 45 schools with service of 150 → 30
        (C.schoolCoverage, 45, 150, 30, "30%"),
        // 120 workers in elderly care, 150,000 people 60+ → 120 × 1000 ÷ 150000 = 0.8
        (C.socialWorkersPer1000OlderPeople, 120, 150_000, 0.8, "0.8人/千名老年人"),
        // 30 workers in care homes, 2,400 beds → 30 × 100 ÷ 2400 = 1.25
        (C.socialWorkersPer100CareBeds, 30, 2_400, 1.25, "1.25人/百张床位"),
        // 420 subjects, 12 workers → 35 per worker
        (C.correctionSubjectsPerSocialWorker, 420, 12, 35, "35人/名社会工作者"),
        // 5 of 7 county units → 500 ÷ 7 = 71.428…
        (C.countyUnitsWithPracticeBase, 5, 7, 500.0 / 7.0, "71.4%"),
        // 9 pilots over 7 counties → 1.2857…
        (C.pilotCommunitiesPerCounty, 9, 7, 9.0 / 7.0, "1.29个/县"),
        (C.countyUnitsWithPilotCase, 7, 7, 100, "100%"),
        // 39 of 52 community workers on file attended → 75
        (C.trainingCoverage, 39, 52, 75, "75%"),
        // 3,120 credited minutes over 16 workers → 3120 ÷ 60 ÷ 16 = 3.25 hours
        (C.trainingHoursPerWorker, 3_120, 16, 3.25, "3.3小时/人"),
    ]

    @Test("the catalogue ships the indicators the issue lists, with unique valid ids")
    func catalogue() {
        // check
        // the issue's 13, then the training breakdowns by tier and audience (TrainingBreakdownDefinitionTests)
        #expect(C.shipped.count == 13 + C.trainingBreakdown.count)
        #expect(Set(C.shipped.map(\.id)).count == C.shipped.count)
        for definition in C.shipped { #expect(definition.validate().isEmpty, "\(definition.id)") }
        #expect(Set(Self.fixtures.map(\.0.id)) == Set(C.shipped.map(\.id)).subtracting(C.trainingBreakdown.map(\.id)))
    }

    @Test("each shipped indicator evaluates to its hand-computed value", arguments: 0..<13)
    func shippedValue(index: Int) {
        // setup
        let (definition, numerator, denominator, expected, shown) = Self.fixtures[index]
        let inputs = IndicatorFixture.inputs(definition, numerator: numerator, denominator: denominator)
        // act
        let value = evaluate(definition, counts: inputs)
        // check
        guard case .value(let v, let n, let d) = value else { Issue.record("\(definition.id): \(value)"); return }
        #expect(abs(v - expected) < 1e-12, "\(definition.id)")
        #expect(n == numerator)
        #expect(d == denominator)
        #expect(definition.formatted(value) == shown)
    }

    @Test("the shipped formulas read as the docs state them")
    func formulas() {
        #expect(C.communityWorkerCertificationRate.chineseFormula == "社会工作人才（社区工作者，持证） × 100 ÷ 社区工作者总数")
        #expect(C.socialWorkersPer1000OlderPeople.chineseFormula == "社会工作人才（服务领域为养老） × 1000 ÷ 60岁及以上老年人口")
        #expect(C.socialWorkersPer100CareBeds.chineseFormula == "社会工作人才（服务领域为养老，就职于养老机构） × 100 ÷ 养老机构床位数")
        #expect(C.countyUnitsWithPracticeBase.chineseFormula == "县级单位（有县级实践基地） × 100 ÷ 县级单位")
        #expect(C.newCertificateHolders.chineseFormula == "社会工作人才（统计期内首次取证）")
        #expect(C.newCertificateHolders.needsPeriod)
        #expect(!C.certificateHolders.needsPeriod)
        #expect(C.certificateHolders.isAdditive && !C.schoolCoverage.isAdditive)
    }

    @Test("a zero denominator gives no data with a Chinese reason, never a division")
    func zeroDenominator() {
        // act
        let value = evaluate(C.socialWorkersPer1000OlderPeople, counts: IndicatorFixture.inputs(
            C.socialWorkersPer1000OlderPeople, numerator: 12, denominator: 0))
        // check
        #expect(value.number == nil)
        let reason = value.noDataReason
        #expect(reason?.code == "indicator.denominator.zero")
        #expect(reason?.chinese == "分母「60岁及以上老年人口」为 0，无法计算「每千名老年人拥有社会工作者数」")
        #expect(C.socialWorkersPer1000OlderPeople.formatted(value) == "无数据")
    }

    @Test("a region statistic nobody entered gives no data saying it is not entered")
    func missingStatistic() {
        // setup: the store counted the numerator but 民政 never entered the headcount
        let inputs = IndicatorFixture.inputs(C.communityWorkerCertificationRate, numerator: 130, denominator: nil)
        // act
        let reason = evaluate(C.communityWorkerCertificationRate, counts: inputs).noDataReason
        // check
        #expect(reason?.code == "indicator.denominator.missing")
        #expect(reason?.chinese == "分母「社区工作者总数」尚未填报，无法计算「社区工作者持证率」")
    }

    @Test("no social workers in community correction: the ratio has no data, not infinity")
    func zeroWorkersInRatio() {
        let value = evaluate(C.correctionSubjectsPerSocialWorker,
                             counts: IndicatorFixture.inputs(C.correctionSubjectsPerSocialWorker, numerator: 420, denominator: 0))
        #expect(value.noDataReason?.code == "indicator.denominator.zero")
        #expect(value.noDataReason?.chinese.contains("社会工作人才（服务领域为社区矫正）") == true)
    }

    @Test("a missing numerator that needs a period says a period is needed")
    func missingPeriod() {
        let reason = evaluate(C.newCertificateHolders, counts: IndicatorInputs()).noDataReason
        #expect(reason?.code == "indicator.numerator.missing")
        #expect(reason?.chinese.contains("须指定统计期") == true)
    }

    @Test("a negative count is reported as wrong data, not computed")
    func negativeInput() {
        let value = evaluate(C.schoolCoverage, counts: IndicatorFixture.inputs(C.schoolCoverage, numerator: -1, denominator: 10))
        #expect(value.noDataReason?.code == "indicator.numerator.negative")
    }

    @Test("zero in the numerator is a real 0, not no data")
    func zeroNumerator() {
        let value = evaluate(C.schoolCoverage, counts: IndicatorFixture.inputs(C.schoolCoverage, numerator: 0, denominator: 150))
        #expect(value == .value(0, numerator: 0, denominator: 150))
    }

    @Test("the factor multiplies numerator ÷ denominator: 1, 100 and 1000", arguments: [
        (IndicatorFactor.one, 0.25), (.hundred, 25.0), (.thousand, 250.0),
    ])
    func factor(factor: IndicatorFactor, expected: Double) {
        // setup: 3 of 12
        let definition = IndicatorDefinition(id: "test_ratio", chineseName: "测试", englishName: "test",
            numerator: .statistic(.schoolsWithSocialWork), denominator: .statistic(.schools), factor: factor, unit: "")
        // act
        let value = evaluate(definition, counts: IndicatorFixture.inputs(definition, numerator: 3, denominator: 12))
        // check
        #expect(value.number == expected)
    }

    @Test("a count without a denominator is also scaled by its factor")
    func factorOnCount() {
        let definition = IndicatorDefinition(id: "count_x100", chineseName: "测试", englishName: "test",
            numerator: .count(.init(.people)), factor: .hundred, unit: "")
        #expect(evaluate(definition, counts: IndicatorFixture.inputs(definition, numerator: 7)).number == 700)
    }

    @Test("filters that do not fit the subject or contradict each other are rejected")
    func filterValidation() {
        let wrongSubject = RegistryCount(.practiceBases, .init(postCategories: [.communityWorker]))
        #expect(wrongSubject.validate().map(\.code) == ["indicator.filter.not_applicable"])
        let contradiction = RegistryCount(.people, .init(certificateHeld: false, levels: [.assistant]))
        #expect(contradiction.validate().map(\.code) == ["indicator.filter.contradiction"])
        let empty = RegistryCount(.people, .init(serviceFields: []))
        #expect(empty.validate().map(\.code) == ["indicator.filter.empty_list"])
        let badID = IndicatorDefinition(id: "Bad Id", chineseName: "x", englishName: "x", numerator: .count(.init(.people)), unit: "")
        #expect(badID.validate().map(\.code) == ["indicator.id.invalid"])
    }

    @Test("definitions round-trip through JSON in the documented shape")
    func codable() throws {
        // act
        let data = try JSONEncoder().encode(C.socialWorkersPer100CareBeds)
        let back = try JSONDecoder().decode(IndicatorDefinition.self, from: data)
        // check
        #expect(back == C.socialWorkersPer100CareBeds)
        let term = try JSONDecoder().decode(IndicatorTerm.self, from: Data(#"{"statistic":"population_60_plus"}"#.utf8))
        #expect(term == .statistic(.population60Plus))
        let period = try JSONDecoder().decode(IndicatorTerm.self, from: Data(
            #"{"count":{"subject":"people","filter":{"firstCertifiedIn":"evaluation_period"}}}"#.utf8))
        #expect(period == C.newCertificateHolders.numerator)
        let fixed = try JSONDecoder().decode(PeriodFilter.self, from: Data(#"{"from":"2025-01-01","to":"2025-12-31"}"#.utf8))
        #expect(fixed == .fixed(.year(2025)))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(IndicatorTerm.self, from: Data(#"{"statistic":"schools","count":{"subject":"people","filter":{}}}"#.utf8))
        }
    }

    @Test("figures are written with at most the given decimals and no trailing zeros")
    func numberFormat() {
        #expect(IndicatorNumber.format(701.1049) == "701.1")
        #expect(IndicatorNumber.format(800.0) == "800")
        #expect(IndicatorNumber.format(26.96667) == "26.97")
        #expect(IndicatorNumber.format(71.428571, decimals: 1) == "71.4")
        #expect(IndicatorNumber.format(-0.001) == "0")
        #expect(IndicatorNumber.format(.nan) == "—")
    }
}
