import Foundation
import Testing
@testable import ShegongDomain

/// The training breakdown indicators (issue #13 §7): one per tier and per audience, for coverage and
/// for hours, each the overall definition with one more filter, under an id a target can name.
@Suite struct TrainingBreakdownDefinitionTests {
    typealias C = IndicatorCatalogue

    @Test func everyTierAndAudienceHasACoverageAndAnHoursIndicator() throws {
        // check: 5 tiers and 6 audiences, twice
        #expect(C.trainingBreakdown.count == 2 * (TrainingTier.allCases.count + TrainingAudience.allCases.count))
        let county = try #require(C.definition(id: "training_coverage_tier_county"))
        #expect(county.chineseName == "社区工作者培训覆盖率·县级骨干")
        #expect(county.englishName == "Community-worker training coverage, county backbone tier")
        #expect(county.denominator == C.trainingCoverage.denominator && county.factor == .hundred && county.unit == "%")
        guard case .count(let numerator) = county.numerator else { Issue.record("not a count"); return }
        #expect(numerator.filter == RegistryFilter(postCategories: [.communityWorker], trainedIn: .evaluationPeriod, trainingTiers: [.county]))
        let hours = try #require(C.definition(id: "training_hours_per_worker_audience_new_entrant"))
        #expect(hours.divisor == 60 && hours.unit == "小时/人" && hours.needsPeriod)
        guard case .count(let minutes) = hours.numerator else { Issue.record("not a count"); return }
        #expect(minutes.subject == .trainingMinutes && minutes.filter.trainingAudiences == [.newEntrant] && minutes.filter.trainingTiers == nil)
        #expect(hours.chineseFormula.contains("面向新入职的课程"))
        #expect(C.TrainingBreakdown.of(id: "training_hours_per_worker_audience_new_entrant")?.dimension == .audience(.newEntrant))
        #expect(C.TrainingBreakdown.of(id: "training_coverage") == nil)
    }

    /// The dashboard's "rank by" list shows 35 indicators in five labelled groups, not as one run.
    @Test func thePickerGroupsHoldEveryShippedIndicatorOnceInOrder() {
        // check
        #expect(C.groups.map(\.key) == ["main", "coverage_tier", "coverage_audience", "hours_tier", "hours_audience"])
        #expect(C.groups.flatMap(\.indicators).map(\.id).sorted() == C.shipped.map(\.id).sorted())
        #expect(C.groups[0].indicators.first?.id == C.certificateHolders.id && C.groups[0].indicators.count == 13)
        #expect(C.groups[1].indicators.map(\.id) == TrainingTier.allCases.map { "training_coverage_tier_\($0.rawValue)" })
        #expect(C.groups[4].indicators.count == TrainingAudience.allCases.count)
    }

    @Test func theFiltersTravelAsJSONAndOldDefinitionsReadTheSame() throws {
        // setup
        let definition = try #require(C.definition(id: "training_coverage_tier_township"))
        // act
        let json = try JSONEncoder().encode(definition)
        let back = try JSONDecoder().decode(IndicatorDefinition.self, from: json)
        // check: the tier is in the JSON and comes back; the overall indicator's JSON has no such key
        #expect(back == definition)
        #expect(String(decoding: json, as: UTF8.self).contains(#""trainingTiers":["township"]"#))
        #expect(!String(decoding: try JSONEncoder().encode(C.trainingCoverage), as: UTF8.self).contains("trainingTiers"))
    }

    @Test func aTierOrAudienceOnPeopleNeedsTrainedInAndCannotBeEmpty() {
        // check
        let noWindow = RegistryCount(.people, RegistryFilter(trainingTiers: [.city])).validate()
        #expect(noWindow.map(\.code) == ["indicator.filter.contradiction"])
        let empty = RegistryCount(.trainingMinutes, RegistryFilter(trainingAudiences: [])).validate()
        #expect(empty.map(\.code) == ["indicator.filter.empty_list"])
        #expect(RegistryCount(.trainingMinutes, RegistryFilter(trainingTiers: [.exam, .other])).validate().isEmpty)
        #expect(RegistryCount(.practiceBases, RegistryFilter(trainingTiers: [.city])).validate().map(\.code) == ["indicator.filter.not_applicable"])
    }
}
