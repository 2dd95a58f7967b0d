import Foundation

/// Where a figure comes from. Reports must not pass a derived figure off as a reported one.
public enum FigureProvenance: String, CaseIterable, Codable, Sendable {
    /// As the source or the exam authority states it.
    case reported
    /// Computed from other published figures (2024 Hubei registrants from "78,000, up 30%").
    case derived
    /// Entered as an estimate.
    case estimated

    public var chineseName: String {
        switch self {
        case .reported: return "公布数"
        case .derived: return "推算数"
        case .estimated: return "估计数"
        }
    }
}

/// Registrants and passes of the social-work exam for one year, level and region (issue 5 §3).
/// Either figure may be unknown.
public struct ExamFigure: Hashable, Codable, Sendable {
    public var year: Int
    /// nil: all levels together (sources often give only the total).
    public var level: CertificateLevel?
    public var region: RegionCode
    public var registrants: Int?
    /// The registrant figure is a lower bound ("超 7.8 万人" = more than 78,000).
    public var registrantsAtLeast: Bool?
    public var passes: Int?
    public var provenance: FigureProvenance
    /// Source wording, or how a derived figure was derived.
    public var note: String?

    private enum CodingKeys: String, CodingKey {
        case year, level, region, registrants, registrantsAtLeast = "registrants_at_least", passes, provenance, note
    }

    public init(year: Int, level: CertificateLevel? = nil, region: RegionCode, registrants: Int?, registrantsAtLeast: Bool? = nil,
                passes: Int? = nil, provenance: FigureProvenance = .reported, note: String? = nil) {
        self.year = year
        self.level = level
        self.region = region
        self.registrants = registrants
        self.registrantsAtLeast = registrantsAtLeast
        self.passes = passes
        self.provenance = provenance
        self.note = note
    }

    var levelName: String { level?.rawValue ?? "全部等级" }

    public func validate() -> [IndicatorMessage] {
        var issues: [IndicatorMessage] = []
        let label = "\(region) \(year)年\(levelName)"
        if !(2008...2100).contains(year) {
            // The national social-work exam began in 2008.
            issues.append(.init(code: "exam.year.range", chinese: "\(label)：考试年份须在 2008 年（全国社会工作者职业水平考试开考）之后",
                                english: "\(label): the exam year must be 2008 (the first national exam) or later"))
        }
        if let r = registrants, r < 0 {
            issues.append(.init(code: "exam.registrants.negative", chinese: "\(label)：报名人数不能为负数",
                                english: "\(label): registrants cannot be negative"))
        }
        if let p = passes, p < 0 {
            issues.append(.init(code: "exam.passes.negative", chinese: "\(label)：通过人数不能为负数",
                                english: "\(label): passes cannot be negative"))
        }
        if let r = registrants, let p = passes, p > r {
            issues.append(.init(code: "exam.passes.exceed", chinese: "\(label)：通过人数 \(p) 多于报名人数 \(r)",
                                english: "\(label): passes (\(p)) exceed registrants (\(r))"))
        }
        return issues
    }
}

/// A computed exam figure with the figures it rests on, so a page can say "推算" when one of them is derived.
public struct ExamRate: Hashable, Sendable {
    public var value: IndicatorValue
    public var basis: [ExamFigure]
    public var restsOnDerivedFigure: Bool { basis.contains { $0.provenance != .reported } }
    /// A registrant figure in the basis is a lower bound ("more than 78,000").
    public var restsOnLowerBound: Bool { basis.contains { $0.registrantsAtLeast == true } }
}

/// The exam figures of a jurisdiction and the rates computed from them.
public struct ExamMobilisation: Hashable, Sendable {
    public enum Measure: String, CaseIterable, Codable, Sendable {
        case registrants, passes

        var chineseName: String { self == .registrants ? "报名人数" : "通过人数" }
        var englishName: String { self == .registrants ? "registrants" : "passes" }
    }

    public private(set) var figures: [ExamFigure]

