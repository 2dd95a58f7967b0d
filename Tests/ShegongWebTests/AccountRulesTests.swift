import Foundation
import ShegongDomain
import ShegongStore
import XCTest

/// Password policy, TOTP, roles and the separation of administrators: rules without a database.
final class AccountRulesTests: XCTestCase {
    let policy = PasswordPolicy(commonPasswords: AccountStore.commonPasswords)

    func testTheShippedCommonPasswordListHoldsTheChineseFavourites() {
        // check
        XCTAssertGreaterThanOrEqual(AccountStore.commonPasswords.count, 1_000)
        for word in ["123456", "password", "qwerty", "woaini1314", "5201314", "a123456", "Aa123456"] {
            XCTAssertTrue(AccountStore.commonPasswords.contains(word) || AccountStore.commonPasswords.contains(word.lowercased()), word)
        }
    }

    func testPasswordRules() {
        typealias V = PasswordPolicy.Violation
        let cases: [(password: String, username: String, expected: [V])] = [
            ("Xk7#pq2m", "zhangsan", []),                              // 8 characters, 4 classes
            ("xk7pq2mz", "zhangsan", [.tooFewClasses]),                // lower + digit only
            ("Xk7pq2mz", "zhangsan", []),                              // 3 classes is enough
            ("Xk7#pq2", "zhangsan", [.tooShort]),                      // 7 characters
            ("XKPQMZWT", "zhangsan", [.tooFewClasses]),
            ("Aa123456!", "zhangsan", [.common]),                      // listed core with a capital and a symbol
            ("Aa123456", "zhangsan", [.common]),
            ("Woaini1314", "zhangsan", [.common]),
            ("P@ssw0rd", "zhangsan", [.common]),
            ("123456", "zhangsan", [.tooShort, .tooFewClasses, .common]),
            ("Zhangsan#2025", "zhangsan", [.containsUsername]),        // any case
            ("社工人才Ab12", "zhangsan", []),                           // 8 characters; a Chinese character counts as a symbol
            (String(repeating: "Ab1!", count: 18), "zhangsan", []),    // exactly 72 bytes
            (String(repeating: "Ab1!", count: 18) + "x", "zhangsan", [.tooLong]),  // 73 bytes: rejected, never truncated
            (String(repeating: "社", count: 24) + "Ab1", "zhangsan", [.tooLong]),  // 27 characters but 75 bytes
        ]
        for c in cases {
            XCTAssertEqual(policy.violations(of: c.password, username: c.username), c.expected, c.password)
        }
    }

    func testEveryViolationHasAChineseMessageNamingTheRule() {
        // check
        XCTAssertTrue(PasswordPolicy.Violation.tooShort.message(policy).contains("8"))
        XCTAssertTrue(PasswordPolicy.Violation.tooLong.message(policy).contains("72 字节"))
        XCTAssertTrue(PasswordPolicy.Violation.tooFewClasses.message(policy).contains("3 类"))
        XCTAssertTrue(PasswordPolicy.Violation.common.message(policy).contains("常见"))
        XCTAssertTrue(PasswordPolicy.Violation.containsUsername.message(policy).contains("用户名"))
    }

