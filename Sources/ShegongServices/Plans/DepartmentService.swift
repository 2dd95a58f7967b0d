import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

/// Departments as records (issue #18 §2): the officials of a jurisdiction — read-write officials in
/// their region and the regions inside it — and the system administrator (who gives operators
/// their department) list, add, rename, deactivate and reactivate them. The region condition is in
/// the query; each change is audited in its transaction.
public struct DepartmentService: Sendable {
    let context: ServiceContext
    let caller: Caller

    public init(context: ServiceContext, caller: Caller) {
        self.context = context
        self.caller = caller
    }

    public static let readers = Permission.read(.official, .systemAdministrator, .securityAdministrator)
    public static let editors = Permission.write(.official, .systemAdministrator)

    /// Administrators manage every region's departments; officials those of their subtree.
    var everywhere: Bool { caller.principal.role.isAdministrator }

    var ownRegion: RegionCode? {
        guard let subtree = caller.scope.regionSubtree, case .success(let code) = RegionCode.parse(subtree.code) else { return nil }
        return code
    }

    /// The departments the caller manages (inactive ones included), in region and name order.
    public func list() async throws -> [Department] {
        try await context.require(caller, Self.readers, "department")
        let store = DepartmentStore(sql: context.sql)
        if everywhere { return try await store.list(inside: nil) }
        guard let own = ownRegion else { return [] }
        return try await store.list(inside: own)
    }

    /// A region the caller may add departments to: in sight (else the audited 404) and writable
    /// (else the audited 403).
    func writableRegion(_ code: String) async throws -> RegionCode {
        let region = try await context.region(caller, code: code, field: "region")
        guard everywhere || caller.scope.mayWrite(region: region.path) else {
            throw try await context.forbidden(caller, "region", region.code, AccessDenied(code: "scope.read_only", region.code))
        }
        return region.level == .nation ? .nation : try RegionCode.parse(region.code).get()
    }

    /// A department the caller manages; another region's answers like a missing one (audited).
    func managed(id: String) async throws -> Department {
        guard let department = try await DepartmentStore(sql: context.sql).department(id: id) else { throw StoreError.notFound(.department, id) }
        guard everywhere || (try? RegionCode.parse(department.regionCode).get()).map({ code in ownRegion?.contains(code) ?? false }) == true
        else { throw try await context.outOfScope(caller, "department", id, what: .department, id) }
        guard everywhere || caller.principal.isReadWriteOfficial else {
            throw try await context.forbidden(caller, "department", id, AccessDenied(code: "scope.read_only", department.name))
        }
        return department
    }

    /// Adds a department to a region the caller may change (the caller's own by default).
    public func add(name: String, region code: String?) async throws -> Department {
        try await context.require(caller, Self.editors, "department")
        guard let code = code ?? ownRegion?.value else {
            throw StoreError(.invalid, code: "validation", text: .init("validation.department"),
                             details: [.init(field: "region", code: "region.unknown", "")])
        }
        let region = try await writableRegion(code)
        let now = context.now()
        return try await context.audited(caller, .departmentCreate, "department", details: "\(region.value) \(name)",
                                         object: { (d: Department) in d.id }) { tx in
            try await DepartmentStore(sql: tx.sql).add(name: name, region: region, now: now)
        }
    }

    /// Renames a department (and the copies of its name on accounts and measures).
    public func rename(id: String, to name: String) async throws -> Department {
        try await context.require(caller, Self.editors, "department", id)
        let department = try await managed(id: id)
        let now = context.now(), cache = context.principalCache
        _ = try await context.audited(caller, .departmentRename, "department", details: "\(department.name) → \(name)",
                                      object: { (_: Department) in id }) { tx in
            try await DepartmentStore(sql: tx.sql).rename(id: id, to: name, now: now, telling: cache)
        }
        return try await DepartmentStore(sql: context.sql).department(id: id) ?? department
    }

    /// Deactivates a department (no longer offered on forms; what names it keeps it), or reactivates it.
    public func setActive(id: String, _ active: Bool) async throws -> Department {
        try await context.require(caller, Self.editors, "department", id)
        let department = try await managed(id: id)
        let now = context.now()
        _ = try await context.audited(caller, active ? .departmentActivate : .departmentDeactivate, "department", details: department.name,
                                      object: { (_: Department) in id }) { tx in
            try await DepartmentStore(sql: tx.sql).setActive(id: id, active, now: now)
        }
        return try await DepartmentStore(sql: context.sql).department(id: id) ?? department
    }
}

public extension AuditAction {
    static let departmentCreate: AuditAction = "department.create"
    static let departmentRename: AuditAction = "department.rename"
    static let departmentDeactivate: AuditAction = "department.deactivate"
    static let departmentActivate: AuditAction = "department.activate"
}
