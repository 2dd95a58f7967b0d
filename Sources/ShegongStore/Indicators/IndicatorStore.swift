import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// One term's computed value, or why the store could not compute it.
public struct IndicatorTermValue: Codable, Sendable, Equatable {
    public var side: String            // numerator | denominator
    public var description: String     // Chinese description of the term
    public var value: Int?
    public var reason: IndicatorMessage?
}

/// An indicator evaluated for a region subtree as of a date.
public struct IndicatorResult: Sendable {
    public var definition: IndicatorDefinition
    public var region: Region
    public var asOf: CivilDate
    public var period: DatePeriod?
    public var value: IndicatorValue
    public var terms: [IndicatorTermValue]
}

/// Computes indicator terms from the registry and region statistics (docs/indicators.md, "What the
/// store must provide") and evaluates them with the domain's `evaluate`.
///
/// People are counted by the region of their post (the `people` path columns) as the register
/// stands: the registry keeps no date a person joined or left the workforce (record creation is an
/// administrative date), so "as of" applies to certificates — held means issued on or before the
/// date — and to practice bases, pilots and county units, not to the head count itself.
public struct IndicatorStore: Sendable {
    let sql: any SQLDatabase
    /// Answer the people counts the census aggregates hold from them (default); off, every count
    /// scans people — for tests that compare the two and for the benchmark.
    public var useMaintainedAggregates = true

    public init(_ db: any Database) { sql = db.sql }
    public init(sql: any SQLDatabase) { self.sql = sql }

    public func evaluate(_ definition: IndicatorDefinition, region: Region, asOf: CivilDate, period: DatePeriod? = nil) async throws -> IndicatorResult {
        var outcomes: [IndicatorTerm: TermOutcome] = [:]
        for term in definition.terms where outcomes[term] == nil {
            outcomes[term] = try await compute(term, region: region, asOf: asOf, period: period)
        }
        return Self.result(definition, region: region, asOf: asOf, period: period, outcomes: outcomes)
    }

    /// The result of `definition` from its terms' outcomes (each term of the definition must have
    /// one): the domain's `evaluate`, with the store's reason when a term could not be counted.
    /// Shared by `evaluate` and the batched `evaluate(series:)`, so both say the same.
    static func result(_ definition: IndicatorDefinition, region: Region, asOf: CivilDate, period: DatePeriod?,
                       outcomes: [IndicatorTerm: TermOutcome]) -> IndicatorResult {
        var inputs = IndicatorInputs()
        var reasons: [IndicatorTerm: IndicatorMessage] = [:]
        var terms: [IndicatorTermValue] = []
        for (side, term) in [("numerator", definition.numerator)] + (definition.denominator.map { [("denominator", $0)] } ?? []) {
            let outcome = outcomes[term] ?? .unavailable(nil)
            switch outcome {
            case .value(let v): inputs[term] = v
            case .unavailable(let reason): if let reason { reasons[term] = reason }
            }
            var shown = IndicatorTermValue(side: side, description: term.chineseDescription, value: nil, reason: nil)
            if case .value(let v) = outcome { shown.value = v } else if case .unavailable(let r) = outcome { shown.reason = r }
            terms.append(shown)
        }
        var value = definition.evaluate(inputs)
        // The domain says "could not be counted"; say why when the store knows.
        if case .noData(let message) = value, message.code.hasSuffix(".missing") {
            let term = message.code.contains("numerator") ? definition.numerator : definition.denominator
            if let term, let reason = reasons[term] { value = .noData(reason) }
        }
        return IndicatorResult(definition: definition, region: region, asOf: asOf, period: period, value: value, terms: terms)
    }

    public enum TermOutcome: Sendable, Equatable {
        case value(Int)
        /// The term cannot be computed; nil reason = the domain's own message says enough.
        case unavailable(IndicatorMessage?)
    }

    public func compute(_ term: IndicatorTerm, region: Region, asOf: CivilDate, period: DatePeriod?) async throws -> TermOutcome {
        switch term {
        case .statistic(let statistic):
            guard let value = try await RegionStatisticStore(sql: sql).value(statistic, in: region, asOfYear: asOf.year) else {
                return .unavailable(nil)
            }
            return .value(value)
        case .count(let count):
            let f = count.filter
            switch count.subject {
            case .trainingMinutes: return try await trainingMinutes(f, region: region, asOf: asOf, period: period)
            case .people: return try await countPeople(f, region: region, asOf: asOf, period: period)
            case .practiceBases: return .value(try await countPracticeBases(f, region: region, asOf: asOf))
            case .pilotCommunities: return .value(try await countPilots(f, region: region, asOf: asOf))
            case .countyUnits: return .value(try await countCountyUnits(f, region: region, asOf: asOf))
            }
        }
    }

    static func count(_ rows: [any SQLRow]) throws -> Int { try rows.first?.decode(column: "n", as: Int.self) ?? 0 }

    func countPeople(_ f: RegistryFilter, region: Region, asOf: CivilDate, period: DatePeriod?) async throws -> TermOutcome {
        if useMaintainedAggregates, let count = try await maintainedPeopleCount(f, region: region, asOf: asOf, period: period) {
            return .value(count)
        }
        return try await scanPeople(f, region: region, asOf: asOf, period: period)
    }

