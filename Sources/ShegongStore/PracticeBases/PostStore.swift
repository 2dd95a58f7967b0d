import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// Someone filling a post: their employment at the organisation linked to the post, from a date.
public struct PostHolder: Codable, Sendable, Equatable {
    public var fillID: String
    public var personID: String
    public var personName: String
    public var from: String
    public var to: String?
}

/// A social-work post of an organisation, with who fills it today.
public struct PostInfo: Codable, Sendable, Equatable {
    public var id: String
    public var organizationID: String
    public var organizationName: String
    /// `PostCategory` raw value (社区工作者 …).
    public var category: String
    public var name: String
    public var numberSet: Int
    /// `PostFunding` raw value (fiscal, self_funded, purchased_service, other).
    public var funding: String
    public var setOn: String
    public var filled: Int
    public var vacancies: Int
    /// The current holders (fill open and employment not ended).
    public var holders: [PostHolder]
}

public struct PostInput: Codable, Sendable {
    /// A `PostCategory` raw value (社区工作者 …).
    public var category: String
    /// What the post is called (社会工作岗); the category's name when empty.
    public var name: String?
    public var numberSet: Int
    /// 财政, 单位自筹, 购买服务, 其他 or fiscal, self_funded, purchased_service, other.
    public var funding: String
    /// The date the post was set (today when empty).
    public var setOn: String?

    public init(category: String, name: String? = nil, numberSet: Int, funding: String, setOn: String? = nil) {
        self.category = category
        self.name = name
        self.numberSet = numberSet
        self.funding = funding
        self.setOn = setOn
    }
}

public struct PostFillInput: Codable, Sendable {
    public var personID: String
    /// The day the person takes the post (today when empty).
    public var from: String?

    public init(personID: String, from: String? = nil) {
        self.personID = personID
        self.from = from
    }
}

/// Post totals of one group (a region below the one asked, or an organisation kind).
public struct PostTotal: Codable, Sendable, Equatable {
    /// A region code or an `OrganizationKind` raw value; nil for posts of organisations
    /// registered in the asked region itself (or with no kind).
    public var key: String?
    public var organizations: Int
    public var posts: Int
    public var numberSet: Int
    public var filled: Int
    public var vacancies: Int
}

/// Posts set and filled on one day (the line over time).
public struct PostTrendPoint: Codable, Sendable, Equatable {
    public var date: String
    public var numberSet: Int
    public var filled: Int
}

public struct PostTotals: Codable, Sendable, Equatable {
    public var regionCode: String
    public var asOf: String
    public var all: PostTotal
    public var byRegion: [PostTotal]
    public var byOrganizationKind: [PostTotal]
    /// By organisation (the key is the organisation's id), with their names.
    public var byOrganization: [PostTotal]
    public var organizationNames: [String: String]
    public var trend: [PostTrendPoint]
}

