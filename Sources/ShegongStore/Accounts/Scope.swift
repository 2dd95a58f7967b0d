import Foundation
import SQLKit
import ShegongDomain

/// A region subtree: the region's code and level (its subtree is every row whose path has this
/// code at this level — one indexed equality, architecture.md "Regions").
public struct RegionSubtree: Sendable, Equatable, Codable {
    public var code: String
    public var level: RegionLevel

    public init(code: String, level: RegionLevel) {
        self.code = code
        self.level = level
    }

    public func contains(_ path: RegionPath) -> Bool {
        level == .nation || path[level] == code
    }

    /// `table.<level>_code = code` (the nation: always true). `leafColumn` holds a row's own
    /// code at community level: `region_code` on people, `code` on regions.
    public func condition(table: String, leafColumn: String = "region_code") -> any SQLExpression {
        guard level != .nation, let column = RegionPath.column(for: level) else { return SQLRaw("1 = 1") }
        return SQLBinaryExpression(SQLColumn(level == .community ? leafColumn : column, table: table), .equal, SQLBind(code))
    }
}

/// What data a principal may see and change, derived from the account's one grant. The web layer
/// asks it before every read and write, and adds `peopleCondition` to every list query, so a
/// record outside the scope is simply not found (answered 404 and audited, issue #3 §2).
public enum Scope: Sendable, Equatable {
    /// System, security and audit administrators: accounts, grants or the audit log, no business data.
    case noBusinessData
    case region(RegionSubtree, access: Access)
    /// Measures their department leads and the (aggregate) statistics of the region; no personal data.
    case department(name: String, region: RegionSubtree)
    /// Their organisation's staff and posts, read and write.
    case organization(id: String)
    /// Their own record, read only.
    case person(id: String)

    public var allowsPersonalData: Bool {
        switch self {
        case .noBusinessData, .department: return false
        case .region, .organization, .person: return true
        }
    }

    /// Region pages and statistics (aggregates).
    public func mayRead(region path: RegionPath) -> Bool {
        switch self {
        case .region(let subtree, _), .department(_, let subtree): return subtree.contains(path)
        case .noBusinessData, .organization, .person: return false
        }
    }

    /// Adding townships and communities, entering region statistics.
    public func mayWrite(region path: RegionPath) -> Bool {
        if case .region(let subtree, .readWrite) = self { return subtree.contains(path) }
        return false
    }

    /// Entering region statistics (the denominators): read-write officials in their subtree, and
    /// department operators in their region — only the figures of their field (issue #3 §2), as
    /// `DepartmentStatistics` maps a department's name to statistics.
    public func mayEnter(_ statistic: RegionStatistic, region path: RegionPath) -> Bool {
        enterableStatistics().contains(statistic) && mayEnterStatistics(region: path)
    }

    /// Whether the scope may enter any statistic of the region.
    public func mayEnterStatistics(region path: RegionPath) -> Bool {
        if case .department(_, let subtree) = self { return subtree.contains(path) && !enterableStatistics().isEmpty }
        return mayWrite(region: path)
    }

    /// The statistics this scope may enter somewhere: all for read-write officials, their field's
    /// for department operators, none for others.
    public func enterableStatistics() -> Set<RegionStatistic> {
        switch self {
        case .region(_, .readWrite): return Set(RegionStatistic.allCases)
        case .department(let name, _): return DepartmentStatistics.inForce.statistics(department: name)
        case .region(_, .read), .noBusinessData, .organization, .person: return []
        }
    }

    /// The region subtree the scope is drawn over: officials' and department operators' own region,
    /// which pages and `?region=` parameters start from. Nil for scopes not drawn over regions.
    public var regionSubtree: RegionSubtree? {
        switch self {
        case .region(let subtree, _), .department(_, let subtree): return subtree
        case .noBusinessData, .organization, .person: return nil
        }
    }

    /// An organisation, given the region it is registered in (nil when unknown).
    public func mayRead(organization id: String, region path: RegionPath?) -> Bool {
        switch self {
        case .region(let subtree, _): return path.map(subtree.contains) ?? false
        case .organization(let own): return own == id
        case .noBusinessData, .department, .person: return false
        }
    }

