import Foundation
import SQLKit
import ShegongDomain

/// One indicator asked for one region at several dates over one evaluation period: a target's
/// month ends (docs/indicators.md, "How the store evaluates indicators").
public struct IndicatorSeriesRequest: Sendable {
    public var definition: IndicatorDefinition
    public var region: Region
    public var dates: [CivilDate]
    public var period: DatePeriod?

    public init(definition: IndicatorDefinition, region: Region, dates: [CivilDate], period: DatePeriod?) {
        self.definition = definition
        self.region = region
        self.dates = dates
        self.period = period
    }
}

extension IndicatorStore {
    /// Every request evaluated at each of its dates — the results `evaluate` gives one by one, in
    /// the same order — from a number of queries that does not grow with the requests: one read of
    /// region statistics for every statistic term; one read of the maintained aggregates for the
    /// people counts they answer (dates from today on); one grouped read per distinct registry
    /// count (people, practice bases, pilots, county units) over all the requests' regions — the
    /// period enters a people count's query only when it filters certificates issued in it
    /// (`issuedIn`), so distinct such windows are read apart. Each read returns rows grouped by
    /// region and by the date that decides them (a person's first matching certificate, a base's
    /// establishment), and every (region, date) is counted from those rows by the rules the
    /// one-by-one queries apply in SQL.
    public func evaluate(series requests: [IndicatorSeriesRequest]) async throws -> [[IndicatorResult]] {
        var points = Set<TermPoint>()
        var regions: [String: Region] = [:]
        for request in requests {
            regions[request.region.code] = request.region
            for term in request.definition.terms {
                for date in request.dates { points.insert(TermPoint(term: term, region: request.region.code, date: date, period: request.period)) }
            }
        }
        let outcomes = try await outcomes(of: points, regions: regions)
        return requests.map { request in
            request.dates.map { date in
                var terms: [IndicatorTerm: TermOutcome] = [:]
                for term in request.definition.terms {
                    terms[term] = outcomes[TermPoint(term: term, region: request.region.code, date: date, period: request.period)]
                }
                return Self.result(request.definition, region: request.region, asOf: date, period: request.period, outcomes: terms)
            }
        }
    }

    /// One term asked for one region as of one date over one period.
    struct TermPoint: Hashable, Sendable {
        var term: IndicatorTerm
        var region: String
        var date: CivilDate
        var period: DatePeriod?
    }

