import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// The columns the people list sorts by; each page is cut by a keyset on (key, id) (docs/lists.md).
public enum PersonSort: String, CaseIterable, Codable, Sendable {
    case name, region, level, updated
}

public struct PersonFilter: Sendable {
    public var region: Region?
    /// The first characters of the name (an index range, `NamePrefix`).
    public var name: String?
    public var idNumber: String?
    public var certificateNumber: String?
    public var organizationID: String?
    /// Words in the employer's name.
    public var organizationName: String?
    public var postCategory: PostCategory?
    public var serviceField: ServiceField?
    public var level: String?            // a CertificateLevel raw value, or 无
    /// The principal's scope, AND-ed into the query (nil: everyone, for the CLI and the demo).
    public var scope: Scope?
    public var sort: PersonSort = .name
    public var descending = false
    /// The page after this cursor (`PersonPage.nextCursor`); without it, page `page` by offset.
    public var after: PersonCursor?
    public var page = 1
    public var perPage = 50
    public init() {}

    /// The filter as an audit entry records it (names and codes, never identifiers: an ID number
    /// searched for is recorded only as "idNumber=…").
    public var auditDescription: String {
        var parts: [String] = []
        if let region { parts.append("region=\(region.code)") }
        if let name { parts.append("name=\(name)") }
        if idNumber != nil { parts.append("idNumber=…") }
        if let certificateNumber { parts.append("certificateNumber=\(certificateNumber)") }
        if let organizationID { parts.append("organization=\(organizationID)") }
        if let organizationName { parts.append("organizationName=\(organizationName)") }
        if let postCategory { parts.append("postCategory=\(postCategory.rawValue)") }
        if let serviceField { parts.append("serviceField=\(serviceField.rawValue)") }
        if let level { parts.append("level=\(level)") }
        parts.append("sort=\(sort.rawValue)\(descending ? " desc" : "")")
        return parts.joined(separator: " ")
    }

    /// Only a region (or the scope's region) narrows the list: its total is a maintained aggregate.
    var isRegionOnly: Bool {
        name == nil && idNumber == nil && certificateNumber == nil && organizationID == nil && organizationName == nil
            && postCategory == nil && serviceField == nil && level == nil
    }
}

/// Where a page ended: the sort, its direction, the last row's sort key and id. Opaque to clients
/// (base64url text), so a page link is `?after=…`.
public struct PersonCursor: Sendable, Equatable, Codable {
    public var sort: PersonSort
    public var descending: Bool
    public var key: String
    public var id: String

    public init(sort: PersonSort, descending: Bool, key: String, id: String) {
        self.sort = sort
        self.descending = descending
        self.key = key
        self.id = id
    }

    public var token: String { Keyset.token(self) }

    /// nil for text that is not a cursor this list wrote.
    public init?(token: String) {
        guard let cursor = Keyset.cursor(PersonCursor.self, token: token) else { return nil }
        self = cursor
    }
}

/// One page of the people list. `total` is exact when `totalIsExact`; otherwise the list holds
/// more than `total` (the cap) people and the page says "more than 1,000".
public struct PersonPage: Codable, Sendable {
    public var items: [PersonSummary]
    public var total: Int
    public var totalIsExact: Bool
    public var page: Int
    public var perPage: Int
    public var sort: PersonSort
    public var descending: Bool
    /// The next page's cursor; nil on the last page.
    public var nextCursor: String?
}

extension PersonStore {
    /// A filtered list is counted only up to this many people: "more than 1,000" is what an
    /// office needs to know, and the count stops there instead of reading the whole scope.
    public static let totalCap = 1_000
    /// A page jump reads past this many rows at most (by OFFSET over the index order); deeper
    /// pages are reached by narrowing the filter or by the next-page cursor.
    public static let maxOffset = 10_000