    public func mayWrite(organization id: String, region path: RegionPath?) -> Bool {
        switch self {
        case .region(let subtree, .readWrite): return path.map(subtree.contains) ?? false
        case .organization(let own): return own == id
        default: return false
        }
    }

    /// A person, given where they work and their employer.
    public func mayRead(person id: String, region path: RegionPath, organization: String?) -> Bool {
        switch self {
        case .region(let subtree, _): return subtree.contains(path)
        case .organization(let own): return organization == own
        case .person(let own): return own == id
        case .noBusinessData, .department: return false
        }
    }

    public func mayWrite(person id: String, region path: RegionPath, organization: String?) -> Bool {
        switch self {
        case .region(let subtree, .readWrite): return subtree.contains(path)
        case .organization(let own): return organization == own
        default: return false
        }
    }

    /// The condition that keeps a query on `people` (or a table with the same path columns,
    /// `organization_id` and `id`) inside the scope. Add it to every list, search and export.
    public func peopleCondition(table: String = "people") -> any SQLExpression {
        switch self {
        case .region(let subtree, _): return subtree.condition(table: table)
        case .organization(let id): return SQLBinaryExpression(SQLColumn("organization_id", table: table), .equal, SQLBind(id))
        case .person(let id): return SQLBinaryExpression(SQLColumn("id", table: table), .equal, SQLBind(id))
        case .noBusinessData, .department: return SQLRaw("1 = 0")
        }
    }

    /// The condition that keeps a query on `organizations` inside the scope: officials see the
    /// employers registered in their subtree (by the `regions` path of the organisation's region),
    /// an organisation manager their own; social workers and the rest none.
    public func organizationCondition(table: String = "organizations") -> any SQLExpression {
        switch self {
        case .region(let subtree, _) where subtree.level == .nation: return SQLRaw("1 = 1")
        case .region(let subtree, _):
            return SQLQueryString("\(SQLColumn("region_code", table: table)) IN (SELECT scope_r.code FROM regions scope_r WHERE \(subtree.condition(table: "scope_r", leafColumn: "code")))")
        case .organization(let id): return SQLBinaryExpression(SQLColumn("id", table: table), .equal, SQLBind(id))
        case .noBusinessData, .department, .person: return SQLRaw("1 = 0")
        }
    }


    /// Read-write officials only: exports with full identifiers (issue #3 §2, audited).
    public var mayExportIdentifiers: Bool {
        if case .region(_, .readWrite) = self { return true }
        return false
    }

    /// The condition for the `regions` table (region browser, drill-down).
    public func regionCondition(table: String = "regions") -> any SQLExpression {
        switch self {
        case .region(let subtree, _), .department(_, let subtree): return subtree.condition(table: table, leafColumn: "code")
        default: return SQLRaw("1 = 0")
        }
    }
}

/// What a scoped lookup of one record found: a record outside the scope is answered like a
/// missing one, but audited as a denial (issue #3 §2).
public enum RecordVisibility: Sendable, Equatable {
    case missing, outOfScope, visible
}

/// Who is asking: the account behind a session cookie or a bearer token.
public struct Principal: Sendable, Equatable {
    public enum Credential: Sendable, Equatable {
        case session(id: String)
        case apiToken(id: String)
        /// An operator command on the server acting as the account (`--as USERNAME`).
        case commandLine
    }
    public var userID: String
    public var username: String
    public var grant: Grant
    public var scope: Scope
    /// A department operator's department record (migration 0066): the measures it leads get the
    /// operator's progress-report form.
    public var departmentID: String? = nil
    /// A one-time or expired password: the web layer allows only the change-password page.
    public var mustChangePassword: Bool
    /// An administrator without TOTP while settings require it: allow only TOTP enrolment.
    public var mustEnrolTOTP: Bool
    public var credential: Credential

    public var role: Role { grant.role }

    /// An official with read-write access (runs imports, allowances, creates organisations).
    public var isReadWriteOfficial: Bool {
        if case .official(_, .readWrite) = grant { return true }
        return false
    }
}