    func testTOTPMatchesTheRFC6238Vectors() {
        // setup: RFC 6238 appendix B, SHA-1, secret "12345678901234567890", 8 digits
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let vectors: [(TimeInterval, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        // check
        for (time, code) in vectors {
            XCTAssertEqual(totp.code(at: Date(timeIntervalSince1970: time), digits: 8), code, "T=\(time)")
        }
        XCTAssertEqual(totp.code(at: Date(timeIntervalSince1970: 59)), "287082", "6 digits are the last six")
    }

    func testTOTPAcceptsOneStepEitherSideAndBase32RoundTrips() {
        // setup
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.step(at: now)
        // check
        XCTAssertEqual(totp.base32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        XCTAssertEqual(TOTP(base32: "gezd gnbv gy3t qojq gezd gnbv gy3t qojq")?.secret, totp.secret)
        XCTAssertEqual(totp.matchingStep(totp.code(step: step - 1), at: now), step - 1)
        XCTAssertEqual(totp.matchingStep(totp.code(step: step + 1), at: now), step + 1)
        XCTAssertNil(totp.matchingStep(totp.code(step: step - 2), at: now))
        XCTAssertNil(totp.matchingStep("12345", at: now))
        XCTAssertTrue(totp.provisioningURI(account: "zhangsan").hasPrefix("otpauth://totp/Shegong%3Azhangsan?secret=GEZDGNBV"))
    }

    func testGrantsNeedTheirScopeAndNothingElse() {
        func parse(_ roles: [String], region: String? = nil, access: String? = nil, department: String? = nil,
                   organization: String? = nil, person: String? = nil) -> Result<Grant, Grant.Problem> {
            Grant.parse(.init(roles: roles, region: region, access: access, department: department, organization: organization, person: person))
        }
        // check
        XCTAssertEqual(try parse(["official"], region: "620900", access: "readwrite").get(),
                       .official(region: try RegionCode.parse("620900").get(), access: .readWrite))
        XCTAssertEqual(try parse(["official"], region: "620900").get().role, .official, "read is the default")
        XCTAssertEqual(try parse(["systemAdministrator"]).get(), .systemAdministrator, "camel case accepted")
        XCTAssertEqual(try parse(["department_operator"], region: "620900", department: "民政局").get(),
                       .departmentOperator(department: "民政局", region: try RegionCode.parse("620900").get()))
        XCTAssertEqual(try parse(["organization_manager"], organization: "91420100MA4K0000X1").get(),
                       .organizationManager(organization: "91420100MA4K0000X1"))
        XCTAssertEqual(parse(["official"]).failureCode, "grant.region.missing")
        XCTAssertEqual(parse(["official"], region: "62090").failureCode, "grant.region.invalid")
        XCTAssertEqual(parse(["official"], region: "620900", access: "all").failureCode, "grant.access.invalid")
        XCTAssertEqual(parse(["system_administrator"], region: "620900").failureCode, "grant.scope.unexpected",
                       "administrators hold no business scope")
        XCTAssertEqual(parse(["department_operator"], region: "620900").failureCode, "grant.department.missing")
        XCTAssertEqual(parse(["social_worker"]).failureCode, "grant.person.missing")
        XCTAssertEqual(parse(["janitor"]).failureCode, "grant.role.unknown")
        XCTAssertEqual(parse([]).failureCode, "grant.role.missing")
        XCTAssertEqual(parse(["official", "social_worker"], region: "620900").failureCode, "grant.role.multiple")
    }

    func testNoAccountMayHoldTwoAdministratorRoles() {
        // act
        let pairs = [["system_administrator", "audit_administrator"], ["security_administrator,audit_administrator"],
                     ["system_administrator", "security_administrator"]]
        // check
        for roles in pairs {
            guard case .failure(let problem) = Grant.parse(.init(roles: roles)) else { return XCTFail("\(roles) accepted") }
            XCTAssertEqual(problem.code, "grant.separation", "\(roles)")
            XCTAssertTrue(problem.message.contains("三员分立"))
        }
        XCTAssertEqual(Role.allCases.filter(\.isAdministrator), [.systemAdministrator, .securityAdministrator, .auditAdministrator])
    }

    func testUsernamesAreNormalised() {
        // check
        XCTAssertEqual(try Username.normalise(" ZhangSan ").get(), "zhangsan")
        XCTAssertEqual(try Username.normalise("张三.jq").get(), "张三.jq")
        XCTAssertThrowsError(try Username.normalise("ab").get())
        XCTAssertThrowsError(try Username.normalise("zhang san").get())
        XCTAssertThrowsError(try Username.normalise("a'--").get())
    }
}

extension Result where Failure == Grant.Problem {
    var failureCode: String? {
        if case .failure(let problem) = self { return problem.code }
        return nil
    }
}
