import Foundation
import SQLKit
import ShegongDomain

/// A department of a jurisdiction (民政局 of 酒泉市): what an operator's account and a measure's
/// lead and cooperating departments point at (issue #18 §2; migration 0066).
public struct Department: Sendable, Equatable, Codable {
    public var id: String
    public var regionCode: String
    public var name: String
    public var active: Bool

    public init(id: String, regionCode: String, name: String, active: Bool) {
        self.id = id; self.regionCode = regionCode; self.name = name; self.active = active
    }
}

/// Departments as records: listed by region (the scope is the query's condition), added, renamed
/// and deactivated; names resolved to records for plans read from files and accounts made on the
/// command line.
public struct DepartmentStore: Sendable {
    let sql: any SQLDatabase

    public init(sql: any SQLDatabase) { self.sql = sql }

    /// A department's name: 1–50 characters once trimmed.
    public static let nameLength = 1...50

    static func department(_ row: any SQLRow) throws -> Department {
        Department(id: try row.decode(column: "id"), regionCode: try row.decode(column: "region_code"), name: try row.decode(column: "name"),
                   active: try row.decode(column: "active", as: Bool.self))
    }

    /// The departments of `inside` and the regions below it (all for the nation), in region and
    /// name order. Inactive ones only when asked.
    public func list(inside region: RegionCode?, includeInactive: Bool = true) async throws -> [Department] {
        var query = sql.select().columns("id", "region_code", "name", "active").from("departments")
        if let region, region != .nation {
            query = query.where(PlanStore.inside(region, column: "region_code"))
        }
        if !includeInactive { query = query.where("active", .equal, true) }
        return try await query.orderBy("region_code").orderBy("name").all().map(Self.department)
    }

    /// The departments of the region and those above it (the ones an operator of the region or a
    /// measure of a plan there may be assigned), active only, nearest region first.
    public func available(to region: RegionCode) async throws -> [Department] {
        let chain = Self.chain(region).map(\.value)
        let rows = try await sql.select().columns("id", "region_code", "name", "active").from("departments")
            .where(SQLColumn("region_code"), .in, SQLBind.group(chain)).where("active", .equal, true)
            .orderBy("name").all().map(Self.department)
        return rows.sorted { (chain.firstIndex(of: $0.regionCode) ?? 99, $0.name) < (chain.firstIndex(of: $1.regionCode) ?? 99, $1.name) }
    }

    public func department(id: String) async throws -> Department? {
        try await sql.select().columns("id", "region_code", "name", "active").from("departments").where("id", .equal, id).first()
            .map(Self.department)
    }

    /// The region and every region above it, nearest first (the nation last).
    static func chain(_ region: RegionCode) -> [RegionCode] {
        var chain: [RegionCode] = [], current: RegionCode? = region
        while let c = current { chain.append(c); current = c.parent }
        if chain.last != .nation { chain.append(.nation) }
        return chain
    }

