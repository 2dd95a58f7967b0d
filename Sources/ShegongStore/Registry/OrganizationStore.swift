import FluentKit
import Foundation
import SQLKit
import ShegongDomain

public struct OrganizationInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var creditCode: String?
    public var kind: String?
    public var regionCode: String?
    public var staff: Int
    public var updatedAt: String
}

/// A page of the organisations list: `total` is exact when `totalIsExact`, otherwise the list
/// holds more than `total` (the cap); `nextCursor` is the next page's `after` (nil on the last page).
public struct OrganizationPage: Codable, Sendable {
    public var items: [OrganizationInfo]
    public var total: Int
    public var totalIsExact: Bool
    public var page: Int
    public var perPage: Int
    public var nextCursor: String?
}

/// Employers: social-work organisations, schools, hospitals, communities…, identified by their
/// unified social credit code (GB 32100) when they have one.
public struct OrganizationStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public static let kinds = OrganizationKind.allCases.map(\.rawValue)

    static let select = "o.id, o.name, o.credit_code, o.kind, o.region_code, o.updated_at, (SELECT COUNT(*) FROM people p WHERE p.organization_id = o.id) AS staff"

    /// The list's name in its cursors.
    public static let listName = "organizations"

    /// Organisations of `region`'s subtree whose name contains `name`, inside `scope` (nil: all),
    /// by name: the page after `after`, or page `page` by offset (up to `PersonStore.maxOffset`
    /// rows in). The region and an official's scope are equalities on the organisation's path
    /// columns, so the page is a range of one `organizations_list_*_name` index; the total is
    /// counted up to `PersonStore.totalCap` (docs/lists.md "The other lists").
    public func list(region: Region?, name: String?, scope: Scope? = nil, after: ListCursor? = nil, page: Int, perPage: Int) async throws -> OrganizationPage {
        let perPage = min(max(perPage, 1), 500)
        var page = max(page, 1)
        if after == nil, (page - 1) * perPage > PersonStore.maxOffset { page = PersonStore.maxOffset / perPage + 1 }
        var items = try await pageQuery(region: region, name: name, scope: scope, after: after, page: page, perPage: perPage)
            .all().map(Self.info(from:))
        var next: String?
        if items.count > perPage {
            items.removeLast()
            next = items.last.map { ListCursor(list: Self.listName, key: $0.name, id: $0.id).token }
        }
        let total = try await Keyset.cappedCount(filtered(db.sql.select().column(SQLLiteral.numeric("1")).from(Self.from),
                                                          region: region, name: name, scope: scope), on: db.sql)
        return OrganizationPage(items: items, total: total.count, totalIsExact: total.exact, page: page, perPage: perPage, nextCursor: next)
    }

    static let from = SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o"))

    /// One page's rows in (name, id) order, one more than `perPage` (whether a next page exists).
    func pageQuery(region: Region?, name: String?, scope: Scope?, after: ListCursor?, page: Int, perPage: Int) -> SQLSelectBuilder {
        let sql = db.sql
        let key = Keyset.textKey(SQLColumn("name", table: "o"), on: sql), id = Keyset.textKey(SQLColumn("id", table: "o"), on: sql)
        var query = filtered(sql.select().column(SQLRaw(Self.select)).from(Self.from), region: region, name: name, scope: scope)
        if let after {
            query = Keyset.after(query, key: key, id: id, keyValue: SQLBind(after.key), idValue: SQLBind(after.id))
        } else {
            query = query.offset((page - 1) * perPage)
        }
        return query.orderBy(key).orderBy(id).limit(perPage + 1)
    }

    /// The scope, region and name as conditions on `organizations o`. An official's scope and a
    /// region are equalities on the path column of their level (a community: `region_code`).
    func filtered(_ query: SQLSelectBuilder, region: Region?, name: String?, scope: Scope?) -> SQLSelectBuilder {
        var q = query
        if case .region(let subtree, _)? = scope {
            q = q.where(subtree.condition(table: "o"))
        } else if let scope {
            q = q.where(scope.organizationCondition(table: "o"))
        }
        if let region, region.level != .nation, let column = RegionPath.column(for: region.level) {
            q = q.where(SQLColumn(column, table: "o"), .equal, SQLBind(region.code))
        }
        if let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            // Words anywhere in the name (names start with their place): read along the index
            // in name order, stopping at the page.
            q = q.where(SQLColumn("name", table: "o"), .like, SQLBind("%" + PersonStore.likePrefix(name)))
        }
        return q
    }

    /// The plan of a first page (tests and docs/lists.md).
    public func listPlan(region: Region?, name: String? = nil, scope: Scope? = nil, perPage: Int = 20) async throws -> String {
        try await Keyset.plan(pageQuery(region: region, name: name, scope: scope, after: nil, page: 1, perPage: perPage).query, on: db.sql)
    }

    /// Every organisation the list finds with the same conditions, in the list's order (by name,
    /// then id so that equal names keep one order): the export (issue #18 §1).
    public func all(region: Region?, name: String?, scope: Scope) async throws -> [OrganizationInfo] {
        let sql = db.sql
        return try await filtered(sql.select().column(SQLRaw(Self.select)).from(Self.from), region: region, name: name, scope: scope)
            .orderBy(Keyset.textKey(SQLColumn("name", table: "o"), on: sql)).orderBy(Keyset.textKey(SQLColumn("id", table: "o"), on: sql))
            .all().map(Self.info(from:))
    }

    public func get(id: String) async throws -> OrganizationInfo? {
        try await db.sql.select().column(SQLRaw(Self.select)).from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")))
            .where(SQLColumn("id", table: "o"), .equal, SQLBind(id)).first().map(Self.info(from:))
    }

    /// Whether organisation `id` exists and lies inside `scope` — the condition the list uses.
    public func visibility(id: String, scope: Scope) async throws -> RecordVisibility {
        guard let row = try await db.sql.select()
            .column(SQLAlias(SQLQueryString("CASE WHEN \(scope.organizationCondition(table: "o")) THEN 1 ELSE 0 END"), as: SQLIdentifier("visible")))
            .from(SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o"))).where(SQLColumn("id", table: "o"), .equal, SQLBind(id)).first()
        else { return .missing }
        return try row.decode(column: "visible", as: Int.self) == 1 ? .visible : .outOfScope
    }

    public struct Input: Codable, Sendable {
        public var name: String
        public var creditCode: String?
        public var kind: String?
        public var regionCode: String?
        public init(name: String, creditCode: String?, kind: String?, regionCode: String?) {
            self.name = name
            self.creditCode = creditCode
            self.kind = kind
            self.regionCode = regionCode
        }
    }

    /// Validates and normalises: name 1–100 characters, a valid USCC if given, a known kind, a known region.
    func validated(_ input: Input) async throws -> Input {
        var details: [StoreError.Detail] = []
        var output = input
        output.name = input.name.trimmingCharacters(in: .whitespaces)
        if !(1...100).contains(output.name.count) {
            details.append(.init(field: "name", code: "organization.name.invalid"))
        }
        if let code = input.creditCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            switch SocialCreditCode.parse(code) {
            case .success(let parsed): output.creditCode = parsed.value
            case .failure(let error): details.append(.init(field: "creditCode", code: error.code, text: error.text))
            }
        } else {
            output.creditCode = nil
        }
        if let kind = input.kind, !kind.isEmpty, !Self.kinds.contains(kind) {
            details.append(.init(field: "kind", code: "organization.kind.invalid", Self.kinds.joined(separator: "、")))
        }
        if let region = input.regionCode, !region.isEmpty {
            if try await RegionStore(db).region(code: region) == nil {
                details.append(.init(field: "regionCode", code: "region.unknown", "\(region)"))
            }
        } else {
            output.regionCode = nil
        }
        if !details.isEmpty { throw StoreError(.invalid, code: "validation", text: .init("validation.organization"), details: details) }
        return output
    }

    public func create(_ input: Input, now: Date = Date()) async throws -> OrganizationInfo {
        let input = try await validated(input)
        if let code = input.creditCode,
           try await db.sql.select().column("id").from("organizations").where("credit_code", .equal, code).first() != nil {
            throw StoreError(.conflict, code: "organization.exists", "\(code)",
                             details: [.init(field: "creditCode", code: "organization.exists", text: .init("organization.exists.field"))])
        }
        let id = RecordID.make(), stamp = Timestamp.string(now)
        try await db.sql.insert(into: "organizations").columns("id", "name", "credit_code", "kind", "region_code", "created_at", "updated_at")
            .values(id, input.name, input.creditCode, input.kind, input.regionCode, stamp, stamp).run()
        return try await get(id: id)!
    }

    public func update(id: String, _ input: Input, now: Date = Date()) async throws -> OrganizationInfo {
        guard try await get(id: id) != nil else { throw StoreError.notFound(.organization) }
        let input = try await validated(input)
        if let code = input.creditCode,
           let other = try await db.sql.select().column("id").from("organizations").where("credit_code", .equal, code).first(),
           try other.decode(column: "id", as: String.self) != id {
            throw StoreError(.conflict, code: "organization.exists", text: .init("organization.exists.other", "\(code)"),
                             details: [.init(field: "creditCode", code: "organization.exists", text: .init("organization.exists.other_field"))])
        }
        let oldKind = try await get(id: id)?.kind
        try await db.transaction { tx in
            try await tx.sql.update("organizations").set("name", to: input.name).set("credit_code", to: input.creditCode)
                .set("kind", to: input.kind).set("region_code", to: input.regionCode).set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id).run()
            // The staff are counted by employer kind: a new kind moves them in the aggregates.
            var delta = try await CensusStatsDelta.employerKindChange(organizationID: id, from: oldKind, to: input.kind, on: tx.sql)
            if !delta.isEmpty { try await delta.flush(to: tx.sql, regions: try await RegionStore(tx).directory()) }
        }
        return try await get(id: id)!
    }

    static func info(from row: any SQLRow) throws -> OrganizationInfo {
        OrganizationInfo(id: try row.decode(column: "id"), name: try row.decode(column: "name"), creditCode: try row.decode(column: "credit_code"),
                         kind: try row.decode(column: "kind"), regionCode: try row.decode(column: "region_code"),
                         staff: try row.decode(column: "staff", as: Int.self), updatedAt: try row.decode(column: "updated_at"))
    }
}