    func outcomes(of points: Set<TermPoint>, regions: [String: Region]) async throws -> [TermPoint: TermOutcome] {
        var outcomes: [TermPoint: TermOutcome] = [:]
        var statistics: [TermPoint] = []
        var aggregates: [(TermPoint, @Sendable ([CensusCount]) -> Int)] = []
        var people: [PeopleQuery: [TermPoint]] = [:]
        var places: [RegistryCount: [TermPoint]] = [:]
        var minutes: [MinutesQuery: [TermPoint]] = [:]
        for point in points {
            switch point.term {
            case .statistic:
                statistics.append(point)
            case .count(let count):
                let f = count.filter
                if count.subject == .trainingMinutes {
                    var window: DatePeriod?
                    if let trained = f.trainedIn {
                        guard let w = trained.resolved(evaluationPeriod: point.period) else { outcomes[point] = .unavailable(nil); continue }
                        window = w
                    }
                    minutes[MinutesQuery(filter: f, window: window), default: []].append(point)
                    continue
                }
                switch count.subject {
                case .trainingMinutes: continue
                case .people:
                    if useMaintainedAggregates, let rule = Self.maintainedCountRule(f, asOf: point.date, period: point.period) {
                        aggregates.append((point, rule))
                        continue
                    }
                    var window: DatePeriod?
                    if let issued = f.issuedIn {
                        guard let w = issued.resolved(evaluationPeriod: point.period) else { outcomes[point] = .unavailable(nil); continue }
                        window = w
                    }
                    if let first = f.firstCertifiedIn, first.resolved(evaluationPeriod: point.period) == nil {
                        outcomes[point] = .unavailable(nil)
                        continue
                    }
                    var trainedWindow: DatePeriod?
                    if let trained = f.trainedIn {
                        guard let w = trained.resolved(evaluationPeriod: point.period) else { outcomes[point] = .unavailable(nil); continue }
                        trainedWindow = w
                    }
                    people[PeopleQuery(filter: f, issuedIn: window, trainedIn: trainedWindow), default: []].append(point)
                case .countyUnits where regions[point.region]!.level > .county:
                    outcomes[point] = .value(0)
                case .practiceBases, .pilotCommunities, .countyUnits:
                    places[count, default: []].append(point)
                }
            }
        }

        if !statistics.isEmpty {
            let rows = try await statisticRows(for: statistics, regions: regions)
            var cache: [String: Int?] = [:]
            for point in statistics {
                guard case .statistic(let statistic) = point.term else { continue }
                let key = "\(statistic.rawValue) \(point.region) \(point.date.year)"
                if cache[key] == nil {
                    cache[key] = RegionStatisticStore.total(of: rows[statistic.rawValue] ?? [], in: regions[point.region]!, asOfYear: point.date.year)
                }
                outcomes[point] = cache[key]!.map(TermOutcome.value) ?? .unavailable(nil)
            }
        }
        if !aggregates.isEmpty {
            let counts = try await CensusStatsStore(sql: sql).counts(regions: Array(Set(aggregates.map(\.0.region))).sorted())
            for (point, rule) in aggregates { outcomes[point] = .value(rule(counts[point.region] ?? [])) }
        }
        for (query, points) in people {
            let groups = try await peopleGroups(query, regions: Set(points.map(\.region)).map { regions[$0]! })
            for point in points { outcomes[point] = .value(query.count(groups, in: regions[point.region]!, asOf: point.date, period: point.period)) }
        }
        for (query, points) in minutes {
            let groups = try await minuteGroups(query, regions: Set(points.map(\.region)).map { regions[$0]! })
            for point in points {
                let region = regions[point.region]!, date = point.date.description
                outcomes[point] = .value(groups.reduce(0) { $0 + (Self.isInside($1.path, region) && $1.on <= date ? $1.n : 0) })
            }
        }
        for (count, points) in places {
            let asked = Set(points.map(\.region)).map { regions[$0]! }
            let groups: [PlaceGroup]
            switch count.subject {
            case .practiceBases: groups = try await placeGroups(table: "practice_bases", count.filter, regions: asked)
            case .pilotCommunities: groups = try await placeGroups(table: "pilot_communities", count.filter, regions: asked)
            default: groups = try await countyUnitGroups(count.filter, regions: asked)
            }
            for point in points {
                let region = regions[point.region]!, date = point.date
                outcomes[point] = .value(groups.reduce(0) { $0 + ($1.isInside(region) && $1.counts(asOf: date) ? $1.n : 0) })
            }
        }
        return outcomes
    }

    // MARK: regions

    /// The path columns that say whether a row lies in each of `regions`, and the condition that
    /// keeps the rows inside any of them (nil when one is the nation).
    static func regionColumns(_ regions: [Region], table: String) -> (columns: [String], condition: SQLQueryString?) {
        let columns = Array(Set(regions.compactMap { RegionPath.column(for: $0.level) })).sorted()
        guard !regions.contains(where: { RegionPath.column(for: $0.level) == nil }) else { return (columns, nil) }
        let parts = columns.map { column in
            SQLQueryString("\(ident: table).\(ident: column) IN (\(binds: regions.filter { RegionPath.column(for: $0.level) == column }.map(\.code)))")
        }
        return (columns, SQLQueryString("(\(parts.joined(separator: " OR ")))"))
    }

    static func path(_ row: any SQLRow, _ columns: [String]) throws -> [String: String] {
        var path: [String: String] = [:]
        for column in columns { if let code = try row.decode(column: column, as: String?.self) { path[column] = code } }
        return path
    }

    static func isInside(_ path: [String: String], _ region: Region) -> Bool {
        guard let column = RegionPath.column(for: region.level) else { return true }
        return path[column] == region.code
    }

    // MARK: region statistics

    /// The figures of every statistic asked, in every region asked, up to the latest year asked.
    func statisticRows(for points: [TermPoint], regions: [String: Region]) async throws -> [String: [RegionStatisticStore.FigureRow]] {
        let names = Set(points.compactMap { point -> String? in
            if case .statistic(let statistic) = point.term { return statistic.rawValue }
            return nil
        }).sorted()
        let scope = Self.regionColumns(Set(points.map(\.region)).map { regions[$0]! }, table: "region_statistics")
        var query = sql.select().columns(RegionStatisticStore.FigureRow.columns).from("region_statistics")
            .where(SQLQueryString("statistic IN (\(binds: names))"))
            .where("year", .lessThanOrEqual, points.map(\.date.year).max() ?? 0)
        if let condition = scope.condition { query = query.where(condition) }
        return Dictionary(grouping: try await query.all().map(RegionStatisticStore.FigureRow.init(row:)), by: \.statistic)
    }

