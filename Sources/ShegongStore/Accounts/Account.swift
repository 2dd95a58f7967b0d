import Foundation
import SQLKit
import ShegongDomain

/// An account as administrators see it (never its password hash or TOTP secret).
public struct Account: Sendable, Equatable {
    public var id: String
    public var username: String
    public var grant: Grant
    public var mustChangePassword: Bool
    public var passwordChangedAt: Date
    public var failedAttempts: Int
    public var lockedUntil: Date?
    public var disabled: Bool
    public var hasTOTP: Bool
    public var createdAt: Date
    public var lastLoginAt: Date?
    /// Created or reset by the system administrator; the security administrator has not yet
    /// confirmed its grant and issued its one-time password, so it cannot log in (docs/security.md).
    public var awaitingPassword = false
    /// A department operator's department record (migration 0066).
    public var departmentID: String?

    public var role: Role { grant.role }
}

/// An account just created, with the one-time password to hand over once.
public struct CreatedAccount: Sendable {
    public var account: Account
    public var oneTimePassword: String
}

/// A users row, with what is needed to authenticate it.
struct StoredAccount: Sendable {
    var account: Account
    var passwordHash: String
    var regionLevel: RegionLevel?
    var totpSecretSealed: String?
    var totpLastStep: Int64?

    static let columns = ["id", "username", "password_hash", "role", "region_code", "region_level", "access", "department",
                          "organization_id", "person_id", "department_id", "must_change_password", "password_changed_at", "failed_attempts",
                          "locked_until", "disabled", "totp_secret", "totp_last_step", "created_at", "last_login_at"]

    /// Columns of `users` qualified by `table`, for joins.
    static func qualifiedColumns(_ table: String) -> [any SQLExpression] {
        columns.map { SQLColumn($0, table: table) }
    }

    init(row: any SQLRow) throws {
        let roleText: String = try row.decode(column: "role")
        guard let role = Role(rawValue: roleText) else {
            throw StoreError(.conflict, code: "account.stored_invalid", text: .init("account.stored_invalid.role", "\(roleText)"))
        }
        let regionCode: String? = try row.decode(column: "region_code")
        let level: Int? = try row.decode(column: "region_level")
        regionLevel = level.flatMap(RegionLevel.init(rawValue:))
        let region = try regionCode.map { code -> RegionCode in
            guard case .success(let parsed) = RegionCode.parse(code) else {
                throw StoreError(.conflict, code: "account.stored_invalid", text: .init("account.stored_invalid.region", "\(code)"))
            }
            return parsed
        }
        let grant: Grant
        switch role {
        case .systemAdministrator: grant = .systemAdministrator
        case .securityAdministrator: grant = .securityAdministrator
        case .auditAdministrator: grant = .auditAdministrator
        case .official:
            let access = Access(rawValue: try row.decode(column: "access", as: String?.self) ?? "") ?? .read
            guard let region else { throw StoreError(.conflict, code: "account.stored_invalid", text: .init("account.stored_invalid.official")) }
            grant = .official(region: region, access: access)
        case .departmentOperator:
            guard let region, let department: String = try row.decode(column: "department") else {
                throw StoreError(.conflict, code: "account.stored_invalid", text: .init("account.stored_invalid.department"))
            }
            grant = .departmentOperator(department: department, region: region)
        case .organizationManager:
            guard let organization: String = try row.decode(column: "organization_id") else {
                throw StoreError(.conflict, code: "account.stored_invalid", text: .init("account.stored_invalid.organization"))
            }
            grant = .organizationManager(organization: organization)
        case .socialWorker:
            guard let person: String = try row.decode(column: "person_id") else {
                throw StoreError(.conflict, code: "account.stored_invalid", text: .init("account.stored_invalid.person"))
            }
            grant = .socialWorker(person: person)
        }
        passwordHash = try row.decode(column: "password_hash")
        totpSecretSealed = try row.decode(column: "totp_secret")
        totpLastStep = try row.decode(column: "totp_last_step")
        account = Account(
            id: try row.decode(column: "id"), username: try row.decode(column: "username"), grant: grant,
            mustChangePassword: try row.decode(column: "must_change_password"),
            passwordChangedAt: Timestamp.date(try row.decode(column: "password_changed_at")) ?? .distantPast,
            failedAttempts: try row.decode(column: "failed_attempts"),
            lockedUntil: try row.decode(column: "locked_until", as: String?.self).flatMap(Timestamp.date),
            disabled: try row.decode(column: "disabled"), hasTOTP: totpSecretSealed != nil,
            createdAt: Timestamp.date(try row.decode(column: "created_at")) ?? .distantPast,
            lastLoginAt: try row.decode(column: "last_login_at", as: String?.self).flatMap(Timestamp.date))
        account.awaitingPassword = passwordHash == Self.awaitingIssue
        account.departmentID = try row.decode(column: "department_id", as: String?.self)
    }

    /// The `password_hash` of an account whose one-time password is still to be issued by the
    /// security administrator: no password verifies against it (not a bcrypt hash; login checks
    /// `hasUsablePassword` and verifies against a dummy hash instead).
    static let awaitingIssue = "!awaiting-issue"

    var hasUsablePassword: Bool { passwordHash != Self.awaitingIssue }

    var scope: Scope {
        switch account.grant {
        case .systemAdministrator, .securityAdministrator, .auditAdministrator: return .noBusinessData
        case .official(let region, let access):
            return .region(RegionSubtree(code: region.value, level: regionLevel ?? region.level), access: access)
        case .departmentOperator(let department, let region):
            return .department(name: department, region: RegionSubtree(code: region.value, level: regionLevel ?? region.level))
        case .organizationManager(let id): return .organization(id: id)
        case .socialWorker(let id): return .person(id: id)
        }
    }

    func passwordExpired(settings: AccountSettings, now: Date) -> Bool {
        settings.passwordMaxAge > 0 && now.timeIntervalSince(account.passwordChangedAt) >= settings.passwordMaxAge
    }

    func principal(credential: Principal.Credential, settings: AccountSettings, now: Date) -> Principal {
        Principal(userID: account.id, username: account.username, grant: account.grant, scope: scope, departmentID: account.departmentID,
                  mustChangePassword: account.mustChangePassword || passwordExpired(settings: settings, now: now),
                  mustEnrolTOTP: settings.requireTOTPForAdministrators && account.role.isAdministrator && totpSecretSealed == nil,
                  credential: credential)
    }
}
