import FluentKit
import Foundation
import ShegongDomain
import ShegongStore

public extension AuditAction {
    static let certificateVerify: AuditAction = "certificate.verify"
}

/// What anyone learns from a certificate number and a name (docs/pilots.md "Verification"):
/// whether a certificate with that number is held by that name, and then only its level, its
/// registration, the masked name and the region's name. A miss — wrong number or wrong name —
/// is `{"found": false}` and nothing else.
public struct VerificationAnswer: Codable, Sendable, Equatable {
    public var found: Bool
    /// `CertificateLevel` raw value (the title printed on the certificate).
    public var level: String?
    /// registered, expired or not_registered.
    public var registration: String?
    public var registeredUntil: String?
    public var maskedName: String?
    public var regionName: String?

    public init(found: Bool, level: String? = nil, registration: String? = nil, registeredUntil: String? = nil,
                maskedName: String? = nil, regionName: String? = nil) {
        self.found = found
        self.level = level
        self.registration = registration
        self.registeredUntil = registeredUntil
        self.maskedName = maskedName
        self.regionName = regionName
    }

    public static let miss = VerificationAnswer(found: false)
}

/// Too many queries from one address in the window: answer 429 with `Retry-After`.
public struct VerificationLimited: Error, Sendable {
    public var retryAfter: Int
}

/// The public certificate verification: no account; rate-limited per address in the database
/// (every server instance shares the count); every query audited with a keyed hash of the name.
public struct VerificationService: Sendable {
    let context: ServiceContext
    public var limit: Int
    public var window: TimeInterval

    /// 20 queries per address in 10 minutes: enough for an employer checking a few applicants.
    public init(context: ServiceContext, limit: Int = 20, window: TimeInterval = 600) {
        self.context = context
        self.limit = limit
        self.window = window
    }

    /// `address` is the client's (nil: unknown, counted together).
    public func verify(number rawNumber: String, name rawName: String, address: String?) async throws -> VerificationAnswer {
        let number = rawNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = NameMask.normalized(rawName)
        var details: [StoreError.Detail] = []
        if !(1...64).contains(number.count) { details.append(.init(field: "certificateNumber", code: "verify.number.invalid")) }
        if !(1...50).contains(name.count) { details.append(.init(field: "name", code: "verify.name.invalid")) }
        guard details.isEmpty else { throw StoreError(.invalid, code: "validation", text: CatalogueMessage("validation.verify"), details: details) }

        let cipher = context.cipher, now = context.now()
        let nameKey = Self.nameHash(cipher, name)
        let seconds = Int(window)
        let start = Int(now.timeIntervalSince1970) / seconds * seconds
        let addressKey = cipher.index("verify-address:" + (address ?? "unknown"))
        let windowStart = Self.instant(start), expired = Self.instant(start - seconds)
        let hits = try await context.writes.transaction(on: context.db) { tx in
            try await VerificationStore(db: tx).count(addressKey: addressKey, window: windowStart, expired: expired)
        }
        if hits > limit {
            try await audit(number: number, nameKey: nameKey, address: address, outcome: "rate_limited", result: .denied)
            throw VerificationLimited(retryAfter: max(1, start + seconds - Int(now.timeIntervalSince1970)))
        }
        let facts = try await VerificationStore(db: context.db).facts(number: number)
        // Always one keyed hash of a stored name and one comparison, whether or not the number exists.
        let storedKey = Self.nameHash(cipher, NameMask.normalized(facts?.holderName ?? "\u{0}"))
        let matches = Self.constantTimeEqual(storedKey, nameKey) && facts != nil
        let answer: VerificationAnswer
        if matches, let facts {
            let standing = RegistrationStanding.of(facts.registrations, on: context.today)
            var until: String?
            if case .registered(let end) = standing { until = end.description }
            answer = VerificationAnswer(found: true, level: facts.level, registration: standing.code, registeredUntil: until,
                                        maskedName: NameMask.mask(facts.holderName), regionName: facts.regionName)
        } else {
            answer = .miss
        }
        try await audit(number: number, nameKey: nameKey, address: address, outcome: matches ? "found" : "miss", result: .success)
        return answer
    }

    /// The keyed hash the audit keeps instead of the name (the personal-data index key: without
    /// the key file a guessed name cannot be checked against the log).
    public static func nameHash(_ cipher: PersonalDataCipher, _ normalizedName: String) -> String {
        cipher.index("verify-name:" + normalizedName)
    }

    func audit(number: String, nameKey: String, address: String?, outcome: String, result: AuditResult) async throws {
        let entry = AuditEntry(at: context.now(), actor: "anonymous", ip: address, action: .certificateVerify, objectType: "certificate",
                               objectID: String(number.prefix(64)), result: result, details: "\(outcome) name_hmac=\(nameKey.prefix(32))")
        let log = context.auditLog
        _ = try await context.writes.transaction(on: context.db) { tx in try await log.append(on: tx.sql, entry) }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func instant(_ seconds: Int) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
