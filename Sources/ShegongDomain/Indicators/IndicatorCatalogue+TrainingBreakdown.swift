import Foundation

/// Training coverage and hours per worker by course tier and by course audience (issue #13 §7:
/// "by tier and audience, as indicators that plans and targets can use"). Each breakdown is an
/// indicator of its own with a stable id — `training_coverage_tier_county`,
/// `training_hours_per_worker_audience_new_entrant` — because a target names its indicator by id:
/// the overall indicators' definitions with a `trainingTiers` or `trainingAudiences` filter added
/// (docs/indicators.md, docs/training.md "Coverage by tier and audience").
extension IndicatorCatalogue {
    /// Which overall indicator a breakdown splits, by which dimension and value.
    public struct TrainingBreakdown: Hashable, Sendable {
        public enum Measure: String, CaseIterable, Sendable { case coverage, hours }
        public enum Dimension: Hashable, Sendable {
            case tier(TrainingTier)
            case audience(TrainingAudience)

            /// `tier` or `audience`, and the code of the value.
            public var name: String {
                switch self { case .tier: return "tier"; case .audience: return "audience" }
            }
            public var code: String {
                switch self { case .tier(let t): return t.rawValue; case .audience(let a): return a.rawValue }
            }
        }

        public var measure: Measure
        public var dimension: Dimension

        public init(measure: Measure, dimension: Dimension) {
            self.measure = measure
            self.dimension = dimension
        }

        /// The overall indicator this splits (`training_coverage`, `training_hours_per_worker`).
        public var overall: IndicatorDefinition { measure == .coverage ? IndicatorCatalogue.trainingCoverage : IndicatorCatalogue.trainingHoursPerWorker }
        public var id: String { "\(overall.id)_\(dimension.name)_\(dimension.code)" }

        public var definition: IndicatorDefinition {
            let base = overall
            var numerator = base.numerator
            if case .count(var count) = numerator {
                switch dimension {
                case .tier(let tier): count.filter.trainingTiers = [tier]
                case .audience(let audience): count.filter.trainingAudiences = [audience]
                }
                numerator = .count(count)
            }
            let (chinese, english): (String, String)
            switch dimension {
            case .tier(let tier): (chinese, english) = ("·" + tier.chineseIndicatorName, ", " + tier.englishIndicatorName + " tier")
            case .audience(let audience): (chinese, english) = ("·面向" + audience.chineseIndicatorName, ", courses for " + audience.englishIndicatorName)
            }
            let note = measure == .coverage
                ? "统计期内参加过该类课程培训班次（至少一天有签到学时）的社区工作者占人才库中社区工作者的比例；同一人在该类中只计一次。"
                : "统计期内该类课程培训班次结业后记入的社区工作者学时 ÷ 60，除以人才库中登记在册的社区工作者人数。"
            let scope: String
            switch dimension {
            case .tier: scope = "按课程层级（\(chinese.dropFirst())）。"
            case .audience: scope = "按课程培训对象（\(chinese.dropFirst())；面向“全体”的课程只计入“全体”）；分母仍为社区工作者，因为人才库不记录人员属于哪类培训对象。"
            }
            return IndicatorDefinition(id: id, chineseName: base.chineseName + chinese, englishName: base.englishName + english,
                                       numerator: numerator, denominator: base.denominator, factor: base.factor, unit: base.unit,
                                       decimals: base.decimals, note: note + scope, divisor: base.divisor)
        }

        public static let all: [TrainingBreakdown] = Measure.allCases.flatMap { measure in
            TrainingTier.allCases.map { TrainingBreakdown(measure: measure, dimension: .tier($0)) }
                + TrainingAudience.allCases.map { TrainingBreakdown(measure: measure, dimension: .audience($0)) }
        }

        /// The breakdown an indicator id names, if it is one.
        public static func of(id: String) -> TrainingBreakdown? { all.first { $0.id == id } }
    }

    /// Coverage and hours by tier, then by audience, each in the order of its enum.
    public static let trainingBreakdown: [IndicatorDefinition] = TrainingBreakdown.all.map(\.definition)
}

// The names the breakdown indicators carry (the catalogue's texts, kept here because indicator
// definitions are static values built before the catalogue may be read).
extension TrainingTier {
    var chineseIndicatorName: String {
        switch self {
        case .city: return "市级示范"
        case .county: return "县级骨干"
        case .township: return "乡镇全员"
        case .exam: return "考前辅导"
        case .other: return "其他层级"
        }
    }

    var englishIndicatorName: String {
        switch self {
        case .city: return "city demonstration"
        case .county: return "county backbone"
        case .township: return "township full-coverage"
        case .exam: return "exam preparation"
        case .other: return "other"
        }
    }
}

extension TrainingAudience {
    var chineseIndicatorName: String {
        switch self {
        case .newEntrant: return "新入职"
        case .transfer: return "转岗"
        case .institutionStaff: return "机关事业单位人员"
        case .organizationManager: return "社工机构管理者"
        case .communityWorker: return "社区工作者"
        case .all: return "全体"
        }
    }

    var englishIndicatorName: String {
        switch self {
        case .newEntrant: return "new entrants"
        case .transfer: return "people changing jobs"
        case .institutionStaff: return "staff of Party and government bodies"
        case .organizationManager: return "managers of social-work organisations"
        case .communityWorker: return "community workers"
        case .all: return "everyone"
        }
    }
}

extension IndicatorCatalogue {
    /// The shipped indicators in the groups a picker shows them in: the main ones, then each
    /// breakdown by measure and dimension. `key` names the group's label in the catalogue
    /// (`indicator.group.<key>`); every shipped indicator is in exactly one group, in shipped order.
    public static let groups: [(key: String, indicators: [IndicatorDefinition])] = {
        let breakdownIDs = Set(trainingBreakdown.map(\.id))
        let main = shipped.filter { !breakdownIDs.contains($0.id) }
        let split = TrainingBreakdown.Measure.allCases.flatMap { measure in
            ["tier", "audience"].map { dimension in
                (key: "\(measure.rawValue)_\(dimension)",
                 indicators: TrainingBreakdown.all.filter { $0.measure == measure && $0.dimension.name == dimension }.map(\.definition))
            }
        }
        return [(key: "main", indicators: main)] + split
    }()
}
