import Crypto
import Foundation
import ShegongDomain

/// The account rules that an operator may change (issue #3 §1), with the defaults.
public struct AccountSettings: Sendable, Equatable {
    /// Passwords expire after this long (`SHEGONG_PASSWORD_MAX_AGE_DAYS`, 0 = never).
    public var passwordMaxAge: TimeInterval = 90 * 86_400
    /// Consecutive failures that lock an account (`SHEGONG_LOCKOUT_ATTEMPTS`).
    public var lockoutThreshold = 5
    /// How long a lock lasts (`SHEGONG_LOCKOUT_MINUTES`).
    public var lockoutDuration: TimeInterval = 15 * 60
    /// A session unused this long ends.
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after login whatever its use.
    public var sessionAbsoluteTimeout: TimeInterval = 12 * 3_600
    /// `last_seen_at` is written at most this often per session: one write a minute instead of one
    /// per request. The idle timeout is therefore honoured to within this much.
    public var sessionTouchInterval: TimeInterval = 60
    /// The three administrator roles must use TOTP (`SHEGONG_REQUIRE_ADMIN_TOTP=1`).
    public var requireTOTPForAdministrators = false
    /// bcrypt's cost for new hashes (`SHEGONG_PASSWORD_HASH_COST`, 10–14; docs/security.md says why
    /// 11). A sign-in with a hash of another cost makes it anew at this one.
    public var passwordHashCost = 11

    public init() {}

    public static let passwordMaxAgeKey = "SHEGONG_PASSWORD_MAX_AGE_DAYS"
    public static let lockoutAttemptsKey = "SHEGONG_LOCKOUT_ATTEMPTS"
    public static let lockoutMinutesKey = "SHEGONG_LOCKOUT_MINUTES"
    public static let requireAdminTOTPKey = "SHEGONG_REQUIRE_ADMIN_TOTP"
    public static let passwordHashCostKey = "SHEGONG_PASSWORD_HASH_COST"

    /// Reads the variables above; a malformed value is an error naming the variable.
    public init(environment: [String: String]) throws {
        func number(_ key: String, range: ClosedRange<Int>) throws -> Int? {
            guard let raw = environment[key], !raw.isEmpty else { return nil }
            guard let n = Int(raw), range.contains(n) else {
                throw StoreError(.invalid, code: "settings.invalid", "\(key)", "\(range.lowerBound)", "\(range.upperBound)", "\(raw)")
            }
            return n
        }
        if let days = try number(Self.passwordMaxAgeKey, range: 0...3_650) { passwordMaxAge = TimeInterval(days) * 86_400 }
        if let attempts = try number(Self.lockoutAttemptsKey, range: 1...100) { lockoutThreshold = attempts }
        if let minutes = try number(Self.lockoutMinutesKey, range: 1...1_440) { lockoutDuration = TimeInterval(minutes) * 60 }
        if let cost = try number(Self.passwordHashCostKey, range: 10...14) { passwordHashCost = cost }
        if let flag = environment[Self.requireAdminTOTPKey], !flag.isEmpty {
            requireTOTPForAdministrators = ["1", "true", "yes"].contains(flag.lowercased())
        }
    }
}

/// Password hashing, injected by the layer above.
///
/// Why not in the store: the hash is bcrypt (the issue names bcrypt's 72-byte limit, and bcrypt's
/// cost is what auditors expect to see), and Shegong's bcrypt is Vapor's, which the store must
/// not import. swift-crypto's `_CryptoExtras` has PBKDF2 and scrypt, but it is a separate product
/// that the package does not link, and a second algorithm would mean two kinds of stored hash.
/// So the store asks for this protocol and ShegongWeb gives it Vapor's `Bcrypt`
/// (`BcryptPasswordHashing`). Tests pass the same one with a low cost.
public protocol PasswordHashing: Sendable {
    /// A self-describing hash (`$2b$12$…`). The password is at most 72 bytes (checked before).
    func hash(_ password: String) throws -> String
    func verify(_ password: String, against hash: String) throws -> Bool
    /// The cost this hasher makes hashes at; nil for a hasher without one (tests).
    var hashCost: Int? { get }
    /// The cost `hash` was made with, read from its start (`$2b$11$`); nil when it does not say.
    func cost(of hash: String) -> Int?
}

extension PasswordHashing {
    public var hashCost: Int? { nil }
    public func cost(of hash: String) -> Int? { nil }

    /// Whether `hash` was made as this hasher makes hashes now (its cost); a sign-in with a
    /// hash that was not is the moment to make it anew, the password being known then.
    public func isCurrent(_ hash: String) -> Bool { cost(of: hash) == hashCost }
}

/// Random secrets: session ids, API tokens, one-time passwords.
enum Secret {
    /// `bytes` from the system's CSPRNG (getrandom on Linux), base64url without padding.
    static func token(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// What is stored instead of a session id or API token: its SHA-256, hex. The tokens carry 256
    /// random bits, so an unsalted fast hash is enough; a stolen table gives no usable token.
    static func digest(_ token: String) -> String {
        PersonalDataCipher.hex(SHA256.hash(data: Data(token.utf8)))
    }

    /// A one-time password meeting the policy: 16 characters with upper and lower case and
    /// digits, no look-alikes (0/O, 1/l/I) so it can be read out over the phone.
    static func oneTimePassword() -> String {
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), lower = Array("abcdefghijkmnpqrstuvwxyz"), digits = Array("23456789")
        let all = upper + lower + digits
        var generator = SystemRandomNumberGenerator()
        var chars = [upper.randomElement(using: &generator)!, lower.randomElement(using: &generator)!, digits.randomElement(using: &generator)!]
        while chars.count < 16 { chars.append(all.randomElement(using: &generator)!) }
        chars.shuffle(using: &generator)
        return String(chars)
    }
}

/// A bcrypt hash of a random value, made once per hasher configuration, to verify against when
/// a login has no usable stored hash (unknown user, password not issued, too long): the attempt
/// then costs one verification like any other (issue #10 item 6).
final class TimingHash: @unchecked Sendable {
    static let shared = TimingHash()
    private let lock = NSLock()
    private var hashes: [String: String] = [:]

    func value(_ hasher: any PasswordHashing) throws -> String {
        let key = String(describing: hasher)
        lock.lock()
        defer { lock.unlock() }
        if let hash = hashes[key] { return hash }
        let hash = try hasher.hash(Secret.token(bytes: 12))
        hashes[key] = hash
        return hash
    }
}