    // MARK: people

    /// A people count's query: its filter, with the certificate window resolved for the period.
    struct PeopleQuery: Hashable, Sendable {
        var filter: RegistryFilter
        var issuedIn: DatePeriod?
        var trainedIn: DatePeriod? = nil

        /// "Holds a certificate (of the levels, in the window) issued by the date" — the date of
        /// the earliest such certificate decides it.
        var needsHeldSince: Bool { filter.certificateHeld == true || filter.levels != nil || filter.issuedIn != nil }
        /// "Holds none by the date" and "first certified in the window" — the first certificate
        /// of any level decides them.
        var needsFirstIssued: Bool { filter.certificateHeld == false || filter.firstCertifiedIn != nil }

        /// `scanPeople`'s conditions on dates, applied to people grouped by those dates.
        func count(_ groups: [PeopleGroup], in region: Region, asOf: CivilDate, period: DatePeriod?) -> Int {
            let date = asOf.description
            let first = filter.firstCertifiedIn?.resolved(evaluationPeriod: period).map { (from: $0.from.description, to: min($0.to, asOf).description) }
            var n = 0
            for group in groups where IndicatorStore.isInside(group.path, region) {
                if needsHeldSince { guard let since = group.heldSince, since <= date else { continue } }
                if filter.certificateHeld == false, let issued = group.firstIssued, issued <= date { continue }
                if let first { guard let issued = group.firstIssued, issued >= first.from, issued <= first.to else { continue } }
                // trained: the first day attended in the window is on or before the date
                if trainedIn != nil { guard let since = group.trainedSince, since <= date else { continue } }
                n += group.n
            }
            return n
        }
    }

    struct PeopleGroup: Sendable {
        var path: [String: String]
        var heldSince: String?
        var firstIssued: String?
        var trainedSince: String? = nil
        var n: Int
    }

    /// People of the asked regions matching the filter's other conditions, counted by region and
    /// by the certificate dates that decide the date conditions.
    func peopleGroups(_ q: PeopleQuery, regions: [Region]) async throws -> [PeopleGroup] {
        let f = q.filter
        let scope = Self.regionColumns(regions, table: "p")
        var selected = scope.columns.map { SQLQueryString("p.\(ident: $0) AS \(ident: $0)") }
        var keys = scope.columns
        if q.needsHeldSince {
            var held = SQLQueryString("(SELECT MIN(c.issue_date) FROM certificates c WHERE c.person_id = p.id")
            if let levels = f.levels { held = SQLQueryString("\(held) AND c.level IN (\(binds: levels.map(\.rawValue)))") }
            if let w = q.issuedIn {
                held = SQLQueryString("\(held) AND c.issue_date >= \(bind: w.from.description) AND c.issue_date <= \(bind: w.to.description)")
            }
            selected.append(SQLQueryString("\(held)) AS held_since"))
            keys.append("held_since")
        }
        if q.needsFirstIssued {
            selected.append(SQLQueryString("(SELECT MIN(c.issue_date) FROM certificates c WHERE c.person_id = p.id) AS first_issued"))
            keys.append("first_issued")
        }
        if let w = q.trainedIn {
            var attended = SQLQueryString("""
                (SELECT MIN(ta.day) FROM training_attendance ta WHERE ta.person_id = p.id AND ta.minutes > 0 \
                AND ta.day >= \(bind: w.from.description) AND ta.day <= \(bind: w.to.description)
                """)
            if let sessions = Self.sessionsOfCourses(f) { attended = SQLQueryString("\(attended) AND ta.session_id IN \(sessions)") }
            selected.append(SQLQueryString("\(attended)) AS trained_since"))
            keys.append("trained_since")
        }
        var conditions: [SQLQueryString] = scope.condition.map { [$0] } ?? []
        if let categories = f.postCategories { conditions.append(SQLQueryString("p.post_category IN (\(binds: categories.map(\.rawValue)))")) }
        if let fields = f.serviceFields {
            // service_fields is a 、-joined list: "serves in any of these fields".
            let any = fields.map { SQLQueryString("('、' || p.service_fields || '、') LIKE \(bind: "%、\($0.rawValue)、%")") }
            conditions.append(SQLQueryString("(\(any.joined(separator: " OR ")))"))
        }
        if let kinds = f.employerKinds {
            conditions.append(SQLQueryString("p.organization_id IN (SELECT o.id FROM organizations o WHERE o.kind IN (\(binds: kinds.map(\.rawValue))))"))
        }
        let rows = try await Self.grouped(sql, selected: selected, keys: keys, from: SQLQueryString("people p"), conditions: conditions)
        return try rows.map { row in
            PeopleGroup(path: try Self.path(row, scope.columns),
                        heldSince: q.needsHeldSince ? try row.decode(column: "held_since", as: String?.self) : nil,
                        firstIssued: q.needsFirstIssued ? try row.decode(column: "first_issued", as: String?.self) : nil,
                        trainedSince: q.trainedIn != nil ? try row.decode(column: "trained_since", as: String?.self) : nil,
                        n: try row.decode(column: "n", as: Int.self))
        }
    }