    /// The same count by scanning people (always correct, for any date and filter).
    func scanPeople(_ f: RegistryFilter, region: Region, asOf: CivilDate, period: DatePeriod?) async throws -> TermOutcome {
        let date = asOf.description
        var query = sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")))
        if let column = RegionPath.column(for: region.level) {
            query = query.where(SQLColumn(column, table: "p"), .equal, SQLBind(region.code))
        }
        if let categories = f.postCategories {
            query = query.where(SQLQueryString("p.post_category IN (\(binds: categories.map(\.rawValue)))"))
        }
        if let fields = f.serviceFields {
            // service_fields is a 、-joined list: "serves in any of these fields".
            let any = fields.map { SQLQueryString("('、' || p.service_fields || '、') LIKE \(bind: "%、\($0.rawValue)、%")") }
            query = query.where(SQLQueryString("(\(any.joined(separator: " OR ")))"))
        }
        if let kinds = f.employerKinds {
            query = query.where(SQLQueryString("p.organization_id IN (SELECT o.id FROM organizations o WHERE o.kind IN (\(binds: kinds.map(\.rawValue))))"))
        }
        // Holding: a certificate issued on or before the date; of the levels and in the window when given.
        if f.certificateHeld == true || f.levels != nil || f.issuedIn != nil {
            var held = SQLQueryString("EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = p.id AND c.issue_date <= \(bind: date)")
            if let levels = f.levels { held = SQLQueryString("\(held) AND c.level IN (\(binds: levels.map(\.rawValue)))") }
            if let window = f.issuedIn {
                guard let w = window.resolved(evaluationPeriod: period) else { return .unavailable(nil) }
                held = SQLQueryString("\(held) AND c.issue_date >= \(bind: w.from.description) AND c.issue_date <= \(bind: w.to.description)")
            }
            query = query.where(SQLQueryString("\(held))"))
        }
        if f.certificateHeld == false {
            query = query.where(SQLQueryString("NOT EXISTS (SELECT 1 FROM certificates c WHERE c.person_id = p.id AND c.issue_date <= \(bind: date))"))
        }
        if let window = f.trainedIn {
            // Attended: a day of attendance with minutes, in the window and not after the date.
            guard let w = window.resolved(evaluationPeriod: period) else { return .unavailable(nil) }
            let to = min(w.to, asOf).description
            var attended = SQLQueryString(
                "EXISTS (SELECT 1 FROM training_attendance ta WHERE ta.person_id = p.id AND ta.minutes > 0 AND ta.day >= \(bind: w.from.description) AND ta.day <= \(bind: to)")
            if let sessions = Self.sessionsOfCourses(f) { attended = SQLQueryString("\(attended) AND ta.session_id IN \(sessions)") }
            query = query.where(SQLQueryString("\(attended))"))
        }
        if let window = f.firstCertifiedIn {
            // "New holders": the first certificate of any level; an upgrade is not new.
            guard let w = window.resolved(evaluationPeriod: period) else { return .unavailable(nil) }
            let to = min(w.to, asOf).description
            query = query.where(SQLQueryString(
                "(SELECT MIN(c.issue_date) FROM certificates c WHERE c.person_id = p.id) BETWEEN \(bind: w.from.description) AND \(bind: to)"))
        }
        return .value(try Self.count(try await query.all()))
    }