    static func cleanName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard nameLength.contains(trimmed.count) else {
            throw StoreError(.invalid, code: "validation", text: .init("validation.department"),
                             details: [.init(field: "name", code: "department.name.invalid", "\(nameLength.upperBound)")])
        }
        return trimmed
    }

    func requireUnique(_ name: String, region: String, except id: String? = nil) async throws {
        var query = sql.select().column("id").from("departments").where("region_code", .equal, region).where("name", .equal, name)
        if let id { query = query.where("id", .notEqual, id) }
        if try await query.first() != nil {
            throw StoreError(.conflict, code: "department.duplicate", name,
                             details: [.init(field: "name", code: "department.duplicate", name)])
        }
    }

    /// A new active department of `region` (a known region); a name already used there is a conflict.
    public func add(name: String, region: RegionCode, now: Date = Date()) async throws -> Department {
        let name = try Self.cleanName(name)
        try await requireUnique(name, region: region.value)
        return try await insert(name: name, region: region, now: now)
    }

    func insert(name: String, region: RegionCode, now: Date) async throws -> Department {
        let department = Department(id: RecordID.make(now: now), regionCode: region.value, name: name, active: true)
        let stamp = Timestamp.string(now)
        try await sql.insert(into: "departments").columns("id", "region_code", "name", "active", "created_at", "updated_at")
            .values(department.id, department.regionCode, department.name, true, stamp, stamp).run()
        return department
    }

    /// Renames a department, and the copies of its name: its operators' accounts and the measures
    /// it leads or cooperates on. Returns the department as it was (for the audit entry).
    ///
    /// An operator's name decides which statistics they may enter (`DepartmentStatistics`), so a
    /// rename of a department with operators raises the accounts' generation in the same
    /// transaction (`AuthGeneration`): no server keeps a principal of the old name past the lease,
    /// and `cache`'s server not past its next request.
    public func rename(id: String, to name: String, now: Date = Date(), telling cache: PrincipalCache? = nil) async throws -> Department {
        guard let department = try await department(id: id) else { throw StoreError.notFound(.department, id) }
        let name = try Self.cleanName(name)
        try await requireUnique(name, region: department.regionCode, except: id)
        try await sql.update("departments").set("name", to: name).set("updated_at", to: Timestamp.string(now)).where("id", .equal, id).run()
        if try await sql.select().column("id").from("users").where("department_id", .equal, id).limit(1).first() != nil {
            try await sql.update("users").set("department", to: name).where("department_id", .equal, id).run()
            try await AuthGeneration.raise(on: sql, telling: cache)
        }
        try await sql.update("plan_measures").set("lead", to: name).where("lead_department_id", .equal, id).run()
        let pattern = "%\"\(id)\"%"
        for row in try await sql.select().columns("id", "cooperating", "cooperating_department_ids").from("plan_measures")
            .where("cooperating_department_ids", .like, pattern).all() {
            let ids = JSONList.strings(try row.decode(column: "cooperating_department_ids", as: String?.self) ?? "[]") ?? []
            var names = JSONList.strings(try row.decode(column: "cooperating")) ?? []
            guard names.count == ids.count else { continue }
            for (i, each) in ids.enumerated() where each == id { names[i] = name }
            try await sql.update("plan_measures").set("cooperating", to: JSONList.text(names)).where("id", .equal, try row.decode(column: "id", as: String.self)).run()
        }
        return department
    }

    /// Deactivates (or reactivates) a department: kept for what names it, no longer offered.
    public func setActive(id: String, _ active: Bool, now: Date = Date()) async throws -> Department {
        guard let department = try await department(id: id) else { throw StoreError.notFound(.department, id) }
        try await sql.update("departments").set("active", to: active).set("updated_at", to: Timestamp.string(now)).where("id", .equal, id).run()
        return department
    }

    /// The record a department's name means in `region`: the department of that name nearest at or
    /// above the region (active or not), else a new one of the region. For plans read from files
    /// and grants given on the command line, which name departments.
    public func resolve(name: String, in region: RegionCode, now: Date = Date()) async throws -> Department {
        let name = try Self.cleanName(name)
        let chain = Self.chain(region).map(\.value)
        let found = try await sql.select().columns("id", "region_code", "name", "active").from("departments")
            .where(SQLColumn("region_code"), .in, SQLBind.group(chain)).where("name", .equal, name).all().map(Self.department)
        if let nearest = found.min(by: { (chain.firstIndex(of: $0.regionCode) ?? 99) < (chain.firstIndex(of: $1.regionCode) ?? 99) }) {
            return nearest
        }
        return try await insert(name: name, region: region, now: now)
    }

    /// Migration 0066: the departments named on file become records — each measure's in its plan's
    /// jurisdiction, then each operator's (`resolve`: the nearest record of that name at or above
    /// the operator's region, else one of the operator's region) — and the rows point at them.
    static func recordExistingValues(on sql: any SQLDatabase, now: Date = Date()) async throws {
        let store = DepartmentStore(sql: sql)
        let measures = try await sql.select().column(SQLColumn("id", table: "plan_measures")).column(SQLColumn("lead", table: "plan_measures"))
            .column(SQLColumn("cooperating", table: "plan_measures")).column(SQLColumn("jurisdiction", table: "plans"))
            .from("plan_measures").join("plans", on: SQLColumn("plan_id", table: "plan_measures"), .equal, SQLColumn("id", table: "plans"))
            .all()
        for row in measures {
            guard case .success(let region) = RegionCode.parse(try row.decode(column: "jurisdiction")) else { continue }
            let lead: String = try row.decode(column: "lead")
            let cooperating = JSONList.strings(try row.decode(column: "cooperating")) ?? []
            let leadID = try? await store.resolve(name: lead, in: region, now: now).id
            var ids: [String] = []
            for name in cooperating {
                guard let id = try? await store.resolve(name: name, in: region, now: now).id else { ids = []; break }
                ids.append(id)
            }
            try await sql.update("plan_measures").set("lead_department_id", to: leadID)
                .set("cooperating_department_ids", to: ids.count == cooperating.count ? JSONList.text(ids) : nil)
                .where("id", .equal, try row.decode(column: "id", as: String.self)).run()
        }
        for row in try await sql.select().columns("id", "region_code", "department").from("users")
            .where("role", .equal, "department_operator").all() {
            guard let name: String = try row.decode(column: "department"), let code: String = try row.decode(column: "region_code"),
                  case .success(let region) = RegionCode.parse(code),
                  let department = try? await store.resolve(name: name, in: region, now: now) else { continue }
            try await sql.update("users").set("department_id", to: department.id).where("id", .equal, try row.decode(column: "id", as: String.self)).run()
        }
    }
}