    /// One page of people: the filter and scope as SQL conditions, the rows in index order from
    /// the cursor (or from the page's offset), and the total from the maintained aggregates when
    /// only a region narrows the list, else a count capped at `totalCap` (docs/lists.md).
    public func list(_ filter: PersonFilter) async throws -> PersonPage {
        let perPage = min(max(filter.perPage, 1), 500)
        var page = max(filter.page, 1)
        if filter.after == nil, (page - 1) * perPage > Self.maxOffset { page = Self.maxOffset / perPage + 1 }
        var paged = filter
        paged.page = page
        paged.perPage = perPage
        // The total rides on the page's rows as a subquery: one statement instead of two. A page
        // with no row to carry it (past the end, or nobody found) reads it alone.
        let count = totalCount(filter)
        let (items, next, counted) = try await rows(paged, counting: count.expression)
        let (total, exact) = if let counted { Self.total(counted: counted, capped: count.capped) } else { try await self.total(filter) }
        return PersonPage(items: items, total: total, totalIsExact: exact, page: page, perPage: perPage, sort: filter.sort,
                          descending: filter.descending, nextCursor: next?.token)
    }

    /// Every person the filter finds, in list order, read by keyset in batches of 1,000 (exports).
    public func all(_ filter: PersonFilter) async throws -> [PersonSummary] {
        var batch = filter
        batch.perPage = 1_000
        batch.page = 1
        batch.after = nil
        var people: [PersonSummary] = []
        while true {
            let (items, next, _) = try await rows(batch)
            people += items
            guard let next else { return people }
            batch.after = next
        }
    }

    /// One page's rows in index order, from the cursor (or the page's offset), the cursor of the
    /// page after it (nil on the last page) and the value of `counting`, read with the first row
    /// (nil without one).
    func rows(_ filter: PersonFilter, counting: (any SQLExpression)? = nil) async throws -> ([PersonSummary], PersonCursor?, Int?) {
        let perPage = filter.perPage
        let key = sortKey(filter.sort)
        let id = Keyset.textKey(SQLColumn("id", table: "p"), on: db.sql)
        var query = pageQuery(filter, counting: counting)
        if let after = filter.after, after.sort == filter.sort, after.descending == filter.descending {
            query = Keyset.after(query, key: key, id: id, keyValue: SQLBind(after.key), idValue: SQLBind(after.id),
                                 descending: filter.descending)
        } else if filter.page > 1 {
            guard let last = try await rowBefore(page: filter.page, filter, key: key, id: id) else { return ([], nil, nil) }
            query = Keyset.after(query, key: key, id: id, keyValue: SQLBind(last.key), idValue: SQLBind(last.id), descending: filter.descending)
        }
        let rows = try await query.all()
        var items = try rows.map(Self.summary(from:))
        let counted = try counting == nil ? nil : rows.first?.decode(column: "list_total", as: Int.self)
        guard items.count > perPage else { return (items, nil, counted) }
        items.removeLast()
        return (items, items.last.map { PersonCursor(sort: filter.sort, descending: filter.descending, key: Self.sortValue(filter.sort, $0), id: $0.id) },
                counted)
    }

    /// One page of `filter` from the list's start: the page's columns (and `counting` as
    /// `list_total`), the scope and filters, in index order, one row more than a page. `rows` moves
    /// its start past a cursor; `listPlan` asks the engine how it runs.
    func pageQuery(_ filter: PersonFilter, counting: (any SQLExpression)?) -> SQLSelectBuilder {
        let direction: SQLDirection = filter.descending ? .descending : .ascending
        var columns: [any SQLExpression] = [SQLRaw(Self.summaryColumns)]
        if let counting { columns.append(SQLAlias(counting, as: SQLIdentifier("list_total"))) }
        return conditions(filter, db.sql.select().columns(columns)
            .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p")))
            .join(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")), method: SQLJoinMethod.left,
                  on: SQLColumn("organization_id", table: "p"), .equal, SQLColumn("id", table: "o")))
            .orderBy(SQLOrderBy(expression: sortKey(filter.sort), direction: direction))
            .orderBy(SQLOrderBy(expression: Keyset.textKey(SQLColumn("id", table: "p"), on: db.sql), direction: direction))
            .limit(filter.perPage + 1)
    }

