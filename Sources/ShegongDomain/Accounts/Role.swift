import Foundation

/// What an account may do (issue #3 §2). An account holds exactly one role: the role is one
/// column, not a list, so the separation of the three administrators (MLPS 2.0 level 3,
/// 三员分立: system, security and audit administrators are different people) holds by
/// construction; `Grant.parse` also rejects a request naming two of them.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Accounts and settings; no business data.
    case systemAdministrator = "system_administrator"
    /// Roles and grants.
    case securityAdministrator = "security_administrator"
    /// Reads the audit log; nothing else.
    case auditAdministrator = "audit_administrator"
    /// Read or read-write over one region subtree.
    case official
    /// The measures their department leads and the statistics of their field, in a region.
    case departmentOperator = "department_operator"
    /// Their organisation's staff and posts.
    case organizationManager = "organization_manager"
    /// Their own record.
    case socialWorker = "social_worker"

    public var isAdministrator: Bool {
        switch self {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator: return true
        default: return false
        }
    }

    public var chineseName: String {
        switch self {
        case .systemAdministrator: return "系统管理员"
        case .securityAdministrator: return "安全管理员"
        case .auditAdministrator: return "审计管理员"
        case .official: return "业务人员"
        case .departmentOperator: return "部门填报员"
        case .organizationManager: return "机构管理员"
        case .socialWorker: return "社会工作者"
        }
    }

    /// Accepts the stored form (`system_administrator`), camel case (`systemAdministrator`) and
    /// hyphens, so the CLI takes what an operator is likely to type.
    public init?(text: String) {
        let key = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
        if let role = Role(rawValue: key.lowercased()) { self = role; return }
        guard let role = Role.allCases.first(where: { "\($0)".lowercased() == key.lowercased().replacingOccurrences(of: "_", with: "") }) else { return nil }
        self = role
    }
}

/// Read only, or read and write.
public enum Access: String, Codable, Sendable {
    case read
    case readWrite = "readwrite"
}

/// A role with the scope it applies to: the one grant an account holds.
public enum Grant: Sendable, Equatable, Codable {
    case systemAdministrator
    case securityAdministrator
    case auditAdministrator
    case official(region: RegionCode, access: Access)
    case departmentOperator(department: String, region: RegionCode)
    /// An organisation's record id.
    case organizationManager(organization: String)
    /// A person's record id.
    case socialWorker(person: String)

    public var role: Role {
        switch self {
        case .systemAdministrator: return .systemAdministrator
        case .securityAdministrator: return .securityAdministrator
        case .auditAdministrator: return .auditAdministrator
        case .official: return .official
        case .departmentOperator: return .departmentOperator
        case .organizationManager: return .organizationManager
        case .socialWorker: return .socialWorker
        }
    }

    public var region: RegionCode? {
        switch self {
        case .official(let region, _), .departmentOperator(_, let region): return region
        default: return nil
        }
    }

    /// A grant request as the CLI or a form gives it. `roles` is a list so that asking for two
    /// administrator roles at once is answered with the separation rule, not "unknown role".
    public struct Request: Sendable {
        public var roles: [String]
        public var region: String?
        public var access: String?
        public var department: String?
        /// The organisation's record id (the store resolves a USCC to it first).
        public var organization: String?
        public var person: String?
        public init(roles: [String], region: String? = nil, access: String? = nil, department: String? = nil,
                    organization: String? = nil, person: String? = nil) {
            self.roles = roles
            self.region = region
            self.access = access
            self.department = department
            self.organization = organization
            self.person = person
        }
    }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var field: String
        public var code: String
        public var text: CatalogueMessage

        /// A problem worded by the catalogue entry of its own code.
        public init(field: String, code: String, _ arguments: String...) {
            self.init(field: field, code: code, text: CatalogueMessage(code, arguments: arguments))
        }

        public init(field: String, code: String, text: CatalogueMessage) {
            self.field = field
            self.code = code
            self.text = text
        }