    /// A `training_minutes` sum's query: its filter, with the credit window resolved for the period.
    struct MinutesQuery: Hashable, Sendable {
        var filter: RegistryFilter
        var window: DatePeriod?
    }

    /// Credited session minutes of the asked regions' people, summed by region and credit date
    /// (`trainingMinutes`' conditions, the date applied per point).
    func minuteGroups(_ q: MinutesQuery, regions: [Region]) async throws -> [(path: [String: String], on: String, n: Int)] {
        let scope = Self.regionColumns(regions, table: "p")
        let keys = scope.columns.map { SQLQueryString("p.\(ident: $0)") } + [SQLQueryString("ec.credited_on")]
        var conditions: [SQLQueryString] = [SQLQueryString("ec.source = \(bind: "session")")]
        if let condition = scope.condition { conditions.append(condition) }
        if let w = q.window {
            conditions.append(SQLQueryString("ec.credited_on >= \(bind: w.from.description) AND ec.credited_on <= \(bind: w.to.description)"))
        }
        if let categories = q.filter.postCategories { conditions.append(SQLQueryString("p.post_category IN (\(binds: categories.map(\.rawValue)))")) }
        if let sessions = Self.sessionsOfCourses(q.filter) { conditions.append(SQLQueryString("ec.reference_id IN \(sessions)")) }
        let query = SQLQueryString("""
            SELECT \(keys.joined(separator: ", ")), CAST(SUM(ec.minutes) AS BIGINT) AS n FROM education_credits ec \
            JOIN people p ON p.id = ec.person_id WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(keys.joined(separator: ", "))
            """)
        return try await sql.raw(query).all().map { row in
            (try Self.path(row, scope.columns), try row.decode(column: "credited_on", as: String.self), try row.decode(column: "n", as: Int.self))
        }
    }

    /// `SELECT keys, COUNT(*) AS n FROM (SELECT selected FROM … WHERE …) t GROUP BY keys`.
    static func grouped(_ sql: any SQLDatabase, selected: [SQLQueryString], keys: [String], from: SQLQueryString,
                        conditions: [SQLQueryString]) async throws -> [any SQLRow] {
        var inner = SQLQueryString("SELECT \(selected.isEmpty ? SQLQueryString("1 AS one") : selected.joined(separator: ", ")) FROM \(from)")
        if !conditions.isEmpty { inner = SQLQueryString("\(inner) WHERE \(conditions.joined(separator: " AND "))") }
        let names = keys.map { SQLQueryString("t.\(ident: $0)") }
        var outer = SQLQueryString("SELECT \((names + [SQLQueryString("COUNT(*) AS n")]).joined(separator: ", ")) FROM (\(inner)) t")
        if !names.isEmpty { outer = SQLQueryString("\(outer) GROUP BY \(names.joined(separator: ", "))") }
        return try await sql.raw(outer).all()
    }

    // MARK: practice bases, pilots, county units

    /// Places of one region path counted together: `n` of them, counted from `since` (nil: always;
    /// the empty string stands for "one of them has no date"), while `validFrom…validTo` holds the year.
    struct PlaceGroup: Sendable {
        var path: [String: String]
        var since: String?
        var alwaysCounted = false
        var validFrom: Int?
        var validTo: Int?
        var base: Bool?
        var baseSince: String?
        var pilot: Bool?
        var pilotSince: String?
        var n: Int

        func isInside(_ region: Region) -> Bool { IndicatorStore.isInside(path, region) }