    public init(figures: [ExamFigure]) { self.figures = figures }

    public func figure(year: Int, level: CertificateLevel?, region: RegionCode) -> ExamFigure? {
        figures.last { $0.year == year && $0.level == level && $0.region == region }
    }

    /// Duplicate (year, level, region) entries and each figure's own problems.
    public func validate() -> [IndicatorMessage] {
        var issues = figures.flatMap { $0.validate() }
        var seen: Set<String> = []
        for f in figures {
            let key = "\(f.year)|\(f.levelName)|\(f.region)"
            if !seen.insert(key).inserted {
                issues.append(.init(code: "exam.duplicate", chinese: "\(f.region) \(f.year)年\(f.levelName) 的考试数据重复",
                                    english: "\(f.region) \(f.year) \(f.level?.englishName ?? "all levels"): duplicate exam figures"))
            }
        }
        return issues
    }

    /// passes × 100 ÷ registrants (the source documents only give registrants, not candidates who sat).
    public func passRate(year: Int, level: CertificateLevel?, region: RegionCode) -> ExamRate {
        let label = "\(region) \(year)年\(level?.rawValue ?? "全部等级")"
        guard let f = figure(year: year, level: level, region: region) else {
            return ExamRate(value: .noData(.init(code: "exam.figure.missing", chinese: "\(label) 没有考试数据",
                                                 english: "no exam figures for \(region) \(year)")), basis: [])
        }
        guard let passes = f.passes else {
            return ExamRate(value: .noData(.init(code: "exam.passes.missing", chinese: "\(label) 的通过人数尚未公布或填报",
                                                 english: "passes for \(region) \(year) have not been published or entered")), basis: [f])
        }
        guard let registrants = f.registrants else {
            return ExamRate(value: .noData(.init(code: "exam.registrants.missing", chinese: "\(label) 的报名人数尚未填报",
                                                 english: "registrants for \(region) \(year) have not been entered")), basis: [f])
        }
        guard registrants > 0 else {
            return ExamRate(value: .noData(.init(code: "exam.registrants.zero", chinese: "\(label) 报名人数为 0，无法计算通过率",
                                                 english: "no registrants for \(region) \(year), so there is no pass rate")), basis: [f])
        }
        return ExamRate(value: .value(Double(passes) * 100 / Double(registrants), numerator: passes, denominator: registrants), basis: [f])
    }

    /// (this year − previous year) × 100 ÷ previous year, in percent.
    public func growth(of measure: Measure = .registrants, year: Int, level: CertificateLevel?, region: RegionCode) -> ExamRate {
        let current = figure(year: year, level: level, region: region)
        let previous = figure(year: year - 1, level: level, region: region)
        let basis = [previous, current].compactMap { $0 }
        func amount(_ f: ExamFigure?) -> Int? { measure == .registrants ? f?.registrants : f?.passes }
        guard let now = amount(current) else {
            return ExamRate(value: .noData(.init(code: "exam.\(measure.rawValue).missing",
                chinese: "\(region) \(year)年没有\(measure.chineseName)", english: "no \(measure.englishName) for \(region) \(year)")), basis: basis)
        }
        guard let before = amount(previous) else {
            return ExamRate(value: .noData(.init(code: "exam.previous.missing",
                chinese: "\(region) \(year - 1)年没有\(measure.chineseName)，无法计算增长",
                english: "no \(measure.englishName) for \(region) \(year - 1), so there is no growth")), basis: basis)
        }
        guard before > 0 else {
            return ExamRate(value: .noData(.init(code: "exam.previous.zero",
                chinese: "\(region) \(year - 1)年\(measure.chineseName)为 0，无法计算增长率",
                english: "\(measure.englishName) for \(region) \(year - 1) were 0, so there is no growth rate")), basis: basis)
        }
        return ExamRate(value: .value(Double(now - before) * 100 / Double(before), numerator: now - before, denominator: before), basis: basis)
    }
}