        /// Chinese (the CLI's).
        public var message: String { text.chinese }
        public func message(_ language: Language) -> String { text.text(language) }
        public var description: String { "\(field): \(message)" }
    }

    /// Checks a request: exactly one role, the scope that role needs and nothing it does not.
    public static func parse(_ request: Request) -> Result<Grant, Problem> {
        let roles = request.roles.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var parsed: [Role] = []
        for text in roles {
            guard let role = Role(text: text) else {
                return .failure(Problem(field: "role", code: "grant.role.unknown", text, Role.allCases.map(\.rawValue).joined(separator: "、")))
            }
            if !parsed.contains(role) { parsed.append(role) }
        }
        if parsed.filter(\.isAdministrator).count > 1 {
            return .failure(Problem(field: "role", code: "grant.separation"))
        }
        guard parsed.count == 1, let role = parsed.first else {
            return .failure(Problem(field: "role", code: parsed.isEmpty ? "grant.role.missing" : "grant.role.multiple"))
        }
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
            return t
        }
        let region = clean(request.region), access = clean(request.access), department = clean(request.department)
        let organization = clean(request.organization), person = clean(request.person)
        func refuse(_ field: String, _ present: String?) -> Problem? {
            present == nil ? nil : Problem(field: field, code: "grant.scope.unexpected", CatalogueMessage.name(role), field)
        }
        func regionCode() -> Result<RegionCode, Problem> {
            guard let region else { return .failure(Problem(field: "region", code: "grant.region.missing", CatalogueMessage.name(role))) }
            switch RegionCode.parse(region) {
            case .success(let code): return .success(code)
            case .failure(let error): return .failure(Problem(field: "region", code: "grant.region.invalid", text: error.text))
            }
        }
        switch role {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator:
            if let p = refuse("region", region) ?? refuse("access", access) ?? refuse("department", department)
                ?? refuse("organization", organization) ?? refuse("person", person) { return .failure(p) }
            return .success(role == .systemAdministrator ? .systemAdministrator : role == .securityAdministrator ? .securityAdministrator : .auditAdministrator)
        case .official:
            if let p = refuse("department", department) ?? refuse("organization", organization) ?? refuse("person", person) { return .failure(p) }
            let level: Access
            switch access?.lowercased().replacingOccurrences(of: "-", with: "") {
            case nil, "read": level = .read
            case "readwrite": level = .readWrite
            default: return .failure(Problem(field: "access", code: "grant.access.invalid"))
            }
            return regionCode().map { .official(region: $0, access: level) }
        case .departmentOperator:
            if let p = refuse("access", access) ?? refuse("organization", organization) ?? refuse("person", person) { return .failure(p) }
            guard let department else { return .failure(Problem(field: "department", code: "grant.department.missing")) }
            guard department.count <= 50 else { return .failure(Problem(field: "department", code: "grant.department.invalid", "50")) }
            return regionCode().map { .departmentOperator(department: department, region: $0) }
        case .organizationManager:
            if let p = refuse("region", region) ?? refuse("access", access) ?? refuse("department", department) ?? refuse("person", person) { return .failure(p) }
            guard let organization else { return .failure(Problem(field: "organization", code: "grant.organization.missing")) }
            return .success(.organizationManager(organization: organization))
        case .socialWorker:
            if let p = refuse("region", region) ?? refuse("access", access) ?? refuse("department", department) ?? refuse("organization", organization) { return .failure(p) }
            guard let person else { return .failure(Problem(field: "person", code: "grant.person.missing")) }
            return .success(.socialWorker(person: person))
        }
    }
}

/// Usernames: 3–32 characters of letters (any script), digits, `.`, `_`, `-`; compared without case.
public enum Username {
    public static func normalise(_ text: String) -> Result<String, Grant.Problem> {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard (3...32).contains(name.count) else {
            return .failure(.init(field: "username", code: "username.length"))
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }) else {
            return .failure(.init(field: "username", code: "username.characters"))
        }
        return .success(name)
    }
}
