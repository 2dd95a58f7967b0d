import FluentKit
import Foundation
import SQLKit
import ShegongDomain

/// A session just started. `token` goes into the cookie (HttpOnly, SameSite, Secure over TLS)
/// and nowhere else; the database keeps only its SHA-256.
public struct LoginSession: Sendable, Equatable {
    public var token: String
    public var principal: Principal
}

public enum LoginFailure: Sendable, Equatable {
    /// Unknown user or wrong password: the same answer, so names cannot be probed.
    case invalidCredentials
    case locked(until: Date)
    case disabled
    /// The password was right; the account uses TOTP and no code was given.
    case secondFactorRequired
    case secondFactorInvalid

    public var code: String {
        switch self {
        case .invalidCredentials: return "login.invalid"
        case .locked: return "login.locked"
        case .disabled: return "login.disabled"
        case .secondFactorRequired: return "login.totp_required"
        case .secondFactorInvalid: return "login.totp_invalid"
        }
    }

    /// What the person at the login form may learn. Unknown user, wrong password, a locked and a
    /// disabled account all answer the same (issue #10 item 6): "locked" or "disabled" would
    /// confirm that the name exists. The TOTP answers come only after the right password.
    public var shownToUser: LoginFailure {
        switch self {
        case .invalidCredentials, .locked, .disabled: return .invalidCredentials
        case .secondFactorRequired, .secondFactorInvalid: return self
        }
    }
}

public enum LoginOutcome: Sendable, Equatable {
    case success(LoginSession)
    case failure(LoginFailure)
}