/// Social-work posts (tables `org_posts`, `post_fills`): an organisation's posts, fills linked to
/// employments, and totals computed in SQL with the caller's scope as a condition.
public struct PostStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    var sql: any SQLDatabase { db.sql }

    /// A fill counts on `day` when it started by then, has not ended before, and its employment neither.
    static func current(_ day: String) -> SQLQueryString {
        SQLQueryString("""
            f.from_date <= \(bind: day) AND (f.to_date IS NULL OR f.to_date > \(bind: day)) \
            AND EXISTS (SELECT 1 FROM employments e WHERE e.id = f.employment_id AND (e.end_date IS NULL OR e.end_date > \(bind: day)))
            """)
    }

    /// The posts of organisation `organizationID`, with their current holders on `today`.
    public func posts(of organizationID: String, today: CivilDate) async throws -> [PostInfo] {
        let rows = try await sql.select()
            .columns([SQLColumn("id", table: "p"), SQLColumn("organization_id", table: "p"), SQLColumn("category", table: "p"),
                     SQLColumn("name", table: "p"), SQLColumn("number_set", table: "p"), SQLColumn("funding", table: "p"),
                     SQLColumn("set_on", table: "p")])
            .column(SQLAlias(SQLColumn("name", table: "o"), as: SQLIdentifier("organization_name")))
            .from(SQLAlias(SQLIdentifier("org_posts"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), on: SQLColumn("id", table: "o"), .equal, SQLColumn("organization_id", table: "p"))
            .where(SQLColumn("organization_id", table: "p"), .equal, SQLBind(organizationID))
            .orderBy(SQLColumn("set_on", table: "p")).orderBy(SQLColumn("name", table: "p")).all()
        let holders = try await self.holders(postIDs: try rows.map { try $0.decode(column: "id", as: String.self) }, today: today)
        return try rows.map { row in
            let id: String = try row.decode(column: "id")
            let numberSet = try row.decode(column: "number_set", as: Int.self)
            let current = holders[id] ?? []
            return PostInfo(id: id, organizationID: try row.decode(column: "organization_id"), organizationName: try row.decode(column: "organization_name"),
                            category: try row.decode(column: "category"), name: try row.decode(column: "name"), numberSet: numberSet,
                            funding: try row.decode(column: "funding"), setOn: try row.decode(column: "set_on"), filled: current.count,
                            vacancies: BasesAndPostsRules.vacancies(numberSet: numberSet, filled: current.count), holders: current)
        }
    }

    public func post(id: String, today: CivilDate) async throws -> PostInfo? {
        guard let organization = try await sql.select().column("organization_id").from("org_posts").where("id", .equal, id).first()?
            .decode(column: "organization_id", as: String.self) else { return nil }
        return try await posts(of: organization, today: today).first { $0.id == id }
    }

    /// The organisation a post belongs to (nil: no such post).
    public func organization(ofPost id: String) async throws -> String? {
        try await sql.select().column("organization_id").from("org_posts").where("id", .equal, id).first()?
            .decode(column: "organization_id", as: String.self)
    }

    func holders(postIDs: [String], today: CivilDate) async throws -> [String: [PostHolder]] {
        guard !postIDs.isEmpty else { return [:] }
        var result: [String: [PostHolder]] = [:]
        let rows = try await sql.select()
            .columns([SQLColumn("id", table: "f"), SQLColumn("post_id", table: "f"), SQLColumn("person_id", table: "f"),
                     SQLColumn("from_date", table: "f"), SQLColumn("to_date", table: "f")])
            .column(SQLAlias(SQLColumn("name", table: "pe"), as: SQLIdentifier("person_name")))
            .from(SQLAlias(SQLIdentifier("post_fills"), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("pe")), on: SQLColumn("id", table: "pe"), .equal, SQLColumn("person_id", table: "f"))
            .where(SQLColumn("post_id", table: "f"), .in, SQLBind.group(postIDs))
            .where(Self.current(today.description))
            .orderBy(SQLColumn("from_date", table: "f")).orderBy(SQLColumn("name", table: "pe")).all()
        for row in rows {
            result[try row.decode(column: "post_id"), default: []].append(
                PostHolder(fillID: try row.decode(column: "id"), personID: try row.decode(column: "person_id"),
                           personName: try row.decode(column: "person_name"), from: try row.decode(column: "from_date"),
                           to: try row.decode(column: "to_date")))
        }
        return result
    }

    struct Checked {
        var category: PostCategory
        var name: String
        var numberSet: Int
        var funding: PostFunding
        var setOn: CivilDate
    }

    func check(_ input: PostInput, today: CivilDate, filled: Int = 0) throws -> Checked {
        var details: [StoreError.Detail] = []
        func add(_ problem: BasesAndPostsProblem?) {
            if let problem { details.append(.init(field: problem.field, code: problem.code, text: CatalogueMessage(problem.code, arguments: problem.arguments))) }
        }
        let category = PostCategory(rawValue: input.category.trimmingCharacters(in: .whitespaces))
            ?? PostCategory.allCases.first { String(describing: $0) == input.category }
        if category == nil { details.append(.init(field: "category", code: "posts.category.invalid")) }
        add(BasesAndPostsRules.number(input.numberSet, field: "numberSet", minimum: 1))
        if input.numberSet >= 0 { add(BasesAndPostsRules.numberSet(input.numberSet, filled: filled)) }
        let funding = PostFunding.parse(input.funding)
        if funding == nil { details.append(.init(field: "funding", code: "posts.funding.invalid")) }
        let name = PracticeBaseStore.text(input.name) ?? category?.rawValue ?? ""
        if name.count > 100 { details.append(.init(field: "name", code: "bases.text.too_long", "100")) }
        var setOn = today
        if let raw = PracticeBaseStore.text(input.setOn) {
            if let parsed = CivilDate(censusText: raw) {
                if parsed > today { details.append(.init(field: "setOn", code: "bases.date.future")) }
                setOn = parsed
            } else {
                details.append(.init(field: "setOn", code: "bases.date.invalid", raw))
            }
        }
        guard details.isEmpty, let category, let funding else {
            throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.post"), details: details)
        }
        return Checked(category: category, name: name, numberSet: input.numberSet, funding: funding, setOn: setOn)
    }

    public func create(organizationID: String, _ input: PostInput, today: CivilDate, now: Date) async throws -> PostInfo {
        let c = try check(input, today: today)
        let id = RecordID.make(), stamp = Timestamp.string(now)
        try await sql.insert(into: "org_posts")
            .columns("id", "organization_id", "category", "name", "number_set", "funding", "set_on", "created_at", "updated_at")
            .values(id, organizationID, c.category.rawValue, c.name, c.numberSet, c.funding.rawValue, c.setOn.description, stamp, stamp).run()
        return try await post(id: id, today: today)!
    }

    public func update(id: String, _ input: PostInput, today: CivilDate, now: Date) async throws -> PostInfo {
        try await lock(id, now: now)
        let filled = try await filledCount(id, today: today)
        let c = try check(input, today: today, filled: filled)
        try await sql.update("org_posts").set("category", to: c.category.rawValue).set("name", to: c.name).set("number_set", to: c.numberSet)
            .set("funding", to: c.funding.rawValue).set("set_on", to: c.setOn.description).set("updated_at", to: Timestamp.string(now))
            .where("id", .equal, id).run()
        guard let saved = try await post(id: id, today: today) else { throw StoreError.notFound(.post) }
        return saved
    }

    /// Touching the post's row first makes two fills of one post wait for each other on
    /// PostgreSQL (the row lock); SQLite has one writer anyway.
    func lock(_ id: String, now: Date) async throws {
        try await sql.update("org_posts").set("updated_at", to: Timestamp.string(now)).where("id", .equal, id).run()
    }

    func filledCount(_ id: String, today: CivilDate) async throws -> Int {
        try await sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLIdentifier("post_fills"), as: SQLIdentifier("f")))
            .where(SQLColumn("post_id", table: "f"), .equal, SQLBind(id)).where(Self.current(today.description))
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Person `input.personID` takes a place of post `id`: their open employment at the post's
    /// organisation is linked to it. Refused, naming the problem, when they are not employed
    /// there, already fill a post with that employment, or the post is full (more people than the
    /// number set).
    public func fill(postID id: String, _ input: PostFillInput, today: CivilDate, now: Date) async throws -> PostInfo {
        try await lock(id, now: now)
        guard let post = try await post(id: id, today: today) else { throw StoreError.notFound(.post) }
        var from = today
        if let raw = PracticeBaseStore.text(input.from) {
            guard let parsed = CivilDate(censusText: raw) else {
                throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.post_fill"),
                                 details: [.init(field: "from", code: "bases.date.invalid", raw)])
            }
            from = parsed
        }
        guard let person = try await sql.select().columns("id", "name").from("people").where("id", .equal, input.personID).first() else {
            throw Self.fillError(.init("personID", "posts.fill.person.unknown"))
        }
        let personName: String = try person.decode(column: "name")
        guard let employment = try await sql.select().column("id").from("employments")
            .where("person_id", .equal, input.personID).where("organization_id", .equal, post.organizationID)
            .where("end_date", .is, SQLLiteral.null).orderBy("start_date", .descending).first()?.decode(column: "id", as: String.self) else {
            throw Self.fillError(.init("personID", "posts.fill.not_employed", personName, post.organizationName))
        }
        if let other = try await sql.select().column(SQLColumn("name", table: "p"))
            .from(SQLAlias(SQLIdentifier("post_fills"), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier("org_posts"), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal, SQLColumn("post_id", table: "f"))
            .where(SQLColumn("employment_id", table: "f"), .equal, SQLBind(employment)).where(SQLColumn("to_date", table: "f"), .is, SQLLiteral.null)
            .first()?.decode(column: "name", as: String.self) {
            throw Self.fillError(.init("personID", "posts.fill.already", personName, other))
        }
        if let problem = BasesAndPostsRules.fill(numberSet: post.numberSet, filled: post.filled, postName: post.name) {
            throw Self.fillError(problem)
        }
        try await sql.insert(into: "post_fills").columns("id", "post_id", "employment_id", "person_id", "from_date", "to_date", "created_at")
            .values(RecordID.make(), id, employment, input.personID, from.description, nil as String?, Timestamp.string(now)).run()
        return try await self.post(id: id, today: today)!
    }

    static func fillError(_ problem: BasesAndPostsProblem) -> StoreError {
        StoreError(.invalid, code: problem.code, text: CatalogueMessage(problem.code, arguments: problem.arguments),
                   details: [.init(field: problem.field, code: problem.code, text: CatalogueMessage(problem.code, arguments: problem.arguments))])
    }

    /// Ends fill `fillID` of post `id` on `on` (the place is vacant from that day).
    public func vacate(postID id: String, fillID: String, on day: CivilDate, now: Date) async throws -> PostInfo {
        try await lock(id, now: now)
        guard let row = try await sql.select().column("from_date").from("post_fills").where("id", .equal, fillID).where("post_id", .equal, id)
            .where("to_date", .is, SQLLiteral.null).first() else { throw StoreError.notFound(.post) }
        let from = CivilDate(iso: try row.decode(column: "from_date", as: String.self))
        if let problem = BasesAndPostsRules.period(from: from, to: day, field: "to") {
            throw Self.fillError(problem)
        }
        try await sql.update("post_fills").set("to_date", to: day.description).where("id", .equal, fillID).run()
        return try await post(id: id, today: day)!
    }

    // MARK: Totals

    /// Totals of the posts of organisations registered in `region`'s subtree that `scope` reaches,
    /// on `asOf`: all together, by the region one level down, by organisation kind; and the line of
    /// posts set and filled at each of `dates`. Computed in SQL (GROUP BY), never in memory.
    public func totals(region: Region, scope: Scope, asOf: CivilDate, dates: [CivilDate]) async throws -> PostTotals {
        let day = asOf.description
        let childLevel = RegionLevel(rawValue: region.level.rawValue + 1)
        let childColumn: any SQLExpression = {
            guard let childLevel else { return SQLLiteral.null }
            if childLevel == .community { return SQLColumn("code", table: "r") }
            return RegionPath.column(for: childLevel).map { SQLColumn($0, table: "r") } ?? SQLLiteral.null
        }()
        func grouped(_ key: (any SQLExpression)?, on day: String) async throws -> [PostTotal] {
            var query = sql.select()
            if let key { query = query.column(SQLAlias(key, as: SQLIdentifier("g"))) }
            query = query
                .column(SQLAlias(SQLRaw("COUNT(DISTINCT p.organization_id)"), as: SQLIdentifier("orgs")))
                .column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("posts")))
                .column(SQLAlias(SQLRaw("CAST(COALESCE(SUM(p.number_set), 0) AS BIGINT)"), as: SQLIdentifier("set_total")))
                .column(SQLAlias(SQLRaw("CAST(COALESCE(SUM(COALESCE(fc.n, 0)), 0) AS BIGINT)"), as: SQLIdentifier("filled")))
                .column(SQLAlias(SQLRaw("CAST(COALESCE(SUM(CASE WHEN p.number_set > COALESCE(fc.n, 0) THEN p.number_set - COALESCE(fc.n, 0) ELSE 0 END), 0) AS BIGINT)"),
                                 as: SQLIdentifier("vacant")))
                .from(SQLAlias(SQLIdentifier("org_posts"), as: SQLIdentifier("p")))
                .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), on: SQLColumn("id", table: "o"), .equal, SQLColumn("organization_id", table: "p"))
                .join(SQLAlias(SQLIdentifier("regions"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                      on: SQLColumn("code", table: "r"), .equal, SQLColumn("region_code", table: "o"))
                .join(SQLAlias(SQLGroupExpression(SQLQueryString("SELECT f.post_id, COUNT(*) AS n FROM post_fills f WHERE \(Self.current(day)) GROUP BY f.post_id")),
                               as: SQLIdentifier("fc")), method: SQLJoinMethod.left,
                      on: SQLColumn("post_id", table: "fc"), .equal, SQLColumn("id", table: "p"))
                .where(scope.organizationCondition(table: "o"))
                .where(SQLColumn("set_on", table: "p"), .lessThanOrEqual, SQLBind(day))
            if region.level != .nation {
                query = query.where(RegionSubtree(code: region.code, level: region.level).condition(table: "r", leafColumn: "code"))
            }
            if let key { query = query.groupBy(key).orderBy(key) }
            return try await query.all().map { row in
                PostTotal(key: key == nil ? nil : try row.decode(column: "g", as: String?.self), organizations: try row.decode(column: "orgs", as: Int.self),
                          posts: try row.decode(column: "posts", as: Int.self), numberSet: try row.decode(column: "set_total", as: Int.self),
                          filled: try row.decode(column: "filled", as: Int.self), vacancies: try row.decode(column: "vacant", as: Int.self))
            }
        }
        let empty = PostTotal(key: nil, organizations: 0, posts: 0, numberSet: 0, filled: 0, vacancies: 0)
        let all = try await grouped(nil, on: day).first ?? empty
        let byRegion = childLevel == nil ? [] : try await grouped(childColumn, on: day)
        let byKind = try await grouped(SQLColumn("kind", table: "o"), on: day)
        let byOrganization = try await grouped(SQLColumn("id", table: "o"), on: day)
        var organizationNames: [String: String] = [:]
        let ids = byOrganization.compactMap(\.key)
        for start in stride(from: 0, to: ids.count, by: 500) {
            for row in try await sql.select().columns("id", "name").from("organizations").where("id", .in, Array(ids[start..<min(start + 500, ids.count)])).all() {
                organizationNames[try row.decode(column: "id")] = try row.decode(column: "name")
            }
        }
        var trend: [PostTrendPoint] = []
        for date in dates {
            let total = try await grouped(nil, on: date.description).first ?? empty
            trend.append(PostTrendPoint(date: date.description, numberSet: total.numberSet, filled: total.filled))
        }
        return PostTotals(regionCode: region.code, asOf: day, all: all, byRegion: byRegion, byOrganizationKind: byKind,
                          byOrganization: byOrganization, organizationNames: organizationNames, trend: trend)
    }
}