    /// Credited minutes of completed training sessions (`education_credits`, source `session`) of the
    /// people whose post is in the subtree, credited on or before the date and in the window.
    func trainingMinutes(_ f: RegistryFilter, region: Region, asOf: CivilDate, period: DatePeriod?) async throws -> TermOutcome {
        var to = asOf
        var query = sql.select().column(SQLAlias(SQLRaw("CAST(COALESCE(SUM(ec.minutes), 0) AS BIGINT)"), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLIdentifier("education_credits"), as: SQLIdentifier("ec")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "ec"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("source", table: "ec"), .equal, SQLBind("session"))
        if let window = f.trainedIn {
            guard let w = window.resolved(evaluationPeriod: period) else { return .unavailable(nil) }
            to = min(w.to, asOf)
            query = query.where(SQLColumn("credited_on", table: "ec"), .greaterThanOrEqual, SQLBind(w.from.description))
        }
        query = query.where(SQLColumn("credited_on", table: "ec"), .lessThanOrEqual, SQLBind(to.description))
        if let column = RegionPath.column(for: region.level) {
            query = query.where(SQLColumn(column, table: "p"), .equal, SQLBind(region.code))
        }
        if let categories = f.postCategories {
            query = query.where(SQLQueryString("p.post_category IN (\(binds: categories.map(\.rawValue)))"))
        }
        if let sessions = Self.sessionsOfCourses(f) { query = query.where(SQLQueryString("ec.reference_id IN \(sessions)")) }
        return .value(try Self.count(try await query.all()))
    }

    /// `(SELECT …)` of the training sessions whose course is of the filter's tiers and names one of
    /// its audiences (nil when the filter asks neither): attendance and credits by tier and audience
    /// (docs/training.md, "Coverage by tier and audience"). A course's audiences are a JSON list of
    /// codes, so an audience is the quoted code inside it; `_` is escaped, being LIKE's wildcard.
    static func sessionsOfCourses(_ f: RegistryFilter) -> SQLQueryString? {
        guard f.trainingTiers != nil || f.trainingAudiences != nil else { return nil }
        var conditions: [SQLQueryString] = []
        if let tiers = f.trainingTiers { conditions.append(SQLQueryString("tc.tier IN (\(binds: tiers.map(\.rawValue)))")) }
        if let audiences = f.trainingAudiences {
            let any = audiences.map { audience in
                SQLQueryString("tc.audiences LIKE \(bind: "%\"" + audience.rawValue.replacingOccurrences(of: "_", with: "!_") + "\"%") ESCAPE '!'")
            }
            conditions.append(SQLQueryString("(\(any.joined(separator: " OR ")))"))
        }
        return SQLQueryString("""
            (SELECT ts.id FROM training_sessions ts JOIN training_courses tc ON tc.id = ts.course_id \
            WHERE \(conditions.joined(separator: " AND ")))
            """)
    }

    func scoped(_ query: SQLSelectBuilder, _ region: Region, table: String) -> SQLSelectBuilder {
        guard let column = RegionPath.column(for: region.level) else { return query }
        return query.where(SQLColumn(column, table: table), .equal, SQLBind(region.code))
    }

    /// Established on or before the date (no date given = counted).
    static func established(_ table: String, _ asOf: CivilDate) -> SQLQueryString {
        SQLQueryString("(\(ident: table).established IS NULL OR \(ident: table).established <= \(bind: asOf.description))")
    }

    func countPracticeBases(_ f: RegistryFilter, region: Region, asOf: CivilDate) async throws -> Int {
        var query = scoped(sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from("practice_bases"), region, table: "practice_bases")
            .where(Self.established("practice_bases", asOf))
        if let levels = f.baseLevels { query = query.where(SQLQueryString("practice_bases.base_level IN (\(binds: levels.map(\.rawValue)))")) }
        return try Self.count(try await query.all())
    }

    func countPilots(_ f: RegistryFilter, region: Region, asOf: CivilDate) async throws -> Int {
        var query = scoped(sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from("pilot_communities"), region, table: "pilot_communities")
            .where(Self.established("pilot_communities", asOf))
        if let minimum = f.minimumGoodPracticeCases { query = query.where("good_practice_cases", .greaterThanOrEqual, minimum) }
        if let tiers = f.pilotTiers { query = query.where(SQLQueryString("pilot_communities.tier IN (\(binds: tiers.map(\.rawValue)))")) }
        return try Self.count(try await query.all())
    }

    /// County-level units (区、县级市、县…) in the subtree that are in force in the date's year and
    /// not placeholders; below a county the subtree holds none.
    func countCountyUnits(_ f: RegistryFilter, region: Region, asOf: CivilDate) async throws -> Int {
        if region.level > .county { return 0 }
        var query = sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("r")))
            .where(SQLColumn("level", table: "r"), .equal, SQLBind(RegionLevel.county.rawValue))
            .where(SQLColumn("placeholder", table: "r"), .equal, SQLBind(false))
            .where(SQLQueryString("(r.valid_from IS NULL OR r.valid_from <= \(bind: asOf.year))"))
            .where(SQLQueryString("(r.valid_to IS NULL OR r.valid_to >= \(bind: asOf.year))"))
        query = scoped(query, region, table: "r")
        if let withBase = f.withPracticeBase {
            // A base counts for the county it stands in only when it is of the levels asked: 酒泉's
            // city base in 肃州区 is not 肃州区's county base (issue #16).
            var exists = SQLQueryString("EXISTS (SELECT 1 FROM practice_bases WHERE practice_bases.county_code = r.code AND \(Self.established("practice_bases", asOf))")
            if let levels = f.baseLevels {
                exists = SQLQueryString("\(exists) AND practice_bases.base_level IN (\(binds: levels.map(\.rawValue)))")
            }
            exists = SQLQueryString("\(exists))")
            query = query.where(withBase ? exists : SQLQueryString("NOT \(exists)"))
        }
        if let withPilot = f.withPilotCommunity {
            var exists = SQLQueryString("EXISTS (SELECT 1 FROM pilot_communities WHERE pilot_communities.county_code = r.code AND \(Self.established("pilot_communities", asOf))")
            if let minimum = f.minimumGoodPracticeCases {
                exists = SQLQueryString("\(exists) AND pilot_communities.good_practice_cases >= \(bind: minimum)")
            }
            if let tiers = f.pilotTiers {
                exists = SQLQueryString("\(exists) AND pilot_communities.tier IN (\(binds: tiers.map(\.rawValue)))")
            }
            exists = SQLQueryString("\(exists))")
            query = query.where(withPilot ? exists : SQLQueryString("NOT \(exists)"))
        }
        return try Self.count(try await query.all())
    }
}
