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

/// Employers: social-work organisations, schools, hospitals, communities…, identified by their
/// unified social credit code (GB 32100) when they have one.
public struct OrganizationStore: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public static let kinds = OrganizationKind.allCases.map(\.rawValue)

    static let select = "o.id, o.name, o.credit_code, o.kind, o.region_code, o.updated_at, (SELECT COUNT(*) FROM people p WHERE p.organization_id = o.id) AS staff"

    /// Organisations of `region`'s subtree whose name contains `name`, inside `scope` (nil: all).
    public func list(region: Region?, name: String?, scope: Scope? = nil, page: Int, perPage: Int) async throws -> Page<OrganizationInfo> {
        let sql = db.sql
        let total = try await filtered(sql.select().column(SQLAlias(SQLRaw("COUNT(*)"), as: SQLIdentifier("n"))).from(Self.from),
                                       region: region, name: name, scope: scope)
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let perPage = min(max(perPage, 1), 500), page = max(page, 1)
        let items = try await filtered(sql.select().column(SQLRaw(Self.select)).from(Self.from), region: region, name: name, scope: scope)
            .orderBy(SQLColumn("name", table: "o")).limit(perPage).offset((page - 1) * perPage).all().map(Self.info(from:))
        return Page(items: items, total: total, page: page, perPage: perPage)
    }

    /// Every organisation the list finds with the same conditions, in the list's order (by name,
    /// then id so that equal names keep one order): the export (issue #18 §1).
    public func all(region: Region?, name: String?, scope: Scope) async throws -> [OrganizationInfo] {
        try await filtered(db.sql.select().column(SQLRaw(Self.select)).from(Self.from), region: region, name: name, scope: scope)
            .orderBy(SQLColumn("name", table: "o")).orderBy(SQLColumn("id", table: "o")).all().map(Self.info(from:))
    }

    static var from: SQLAlias { SQLAlias(SQLIdentifier("organizations"), as: SQLIdentifier("o")) }

    /// The list's conditions: the scope, the region's subtree, part of the name.
    func filtered(_ q: SQLSelectBuilder, region: Region?, name: String?, scope: Scope?) -> SQLSelectBuilder {
        var q = q
        if let scope { q = q.where(scope.organizationCondition(table: "o")) }
        if let region, region.level != .nation {
            // Organisations sit at a county or below: match the region code's subtree by the region table's path.
            if let column = RegionPath.column(for: region.level), region.level != .community {
                q = q.where(SQLColumn("region_code", table: "o"), .in, SQLGroupExpression(
                    SQLQueryString("SELECT code FROM regions WHERE \(ident: column) = \(bind: region.code)")))
            } else {
                q = q.where(SQLColumn("region_code", table: "o"), .equal, SQLBind(region.code))
            }
        }
        if let name = name?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            q = q.where(SQLColumn("name", table: "o"), .like, SQLBind("%" + PersonStore.likePrefix(name)))
        }
        return q
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