        func counts(asOf date: CivilDate) -> Bool {
            let day = date.description
            if !alwaysCounted { guard since.map({ $0 <= day }) ?? true else { return false } }
            if let from = validFrom, from > date.year { return false }
            if let to = validTo, to < date.year { return false }
            // Exists one established by the date (or undated: '' sorts first).
            if let base, base != (baseSince.map { $0 <= day } ?? false) { return false }
            if let pilot, pilot != (pilotSince.map { $0 <= day } ?? false) { return false }
            return true
        }
    }

    /// Practice bases or pilot communities of the asked regions with the filter's other
    /// conditions, counted by region and establishment date.
    func placeGroups(table: String, _ f: RegistryFilter, regions: [Region]) async throws -> [PlaceGroup] {
        let scope = Self.regionColumns(regions, table: table)
        let selected = scope.columns.map { SQLQueryString("\(ident: table).\(ident: $0) AS \(ident: $0)") }
            + [SQLQueryString("\(ident: table).established AS established")]
        var conditions: [SQLQueryString] = scope.condition.map { [$0] } ?? []
        if table == "practice_bases", let levels = f.baseLevels {
            conditions.append(SQLQueryString("practice_bases.base_level IN (\(binds: levels.map(\.rawValue)))"))
        }
        if table == "pilot_communities" {
            if let minimum = f.minimumGoodPracticeCases { conditions.append(SQLQueryString("pilot_communities.good_practice_cases >= \(bind: minimum)")) }
            if let tiers = f.pilotTiers { conditions.append(SQLQueryString("pilot_communities.tier IN (\(binds: tiers.map(\.rawValue)))")) }
        }
        let rows = try await Self.grouped(sql, selected: selected, keys: scope.columns + ["established"],
                                          from: SQLQueryString("\(ident: table)"), conditions: conditions)
        return try rows.map { row in
            PlaceGroup(path: try Self.path(row, scope.columns), since: try row.decode(column: "established", as: String?.self),
                       n: try row.decode(column: "n", as: Int.self))
        }
    }

    /// The county-level units (not placeholders) of the asked regions, each with its validity
    /// years and the first date from which it has a base or pilot of the filter's kind.
    func countyUnitGroups(_ f: RegistryFilter, regions: [Region]) async throws -> [PlaceGroup] {
        let scope = Self.regionColumns(regions, table: "r")
        var query = sql.select().column(SQLAlias(SQLColumn("code", table: "r"), as: SQLIdentifier("code")))
            .column(SQLColumn("valid_from", table: "r")).column(SQLColumn("valid_to", table: "r"))
            .from(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("r")))
            .where(SQLColumn("level", table: "r"), .equal, SQLBind(RegionLevel.county.rawValue))
            .where(SQLColumn("placeholder", table: "r"), .equal, SQLBind(false))
        for column in scope.columns { query = query.column(SQLColumn(column, table: "r")) }
        if let condition = scope.condition { query = query.where(condition) }
        if f.withPracticeBase != nil {
            var first = SQLQueryString("(SELECT MIN(COALESCE(practice_bases.established, '')) FROM practice_bases WHERE practice_bases.county_code = r.code")
            if let levels = f.baseLevels { first = SQLQueryString("\(first) AND practice_bases.base_level IN (\(binds: levels.map(\.rawValue)))") }
            query = query.column(SQLAlias(SQLQueryString("\(first))"), as: SQLIdentifier("base_since")))
        }
        if f.withPilotCommunity != nil {
            var first = SQLQueryString("(SELECT MIN(COALESCE(pilot_communities.established, '')) FROM pilot_communities WHERE pilot_communities.county_code = r.code")
            if let minimum = f.minimumGoodPracticeCases { first = SQLQueryString("\(first) AND pilot_communities.good_practice_cases >= \(bind: minimum)") }
            if let tiers = f.pilotTiers { first = SQLQueryString("\(first) AND pilot_communities.tier IN (\(binds: tiers.map(\.rawValue)))") }
            query = query.column(SQLAlias(SQLQueryString("\(first))"), as: SQLIdentifier("pilot_since")))
        }
        return try await query.all().map { row in
            PlaceGroup(path: try Self.path(row, scope.columns), alwaysCounted: true,
                       validFrom: try row.decode(column: "valid_from", as: Int?.self), validTo: try row.decode(column: "valid_to", as: Int?.self),
                       base: f.withPracticeBase, baseSince: f.withPracticeBase != nil ? try row.decode(column: "base_since", as: String?.self) : nil,
                       pilot: f.withPilotCommunity, pilotSince: f.withPilotCommunity != nil ? try row.decode(column: "pilot_since", as: String?.self) : nil,
                       n: 1)
        }
    }
}