    /// A page jump seeks: the last row before page `page` is found by skipping rows of the sort key
    /// and id alone, which the list's indexes hold, so skipping reads no table row (an OFFSET over
    /// the page's own columns fetched each skipped person's row: 110 ms for page 500 of a million,
    /// docs/benchmarks.md); the page is then read after it, as after a cursor. Nil past the end.
    func rowBefore(page: Int, _ filter: PersonFilter, key: any SQLExpression, id: any SQLExpression) async throws -> (key: String, id: String)? {
        let direction: SQLDirection = filter.descending ? .descending : .ascending
        let seek = conditions(filter, db.sql.select().column(SQLAlias(key, as: SQLIdentifier("k"))).column(SQLAlias(id, as: SQLIdentifier("i")))
            .from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p"))))
            .orderBy(SQLOrderBy(expression: key, direction: direction)).orderBy(SQLOrderBy(expression: id, direction: direction))
            .offset((page - 1) * filter.perPage - 1).limit(1)
        guard let row = try await seek.first() else { return nil }
        return (try row.decode(column: "k", as: String.self), try row.decode(column: "i", as: String.self))
    }

    /// The number of people the filter finds: the maintained census count when only a region (or
    /// the caller's region scope) narrows it — one indexed read, equal to a full count — otherwise
    /// a count that stops after `totalCap` rows (exact below the cap).
    public func total(_ filter: PersonFilter) async throws -> (count: Int, exact: Bool) {
        let count = totalCount(filter)
        let n = try await db.sql.select().column(SQLAlias(count.expression, as: SQLIdentifier("n"))).first()?.decode(column: "n", as: Int.self)
        return Self.total(counted: n ?? 0, capped: count.capped)
    }

    /// `total` as one scalar subquery, which a page's query carries as a column: the maintained
    /// count (0 when the region has nobody), or the rows found counted up to one past `totalCap`.
    func totalCount(_ filter: PersonFilter) -> (expression: any SQLExpression, capped: Bool) {
        if filter.isRegionOnly, let code = aggregateRegion(filter) {
            let maintained = db.sql.select().column("count").from("census_stats")
                .where("region_code", .equal, code).where("dimension", .equal, CensusDimension.total.rawValue).where("value", .equal, "")
            return (SQLFunction("COALESCE", args: SQLGroupExpression(maintained.query), SQLLiteral.numeric("0")), false)
        }
        let found = conditions(filter, db.sql.select().column(SQLLiteral.numeric("1")).from(SQLAlias(SQLIdentifier("people"), as: SQLIdentifier("p"))))
        return (Keyset.cappedCountExpression(found, on: db.sql, cap: Self.totalCap), true)
    }

    static func total(counted: Int, capped: Bool) -> (count: Int, exact: Bool) {
        capped ? Keyset.cappedTotal(counted, cap: totalCap) : (counted, true)
    }

    /// The region whose maintained counts are the list's total: the filter's region, else the
    /// scope's region (the nation without a scope). Nil for any scope not drawn over regions (an
    /// organisation's staff, a worker's own record), even with a region filter, which such a scope
    /// may name freely: the region's count is not what it sees, so its rows are counted instead.
    func aggregateRegion(_ filter: PersonFilter) -> String? {
        switch filter.scope {
        case nil: return filter.region?.code ?? RegionPath.nationCode
        case .region(let subtree, _)?: return filter.region?.code ?? (subtree.level == .nation ? RegionPath.nationCode : subtree.code)
        default: return nil
        }
    }

    /// The filter and the scope as conditions on `people p` (and `organizations` by a subquery).
    func conditions(_ filter: PersonFilter, _ query: SQLSelectBuilder) -> SQLSelectBuilder {
        var q = query
        if let scope = filter.scope { q = q.where(scope.peopleCondition(table: "p")) }
        if let region = filter.region, let column = RegionPath.column(for: region.level) {
            q = q.where(SQLColumn(column, table: "p"), .equal, SQLBind(region.code))
        }
        if let prefix = filter.name.flatMap(NamePrefix.init) {
            let name = Keyset.textKey(SQLColumn("name", table: "p"), on: db.sql)
            q = q.where(name, .greaterThanOrEqual, SQLBind(prefix.prefix))
            if let upper = prefix.upperBound { q = q.where(name, .lessThan, SQLBind(upper)) }
        }
        if let id = filter.idNumber?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            q = q.where(SQLColumn("id_index", table: "p"), .equal, SQLBind(cipher.index(id.uppercased())))
        }
        if let number = filter.certificateNumber?.trimmingCharacters(in: .whitespaces), !number.isEmpty {
            q = q.where(SQLColumn("id", table: "p"), .in, SQLGroupExpression(
                SQLQueryString("SELECT person_id FROM certificates WHERE number = \(bind: number)")))
        }
        if let org = filter.organizationID { q = q.where(SQLColumn("organization_id", table: "p"), .equal, SQLBind(org)) }
        if let words = filter.organizationName?.trimmingCharacters(in: .whitespaces), !words.isEmpty {
            let pattern = "%" + words.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            q = q.where(SQLColumn("organization_id", table: "p"), .in, SQLGroupExpression(
                SQLQueryString("SELECT id FROM organizations WHERE name LIKE \(bind: pattern)")))
        }
        if let category = filter.postCategory { q = q.where(SQLColumn("post_category", table: "p"), .equal, SQLBind(category.rawValue)) }
        if let field = filter.serviceField {
            // Service fields are one 、-joined column (as the census aggregates count them).
            q = q.where(SQLQueryString("('、' || p.service_fields || '、') LIKE \(bind: "%、\(field.rawValue)、%")"))
        }
        if let level = filter.level {
            if level == CensusFacts.none {
                q = q.where(SQLColumn("certificate_level", table: "p"), .is, SQLLiteral.null)
            } else {
                q = q.where(SQLColumn("certificate_level", table: "p"), .equal, SQLBind(level))
            }
        }
        return q
    }

