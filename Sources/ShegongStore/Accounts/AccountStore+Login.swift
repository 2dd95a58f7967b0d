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
    /// The address has used up its sign-ins of the window (`LoginRateLimiter`): answer 429.
    case rateLimited(retryAfter: TimeInterval)

    public var code: String {
        switch self {
        case .invalidCredentials: return "login.invalid"
        case .locked: return "login.locked"
        case .disabled: return "login.disabled"
        case .secondFactorRequired: return "login.totp_required"
        case .secondFactorInvalid: return "login.totp_invalid"
        case .rateLimited: return "login.rate_limited"
        }
    }

    /// What the person at the login form may learn. Unknown user, wrong password, a locked and a
    /// disabled account all answer the same (issue #10 item 6): "locked" or "disabled" would
    /// confirm that the name exists. The TOTP answers come only after the right password.
    public var shownToUser: LoginFailure {
        switch self {
        case .invalidCredentials, .locked, .disabled: return .invalidCredentials
        case .secondFactorRequired, .secondFactorInvalid, .rateLimited: return self
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
    /// Every attempt is audited. With `attempt`, the address's sign-ins are limited
    /// (`LoginRateLimiter`): the attempt is recorded in the transaction that writes the outcome.
    public func login(username rawName: String, password: String, totpCode: String? = nil, ip: String? = nil,
                      replacing previousToken: String? = nil, attempt: LoginRateLimiter.Attempt? = nil,
                      now: Date = Date()) async throws -> LoginOutcome {
        if let attempt, case .limited(let retry) = try await attempt.limiter.precheck(attempt, on: db.sql) {
            return .failure(.rateLimited(retryAfter: retry))
        }
        let attempted = String(rawName.trimmingCharacters(in: .whitespacesAndNewlines).prefix(64))
        let found = try await stored(username: attempted, on: db.sql)
        // Exactly one bcrypt verification on every path (issue #10 item 6): against the account's
        // hash, or against a dummy of the configured cost when there is no account, no usable
        // password (awaiting issue) or a password longer than bcrypt reads (it would compare only
        // the first 72 bytes, so a longer one must not match a stored password that is its
        // prefix). So neither the time nor the answer tells a known name from an unknown one
        // (while hashes of a higher cost remain, `evenOutFailure` keeps it so).
        let lengthOK = password.utf8.count <= PasswordPolicy.maximumBytes
        let usable = found.flatMap { $0.hasUsablePassword ? $0.passwordHash : nil }
        let hasher = hasher, timing = timingHash, candidate = lengthOK ? password : ""
        let clock = ContinuousClock(), started = clock.now
        let (matched, checkedAgainst) = try await PasswordWork.run {
            let against = try usable ?? timing.value(hasher)
            return (try hasher.verify(candidate, against: against), against)
        }
        let passwordOK = lengthOK && usable != nil && matched
        let refusedAnyway = found.map { $0.account.disabled || ($0.account.lockedUntil.map { $0 > now } ?? false) } ?? true
        if !passwordOK || refusedAnyway {
            try await evenOutFailure(checkedAgainst: checkedAgainst, took: clock.now - started)
        }
        let turn = SignInTurn(store: self, attempt: attempt, previousToken: previousToken, ip: ip, now: now)
        guard let stored = found else {
            return try await turn.refuse(actor: attempted, details: "unknown user", .invalidCredentials)
        }
        let account = stored.account
        if account.disabled {
            return try await turn.refuse(actor: account.username, details: "disabled", .disabled)
        }
        if let until = account.lockedUntil, until > now {
            return try await turn.refuse(actor: account.username, details: "locked", .locked(until: until))
        }
        guard passwordOK else {
            return try await turn.countFailure(stored, reason: usable == nil ? "no password issued" : "wrong password", .invalidCredentials)
        }
        var totpStep: Int64?
        if let sealed = stored.totpSecretSealed {
            guard let code = totpCode, !code.isEmpty else {
                // Counted like a wrong password: otherwise this answer would be an unlimited oracle
                // for the password. A real user's next success resets the count.
                return try await turn.countFailure(stored, reason: "totp missing", .secondFactorRequired)
            }
            guard let totp = TOTP(base32: try cipher.open(sealed)), let step = totp.matchingStep(code, at: now),
                  Int64(step) > (stored.totpLastStep ?? -1) else {   // RFC 6238 §5.2: each code once
                return try await turn.countFailure(stored, reason: "totp wrong", .secondFactorInvalid)
            }
            totpStep = Int64(step)
        }
        // A hash of another cost (an older default, a changed setting) is made anew now, the one
        // moment the password is known; otherwise the setting would never reach existing accounts.
        let remade = hasher.isCurrent(stored.passwordHash) ? nil : try? await hashed(candidate)
        return try await turn.succeed(stored, totpStep: totpStep, remadeHash: remade)
    }

    /// A failed sign-in lasts as long as a check at the highest cost among the stored hashes.
    /// Until every owner of a hash made at a higher cost (an older setting) has signed in again,
    /// checks against those hashes take longer than against the dummy, and the time would tell
    /// such a known name from an unknown one. The difference is slept: it costs no CPU.
    func evenOutFailure(checkedAgainst hash: String, took check: Duration) async throws {
        guard let own = hasher.cost(of: hash), let highest = try await highestStoredCost(), highest > own else { return }
        try await Task.sleep(for: FailureTiming.wait(after: check, ownCost: own, highestCost: highest))
    }

    /// The highest cost among the stored hashes, read from their first seven characters.
    func highestStoredCost() async throws -> Int? {
        let start = SQLFunction("substr", args: SQLColumn("password_hash"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7"))
        let rows = try await db.sql.select().distinct().column(SQLAlias(start, as: SQLIdentifier("start"))).from("users").all()
        return try rows.compactMap { hasher.cost(of: try $0.decode(column: "start", as: String.self)) }.max()
    }

    /// The one write transaction of a sign-in: the address's attempt (refused when its window is
    /// full), the end of the session the browser had, and the outcome with its audit entry. It
    /// goes ahead of queued writes (`WriteGate.Lane.signIn`): the person at the door has already
    /// waited for a bcrypt check, and sign-ins are too few to hold the other writers back.
    struct SignInTurn: Sendable {
        let store: AccountStore
        let attempt: LoginRateLimiter.Attempt?
        let previousToken: String?
        let ip: String?
        let now: Date

        func run(_ outcome: @escaping @Sendable (any SQLDatabase) async throws -> LoginOutcome) async throws -> LoginOutcome {
            let attempt = attempt, previousToken = previousToken
            return try await store.writes.transaction(on: store.db, lane: .signIn) { tx in
                if let attempt, case .limited(let retry) = try await attempt.limiter.record(attempt, on: tx.sql) {
                    return .failure(.rateLimited(retryAfter: retry))
                }
                if let previousToken { try await endSession(previousToken, on: tx.sql) }
                return try await outcome(tx.sql)
            }
        }

        /// A live session ended here may be cached on another server; a stale cookie is no news.
        func endSession(_ token: String, on sql: any SQLDatabase) async throws {
            let id = Secret.digest(token)
            guard try await sql.select().column("id").from("sessions").where("id", .equal, id).first() != nil else { return }
            try await sql.delete(from: "sessions").where("id", .equal, id).run()
            try await store.raiseGeneration(on: sql)
        }

        /// Unknown, disabled or locked: audited, no count changes.
        func refuse(actor: String, details: String, _ failure: LoginFailure) async throws -> LoginOutcome {
            let entry = AuditEntry(at: now, actor: actor, ip: ip, action: .loginFailure, objectType: "user", objectID: actor,
                                   result: .failure, details: details)
            let audit = store.audit
            return try await run { sql in
                try await audit.append(on: sql, entry)
                return .failure(failure)
            }
        }

        func countFailure(_ stored: StoredAccount, reason: String, _ failure: LoginFailure) async throws -> LoginOutcome {
            let store = store, ip = ip, now = now
            return try await run { sql in try await store.recordFailure(stored, reason: reason, failure: failure, ip: ip, now: now, on: sql) }
        }

        /// `remadeHash`: the password hashed at the configured cost, to replace a hash of another.
        func succeed(_ stored: StoredAccount, totpStep: Int64?, remadeHash: String?) async throws -> LoginOutcome {
            let store = store, ip = ip, now = now, account = stored.account
            return try await run { sql in
                var update = sql.update("users").set("failed_attempts", to: 0).set("locked_until", to: String?.none)
                    .set("last_login_at", to: Timestamp.string(now))
                if let totpStep { update = update.set("totp_last_step", to: totpStep) }
                if let remadeHash { update = update.set("password_hash", to: remadeHash) }
                // Only while the hash the password was checked against is still there: a password
                // changed or reset meanwhile ended every session, and must not be put back or
                // followed by a session of the old one.
                let unchanged = try await update.where("id", .equal, account.id).where("password_hash", .equal, stored.passwordHash)
                    .returning("id").all()
                guard !unchanged.isEmpty else {
                    try await store.audit.append(on: sql, AuditEntry(at: now, actor: account.username, ip: ip, action: .loginFailure,
                                                                     objectType: "user", objectID: account.username, result: .failure,
                                                                     details: "password changed during the sign-in"))
                    return .failure(.invalidCredentials)
                }
                let session = try await AccountStore.startSession(for: stored, ip: ip, settings: store.settings, now: now, on: sql)
                let notes = [session.principal.mustChangePassword ? "must change password" : nil,
                             remadeHash == nil ? nil : "password hash made anew at the configured cost"].compactMap { $0 }
                try await store.audit.append(on: sql, AuditEntry(at: now, actor: account.username, ip: ip, action: .login, objectType: "user",
                                                                 objectID: account.username,
                                                                 details: notes.isEmpty ? nil : notes.joined(separator: "; ")))
                return .success(session)
            }
        }
    }

    /// Counts a failure in the sign-in's transaction, and locks the account at the threshold.
    func recordFailure(_ stored: StoredAccount, reason: String, failure: LoginFailure, ip: String?, now: Date,
                       on sql: any SQLDatabase) async throws -> LoginOutcome {
        let username = stored.account.username
        try await sql.update("users").set(SQLIdentifier("failed_attempts"), to: SQLRaw("failed_attempts + 1"))
            .where("id", .equal, stored.account.id).run()
        let failures = try await sql.select().column("failed_attempts").from("users").where("id", .equal, stored.account.id).first()?
            .decode(column: "failed_attempts", as: Int.self) ?? 0
        try await audit.append(on: sql, AuditEntry(at: now, actor: username, ip: ip, action: .loginFailure, objectType: "user",
                                                   objectID: username, result: .failure, details: "\(reason); consecutive=\(failures)"))
        guard failures >= settings.lockoutThreshold else { return .failure(failure) }
        // 等保 "登录失败处理": lock after N consecutive failures. The count starts again after the lock.
        let until = now.addingTimeInterval(settings.lockoutDuration)
        try await sql.update("users").set("failed_attempts", to: 0).set("locked_until", to: Timestamp.string(until))
            .where("id", .equal, stored.account.id).run()
        try await audit.append(on: sql, AuditEntry(at: now, actor: "system", ip: ip, action: .accountLocked, objectType: "user",
                                                   objectID: username, details: "until \(Timestamp.string(until))"))
        return .failure(.locked(until: Timestamp.date(Timestamp.string(until)) ?? until))
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

/// How long a failed sign-in sleeps after its check so that it lasts as long as a check at the
/// highest stored cost: bcrypt's time doubles with each step of cost.
enum FailureTiming {
    static func wait(after check: Duration, ownCost: Int, highestCost: Int) -> Duration {
        guard highestCost > ownCost else { return .zero }
        return check * (Double(1 << min(highestCost - ownCost, 16)) - 1)
    }
}