extension AccountStore {
    /// Checks a password (and TOTP code), counts failures and locks the account after
    /// `lockoutThreshold` in a row, and on success starts a new session — always a new id, never
    /// the one the browser had before login (pass it as `replacing` and it is ended).
    /// Every attempt is audited. Per-IP limits are the caller's (`LoginRateLimiter`).
    public func login(username rawName: String, password: String, totpCode: String? = nil, ip: String? = nil,
                      replacing previousToken: String? = nil, now: Date = Date()) async throws -> LoginOutcome {
        let attempted = String(rawName.trimmingCharacters(in: .whitespacesAndNewlines).prefix(64))
        if let previousToken {
            let previous = Secret.digest(previousToken)
            try await writes.transaction(on: db) { tx in
                // A live session ended here may be cached on another server; a stale cookie is no news.
                guard try await tx.sql.select().column("id").from("sessions").where("id", .equal, previous).first() != nil else { return }
                try await tx.sql.delete(from: "sessions").where("id", .equal, previous).run()
                try await AuthGeneration.raise(on: tx.sql)
            }
        }
        let found = try await stored(username: attempted, on: db.sql)
        // Exactly one bcrypt verification on every path (issue #10 item 6): against the account's
        // hash, or against a hash of the same cost when there is no account, no usable password
        // (awaiting issue) or a password longer than bcrypt reads (it would compare only the first
        // 72 bytes, so a longer one must not match a stored password that is its prefix). So
        // neither the time nor the answer tells a known name from an unknown one.
        let lengthOK = password.utf8.count <= PasswordPolicy.maximumBytes
        let usable = found.flatMap { $0.hasUsablePassword ? $0.passwordHash : nil }
        let hasher = hasher, timing = timingHash, candidate = lengthOK ? password : ""
        let matched = try await PasswordWork.run { try hasher.verify(candidate, against: usable ?? timing.value(hasher)) }
        let passwordOK = lengthOK && usable != nil && matched
        guard let stored = found else {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: attempted, ip: ip, action: .loginFailure, objectType: "user",
                                                      objectID: attempted, result: .failure, details: "unknown user"))
            return .failure(.invalidCredentials)
        }
        let account = stored.account
        if account.disabled {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: account.username, ip: ip, action: .loginFailure, objectType: "user",
                                                      objectID: account.username, result: .failure, details: "disabled"))
            return .failure(.disabled)
        }
        if let until = account.lockedUntil, until > now {
            try await audit.append(db: db, through: writes, AuditEntry(at: now, actor: account.username, ip: ip, action: .loginFailure, objectType: "user",
                                                      objectID: account.username, result: .failure, details: "locked"))
            return .failure(.locked(until: until))
        }
        guard passwordOK else {
            return try await recordFailure(stored, reason: usable == nil ? "no password issued" : "wrong password", failure: .invalidCredentials,
                                           ip: ip, now: now)
        }
        var totpStep: Int64?
        if let sealed = stored.totpSecretSealed {
            guard let code = totpCode, !code.isEmpty else {
                // Counted like a wrong password: otherwise this answer would be an unlimited oracle
                // for the password. A real user's next success resets the count.
                return try await recordFailure(stored, reason: "totp missing", failure: .secondFactorRequired, ip: ip, now: now)
            }
            guard let totp = TOTP(base32: try cipher.open(sealed)), let step = totp.matchingStep(code, at: now),
                  Int64(step) > (stored.totpLastStep ?? -1) else {   // RFC 6238 §5.2: each code once
                return try await recordFailure(stored, reason: "totp wrong", failure: .secondFactorInvalid, ip: ip, now: now)
            }
            totpStep = Int64(step)
        }
        let acceptedStep = totpStep
        let session = try await writes.transaction(on: db) { tx in
            var update = tx.sql.update("users").set("failed_attempts", to: 0).set("locked_until", to: String?.none)
                .set("last_login_at", to: Timestamp.string(now))
            if let acceptedStep { update = update.set("totp_last_step", to: acceptedStep) }
            try await update.where("id", .equal, account.id).run()
            let session = try await Self.startSession(for: stored, ip: ip, settings: settings, now: now, on: tx.sql)
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: account.username, ip: ip, action: .login, objectType: "user",
                                                          objectID: account.username,
                                                          details: session.principal.mustChangePassword ? "must change password" : nil))
            return session
        }
        return .success(session)
    }

    func recordFailure(_ stored: StoredAccount, reason: String, failure: LoginFailure, ip: String?, now: Date) async throws -> LoginOutcome {
        let username = stored.account.username
        return try await writes.transaction(on: db) { tx in
            try await tx.sql.update("users").set(SQLIdentifier("failed_attempts"), to: SQLRaw("failed_attempts + 1"))
                .where("id", .equal, stored.account.id).run()
            let failures = try await tx.sql.select().column("failed_attempts").from("users").where("id", .equal, stored.account.id).first()?
                .decode(column: "failed_attempts", as: Int.self) ?? 0
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: username, ip: ip, action: .loginFailure, objectType: "user",
                                                          objectID: username, result: .failure, details: "\(reason); consecutive=\(failures)"))
            guard failures >= settings.lockoutThreshold else { return .failure(failure) }
            // 等保 "登录失败处理": lock after N consecutive failures. The count starts again after the lock.
            let until = now.addingTimeInterval(settings.lockoutDuration)
            try await tx.sql.update("users").set("failed_attempts", to: 0).set("locked_until", to: Timestamp.string(until))
                .where("id", .equal, stored.account.id).run()
            try await audit.append(on: tx.sql, AuditEntry(at: now, actor: "system", ip: ip, action: .accountLocked, objectType: "user",
                                                          objectID: username, details: "until \(Timestamp.string(until))"))
            return .failure(.locked(until: Timestamp.date(Timestamp.string(until)) ?? until))
        }
    }

    static func startSession(for stored: StoredAccount, ip: String?, settings: AccountSettings, now: Date, on sql: any SQLDatabase) async throws -> LoginSession {
        let token = Secret.token()
        let id = Secret.digest(token)
        let stamp = Timestamp.string(now)
        try await sql.insert(into: "sessions").columns("id", "user_id", "created_at", "last_seen_at", "ip")
            .values(id, stored.account.id, stamp, stamp, ip).run()
        return LoginSession(token: token, principal: stored.principal(credential: .session(id: id), settings: settings, now: now))
    }
}