    /// The expression a list sorts by. Name and last update are the leading keys of the list
    /// indexes (AddPeopleListIndexes); region and level sort the filtered rows.
    func sortKey(_ sort: PersonSort) -> any SQLExpression {
        switch sort {
        case .name: return Keyset.textKey(SQLColumn("name", table: "p"), on: db.sql)
        case .updated: return Keyset.textKey(SQLColumn("updated_at", table: "p"), on: db.sql)
        case .region: return Keyset.textKey(SQLColumn("region_code", table: "p"), on: db.sql)
        // No certificate sorts first; the levels' names sort by code point as their ranks do
        // (助理社会工作师 < 社会工作师 < 高级社会工作师).
        case .level: return Keyset.textKey(SQLFunction("COALESCE", args: SQLColumn("certificate_level", table: "p"), SQLLiteral.string("")), on: db.sql)
        }
    }

    static func sortValue(_ sort: PersonSort, _ person: PersonSummary) -> String {
        switch sort {
        case .name: return person.name
        case .updated: return person.updatedAt
        case .region: return person.regionCode
        case .level: return person.certificateLevel ?? ""
        }
    }

    /// The query plan the engine chooses for one page of `filter` (tests and docs/lists.md: the
    /// list is read from an index, with no sort of the scope).
    public func listPlan(_ filter: PersonFilter) async throws -> String {
        let query = pageQuery(filter, counting: totalCount(filter).expression)
        return try await Keyset.plan(query.query, on: db.sql)
    }
}
